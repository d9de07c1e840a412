using System.Globalization;
using CapacitySim.Dcc.Metrics;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Recording;
using CapacitySim.Load.Results;
using HdrHistogram;
using Prometheus;

namespace CapacitySim.Reporting.Metrics;

/// <summary>
/// The users' side of a run in Prometheus form (<c>capacitysim_</c> prefix, base units, <c>_total</c> counters,
/// latencies in seconds of scenario time). Refreshed from the engine's interval figures (a <see cref="RunStatus"/> and
/// the <see cref="LatencySnapshot"/> of the same interval), never per message, so the message path pays nothing for
/// it. Labels are bounded: Service Reference Variant (the catalogue), performance category, response and alert code
/// (bounded by the recorder's code spaces), CSP region, device model combination (capped at
/// <see cref="MaxDmcLabels"/>); never RequestIDs or devices. The DCC's side is <see cref="DccMetrics"/>.
/// </summary>
public sealed class RunMetrics
{
    /// <summary>Most distinct DMC label values; further DMCs are counted together as <c>other</c>.</summary>
    public const int MaxDmcLabels = 100;

    /// <summary>Most distinct values of any other dynamic label (SRV, code, send failure); further ones are counted as <c>other</c>.</summary>
    public const int MaxLabelValues = 256;

    private const string Other = "other";

    private readonly Lock gate = new();
    private readonly double compression;
    private readonly Dictionary<byte, string> categoryNames = [];
    private readonly Dictionary<byte, long?> trtWallMicroseconds = [];
    private readonly IReadOnlyList<DmcInfo>? dmcs;
    private readonly long[] bucketWallMicroseconds;
    private readonly double[] bucketSeconds;

    private readonly Gauge compressionGauge;
    private readonly Gauge scenarioElapsed;
    private readonly Gauge scenarioDuration;
    private readonly Gauge warmingUp;
    private readonly Gauge draining;
    private readonly Gauge phaseIndex;
    private readonly Gauge phaseCount;
    private readonly Gauge targetRate;
    private readonly Gauge achievedRate;
    private readonly Gauge scheduled;
    private readonly Counter sent;
    private readonly Counter acknowledged;
    private readonly Counter responded;
    private readonly Counter responses;
    private readonly Counter dmcResponses;
    private readonly Gauge inFlight;
    private readonly Counter dropped;
    private readonly Counter late;
    private readonly Counter timedOut;
    private readonly Counter sendFailures;
    private readonly Counter unmatched;
    private readonly Histogram latency;
    private readonly Counter withinTrt;
    private readonly Gauge withinTrtRatio;
    private readonly Gauge trtSeconds;
    private readonly Gauge serviceLevelTarget;
    private readonly Gauge serviceLevelMinimum;
    private readonly Counter alerts;
    private readonly Counter alertsThrottled;
    private readonly Gauge runInfo;

    private readonly CumulativeSeries respondedSeries;
    private readonly CumulativeSeries responseSeries;
    private readonly CumulativeSeries dmcSeries;
    private readonly CumulativeSeries alertSeries;
    private readonly HashSet<string> srvLabels = [];
    private readonly HashSet<string> failureLabels = [];
    private long lastCumulative;

    /// <summary>Creates the run's metrics in <paramref name="registry"/>.</summary>
    /// <param name="registry">Where the metrics live (serve it with <see cref="RunMetricsServer"/>).</param>
    /// <param name="levels">
    /// The performance level of each category (the same list the run's summary is built with): names the category
    /// label, and every TRT becomes a bucket boundary of the latency histogram.
    /// </param>
    /// <param name="compression">Time compression of the run (1 = real time): latencies are exported in scenario time.</param>
    /// <param name="dmcs">The estate's device model combinations, to label per-DMC figures by name (ids when null).</param>
    /// <param name="latencyBuckets">Bucket boundaries besides the TRTs (default <see cref="DefaultLatencyBuckets"/>).</param>
    public RunMetrics(
        CollectorRegistry registry,
        IReadOnlyList<CategoryLevel> levels,
        double compression,
        IReadOnlyList<DmcInfo>? dmcs = null,
        IReadOnlyList<TimeSpan>? latencyBuckets = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(levels);
        if (!(compression > 0) || double.IsInfinity(compression))
        {
            throw new ArgumentOutOfRangeException(nameof(compression), compression, "Time compression must be positive and finite.");
        }

        Registry = registry;
        this.compression = compression;
        this.dmcs = dmcs;

        // Bucket boundaries are scenario times; each is compared with wall-clock microseconds as the summary compares a
        // TRT (floor of scenario microseconds / compression), so the bucket at a TRT counts exactly the summary's
        // "within TRT" values.
        var boundaries = new SortedSet<TimeSpan>(latencyBuckets ?? DefaultLatencyBuckets);
        foreach (var level in levels)
        {
            categoryNames[level.Category.Id] = level.Name;
            trtWallMicroseconds[level.Category.Id] = level.Trt is { } t ? WallMicroseconds(t) : null;
            if (level.Trt is { } trt && trt > TimeSpan.Zero)
            {
                boundaries.Add(trt);
            }
        }

        boundaries.RemoveWhere(b => b <= TimeSpan.Zero);
        bucketSeconds = new double[boundaries.Count];
        bucketWallMicroseconds = new long[boundaries.Count];
        var i = 0;
        foreach (var boundary in boundaries)
        {
            bucketSeconds[i] = boundary.TotalSeconds;
            bucketWallMicroseconds[i] = WallMicroseconds(boundary);
            i++;
        }

        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        runInfo = factory.CreateGauge("capacitysim_run_info", "1 while a run of the scenario named by the label reports.", "scenario");
        compressionGauge = factory.CreateGauge("capacitysim_time_compression", "Time compression of the run: scenario seconds per wall-clock second (1 = real time). Divide a rate() by it for a rate per scenario second.");
        compressionGauge.Set(compression);
        scenarioElapsed = factory.CreateGauge("capacitysim_scenario_elapsed_seconds", "Scenario time since the run started.");
        scenarioDuration = factory.CreateGauge("capacitysim_scenario_duration_seconds", "Scenario time of the whole load profile.");
        warmingUp = factory.CreateGauge("capacitysim_warming_up", "1 while the scenario's warm-up lasts (its measurements are discarded from the summary), else 0.");
        draining = factory.CreateGauge("capacitysim_draining", "1 once every arrival has been released and the run is draining, else 0.");
        phaseIndex = factory.CreateGauge("capacitysim_phase_index", "Index (from 0) of the load profile's current phase.");
        phaseCount = factory.CreateGauge("capacitysim_phase_count", "Number of phases in the load profile.");
        targetRate = factory.CreateGauge("capacitysim_target_request_rate_per_second", "Planned arrival rate now, per second of scenario time (the load profile's forecast).");
        achievedRate = factory.CreateGauge("capacitysim_achieved_request_rate_per_second", "Send rate achieved over the last interval, per second of scenario time.");
        scheduled = factory.CreateGauge("capacitysim_requests_scheduled", "Arrivals planned for the whole run.");
        sent = factory.CreateCounter("capacitysim_requests_sent_total", "Requests sent, by Service Reference Variant and performance category.", "srv", "category");
        acknowledged = factory.CreateCounter("capacitysim_requests_acknowledged_total", "I99 acknowledgements received.");
        responded = factory.CreateCounter("capacitysim_requests_responded_total", "Final responses received (any code), by Service Reference Variant and performance category.", "srv", "category");
        responses = factory.CreateCounter("capacitysim_responses_total", "Final responses received, by performance category and DUIS response code.", "category", "code");
        dmcResponses = factory.CreateCounter("capacitysim_dmc_responses_total", "Final responses received, by device model combination of the target device and outcome (success: I codes, warning: W codes, error: E codes).", "dmc", "outcome");
        inFlight = factory.CreateGauge("capacitysim_requests_in_flight", "Requests awaiting their final response.");
        dropped = factory.CreateCounter("capacitysim_arrivals_dropped_total", "Arrivals dropped because no connection or in-flight slot was free.");
        late = factory.CreateCounter("capacitysim_arrivals_late_total", "Arrivals the pacer released late.");
        timedOut = factory.CreateCounter("capacitysim_requests_timed_out_total", "Requests given up on after the response time-out.");
        sendFailures = factory.CreateCounter("capacitysim_requests_send_failed_total", "Requests whose bytes never left or that got no HTTP answer, by client result.", "reason");
        unmatched = factory.CreateCounter("capacitysim_responses_unmatched_total", "Responses for RequestIDs the run never sent, or repeated ones.");
        latency = factory.CreateHistogram(
            "capacitysim_end_to_end_latency_seconds",
            "End-to-end latency in seconds of scenario time, by performance category: requests from their intended send time to their final response (corrected for coordinated omission), alerts from their ResponseDateTime to their arrival. Every category's TRT is a bucket boundary.",
            new HistogramConfiguration { LabelNames = ["category"], Buckets = bucketSeconds });
        withinTrt = factory.CreateCounter("capacitysim_within_trt_total", "Latencies recorded within their category's TRT (the histogram's bucket at the TRT, counted as the summary counts it).", "category");
        withinTrtRatio = factory.CreateGauge("capacitysim_within_trt_ratio", "Share (0…1) of latencies within the category's TRT since the end of warm-up (as summary.json reports it).", "category");
        trtSeconds = factory.CreateGauge("capacitysim_trt_seconds", "Target Response Time of the performance category, in seconds of scenario time.", "category");
        serviceLevelTarget = factory.CreateGauge("capacitysim_service_level_target_ratio", "Target share (0…1) of responses within TRT for the performance category.", "category");
        serviceLevelMinimum = factory.CreateGauge("capacitysim_service_level_minimum_ratio", "Minimum share (0…1) of responses within TRT for the performance category.", "category");
        alerts = factory.CreateCounter("capacitysim_alerts_received_total", "Alerts the users received, by alert code and CSP region of the device.", "code", "region");
        alertsThrottled = factory.CreateCounter("capacitysim_alerts_throttled_total", "Alerts received that reported repeats the DCC's storm protection had suppressed before them (they carried ThrottledAlertCount).");

        foreach (var level in levels)
        {
            if (level.Trt is { } trt)
            {
                trtSeconds.WithLabels(level.Name).Set(trt.TotalSeconds);
            }

            if (level.ServiceLevelTarget is { } target)
            {
                serviceLevelTarget.WithLabels(level.Name).Set(target);
            }

            if (level.ServiceLevelMinimum is { } minimum)
            {
                serviceLevelMinimum.WithLabels(level.Name).Set(minimum);
            }
        }

        respondedSeries = new CumulativeSeries(responded);
        responseSeries = new CumulativeSeries(responses);
        dmcSeries = new CumulativeSeries(dmcResponses);
        alertSeries = new CumulativeSeries(alerts);
    }

    /// <summary>
    /// Bucket boundaries of the latency histogram besides the TRTs, in scenario time: from 50 ms (Transform and
    /// Non-Device answers) to an hour (future-dated and scheduled work).
    /// </summary>
    public static IReadOnlyList<TimeSpan> DefaultLatencyBuckets { get; } =
    [
        TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250),
        TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30),
        TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
    ];

    /// <summary>The registry holding the metrics.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Upper bounds (seconds of scenario time) of the latency histogram's buckets, +Inf aside.</summary>
    public IReadOnlyList<double> LatencyBucketBounds => bucketSeconds;

    /// <summary>
    /// Copies one interval into the metrics: <paramref name="status"/> (cumulative totals: counters move by their
    /// growth, so they stay monotonic) and <paramref name="interval"/>, the recorder's snapshot of the same interval
    /// (its per-category interval histograms feed the latency histogram; its per-key totals feed the per-code,
    /// per-SRV, per-DMC and per-region counters). Call it with every snapshot the engine takes, and only once per
    /// snapshot: an interval not passed here is missing from the latency histogram.
    /// </summary>
    public void Update(RunStatus status, LatencySnapshot interval)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(interval);
        lock (gate)
        {
            UpdateStatus(status);
            UpdateLatency(interval);
            UpdateKeyTotals(interval);
        }
    }

    private static string OutcomeOf(ResponseCode code) => code.Kind switch
    {
        ResponseCodeKind.Information => "success",
        ResponseCodeKind.Warning => "warning",
        ResponseCodeKind.Error => "error",
        _ => Other,
    };

    private static string Bounded(HashSet<string> seen, string value)
    {
        if (seen.Contains(value))
        {
            return value;
        }

        if (seen.Count >= MaxLabelValues)
        {
            return Other;
        }

        seen.Add(value);
        return value;
    }

    private long WallMicroseconds(TimeSpan scenarioTime) => (long)Math.Floor(scenarioTime.TotalMicroseconds / compression);

    private string CategoryName(LatencyCategory category)
        => categoryNames.TryGetValue(category.Id, out var name) ? name : string.Create(CultureInfo.InvariantCulture, $"category-{category.Id}");

    private string DmcLabel(ushort dmc)
    {
        if (dmc >= MaxDmcLabels)
        {
            return Other;
        }

        return dmcs is not null && dmc < dmcs.Count ? dmcs[dmc].Name : dmc.ToString(CultureInfo.InvariantCulture);
    }

    private void UpdateStatus(RunStatus status)
    {
        runInfo.WithLabels(status.Scenario).Set(1);
        scenarioElapsed.Set(status.ScenarioElapsed.TotalSeconds);
        scenarioDuration.Set(status.ScenarioDuration.TotalSeconds);
        warmingUp.Set(status.WarmingUp ? 1 : 0);
        draining.Set(status.Draining ? 1 : 0);
        phaseIndex.Set(status.PhaseIndex);
        phaseCount.Set(status.PhaseCount);
        targetRate.Set(status.TargetRate);
        achievedRate.Set(status.AchievedRate);
        scheduled.Set(status.Scheduled);
        foreach (var srv in status.SentBySrv)
        {
            sent.WithLabels(Bounded(srvLabels, srv.Srv), srv.Category).IncTo(srv.Sent);
        }

        acknowledged.IncTo(status.Acknowledged);
        inFlight.Set(status.InFlight);
        dropped.IncTo(status.Dropped);
        late.IncTo(status.Late);
        timedOut.IncTo(status.TimedOut);
        foreach (var (reason, count) in status.SendFailures)
        {
            sendFailures.WithLabels(Bounded(failureLabels, reason)).IncTo(count);
        }

        unmatched.IncTo(status.UnknownOrDuplicate);
        alertsThrottled.IncTo(status.AlertsThrottled);
        foreach (var category in status.Categories)
        {
            if (category.WithinTrt is { } share)
            {
                withinTrtRatio.WithLabels(category.Name).Set(share);
            }

            if (category.TrtMs is { } trt)
            {
                trtSeconds.WithLabels(category.Name).Set(trt / 1000);
            }

            if (category.ServiceLevelTarget is { } target)
            {
                serviceLevelTarget.WithLabels(category.Name).Set(target);
            }

            if (category.ServiceLevelMinimum is { } minimum)
            {
                serviceLevelMinimum.WithLabels(category.Name).Set(minimum);
            }
        }
    }

    private void UpdateLatency(LatencySnapshot interval)
    {
        foreach (var category in interval.Categories)
        {
            var histogram = interval.GetCategory(category)?.IntervalCorrected;
            if (histogram is null || histogram.TotalCount == 0)
            {
                continue;
            }

            var name = CategoryName(category);
            ObserveInterval(latency.WithLabels(name), histogram);
            if (trtWallMicroseconds.GetValueOrDefault(category.Id) is { } trt)
            {
                withinTrt.WithLabels(name).Inc(LatencyStatistics.CountAtOrBelow(histogram, trt));
            }
        }
    }

    /// <summary>
    /// Adds an interval's HdrHistogram (wall-clock microseconds) to a Prometheus histogram (scenario seconds), one
    /// Observe per recorded HdrHistogram bucket. Each value is placed by the lowest value of its HdrHistogram bucket
    /// compared in wall-clock microseconds with each boundary, the rule <see cref="LatencyStatistics.CountAtOrBelow"/>
    /// applies to a TRT, so the bucket at a TRT agrees with the summary's share within TRT.
    /// </summary>
    private void ObserveInterval(Histogram.Child target, HistogramBase histogram)
    {
        foreach (var step in histogram.RecordedValues())
        {
            var count = step.CountAddedInThisIterationStep;
            if (count == 0)
            {
                continue;
            }

            var lowest = histogram.LowestEquivalentValue(step.ValueIteratedTo);
            var bucket = 0;
            while (bucket < bucketWallMicroseconds.Length && lowest > bucketWallMicroseconds[bucket])
            {
                bucket++;
            }

            // The value in scenario seconds, kept inside the bucket chosen above whatever floating-point rounding does.
            var seconds = lowest * compression / 1_000_000;
            if (bucket < bucketSeconds.Length)
            {
                seconds = Math.Min(seconds, bucketSeconds[bucket]);
            }

            if (bucket > 0)
            {
                seconds = Math.Max(seconds, Math.BitIncrement(bucketSeconds[bucket - 1]));
            }

            target.Observe(seconds, count);
        }
    }

    private void UpdateKeyTotals(LatencySnapshot interval)
    {
        // Per-key counts are totals since the run (or the end of warm-up) began: sum them per series, then move each
        // counter by the series' growth. When warm-up ends the recorder starts its totals again from zero; that shows
        // as cumulative histograms that hold less than before plus this interval (a skipped snapshot shows as more).
        long cumulative = 0, added = 0;
        foreach (var category in interval.Categories)
        {
            if (interval.GetCategory(category) is { } figures)
            {
                cumulative += figures.CumulativeCorrected.TotalCount;
                added += figures.IntervalCorrected.TotalCount;
            }
        }

        var restarted = cumulative < lastCumulative + added;
        lastCumulative = cumulative;
        var responded = new Dictionary<(string, string), long>();
        var byCode = new Dictionary<(string, string), long>();
        var byDmc = new Dictionary<(string, string), long>();
        var byAlert = new Dictionary<(string, string), long>();
        for (var k = 0; k < interval.KeyCount; k++)
        {
            var key = interval.GetKey(k);
            var category = CategoryName(key.Category);
            var srv = key.Srv == default ? null : key.Srv.ToString();
            var dmc = DmcLabel(key.Dmc);
            long keyResponses = 0;
            for (var c = 0; c < interval.ResponseCodeCount; c++)
            {
                var count = interval.GetResponseCount(k, c);
                if (count == 0)
                {
                    continue;
                }

                var code = interval.GetResponseCode(c);
                Add(byCode, (category, code.ToString()), count);
                Add(byDmc, (dmc, OutcomeOf(code)), count);
                keyResponses += count;
            }

            var otherResponses = interval.GetOtherResponseCount(k);
            if (otherResponses > 0)
            {
                Add(byCode, (category, Other), otherResponses);
                Add(byDmc, (dmc, Other), otherResponses);
                keyResponses += otherResponses;
            }

            if (keyResponses > 0 && srv is not null)
            {
                Add(responded, (srv, category), keyResponses);
            }

            var region = DccMetrics.RegionLabelOf(key.Region);
            for (var c = 0; c < interval.AlertCodeCount; c++)
            {
                var count = interval.GetAlertCount(k, c);
                if (count > 0)
                {
                    Add(byAlert, (interval.GetAlertCodeText(c), region), count);
                }
            }

            var otherAlerts = interval.GetOtherAlertCount(k);
            if (otherAlerts > 0)
            {
                Add(byAlert, (Other, region), otherAlerts);
            }
        }

        respondedSeries.Apply(responded, restarted, srvLabels);
        responseSeries.Apply(byCode, restarted, null);
        dmcSeries.Apply(byDmc, restarted, null);
        alertSeries.Apply(byAlert, restarted, null);

        static void Add(Dictionary<(string, string), long> totals, (string, string) labels, long count)
            => totals[labels] = totals.GetValueOrDefault(labels) + count;
    }

    /// <summary>A counter fed with totals that may start again from zero (the end of warm-up): it moves by their growth.</summary>
    private sealed class CumulativeSeries(Counter counter)
    {
        private readonly Dictionary<(string, string), long> last = [];

        public void Apply(Dictionary<(string, string), long> totals, bool restarted, HashSet<string>? boundFirstLabel)
        {
            if (restarted)
            {
                last.Clear();
            }

            foreach (var (labels, total) in totals)
            {
                var previous = last.GetValueOrDefault(labels);
                var growth = total >= previous ? total - previous : total;
                last[labels] = total;
                if (growth > 0)
                {
                    var first = boundFirstLabel is null ? labels.Item1 : Bounded(boundFirstLabel, labels.Item1);
                    counter.WithLabels(first, labels.Item2).Inc(growth);
                }
            }
        }
    }
}
