namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// The DCC's outcome counters, kept as outcomes are decided (under the DCC's lock). The in-flight figures of a
/// snapshot are not kept here but counted afresh from the lane engine's slots, so the snapshot's identity is a real
/// check of the two against each other.
/// </summary>
internal sealed class DccCapacityCounters
{
    public long Accepted;
    public long Completed;
    public long Errors;
    public long TimedOut;
    public long RejectedOverload;
    public long Shed;
    public long Unreachable;
    public long TimedOutInQueue;
    public long TimedOutNoResponse;
    public long TimedOutLate;
    public long LateDeviceSuccesses;
    public long AlertsAccepted;
    public long AlertsForwarded;
    public long AlertsShed;
    public long AlertsRejected;

    /// <summary>The snapshot at <paramref name="at"/> from these counters and the slots' present states.</summary>
    public DccCapacitySnapshot ToSnapshot(DateTimeOffset at, in DccSlotTally inFlight) => new()
    {
        At = at,
        Accepted = Accepted,
        Completed = Completed,
        Errors = Errors,
        TimedOut = TimedOut,
        RejectedOverload = RejectedOverload,
        Shed = Shed,
        Unreachable = Unreachable,
        TimedOutInQueue = TimedOutInQueue,
        TimedOutNoResponse = TimedOutNoResponse,
        TimedOutLate = TimedOutLate,
        LateDeviceSuccesses = LateDeviceSuccesses,
        AwaitingLateAnswer = inFlight.AwaitingLate,
        Deferred = inFlight.Deferred,
        InLanes = inFlight.InLanes,
        AtDevice = inFlight.AtDevice,
        AlertsAccepted = AlertsAccepted,
        AlertsForwarded = AlertsForwarded,
        AlertsShed = AlertsShed,
        AlertsRejectedOverload = AlertsRejected,
        AlertsInFlight = inFlight.Alerts,
    };
}

/// <summary>The lane engine's slots by state at one moment: what is still inside the DCC.</summary>
internal readonly record struct DccSlotTally(long Deferred, long InLanes, long AtDevice, long AwaitingLate, long Alerts);
