using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Metrics;
using CapacitySim.Dcc.Simulation;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Reporting.Tests.Metrics;

/// <summary>What the DCC's side exports for the operations dashboards: lanes, delivery, alerts by code and region.</summary>
public sealed class DccMetricsExportTests
{
    internal static SimulatedDcc SmallDcc() => new(new SimulatedDccOptions
    {
        Estate = PopulationBuilder.Build(Population.DefaultSpec().With(premises: 20)),
        Material = SharedDuis.Material,
        ResponseUrl = new Uri("http://127.0.0.1:9/unused"),
        GenerateAlerts = false,
    });

    [Fact]
    public async Task Lanes_export_depth_capacity_busy_time_and_utilisation()
    {
        await using var dcc = SmallDcc();
        using var metrics = new DccMetrics(dcc);
        metrics.Update();

        var scrape = await Exposition.ScrapeAsync(metrics.Registry);
        var lanes = Enumerable.Range(0, dcc.Capacity.LaneCount).Select(dcc.Capacity.LaneName).ToList();
        Assert.NotEmpty(lanes);
        foreach (var lane in lanes)
        {
            Assert.Equal(0, scrape.Value("capacitysim_dcc_lane_queue_depth", ("lane", lane)));
            Assert.Equal(0, scrape.Value("capacitysim_dcc_lane_busy_seconds_total", ("lane", lane)));
            var index = lanes.IndexOf(lane);
            Assert.Equal(dcc.Capacity.LaneQueueCapacity(index), scrape.Value("capacitysim_dcc_lane_queue_capacity", ("lane", lane)));
            Assert.Equal(1 / dcc.Capacity.LaneServiceTime(index).TotalSeconds, scrape.Value("capacitysim_dcc_lane_service_rate_per_second", ("lane", lane)), 6);
            Assert.Equal(0, scrape.Value("capacitysim_dcc_lane_utilisation_ratio", ("lane", lane)));
        }

        Assert.Equal(dcc.Estate.Count, scrape.Value("capacitysim_dcc_estate_devices"));
        Assert.Equal(0, scrape.Value("capacitysim_dcc_delivery_pending", ("state", "failed_queue")));
        Assert.Equal(0, scrape.Value("capacitysim_dcc_delivery_failed_attempts_total"));
        Assert.Equal(0, scrape.Value("capacitysim_dcc_sms_wakeups_total"));
    }

    [Fact]
    public async Task Alerts_are_exported_by_code_and_region_at_each_stage()
    {
        await using var dcc = SmallDcc();
        using var metrics = new DccMetrics(dcc);
        var powerRestored = AlertCodeKey.FromDevice(new DeviceAlertCode(0x8F35));
        var outage = AlertCodeKey.FromDcc(new DccAlertCode(DccAlertCodeKind.N, 24));
        var counts = new AlertRegionCounts();
        for (var i = 0; i < 5; i++)
        {
            counts.Count(powerRestored, CspRegion.North, AlertStage.Generated);
        }

        counts.Count(powerRestored, CspRegion.North, AlertStage.Throttled);
        counts.Count(powerRestored, CspRegion.North, AlertStage.Throttled);
        counts.Count(powerRestored, CspRegion.North, AlertStage.Delivered);
        counts.Count(outage, CspRegion.South, AlertStage.Generated);
        metrics.Update(dcc.Snapshot() with { AlertsByCodeAndRegion = counts.Snapshot() });

        var scrape = await Exposition.ScrapeAsync(metrics.Registry);
        Assert.Equal(5, scrape.Value("capacitysim_dcc_alerts_generated_total", ("code", "8F35"), ("region", "north")));
        Assert.Equal(2, scrape.Value("capacitysim_dcc_alerts_throttled_total", ("code", "8F35"), ("region", "north")));
        Assert.Equal(1, scrape.Value("capacitysim_dcc_alerts_delivered_total", ("code", "8F35"), ("region", "north")));
        Assert.Equal(1, scrape.Value("capacitysim_dcc_alerts_generated_total", ("code", "N24"), ("region", "south")));
        Assert.Equal(0, scrape.Value("capacitysim_dcc_alerts_delivered_total", ("code", "N24"), ("region", "south")));

        // The next refresh carries the totals on; counters never go back.
        counts.Count(powerRestored, CspRegion.North, AlertStage.Generated);
        metrics.Update(dcc.Snapshot() with { AlertsByCodeAndRegion = counts.Snapshot() });
        var next = await Exposition.ScrapeAsync(metrics.Registry);
        Assert.Equal(6, next.Value("capacitysim_dcc_alerts_generated_total", ("code", "8F35"), ("region", "north")));
    }
}
