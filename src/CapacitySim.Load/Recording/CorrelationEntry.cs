using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Load.Recording;

/// <summary>
/// What the users' side remembers of one request in flight. Timestamps are in the run's timestamp base
/// (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> or the run's <see cref="TimeProvider"/>).
/// </summary>
/// <param name="RequestId">The DUIS RequestID (originator and counter identify it; the target is carried along).</param>
/// <param name="Key">What the latency is recorded against.</param>
/// <param name="UserIndex">Index of the sending user in the scenario.</param>
/// <param name="IntendedTimestamp">When the open-model schedule meant the request to leave (t0).</param>
/// <param name="SentTimestamp">When it actually left.</param>
public readonly record struct CorrelationEntry(RequestId RequestId, LatencyKey Key, int UserIndex, long IntendedTimestamp, long SentTimestamp)
{
    /// <summary>When the I99 acknowledgement arrived; meaningful only when <see cref="IsAcknowledged"/>.</summary>
    public long AcknowledgedTimestamp { get; init; }

    /// <summary>True once the I99 acknowledgement arrived.</summary>
    public bool IsAcknowledged { get; init; }

    /// <summary>When the final response arrived; set on the entry handed back on completion.</summary>
    public long ReceivedTimestamp { get; init; }
}

/// <summary>What the correlation table made of one arriving response.</summary>
public enum CorrelationOutcome : byte
{
    /// <summary>The final response of a request in flight: the entry is handed back and the request leaves the table.</summary>
    Completed = 1,

    /// <summary>The I99 acknowledgement of a request sent by this run; the request stays in flight.</summary>
    Acknowledged = 2,

    /// <summary>No request with this RequestID is known: never sent by this run, or forgotten long ago.</summary>
    Unknown = 3,

    /// <summary>A second final response (or a second acknowledgement) for the same RequestID.</summary>
    Duplicate = 4,

    /// <summary>The final response of a request that had already been given up as timed out.</summary>
    AfterTimeOut = 5,
}

/// <summary>Counts kept by the correlation table; every arriving response lands in exactly one of them.</summary>
/// <param name="Added">Requests entered as in flight.</param>
/// <param name="Rejected">Requests refused because the table was full (the sender counts them as dropped).</param>
/// <param name="Acknowledged">I99 acknowledgements matched to a request.</param>
/// <param name="Completed">Final responses matched to a request in flight.</param>
/// <param name="Unknown">Responses for RequestIDs this run does not know.</param>
/// <param name="Duplicates">Repeated final responses or acknowledgements.</param>
/// <param name="TimedOut">Requests given up on after the time-out.</param>
/// <param name="AfterTimeOut">Final responses that arrived after their request timed out.</param>
/// <param name="Abandoned">Requests withdrawn by the sender because they never left (connection failure).</param>
/// <param name="InFlight">Requests in the table now.</param>
public readonly record struct CorrelationCounts(
    long Added,
    long Rejected,
    long Acknowledged,
    long Completed,
    long Unknown,
    long Duplicates,
    long TimedOut,
    long AfterTimeOut,
    long Abandoned,
    long InFlight);
