namespace CapacitySim.Load.Engine;

/// <summary>
/// A point-in-time view of a running load run, taken once per progress interval (never per message): what the
/// progress display, the live metrics and the closing report read. Latencies are milliseconds of scenario time;
/// rates are per second of scenario time.
/// </summary>
public sealed record RunStatus
{
    /// <summary>Scenario name.</summary>
    public required string Scenario { get; init; }

    /// <summary>Wall-clock time since the run started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Scenario time since the run started (wall-clock × compression).</summary>
    public TimeSpan ScenarioElapsed { get; init; }

    /// <summary>Scenario time of the whole profile.</summary>
    public TimeSpan ScenarioDuration { get; init; }

    /// <summary>Time compression (1 = real time).</summary>
    public double Compression { get; init; } = 1;

    /// <summary>True while the scenario's warm-up lasts (its measurements will be discarded).</summary>
    public bool WarmingUp { get; init; }

    /// <summary>True once every arrival has been released and the run is draining or done.</summary>
    public bool Draining { get; init; }

    /// <summary>Index of the current phase (the last one once the profile is over).</summary>
    public int PhaseIndex { get; init; }

    /// <summary>Name of the current phase.</summary>
    public required string PhaseName { get; init; }

    /// <summary>Number of phases in the profile.</summary>
    public int PhaseCount { get; init; }

    /// <summary>Planned arrival rate now.</summary>
    public double TargetRate { get; init; }

    /// <summary>Send rate achieved over the last interval.</summary>
    public double AchievedRate { get; init; }

    /// <summary>Arrivals planned for the whole run.</summary>
    public long Scheduled { get; init; }

    /// <summary>Requests sent so far.</summary>
    public long Sent { get; init; }

    /// <summary>Arrivals dropped (no connection or in-flight slot free).</summary>
    public long Dropped { get; init; }

    /// <summary>Arrivals released late by the pacer.</summary>
    public long Late { get; init; }

    /// <summary>Requests awaiting their final response.</summary>
    public long InFlight { get; init; }

    /// <summary>I99 acknowledgements received.</summary>
    public long Acknowledged { get; init; }

    /// <summary>Final responses received (any code).</summary>
    public long Responded { get; init; }

    /// <summary>Final responses with an E code.</summary>
    public long Errors { get; init; }

    /// <summary>Requests given up on after the response time-out.</summary>
    public long TimedOut { get; init; }

    /// <summary>Requests whose bytes never left (connection failures), by client result (<c>ConnectFailed</c>, <c>TimedOut</c>...).</summary>
    public IReadOnlyDictionary<string, long> SendFailures { get; init; } = new Dictionary<string, long>();

    /// <summary>Responses for RequestIDs this run never sent, or repeated ones.</summary>
    public long UnknownOrDuplicate { get; init; }

    /// <summary>Final responses by code since the start (<c>I0</c>, <c>E21</c>...).</summary>
    public IReadOnlyDictionary<string, long> ResponsesByCode { get; init; } = new Dictionary<string, long>();

    /// <summary>Requests sent by Service Reference Variant (<c>4.1.1</c>) and performance category name.</summary>
    public IReadOnlyList<SrvSentCount> SentBySrv { get; init; } = [];

    /// <summary>Latency and share within TRT per performance category, cumulative since the end of warm-up.</summary>
    public IReadOnlyList<CategoryStatus> Categories { get; init; } = [];

    /// <summary>Alerts received by the users.</summary>
    public long Alerts { get; init; }

    /// <summary>Alerts received, by code.</summary>
    public IReadOnlyDictionary<string, long> AlertsByCode { get; init; } = new Dictionary<string, long>();

    /// <summary>Alerts that said the DCC had suppressed repeats before them.</summary>
    public long AlertsThrottled { get; init; }
}

/// <summary>Requests sent of one Service Reference Variant.</summary>
/// <param name="Srv">The variant (<c>4.1.1</c>).</param>
/// <param name="Category">Its performance category name.</param>
/// <param name="Sent">Requests sent.</param>
public readonly record struct SrvSentCount(string Srv, string Category, long Sent);

/// <summary>One performance category's figures in a <see cref="RunStatus"/>.</summary>
public sealed record CategoryStatus
{
    /// <summary>Category name from the performance levels (<c>on-demand-esme</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Latencies recorded.</summary>
    public long Count { get; init; }

    /// <summary>Corrected median, ms of scenario time.</summary>
    public double P50 { get; init; }

    /// <summary>Corrected 99th percentile, ms of scenario time.</summary>
    public double P99 { get; init; }

    /// <summary>Target Response Time, ms of scenario time, or null.</summary>
    public double? TrtMs { get; init; }

    /// <summary>Share (0…1) within TRT, or null without a TRT or values.</summary>
    public double? WithinTrt { get; init; }

    /// <summary>Target share within TRT (0…1), or null.</summary>
    public double? ServiceLevelTarget { get; init; }

    /// <summary>Minimum share within TRT (0…1), or null.</summary>
    public double? ServiceLevelMinimum { get; init; }
}
