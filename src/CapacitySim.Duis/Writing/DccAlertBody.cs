using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Writing;

/// <summary>Which <c>sr:DCCAlert</c> choice a <see cref="DccAlertBody"/> is.</summary>
public enum DccAlertBodyKind : byte
{
    /// <summary>Unset; writing it is refused.</summary>
    None = 0,

    /// <summary><c>PowerOutageEvent</c>: a communications hub reported loss of supply.</summary>
    PowerOutageEvent,

    /// <summary><c>CommandFailure</c>: a command could not be delivered to or executed by a device.</summary>
    CommandFailure,

    /// <summary><c>QuarantinedRequest</c>: anomaly detection quarantined a request.</summary>
    QuarantinedRequest,

    /// <summary><c>S1SPAlertDSP</c>: an alert from a SMETS1 service provider, signed by it, relayed by the DSP.</summary>
    S1SPAlertDsp,
}

/// <summary>Which anomaly detection threshold a quarantined request breached (the <c>QuarantinedRequest</c> choice).</summary>
public enum QuarantineBreach : byte
{
    /// <summary><c>ADUserThresholdBreach</c>: the user's own anomaly detection threshold.</summary>
    UserThreshold = 0,

    /// <summary><c>ADDCCThresholdBreach</c>: the DCC's threshold.</summary>
    DccThreshold,

    /// <summary><c>ADAttributeLimitsBreach</c>: attribute limits set for the request type.</summary>
    AttributeLimits,
}

/// <summary>
/// The body of a DCC alert (one choice of <c>sr:DCCAlert</c>) with the fields the schema requires, supplied by the
/// caller. Create one with the factory methods. Text fields are UTF-8 held in caller-owned memory, so a caller that
/// keeps them writes alerts without allocating.
/// </summary>
public readonly struct DccAlertBody
{
    /// <summary>Largest DSP schedule ID the schema allows.</summary>
    public const ulong MaxDspScheduleId = 1_000_000_000_000;

    /// <summary>Largest MPxN the schema's 13 characters can hold.</summary>
    public const ulong MaxMpxn = 9_999_999_999_999;

    /// <summary>Characters of a UTRN.</summary>
    public const int UtrnLength = 20;

    private DccAlertBody(DccAlertBodyKind kind) => Kind = kind;

    /// <summary>Which body this is.</summary>
    public DccAlertBodyKind Kind { get; }

    /// <summary>The device: CommsHubDeviceID (power outage), DeviceID (command failure, S1SP alert; optional there).</summary>
    public Eui64? DeviceId { get; private init; }

    /// <summary>StartDateTime (power outage) or DateTime (S1SP alert).</summary>
    public DateTimeOffset DateTime { get; private init; }

    /// <summary>The import MPAN or MPRN of the supply (power outage).</summary>
    public ulong Mpxn { get; private init; }

    /// <summary>CommandRequestID (command failure), RequestID (quarantined request; S1SP alert, optional there).</summary>
    public RequestId? RequestId { get; private init; }

    /// <summary>DSPScheduleID (command failure, S1SP alert); omitted when null.</summary>
    public ulong? DspScheduleId { get; private init; }

    /// <summary>The threshold breached (quarantined request).</summary>
    public QuarantineBreach Breach { get; private init; }

    /// <summary>QuarantineEventRef (quarantined request).</summary>
    public ulong QuarantineEventRef { get; private init; }

    /// <summary>S1SPAlertCode as UTF-8 (S1SP alert).</summary>
    public ReadOnlyMemory<byte> S1SPAlertCode { get; private init; }

    /// <summary>AdditionalInformation as UTF-8 (S1SP alert); omitted when empty.</summary>
    public ReadOnlyMemory<byte> AdditionalInformation { get; private init; }

    /// <summary>UTRN, 20 ASCII digits (S1SP alert); omitted when empty.</summary>
    public ReadOnlyMemory<byte> Utrn { get; private init; }

    /// <summary>A power outage reported by a communications hub.</summary>
    /// <param name="commsHubDeviceId">The communications hub.</param>
    /// <param name="startDateTime">When the outage started.</param>
    /// <param name="mpxn">The import MPAN (13 digits) or MPRN of the premises.</param>
    public static DccAlertBody PowerOutageEvent(Eui64 commsHubDeviceId, DateTimeOffset startDateTime, ulong mpxn)
    {
        if (mpxn > MaxMpxn)
        {
            WriterThrow.Argument(nameof(mpxn), $"An MPxN has at most 13 digits; {mpxn} has more.");
        }

        return new(DccAlertBodyKind.PowerOutageEvent) { DeviceId = commsHubDeviceId, DateTime = startDateTime, Mpxn = mpxn };
    }

    /// <summary>A command that failed at a device.</summary>
    /// <param name="commandRequestId">The request whose command failed.</param>
    /// <param name="deviceId">The device.</param>
    /// <param name="dspScheduleId">The DSP schedule, for DCC-scheduled commands.</param>
    public static DccAlertBody CommandFailure(RequestId commandRequestId, Eui64 deviceId, ulong? dspScheduleId = null)
    {
        CheckScheduleId(dspScheduleId);
        return new(DccAlertBodyKind.CommandFailure) { RequestId = commandRequestId, DeviceId = deviceId, DspScheduleId = dspScheduleId };
    }

    /// <summary>A request quarantined by anomaly detection.</summary>
    /// <param name="breach">Which threshold it breached.</param>
    /// <param name="requestId">The quarantined request.</param>
    /// <param name="quarantineEventRef">The DCC's reference for the quarantine event (at most 20 digits).</param>
    public static DccAlertBody QuarantinedRequest(QuarantineBreach breach, RequestId requestId, ulong quarantineEventRef)
    {
        if (breach is < QuarantineBreach.UserThreshold or > QuarantineBreach.AttributeLimits)
        {
            WriterThrow.Argument(nameof(breach), $"Unknown quarantine breach {breach}.");
        }

        return new(DccAlertBodyKind.QuarantinedRequest) { Breach = breach, RequestId = requestId, QuarantineEventRef = quarantineEventRef };
    }

    /// <summary>An alert from a SMETS1 service provider, relayed by the DSP.</summary>
    /// <param name="s1spAlertCode">The S1SP's alert code (UTF-8, not empty).</param>
    /// <param name="dateTime">When the S1SP raised it.</param>
    /// <param name="requestId">The request it concerns, if any.</param>
    /// <param name="deviceId">The device it concerns, if any.</param>
    /// <param name="additionalInformation">Free text (UTF-8); omitted when empty.</param>
    /// <param name="utrn">A UTRN, 20 ASCII digits; omitted when empty.</param>
    /// <param name="dspScheduleId">The DSP schedule, for DCC-scheduled requests.</param>
    public static DccAlertBody S1SPAlertDsp(
        ReadOnlyMemory<byte> s1spAlertCode,
        DateTimeOffset dateTime,
        RequestId? requestId = null,
        Eui64? deviceId = null,
        ReadOnlyMemory<byte> additionalInformation = default,
        ReadOnlyMemory<byte> utrn = default,
        ulong? dspScheduleId = null)
    {
        if (s1spAlertCode.IsEmpty)
        {
            WriterThrow.Argument(nameof(s1spAlertCode), "An S1SP alert needs an alert code.");
        }

        if (!utrn.IsEmpty && (utrn.Length != UtrnLength || utrn.Span.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0))
        {
            WriterThrow.Argument(nameof(utrn), "A UTRN is exactly 20 decimal digits.");
        }

        CheckScheduleId(dspScheduleId);
        return new(DccAlertBodyKind.S1SPAlertDsp)
        {
            S1SPAlertCode = s1spAlertCode,
            DateTime = dateTime,
            RequestId = requestId,
            DeviceId = deviceId,
            AdditionalInformation = additionalInformation,
            Utrn = utrn,
            DspScheduleId = dspScheduleId,
        };
    }

    private static void CheckScheduleId(ulong? dspScheduleId)
    {
        if (dspScheduleId > MaxDspScheduleId)
        {
            WriterThrow.Argument(nameof(dspScheduleId), $"A DSP schedule ID is at most {MaxDspScheduleId}.");
        }
    }
}
