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

    /// <summary>The scenario file the run came from (as given on the command line), or null.</summary>
    [JsonPropertyName("scenarioFile")]
    public string? ScenarioFile { get; init; }

    /// <summary>Seed of the run's random choices.</summary>
    [JsonPropertyName("seed")]
    public ulong Seed { get; init; }

    /// <summary>Where and with what the run ran; null in summaries written before it was recorded.</summary>
    [JsonPropertyName("environment")]
    public RunEnvironment? Environment { get; init; }

    /// <summary>The load profile's phases as planned and as executed, in order.</summary>
    [JsonPropertyName("phases")]
    public IReadOnlyList<PhaseSummary> Phases { get; init; } = [];

    /// <summary>The scenario's checks with their outcome, in file order.</summary>
    [JsonPropertyName("checks")]
    public IReadOnlyList<CheckOutcome> Checks { get; init; } = [];

    /// <summary>Final responses per (SRV, DMC, region): the cells of the success-rate heatmap.</summary>
    [JsonPropertyName("breakdown")]
    public IReadOnlyList<BreakdownCell> Breakdown { get; init; } = [];

    /// <summary>The embedded DCC's own counts (null against an external DCC), for reconciling the users' counts with it.</summary>
    [JsonPropertyName("dcc")]
    public DccCounts? Dcc { get; init; }

    /// <summary>The scenario's regression tolerances for <c>capacitysim gate</c>.</summary>
    [JsonPropertyName("gate")]
    public GateTolerances Gate { get; init; } = new();

    /// <summary>What the users' receiver made of the DCC's deliveries (null in summaries written before it existed).</summary>
    [JsonPropertyName("deliveries")]
    public DeliveryCounts? Deliveries { get; init; }
}

/// <summary>
/// The DCC's deliveries to the users' receiver. The receiver stops taking deliveries before the run's final figures,
/// so <see cref="Accepted"/> is every delivery the receiver answered 200: the number the DCC counts as delivered.
/// </summary>
public sealed record DeliveryCounts
{
    /// <summary>Deliveries received (POSTs to the delivery path).</summary>
    [JsonPropertyName("received")]
    public long Received { get; init; }

    /// <summary>Deliveries answered 200: final responses, acknowledgements, alerts, repeats and unknown RequestIDs alike.</summary>
    [JsonPropertyName("accepted")]
    public long Accepted { get; init; }

    /// <summary>Deliveries refused with 400 (not a DUIS response) or 413 (over the size limit).</summary>
    [JsonPropertyName("refused")]
    public long Refused { get; init; }
}

/// <summary>The environment of a run: enough for a reader of the evidence to know what was measured on what.</summary>
public sealed record RunEnvironment
{
    /// <summary>CapacitySim version (informational version of the tool).</summary>
    [JsonPropertyName("toolVersion")]
    public required string ToolVersion { get; init; }

    /// <summary>.NET runtime description.</summary>
    [JsonPropertyName("runtime")]
    public required string Runtime { get; init; }

    /// <summary>Operating system description.</summary>
    [JsonPropertyName("os")]
    public required string Os { get; init; }

    /// <summary>Machine name.</summary>
    [JsonPropertyName("machine")]
    public required string Machine { get; init; }

    /// <summary>Logical processors.</summary>
    [JsonPropertyName("processorCount")]
    public int ProcessorCount { get; init; }

    /// <summary>The DUIS endpoint: <c>embedded</c> for the simulated DCC, else its URL.</summary>
    [JsonPropertyName("target")]
    public required string Target { get; init; }

    /// <summary>Whether requests were signed.</summary>
    [JsonPropertyName("signing")]
    public bool Signing { get; init; }

    /// <summary>Devices in the estate.</summary>
    [JsonPropertyName("devices")]
    public long Devices { get; init; }

    /// <summary>HTTP connections the sender used.</summary>
    [JsonPropertyName("connections")]
    public int Connections { get; init; }

    /// <summary>Scenario time discarded as warm-up, in seconds.</summary>
    [JsonPropertyName("warmUpSeconds")]
    public double WarmUpSeconds { get; init; }

    /// <summary>
    /// Bytes the whole process allocated per request sent, from the end of the warm-up to the last arrival (the
    /// sender's steady state; with the embedded DCC its allocations are included); null when nothing was sent then.
    /// </summary>
    [JsonPropertyName("allocatedBytesPerRequest")]
    public double? AllocatedBytesPerRequest { get; init; }

    /// <summary>The performance levels file the run was judged against (or the built-in levels).</summary>
    [JsonPropertyName("performanceLevels")]
    public string? PerformanceLevels { get; init; }

    /// <summary>Each request category's response time-out in milliseconds of scenario time, by category name.</summary>
    [JsonPropertyName("responseTimeoutsMs")]
    public IReadOnlyDictionary<string, double>? ResponseTimeoutsMs { get; init; }

    /// <summary>How long the run would wait at the end for requests in flight, in seconds of real time.</summary>
    [JsonPropertyName("drainSeconds")]
    public double? DrainSeconds { get; init; }
}

/// <summary>One phase of the load profile: what was planned and what the pacer and sender did.</summary>
public sealed record PhaseSummary
{
    /// <summary>Position in the profile, from 0.</summary>
    [JsonPropertyName("index")]
    public int Index { get; init; }

    /// <summary>Shape: <c>constant</c>, <c>ramping</c>, <c>step</c>, <c>diurnal</c> or <c>pause</c>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>Name given in the scenario, or a description of the shape.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Start, in seconds of scenario time from the run start.</summary>
    [JsonPropertyName("startSeconds")]
    public double StartSeconds { get; init; }

    /// <summary>End, in seconds of scenario time from the run start.</summary>
    [JsonPropertyName("endSeconds")]
    public double EndSeconds { get; init; }

    /// <summary>Arrivals planned.</summary>
    [JsonPropertyName("scheduled")]
    public long Scheduled { get; init; }

    /// <summary>Arrivals sent.</summary>
    [JsonPropertyName("sent")]
    public long Sent { get; init; }

    /// <summary>Arrivals dropped (no connection or in-flight slot free).</summary>
    [JsonPropertyName("dropped")]
    public long Dropped { get; init; }

    /// <summary>Arrivals released late by the pacer.</summary>
    [JsonPropertyName("late")]
    public long Late { get; init; }

    /// <summary>Planned mean arrival rate, per second of scenario time.</summary>
    [JsonPropertyName("targetRate")]
    public double TargetRate { get; init; }

    /// <summary>Achieved mean send rate, per second of scenario time.</summary>
    [JsonPropertyName("achievedRate")]
    public double AchievedRate { get; init; }
}

/// <summary>The outcome of one check of the scenario.</summary>
public sealed record CheckOutcome
{
    /// <summary>The check as written.</summary>
    [JsonPropertyName("check")]
    public required string Check { get; init; }

    /// <summary>Whether it held.</summary>
    [JsonPropertyName("passed")]
    public bool Passed { get; init; }

    /// <summary>The measured value in the check's unit (ms for latencies, 0…1 for shares, a count, or per second); null when nothing was measured.</summary>
    [JsonPropertyName("measured")]
    public double? Measured { get; init; }

    /// <summary>The measured value as a person reads it (<c>412 ms</c>, <c>99.3%</c>, <c>0</c>).</summary>
    [JsonPropertyName("measuredText")]
    public required string MeasuredText { get; init; }

    /// <summary>The threshold the value was compared with, in the same unit as <see cref="Measured"/>.</summary>
    [JsonPropertyName("threshold")]
    public double Threshold { get; init; }

    /// <summary>Severity (1 highest … 5) of the testing issue a failure of this check raises.</summary>
    [JsonPropertyName("severity")]
    public int Severity { get; init; } = 2;

    /// <summary>Line of the check in the scenario file.</summary>
    [JsonPropertyName("line")]
    public int Line { get; init; }

    /// <summary>Column of the check in the scenario file.</summary>
    [JsonPropertyName("column")]
    public int Column { get; init; }
}

/// <summary>Final responses of one (SRV, DMC, region) cell.</summary>
public sealed record BreakdownCell
{
    /// <summary>Service Reference Variant (<c>4.1.1</c>).</summary>
    [JsonPropertyName("srv")]
    public required string Srv { get; init; }

    /// <summary>Device model combination name (empty for non-device requests).</summary>
    [JsonPropertyName("dmc")]
    public required string Dmc { get; init; }

    /// <summary>CSP region (<c>north</c>, <c>central</c>, <c>south</c>; empty when none applies).</summary>
    [JsonPropertyName("region")]
    public required string Region { get; init; }

    /// <summary>Final responses.</summary>
    [JsonPropertyName("responses")]
    public long Responses { get; init; }

    /// <summary>Final responses with an I (success) code.</summary>
    [JsonPropertyName("successes")]
    public long Successes { get; init; }

    /// <summary>Final responses with an E (error) code.</summary>
    [JsonPropertyName("errors")]
    public long Errors { get; init; }
}

/// <summary>The embedded DCC's own accounting at the end of the run.</summary>
public sealed record DccCounts
{
    /// <summary>Requests the DCC received.</summary>
    [JsonPropertyName("received")]
    public long Received { get; init; }

    /// <summary>Requests acknowledged (I99) or answered synchronously with success.</summary>
    [JsonPropertyName("accepted")]
    public long Accepted { get; init; }

    /// <summary>Requests answered synchronously with their final response (non-device, Transform, local delivery).</summary>
    [JsonPropertyName("answeredSynchronously")]
    public long AnsweredSynchronously { get; init; }

    /// <summary>Requests refused synchronously (validation failures and bodies that were not DUIS).</summary>
    [JsonPropertyName("rejectedSynchronously")]
    public long RejectedSynchronously { get; init; }

    /// <summary>Requests refused at validation, by code.</summary>
    [JsonPropertyName("rejectedByCode")]
    public IReadOnlyDictionary<string, long> RejectedByCode { get; init; } = new Dictionary<string, long>();

    /// <summary>Asynchronous responses delivered to the users.</summary>
    [JsonPropertyName("responsesDelivered")]
    public long ResponsesDelivered { get; init; }

    /// <summary>Alerts generated by devices and by the DCC.</summary>
    [JsonPropertyName("alertsGenerated")]
    public long AlertsGenerated { get; init; }

    /// <summary>Alerts suppressed by alert storm protection.</summary>
    [JsonPropertyName("alertsThrottled")]
    public long AlertsThrottled { get; init; }

    /// <summary>Alerts delivered to the users.</summary>
    [JsonPropertyName("alertsDelivered")]
    public long AlertsDelivered { get; init; }

    /// <summary>Delivery retries.</summary>
    [JsonPropertyName("deliveryRetries")]
    public long DeliveryRetries { get; init; }

    /// <summary>Messages on the failed-delivery queue at the end.</summary>
    [JsonPropertyName("failedQueue")]
    public long FailedQueue { get; init; }

    /// <summary>Requests the DCC answered with a time-out error though the device carried the command out.</summary>
    [JsonPropertyName("lateDeviceSuccesses")]
    public long LateDeviceSuccesses { get; init; }

    /// <summary>Messages still queued, in flight to a device or awaiting delivery at the end.</summary>
    [JsonPropertyName("inFlight")]
    public long InFlight { get; init; }
}

/// <summary>How far a run may fall behind its baseline before <c>capacitysim gate</c> calls it a regression (ratios, so machine noise alone does not fail it).</summary>
public sealed record GateTolerances
{
    /// <summary>Largest allowed drop of achieved throughput, as a share of the baseline's (0.10 = 10%).</summary>
    [JsonPropertyName("throughputDrop")]
    public double ThroughputDrop { get; init; } = 0.10;

    /// <summary>Largest allowed rise of each category's corrected p99, as a share of the baseline's (0.20 = 20%).</summary>
    [JsonPropertyName("p99Rise")]
    public double P99Rise { get; init; } = 0.20;

    /// <summary>Largest allowed fall of each category's share within TRT, in percentage points (0.01 = 1 point).</summary>
    [JsonPropertyName("withinTrtFall")]
    public double WithinTrtFall { get; init; } = 0.01;

    /// <summary>Largest allowed rise of the error share, in percentage points (0.001 = 0.1 point).</summary>
    [JsonPropertyName("errorRateRise")]
    public double ErrorRateRise { get; init; } = 0.001;
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

    /// <summary>Alerts by CSP region of the device (<c>dcc</c> for DCC alerts about no device).</summary>
    [JsonPropertyName("byRegion")]
    public IReadOnlyDictionary<string, long> ByRegion { get; init; } = new Dictionary<string, long>();

    /// <summary>Alerts by DMC of the device.</summary>
    [JsonPropertyName("byDmc")]
    public IReadOnlyDictionary<string, long> ByDmc { get; init; } = new Dictionary<string, long>();

    /// <summary>Alerts that carried a throttled-alert count (the DCC's storm protection suppressed repeats before them).</summary>
    [JsonPropertyName("throttled")]
    public long Throttled { get; init; }

    /// <summary>Repeats the DCC's storm protection reported as suppressed (sum of ThrottledAlertCount).</summary>
    [JsonPropertyName("suppressed")]
    public long Suppressed { get; init; }
}
