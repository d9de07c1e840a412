using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Recording;
using CapacitySim.Load.Results;
using CapacitySim.Reporting.Metrics;
using Prometheus;

namespace CapacitySim.Reporting.Tests.Metrics;

public sealed class RunMetricsTests : IDisposable
{
    // Timestamps in microseconds, so a recorded latency reads as wall-clock microseconds; the run is compressed ×100,
    // so 300 000 µs of wall clock is 30 s of scenario time.
    private const double Compression = 100;
    private static readonly LatencyRecorderOptions Micro = new() { TimestampFrequency = 1_000_000 };
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly LatencyCategory Transform = new(0);
    private static readonly LatencyCategory OnDemand = new(2);
    private static readonly LatencyCategory DeviceAlert = new(7);
    private static readonly LatencyKey Read = new(OnDemand, ServiceReferenceVariant.Parse("4.1.1"), CspRegion.North, 3);
    private static readonly LatencyKey Transformed = new(Transform, ServiceReferenceVariant.Parse("6.15.1"), CspRegion.Central, 0);
    private static readonly LatencyKey Alert = new(DeviceAlert, default, CspRegion.South, 5);
    private static readonly ResponseCode E21 = new(ResponseCodeKind.Error, 21);

    private static readonly CategoryLevel[] Levels =
    [
        new(Transform, "transform", TimeSpan.FromSeconds(3), 0.99, 0.95),
        new(OnDemand, "on_demand_esme_chf", TimeSpan.FromSeconds(30), 0.95, 0.9),
        new(DeviceAlert, "device_alert", TimeSpan.FromSeconds(60), 0.95, 0.9),
    ];

    private readonly LatencyRecorder recorder = new(Micro);
    private readonly LatencyWorker worker;
    private readonly CollectorRegistry registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly RunMetrics metrics;

    public RunMetricsTests()
    {
        worker = recorder.CreateWorker();
        recorder.BeginRun(Start);
        metrics = new RunMetrics(registry, Levels, Compression);
    }

    public void Dispose() => recorder.Dispose();

    [Fact]
    public async Task Status_totals_become_counters_and_gauges()
    {
        metrics.Update(Status(sent411: 6, acknowledged: 5, dropped: 1, late: 2, timedOut: 0, inFlight: 3), recorder.Snapshot(Start.AddSeconds(1)));

        var scrape = await Exposition.ScrapeAsync(registry);
        Assert.Equal(6, scrape.Value("capacitysim_requests_sent_total", ("srv", "4.1.1"), ("category", "on_demand_esme_chf")));
        Assert.Equal(2, scrape.Value("capacitysim_requests_sent_total", ("srv", "6.15.1"), ("category", "transform")));
        Assert.Equal(5, scrape.Value("capacitysim_requests_acknowledged_total"));
        Assert.Equal(1, scrape.Value("capacitysim_arrivals_dropped_total"));
        Assert.Equal(2, scrape.Value("capacitysim_arrivals_late_total"));
        Assert.Equal(0, scrape.Value("capacitysim_requests_timed_out_total"));
        Assert.Equal(3, scrape.Value("capacitysim_requests_in_flight"));
        Assert.Equal(1, scrape.Value("capacitysim_requests_send_failed_total", ("reason", "ConnectFailed")));
        Assert.Equal(1, scrape.Value("capacitysim_alerts_throttled_total"));
        Assert.Equal(12.5, scrape.Value("capacitysim_target_request_rate_per_second"));
        Assert.Equal(11, scrape.Value("capacitysim_achieved_request_rate_per_second"));
        Assert.Equal(1, scrape.Value("capacitysim_phase_index"));
        Assert.Equal(100, scrape.Value("capacitysim_time_compression"));
        Assert.Equal(1, scrape.Value("capacitysim_run_info", ("scenario", "smoke")));
        Assert.Equal(0.75, scrape.Value("capacitysim_within_trt_ratio", ("category", "on_demand_esme_chf")));

        // Service levels and TRTs come from the performance levels, so their lines show before any traffic.
        Assert.Equal(30, scrape.Value("capacitysim_trt_seconds", ("category", "on_demand_esme_chf")));
        Assert.Equal(3, scrape.Value("capacitysim_trt_seconds", ("category", "transform")));
        Assert.Equal(0.99, scrape.Value("capacitysim_service_level_target_ratio", ("category", "transform")));
        Assert.Equal(0.9, scrape.Value("capacitysim_service_level_minimum_ratio", ("category", "device_alert")));
    }

    [Fact]
    public async Task Counters_follow_cumulative_totals_and_never_go_back()
    {
        metrics.Update(Status(sent411: 6, acknowledged: 5, dropped: 1, late: 2, timedOut: 0, inFlight: 3), recorder.Snapshot(Start.AddSeconds(1)));
        metrics.Update(Status(sent411: 9, acknowledged: 8, dropped: 1, late: 3, timedOut: 1, inFlight: 0), recorder.Snapshot(Start.AddSeconds(2)));
        var second = await Exposition.ScrapeAsync(registry);
        Assert.Equal(9, second.Value("capacitysim_requests_sent_total", ("srv", "4.1.1")));
        Assert.Equal(8, second.Value("capacitysim_requests_acknowledged_total"));
        Assert.Equal(3, second.Value("capacitysim_arrivals_late_total"));
        Assert.Equal(1, second.Value("capacitysim_requests_timed_out_total"));
        Assert.Equal(0, second.Value("capacitysim_requests_in_flight"));

        // A status with smaller totals (taken before the last one) moves no counter backwards; gauges follow it.
        metrics.Update(Status(sent411: 7, acknowledged: 6, dropped: 0, late: 1, timedOut: 0, inFlight: 2), recorder.Snapshot(Start.AddSeconds(3)));
        var third = await Exposition.ScrapeAsync(registry);
        foreach (var sample in second.Samples.Where(s => s.Name.EndsWith("_total", StringComparison.Ordinal)))
        {
            var now = third.Samples.Single(s => s.Name == sample.Name && s.Labels.SequenceEqual(sample.Labels));
            Assert.True(now.Value >= sample.Value, $"{sample.Name} went from {sample.Value} to {now.Value}");
        }

        Assert.Equal(2, third.Value("capacitysim_requests_in_flight"));
    }

    [Fact]
    public async Task Latency_histogram_has_a_bucket_at_every_TRT_with_cumulative_counts_in_scenario_seconds()
    {
        // Interval 1: on-demand at 10 s ×3, 31 s, 200 s (scenario); transform at 2 s ×2; alerts at 5 s ×2.
        Respond(Read, 100_000, 3);
        Respond(Read, 310_000, 1);
        Respond(Read, 2_000_000, 1, E21);
        Respond(Transformed, 20_000, 2);
        worker.RecordAlert(Alert, new DeviceAlertCode(0x8F35), 0, 50_000);
        worker.RecordAlert(Alert, new DeviceAlertCode(0x8F35), 0, 50_000);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(1)));

        var first = await Exposition.ScrapeAsync(registry);
        const string Bucket = "capacitysim_end_to_end_latency_seconds_bucket";
        foreach (var category in new[] { "transform", "on_demand_esme_chf", "device_alert" })
        {
            var bounds = first.Named(Bucket).Where(s => s.Label("category") == category).Select(s => s.Label("le")).ToHashSet();
            Assert.Contains("3", bounds);
            Assert.Contains("30", bounds);
            Assert.Contains("60", bounds);
            Assert.Contains("+Inf", bounds);
        }

        Assert.Equal(0, first.Value(Bucket, ("category", "on_demand_esme_chf"), ("le", "3")));
        Assert.Equal(3, first.Value(Bucket, ("category", "on_demand_esme_chf"), ("le", "30")));
        Assert.Equal(4, first.Value(Bucket, ("category", "on_demand_esme_chf"), ("le", "60")));
        Assert.Equal(5, first.Value(Bucket, ("category", "on_demand_esme_chf"), ("le", "+Inf")));
        Assert.Equal(5, first.Value("capacitysim_end_to_end_latency_seconds_count", ("category", "on_demand_esme_chf")));
        Assert.Equal(2, first.Value(Bucket, ("category", "transform"), ("le", "3")));
        Assert.Equal(2, first.Value(Bucket, ("category", "device_alert"), ("le", "5")));
        Assert.Equal(0, first.Value(Bucket, ("category", "device_alert"), ("le", "2")));
        Assert.Equal(3, first.Value("capacitysim_within_trt_total", ("category", "on_demand_esme_chf")));

        // Sum in scenario seconds: 3×10 + 31 + 200, within the recorder's 1% precision.
        var sum = first.Value("capacitysim_end_to_end_latency_seconds_sum", ("category", "on_demand_esme_chf"));
        Assert.InRange(sum, 261 * 0.99, 261 * 1.01);

        // Interval 2 adds 25 s ×2: the histogram accumulates, never restarts.
        Respond(Read, 250_000, 2);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(2)));
        var second = await Exposition.ScrapeAsync(registry);
        Assert.Equal(5, second.Value(Bucket, ("category", "on_demand_esme_chf"), ("le", "30")));
        Assert.Equal(7, second.Value(Bucket, ("category", "on_demand_esme_chf"), ("le", "+Inf")));
        Assert.Equal(5, second.Value("capacitysim_within_trt_total", ("category", "on_demand_esme_chf")));
    }

    [Fact]
    public async Task Bucket_at_a_TRT_counts_what_the_summary_counts_within_TRT()
    {
        // 30.1 s and 30.3 s are within 1% of the 30 s TRT: HdrHistogram puts them in the TRT's own precision bucket, which
        // the summary counts as within; 31 s is not. The metric must agree with the summary either way.
        Respond(Read, 301_000, 1);
        Respond(Read, 303_000, 1);
        Respond(Read, 310_000, 1);
        Respond(Read, 299_000, 1);
        var snapshot = recorder.Snapshot(Start.AddSeconds(1));
        var summaryWithin = LatencyStatistics.CountAtOrBelow(snapshot.GetCategory(OnDemand)!.CumulativeCorrected, 300_000);
        metrics.Update(Status(), snapshot);

        var scrape = await Exposition.ScrapeAsync(registry);
        Assert.Equal(summaryWithin, scrape.Value("capacitysim_end_to_end_latency_seconds_bucket", ("category", "on_demand_esme_chf"), ("le", "30")));
        Assert.Equal(summaryWithin, scrape.Value("capacitysim_within_trt_total", ("category", "on_demand_esme_chf")));
        Assert.InRange(summaryWithin, 1, 3);
    }

    [Fact]
    public async Task Responses_alerts_and_DMCs_are_counted_from_the_recorder_keys()
    {
        Respond(Read, 100_000, 4);
        Respond(Read, 2_000_000, 1, E21);
        Respond(Transformed, 20_000, 2);
        worker.RecordAlert(Alert, new DeviceAlertCode(0x8F35), 0, 50_000);
        worker.RecordAlert(Alert, new DeviceAlertCode(0x8F35), 0, 50_000);
        worker.RecordAlert(Alert, new DccAlertCode(DccAlertCodeKind.N, 24), 0, 50_000);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(1)));
        Respond(Read, 100_000, 2);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(2)));

        var scrape = await Exposition.ScrapeAsync(registry);
        Assert.Equal(6, scrape.Value("capacitysim_responses_total", ("category", "on_demand_esme_chf"), ("code", "I0")));
        Assert.Equal(1, scrape.Value("capacitysim_responses_total", ("category", "on_demand_esme_chf"), ("code", "E21")));
        Assert.Equal(2, scrape.Value("capacitysim_responses_total", ("category", "transform"), ("code", "I0")));
        Assert.Equal(7, scrape.Value("capacitysim_requests_responded_total", ("srv", "4.1.1"), ("category", "on_demand_esme_chf")));
        Assert.Equal(2, scrape.Value("capacitysim_requests_responded_total", ("srv", "6.15.1"), ("category", "transform")));
        Assert.Equal(6, scrape.Value("capacitysim_dmc_responses_total", ("dmc", "3"), ("outcome", "success")));
        Assert.Equal(1, scrape.Value("capacitysim_dmc_responses_total", ("dmc", "3"), ("outcome", "error")));
        Assert.Equal(2, scrape.Value("capacitysim_dmc_responses_total", ("dmc", "0"), ("outcome", "success")));
        Assert.Equal(2, scrape.Value("capacitysim_alerts_received_total", ("code", "8F35"), ("region", "south")));
        Assert.Equal(1, scrape.Value("capacitysim_alerts_received_total", ("code", "N24"), ("region", "south")));

        // Alerts are not responses: no alert key shows among responses or per-SRV figures.
        Assert.DoesNotContain(scrape.Named("capacitysim_responses_total"), s => s.Label("category") == "device_alert");
    }

    [Fact]
    public async Task Counters_stay_monotonic_when_warm_up_ends_and_the_recorder_starts_again_from_zero()
    {
        Respond(Read, 100_000, 3);
        metrics.Update(Status() with { WarmingUp = true }, recorder.Snapshot(Start.AddSeconds(1)));
        recorder.DiscardWarmUp(Start.AddSeconds(2));
        Respond(Read, 100_000, 2);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(3)));

        var scrape = await Exposition.ScrapeAsync(registry);
        Assert.Equal(5, scrape.Value("capacitysim_responses_total", ("category", "on_demand_esme_chf"), ("code", "I0")));
        Assert.Equal(5, scrape.Value("capacitysim_requests_responded_total", ("srv", "4.1.1")));
        Assert.Equal(5, scrape.Value("capacitysim_end_to_end_latency_seconds_count", ("category", "on_demand_esme_chf")));
    }

    [Fact]
    public async Task The_restart_after_warm_up_is_seen_even_when_more_is_recorded_after_it_than_during_it()
    {
        // The status never says "warming up": the restart must be read from the recorder's figures themselves.
        Respond(Read, 100_000, 1);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(1)));
        recorder.DiscardWarmUp(Start.AddSeconds(2));
        Respond(Read, 100_000, 5);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(3)));
        Respond(Read, 100_000, 2);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(4)));

        var scrape = await Exposition.ScrapeAsync(registry);
        Assert.Equal(8, scrape.Value("capacitysim_responses_total", ("category", "on_demand_esme_chf"), ("code", "I0")));
        Assert.Equal(8, scrape.Value("capacitysim_dmc_responses_total", ("dmc", "3"), ("outcome", "success")));
    }

    [Fact]
    public async Task A_snapshot_the_metrics_did_not_see_is_not_taken_for_a_restart()
    {
        Respond(Read, 100_000, 3);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(1)));
        Respond(Read, 100_000, 2);
        _ = recorder.Snapshot(Start.AddSeconds(2));
        Respond(Read, 100_000, 1);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(3)));

        var scrape = await Exposition.ScrapeAsync(registry);
        Assert.Equal(6, scrape.Value("capacitysim_responses_total", ("category", "on_demand_esme_chf"), ("code", "I0")));
    }

    [Fact]
    public async Task Labels_stay_within_their_bounds()
    {
        // More DMCs than the label allows: the rest are counted as "other", none is lost.
        for (ushort dmc = 0; dmc < RunMetrics.MaxDmcLabels + 20; dmc++)
        {
            Respond(Read with { Dmc = dmc }, 100_000, 1);
        }

        worker.RecordAlert(Alert, new DeviceAlertCode(0x8F35), 0, 50_000);
        metrics.Update(Status(), recorder.Snapshot(Start.AddSeconds(1)));

        var scrape = await Exposition.ScrapeAsync(registry);
        var dmcLabels = scrape.Named("capacitysim_dmc_responses_total").Select(s => s.Label("dmc")).ToHashSet();
        Assert.Equal(RunMetrics.MaxDmcLabels + 1, dmcLabels.Count);
        Assert.Equal(20, scrape.Value("capacitysim_dmc_responses_total", ("dmc", "other"), ("outcome", "success")));
        Assert.Equal(RunMetrics.MaxDmcLabels + 20, scrape.Named("capacitysim_dmc_responses_total").Sum(s => s.Value));

        string[] allowed = ["srv", "category", "code", "region", "dmc", "outcome", "reason", "le", "scenario"];
        foreach (var sample in scrape.Samples)
        {
            Assert.All(sample.Labels.Keys, label => Assert.Contains(label, allowed));
            Assert.True(sample.Labels.Count <= 2, $"{sample.Name} has {sample.Labels.Count} labels");
        }

        string[] regions = ["north", "central", "south", "unknown"];
        Assert.All(scrape.Named("capacitysim_alerts_received_total"), s => Assert.Contains(s.Label("region"), regions));
    }

    [Fact]
    public async Task DMCs_are_labelled_by_name_when_the_estate_is_given()
    {
        var named = Prometheus.Metrics.NewCustomRegistry();
        DmcInfo[] dmcs = [new(0, "esme-a", DeviceGeneration.Smets2, [DeviceType.ElectricityMeter], 1), new(1, "esme-b", DeviceGeneration.Smets2, [DeviceType.ElectricityMeter], 2), new(2, "gsme-a", DeviceGeneration.Smets2, [DeviceType.GasMeter], 3), new(3, "chf-a", DeviceGeneration.Smets2, [DeviceType.CommunicationsHub], 4)];
        var withNames = new RunMetrics(named, Levels, Compression, dmcs);
        Respond(Read, 100_000, 2);
        withNames.Update(Status(), recorder.Snapshot(Start.AddSeconds(1)));

        var scrape = await Exposition.ScrapeAsync(named);
        Assert.Equal(2, scrape.Value("capacitysim_dmc_responses_total", ("dmc", "chf-a"), ("outcome", "success")));
    }

    private void Respond(LatencyKey key, long latencyMicroseconds, int times, ResponseCode? code = null)
    {
        for (var i = 0; i < times; i++)
        {
            worker.RecordResponse(key, 0, 0, latencyMicroseconds, code ?? ResponseCode.Success);
        }
    }

    private static RunStatus Status(long sent411 = 6, long acknowledged = 5, long dropped = 1, long late = 2, long timedOut = 0, long inFlight = 3) => new()
    {
        Scenario = "smoke",
        PhaseName = "peak",
        PhaseIndex = 1,
        PhaseCount = 3,
        Compression = Compression,
        ScenarioElapsed = TimeSpan.FromSeconds(100),
        ScenarioDuration = TimeSpan.FromSeconds(3000),
        TargetRate = 12.5,
        AchievedRate = 11,
        Scheduled = 1000,
        Sent = sent411 + 2,
        Acknowledged = acknowledged,
        Dropped = dropped,
        Late = late,
        TimedOut = timedOut,
        InFlight = inFlight,
        SendFailures = new Dictionary<string, long> { ["ConnectFailed"] = 1 },
        SentBySrv = [new SrvSentCount("4.1.1", "on_demand_esme_chf", sent411), new SrvSentCount("6.15.1", "transform", 2)],
        Categories = [new CategoryStatus { Name = "on_demand_esme_chf", Count = 4, WithinTrt = 0.75, TrtMs = 30_000, ServiceLevelTarget = 0.95, ServiceLevelMinimum = 0.9 }],
        AlertsThrottled = 1,
    };
}
