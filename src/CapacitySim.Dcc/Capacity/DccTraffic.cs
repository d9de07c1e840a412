using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// The class of traffic a message belongs to inside the DCC: what lanes carry it, what deadline it has and which
/// emergency controls can select it.
/// </summary>
public enum DccTrafficClass : byte
{
    /// <summary>An on-demand service request to a device.</summary>
    OnDemand = 0,

    /// <summary>A future-dated service request, submitted to the lanes when the DCC sends it.</summary>
    FutureDated = 1,

    /// <summary>A DCC-scheduled service request, submitted to the lanes at each scheduled execution.</summary>
    DccScheduled = 2,

    /// <summary>A device or DCC alert on its way to the users.</summary>
    Alert = 3,
}

/// <summary>
/// One device request that validation accepted (I99 returned to the user) and that the DCC now sends to its device.
/// </summary>
/// <param name="Id">The request's RequestID.</param>
/// <param name="Device">The target device.</param>
/// <param name="Srv">The Service Reference Variant.</param>
/// <param name="Class">The traffic class (on-demand, future-dated or DCC-scheduled).</param>
/// <param name="User">The host's index of the user that sent it, carried through to delivery.</param>
/// <param name="Token">The host's correlation value (for example a pooled request buffer), carried through untouched.</param>
public readonly record struct DccRequest(
    RequestId Id,
    DeviceRecord Device,
    ServiceReferenceVariant Srv,
    DccTrafficClass Class,
    int User,
    long Token)
{
    /// <summary>True when the target is a gas meter or gas proxy, whose on-demand response target is longer.</summary>
    public bool IsGas => Device.Type is Duis.Requests.DeviceType.GasMeter or Duis.Requests.DeviceType.GasProxy;
}

/// <summary>An alert that a device (or the DCC itself) raised, on its way through the DCC to the users.</summary>
/// <param name="Device">The device the alert is about.</param>
/// <param name="Code">The GBCS device alert code (zero for a DCC alert).</param>
/// <param name="DccCode">The DCC alert code (default for a device alert).</param>
/// <param name="Token">The host's correlation value, carried through untouched.</param>
public readonly record struct DccAlert(DeviceRecord Device, DeviceAlertCode Code, DccAlertCode DccCode, long Token)
{
    /// <summary>True for a DCC alert (N-code), false for a device alert.</summary>
    public bool IsDccAlert => DccCode.Kind != default;
}

/// <summary>What happened to a message at admission.</summary>
public enum DccAdmission : byte
{
    /// <summary>Placed on a lane.</summary>
    Queued = 0,

    /// <summary>Held by an operator's defer control until it is lifted.</summary>
    Deferred = 1,

    /// <summary>Refused by an operator's shed control; the outcome sink has been told.</summary>
    Shed = 2,

    /// <summary>Refused because its lane's queue (or the DCC's in-flight capacity) was full; the outcome sink has been told.</summary>
    RejectedOverload = 3,
}

/// <summary>Why a request ended in a DUIS error or a time-out rather than the device's response.</summary>
public enum DccFailureReason : byte
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>Its lane's queue was at its bound (or every in-flight slot was in use) when it arrived.</summary>
    Overload,

    /// <summary>An operator's shed control selected it.</summary>
    Shed,

    /// <summary>The device could not be reached (the communications provider reported it).</summary>
    Unreachable,

    /// <summary>The DCC's deadline passed while it still waited in its lane; it was never sent to the device.</summary>
    QueuedPastDeadline,

    /// <summary>The device never answered before the DCC's deadline.</summary>
    NoResponse,

    /// <summary>
    /// The device answers, but after the DCC's deadline: the user is told it failed, and the device's late answer is
    /// counted when it arrives (the certificate-replacement problem).
    /// </summary>
    DeviceLate,
}

/// <summary>The moments a message passed through the DCC (scenario time; default when the stage was not reached).</summary>
/// <param name="Admitted">When the DCC accepted it.</param>
/// <param name="EnteredLane">When it joined its lane (later than admission when an operator deferred it).</param>
/// <param name="Sent">When it left its lane for the device (for an alert: for delivery).</param>
/// <param name="Completed">When its outcome was decided.</param>
public readonly record struct DccTimes(DateTimeOffset Admitted, DateTimeOffset EnteredLane, DateTimeOffset Sent, DateTimeOffset Completed)
{
    /// <summary>The time it waited in its lane, including its own service time.</summary>
    public TimeSpan LaneDelay => Sent == default ? TimeSpan.Zero : Sent - EnteredLane;
}
