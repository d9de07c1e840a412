using System.Text;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Capacity;

/// <summary>What a traffic selector picks out.</summary>
public enum TrafficSelectorKind : byte
{
    /// <summary>A traffic class (on-demand, future-dated, DCC-scheduled, alerts), optionally reads only.</summary>
    TrafficClass = 0,

    /// <summary>Requests for one Service Reference Variant.</summary>
    ServiceVariant = 1,

    /// <summary>Device alerts of one code.</summary>
    DeviceAlertCode = 2,
}

/// <summary>
/// A class of traffic an operator's emergency control acts on: a traffic class (for example on-demand reads), one
/// Service Reference Variant, or device alerts of one code, optionally limited to one CSP region.
/// </summary>
public readonly record struct TrafficSelector
{
    private TrafficSelector(TrafficSelectorKind kind, DccTrafficClass trafficClass, bool readsOnly, ServiceReferenceVariant srv, DeviceAlertCode alertCode, CspRegion? region)
    {
        Kind = kind;
        Class = trafficClass;
        ReadsOnly = readsOnly;
        Srv = srv;
        AlertCode = alertCode;
        Region = region;
    }

    /// <summary>What the selector picks out.</summary>
    public TrafficSelectorKind Kind { get; }

    /// <summary>The traffic class, for <see cref="TrafficSelectorKind.TrafficClass"/>.</summary>
    public DccTrafficClass Class { get; }

    /// <summary>True when only read requests (Service Requests named "Read …" or "Retrieve …") of the class are selected.</summary>
    public bool ReadsOnly { get; }

    /// <summary>The Service Reference Variant, for <see cref="TrafficSelectorKind.ServiceVariant"/>.</summary>
    public ServiceReferenceVariant Srv { get; }

    /// <summary>The device alert code, for <see cref="TrafficSelectorKind.DeviceAlertCode"/>.</summary>
    public DeviceAlertCode AlertCode { get; }

    /// <summary>The only CSP region selected, or null for all.</summary>
    public CspRegion? Region { get; }

    /// <summary>On-demand read requests: the traffic that degraded CSP North service (FACTS.md).</summary>
    public static TrafficSelector OnDemandReads => new(TrafficSelectorKind.TrafficClass, DccTrafficClass.OnDemand, true, default, default, null);

    /// <summary>Every message of a traffic class, or only its reads.</summary>
    public static TrafficSelector ForClass(DccTrafficClass trafficClass, bool readsOnly = false)
        => new(TrafficSelectorKind.TrafficClass, trafficClass, readsOnly, default, default, null);

    /// <summary>Requests for one Service Reference Variant.</summary>
    public static TrafficSelector ForServiceVariant(ServiceReferenceVariant srv)
        => new(TrafficSelectorKind.ServiceVariant, default, false, srv, default, null);

    /// <summary>Device alerts of one code.</summary>
    public static TrafficSelector ForAlertCode(DeviceAlertCode code)
        => new(TrafficSelectorKind.DeviceAlertCode, DccTrafficClass.Alert, false, default, code, null);

    /// <summary>The same selection limited to one CSP region.</summary>
    public TrafficSelector InRegion(CspRegion region) => new(Kind, Class, ReadsOnly, Srv, AlertCode, region);

    /// <summary>True when the selector picks out <paramref name="request"/>.</summary>
    public bool Matches(in DccRequest request)
    {
        if (Region is { } region && request.Device.Region != region)
        {
            return false;
        }

        return Kind switch
        {
            TrafficSelectorKind.TrafficClass => request.Class == Class && (!ReadsOnly || IsRead(request.Srv)),
            TrafficSelectorKind.ServiceVariant => request.Srv == Srv,
            _ => false,
        };
    }

    /// <summary>True when the selector picks out <paramref name="alert"/>.</summary>
    public bool Matches(in DccAlert alert)
    {
        if (Region is { } region && alert.Device.Region != region)
        {
            return false;
        }

        return Kind switch
        {
            TrafficSelectorKind.TrafficClass => Class == DccTrafficClass.Alert,
            TrafficSelectorKind.DeviceAlertCode => !alert.IsDccAlert && alert.Code == AlertCode,
            _ => false,
        };
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        _ = Kind switch
        {
            TrafficSelectorKind.TrafficClass => text.Append(Class).Append(ReadsOnly ? " reads" : string.Empty),
            TrafficSelectorKind.ServiceVariant => text.Append("SRV ").Append(Srv.ToString()),
            _ => text.Append("alert ").Append(AlertCode.ToString()),
        };
        if (Region is { } region)
        {
            text.Append(" in ").Append(region);
        }

        return text.ToString();
    }

    /// <summary>Read requests are the Service Requests whose DUIS name starts with "Read" or "Retrieve" (logs, profiles).</summary>
    private static bool IsRead(ServiceReferenceVariant srv)
        => ServiceCatalogue.TryGet(srv, out var info)
        && (info.Name.StartsWith("Read", StringComparison.Ordinal) || info.Name.StartsWith("Retrieve", StringComparison.Ordinal));
}

/// <summary>What an emergency control does to the traffic it selects.</summary>
public enum EmergencyAction : byte
{
    /// <summary>Refuse it: requests get a DUIS error, alerts are dropped; all counted.</summary>
    Shed = 0,

    /// <summary>Hold it inside the DCC until the control is lifted, then process it in arrival order.</summary>
    Defer = 1,
}

/// <summary>
/// An operator's emergency control: shed or defer a class of traffic from the moment it is switched on until it is
/// lifted. It acts on messages arriving while it is on; messages already on a lane carry on. Counters are safe to read
/// at any time.
/// </summary>
public sealed class EmergencyControl
{
    /// <summary>Head of the list of messages it holds (the lane engine's slot index), under the DCC's lock.</summary>
    /// <remarks>A field, so the lane engine appends to it as to a lane's queue.</remarks>
    internal int HeldHead;

    /// <summary>Tail of the list of messages it holds (the lane engine's slot index), under the DCC's lock.</summary>
    internal int HeldTail;

    private long affected;
    private long released;

    internal EmergencyControl(int id, EmergencyAction action, TrafficSelector selector, ResponseCode code, string reason, DateTimeOffset switchedOnAt)
    {
        Id = id;
        Action = action;
        Selector = selector;
        Code = code;
        Reason = reason;
        SwitchedOnAt = switchedOnAt;
        HeldHead = -1;
        HeldTail = -1;
    }

    /// <summary>Sequence number of the control within its DCC, from 1.</summary>
    public int Id { get; }

    /// <summary>Shed or defer.</summary>
    public EmergencyAction Action { get; }

    /// <summary>The traffic it acts on.</summary>
    public TrafficSelector Selector { get; }

    /// <summary>The code shed requests get (unused for defer).</summary>
    public ResponseCode Code { get; }

    /// <summary>The operator's note.</summary>
    public string Reason { get; }

    /// <summary>When it was switched on (scenario time).</summary>
    public DateTimeOffset SwitchedOnAt { get; }

    /// <summary>When it was lifted, or null while it is on.</summary>
    public DateTimeOffset? SwitchedOffAt { get; private set; }

    /// <summary>True while it is on.</summary>
    public bool IsActive => SwitchedOffAt is null;

    /// <summary>Messages it shed or deferred.</summary>
    public long Affected => Interlocked.Read(ref affected);

    /// <summary>Deferred messages it released when lifted.</summary>
    public long Released => Interlocked.Read(ref released);

    /// <inheritdoc/>
    public override string ToString() => $"#{Id} {Action} {Selector}";

    internal void CountAffected() => Interlocked.Increment(ref affected);

    internal void CountReleased() => Interlocked.Increment(ref released);

    internal void SwitchOff(DateTimeOffset at) => SwitchedOffAt = at;
}

/// <summary>One entry of the emergency-control audit list: a control switched on or off, and by then how much it had affected.</summary>
/// <param name="At">When (scenario time).</param>
/// <param name="Control">The control.</param>
/// <param name="SwitchedOn">True when switched on, false when lifted.</param>
/// <param name="Affected">Messages it had shed or deferred by then.</param>
/// <param name="Released">Deferred messages released by then.</param>
public sealed record EmergencyControlAuditEntry(DateTimeOffset At, EmergencyControl Control, bool SwitchedOn, long Affected, long Released);
