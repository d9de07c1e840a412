namespace CapacitySim.Dcc.Alerts;

/// <summary>What storm protection decided for one alert.</summary>
public enum AlertStormVerdict : byte
{
    /// <summary>Deliver the alert.</summary>
    Deliver = 1,

    /// <summary>The alert was suppressed: do not deliver it; it is counted and reported on the next delivered one.</summary>
    Suppress = 2,
}

/// <summary>
/// The decision for one alert, with the throttling fields the delivered alert must carry when earlier alerts of the
/// same device and code were suppressed.
/// </summary>
public readonly struct AlertStormDecision
{
    internal AlertStormDecision(AlertStormVerdict verdict, uint sequenceId, uint count)
    {
        Verdict = verdict;
        SequenceId = sequenceId;
        Count = count;
    }

    /// <summary>Deliver or suppress.</summary>
    public AlertStormVerdict Verdict { get; }

    /// <summary>True when the alert is to be delivered.</summary>
    public bool Deliver => Verdict == AlertStormVerdict.Deliver;

    /// <summary>True when the delivered alert carries ThrottledAlertSequenceId and ThrottledAlertCount.</summary>
    public bool HasThrottleInfo => Count != 0;

    /// <summary>
    /// ThrottledAlertSequenceId to write, or null. It numbers the throttle reports of one device and code: 1 for the
    /// first delivered alert that reports suppressed alerts, then 2, 3… so a user can see that a report is missing.
    /// It restarts at 1 only when the pair's state was reclaimed after <see cref="AlertStormOptions.StateRetention"/>.
    /// </summary>
    public uint? ThrottledAlertSequenceId => Count != 0 ? SequenceId : null;

    /// <summary>ThrottledAlertCount to write (alerts suppressed since the last delivered one of this pair), or null.</summary>
    public uint? ThrottledAlertCount => Count != 0 ? Count : null;

    internal uint SequenceId { get; }

    internal uint Count { get; }
}
