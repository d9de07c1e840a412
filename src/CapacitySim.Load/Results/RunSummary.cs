using System.Text.Json.Serialization;

namespace CapacitySim.Load.Results;

/// <summary>
/// The machine-readable result of a run, written as <c>summary.json</c>. The property names are a stable, documented
/// schema (<c>summary-schema.md</c>): they are fixed by attribute, never derived from C# names.
/// Latencies are milliseconds of scenario time (wall-clock latency × <see cref="Compression"/>).
/// </summary>
public sealed record RunSummary
{
    /// <summary>Version of this schema; raised only when a property changes meaning or disappears.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Schema version the document follows.</summary>
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Scenario name.</summary>
    [JsonPropertyName("scenario")]
    public required string Scenario { get; init; }

    /// <summary>When measurement started (after warm-up).</summary>
    [JsonPropertyName("startedAt")]
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When measurement ended.</summary>
    [JsonPropertyName("endedAt")]
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>Time compression factor of the run (1 = real time).</summary>
    [JsonPropertyName("compression")]
    public required double Compression { get; init; }

    /// <summary>Unit of every latency figure: always <c>ms</c> (of scenario time).</summary>
    [JsonPropertyName("latencyUnit")]
    public string LatencyUnit { get; init; } = "ms";

    /// <summary>Run-wide counts.</summary>
    [JsonPropertyName("counts")]
    public required SummaryCounts Counts { get; init; }

    /// <summary>Figures per performance category.</summary>
    [JsonPropertyName("categories")]
    public required IReadOnlyList<CategorySummary> Categories { get; init; }

    /// <summary>Figures per Service Reference Variant (and category, where one SRV feeds two).</summary>
    [JsonPropertyName("serviceReferenceVariants")]
    public required IReadOnlyList<SrvSummary> ServiceReferenceVariants { get; init; }

    /// <summary>Alerts received.</summary>
    [JsonPropertyName("alerts")]
    public required AlertSummary Alerts { get; init; }
}

/// <summary>Run-wide counts: every request sent and every message received lands in one of them.</summary>
public sealed record SummaryCounts
{
    /// <summary>Requests sent.</summary>
    [JsonPropertyName("sent")]
    public long Sent { get; init; }

    /// <summary>I99 acknowledgements received for requests sent.</summary>
    [JsonPropertyName("acknowledged")]
    public long Acknowledged { get; init; }

    /// <summary>Final responses matched to a request in flight.</summary>
    [JsonPropertyName("responded")]
    public long Responded { get; init; }

    /// <summary>Final responses with an E code.</summary>
    [JsonPropertyName("errors")]
    public long Errors { get; init; }

    /// <summary>Final responses by response code (I0, E19…), errors included.</summary>
    [JsonPropertyName("responsesByCode")]
    public IReadOnlyDictionary<string, long> ResponsesByCode { get; init; } = new Dictionary<string, long>();

    /// <summary>Final responses with an E code, by code.</summary>
    [JsonPropertyName("errorsByCode")]
    public IReadOnlyDictionary<string, long> ErrorsByCode { get; init; } = new Dictionary<string, long>();

    /// <summary>Requests given up on after the time-out.</summary>
    [JsonPropertyName("timedOut")]
    public long TimedOut { get; init; }

    /// <summary>Final responses that arrived after their request had timed out.</summary>
    [JsonPropertyName("respondedAfterTimeOut")]
    public long RespondedAfterTimeOut { get; init; }

    /// <summary>Arrivals not sent because no connection or in-flight slot was free.</summary>
    [JsonPropertyName("dropped")]
    public long Dropped { get; init; }

    /// <summary>Arrivals sent later than their intended time by more than the pacer's tolerance.</summary>
    [JsonPropertyName("late")]
    public long Late { get; init; }

    /// <summary>Responses for RequestIDs the run does not know.</summary>
    [JsonPropertyName("unknown")]
    public long Unknown { get; init; }

    /// <summary>Repeated final responses or acknowledgements.</summary>
    [JsonPropertyName("duplicates")]
    public long Duplicates { get; init; }

    /// <summary>Requests withdrawn because their bytes never left (connection failure).</summary>
    [JsonPropertyName("abandoned")]
    public long Abandoned { get; init; }

    /// <summary>Requests still awaiting a final response when the run ended.</summary>
    [JsonPropertyName("inFlightAtEnd")]
    public long InFlightAtEnd { get; init; }

    /// <summary>Latencies outside the histograms' range, recorded at the range's edge.</summary>
    [JsonPropertyName("clamped")]
    public long Clamped { get; init; }

    /// <summary>Latencies not recorded because the recorder's key space was full.</summary>
    [JsonPropertyName("unrecorded")]
    public long Unrecorded { get; init; }
}

/// <summary>p50, p90, p99, p99.9 and max latency (ms of scenario time); zero when there are no values.</summary>
public sealed record LatencySummary
{
    /// <summary>Median.</summary>
    [JsonPropertyName("p50")]
    public double P50 { get; init; }

    /// <summary>90th percentile.</summary>
    [JsonPropertyName("p90")]
    public double P90 { get; init; }

    /// <summary>99th percentile.</summary>
    [JsonPropertyName("p99")]
    public double P99 { get; init; }

    /// <summary>99.9th percentile.</summary>
    [JsonPropertyName("p999")]
    public double P999 { get; init; }

    /// <summary>Largest latency.</summary>
    [JsonPropertyName("max")]
    public double Max { get; init; }
}

/// <summary>Figures of one performance category.</summary>
public sealed record CategorySummary
{
    /// <summary>The category's id in the recorder.</summary>
    [JsonPropertyName("id")]
    public int Id { get; init; }

    /// <summary>The category's name from the performance levels.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Target Response Time in ms, null when the performance levels give none.</summary>
    [JsonPropertyName("trtMs")]
    public double? TrtMs { get; init; }

    /// <summary>Service level target (share within TRT, 0…1), null when not given.</summary>
    [JsonPropertyName("serviceLevelTarget")]
    public double? ServiceLevelTarget { get; init; }

    /// <summary>Service level minimum (share within TRT, 0…1), null when not given.</summary>
    [JsonPropertyName("serviceLevelMinimum")]
    public double? ServiceLevelMinimum { get; init; }

    /// <summary>Latencies recorded (responses, or alerts for alert categories).</summary>
    [JsonPropertyName("count")]
    public long Count { get; init; }

    /// <summary>Share (0…1) of corrected latencies within the TRT; null without a TRT or without values.</summary>
    [JsonPropertyName("withinTrt")]
    public double? WithinTrt { get; init; }

    /// <summary>Corrected latencies within the TRT; null without a TRT.</summary>
    [JsonPropertyName("withinTrtCount")]
    public long? WithinTrtCount { get; init; }

    /// <summary>Latency from the intended send time (coordinated omission corrected).</summary>
    [JsonPropertyName("corrected")]
    public required LatencySummary Corrected { get; init; }

    /// <summary>Latency from the actual send time.</summary>
    [JsonPropertyName("uncorrected")]
    public required LatencySummary Uncorrected { get; init; }

    /// <summary>Final responses by code.</summary>
    [JsonPropertyName("responsesByCode")]
    public IReadOnlyDictionary<string, long> ResponsesByCode { get; init; } = new Dictionary<string, long>();

    /// <summary>Alerts by code.</summary>
    [JsonPropertyName("alertsByCode")]
    public IReadOnlyDictionary<string, long> AlertsByCode { get; init; } = new Dictionary<string, long>();
}

/// <summary>Figures of one Service Reference Variant within one category.</summary>
public sealed record SrvSummary
{
    /// <summary>The Service Reference Variant (<c>4.1.1</c>).</summary>
    [JsonPropertyName("srv")]
    public required string Srv { get; init; }

    /// <summary>The category's name.</summary>
    [JsonPropertyName("category")]
    public required string Category { get; init; }

    /// <summary>Target Response Time in ms, null when the category has none.</summary>
    [JsonPropertyName("trtMs")]
    public double? TrtMs { get; init; }

    /// <summary>Final responses recorded.</summary>
    [JsonPropertyName("count")]
    public long Count { get; init; }

    /// <summary>Share (0…1) of corrected latencies within the TRT; null without a TRT or without values.</summary>
    [JsonPropertyName("withinTrt")]
    public double? WithinTrt { get; init; }

    /// <summary>Latency from the intended send time.</summary>
    [JsonPropertyName("corrected")]
    public required LatencySummary Corrected { get; init; }

    /// <summary>Latency from the actual send time.</summary>
    [JsonPropertyName("uncorrected")]
    public required LatencySummary Uncorrected { get; init; }

    /// <summary>Final responses by code.</summary>
    [JsonPropertyName("responsesByCode")]
    public IReadOnlyDictionary<string, long> ResponsesByCode { get; init; } = new Dictionary<string, long>();
}

/// <summary>Alerts received by the users.</summary>
public sealed record AlertSummary
{
    /// <summary>Alerts received.</summary>
    [JsonPropertyName("received")]
    public long Received { get; init; }

    /// <summary>Alerts by code (<c>8F35</c>, <c>N24</c>, <c>AD1</c>).</summary>
    [JsonPropertyName("byCode")]
    public IReadOnlyDictionary<string, long> ByCode { get; init; } = new Dictionary<string, long>();
}
