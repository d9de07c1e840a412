namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// The DCC's request and alert accounting at one moment. Every accepted request is completed (device response
/// within the deadline), ended by a DUIS error, timed out, or still in flight:
/// <c>Accepted = Completed + Errors + TimedOut + InFlight</c> (<see cref="IsBalanced"/>). The outcome counters are
/// kept as outcomes are decided; the in-flight figures are counted afresh from the DCC's slots, so the identity is a
/// real check.
/// </summary>
public readonly record struct DccCapacitySnapshot
{
    /// <summary>When the snapshot was taken (scenario time).</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Requests accepted (each had its I99).</summary>
    public long Accepted { get; init; }

    /// <summary>Requests whose device answered within the DCC's deadline.</summary>
    public long Completed { get; init; }

    /// <summary>Requests ended by a DUIS error: <see cref="RejectedOverload"/> + <see cref="Shed"/> + <see cref="Unreachable"/>.</summary>
    public long Errors { get; init; }

    /// <summary>Requests the DCC timed out: <see cref="TimedOutInQueue"/> + <see cref="TimedOutNoResponse"/> + <see cref="TimedOutLate"/>.</summary>
    public long TimedOut { get; init; }

    /// <summary>Requests with no outcome yet: <see cref="Deferred"/> + <see cref="InLanes"/> + <see cref="AtDevice"/>.</summary>
    public long InFlight => Deferred + InLanes + AtDevice;

    /// <summary>Errors: rejected because the lane's queue (or the DCC's in-flight capacity) was full.</summary>
    public long RejectedOverload { get; init; }

    /// <summary>Errors: refused by an operator's shed control.</summary>
    public long Shed { get; init; }

    /// <summary>Errors: the provider reported the device unreachable.</summary>
    public long Unreachable { get; init; }

    /// <summary>Time-outs: the deadline passed while the request still waited in its lane.</summary>
    public long TimedOutInQueue { get; init; }

    /// <summary>Time-outs: the device never answered.</summary>
    public long TimedOutNoResponse { get; init; }

    /// <summary>Time-outs: the device answers, but after the deadline.</summary>
    public long TimedOutLate { get; init; }

    /// <summary>
    /// Devices that answered successfully after the DCC had told the user the request failed (the certificate-replacement
    /// problem). Not part of the identity: those requests' outcome was their time-out.
    /// </summary>
    public long LateDeviceSuccesses { get; init; }

    /// <summary>Timed-out requests whose device's late answer is still on its way.</summary>
    public long AwaitingLateAnswer { get; init; }

    /// <summary>In flight: held by an operator's defer control.</summary>
    public long Deferred { get; init; }

    /// <summary>In flight: waiting in or passing through a lane.</summary>
    public long InLanes { get; init; }

    /// <summary>In flight: sent, waiting for the device.</summary>
    public long AtDevice { get; init; }

    /// <summary>Alerts accepted.</summary>
    public long AlertsAccepted { get; init; }

    /// <summary>Alerts passed to delivery.</summary>
    public long AlertsForwarded { get; init; }

    /// <summary>Alerts dropped by an operator's shed control.</summary>
    public long AlertsShed { get; init; }

    /// <summary>Alerts dropped because their lane's queue (or the DCC's in-flight capacity) was full.</summary>
    public long AlertsRejectedOverload { get; init; }

    /// <summary>Alerts still inside the DCC (deferred or in a lane).</summary>
    public long AlertsInFlight { get; init; }

    /// <summary>True when <c>Accepted = Completed + Errors + TimedOut + InFlight</c> and the alert equivalent hold.</summary>
    public bool IsBalanced
        => Accepted == Completed + Errors + TimedOut + InFlight
        && Errors == RejectedOverload + Shed + Unreachable
        && TimedOut == TimedOutInQueue + TimedOutNoResponse + TimedOutLate
        && AlertsAccepted == AlertsForwarded + AlertsShed + AlertsRejectedOverload + AlertsInFlight;

    /// <inheritdoc/>
    public override string ToString()
        => $"accepted {Accepted} = completed {Completed} + errors {Errors} + timed out {TimedOut} + in flight {InFlight}; late device successes {LateDeviceSuccesses}";
}
