using System.Text.Json;
using System.Text.RegularExpressions;
using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Metrics;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Recording;
using CapacitySim.Load.Results;
using CapacitySim.Reporting.Metrics;

namespace CapacitySim.Reporting.Tests.Metrics;

/// <summary>
/// The dashboards only name metrics that exist: every metric name in every PromQL expression of dashboards/ is one the
/// run's or the DCC's metrics export. Catches a typo without a Prometheus (.ci/dashboard-check runs the real one).
/// </summary>
public sealed partial class DashboardMetricNamesTests
{
    private static string DashboardsDirectory => Path.Combine(SharedDuis.RepositoryRoot, "dashboards", "grafana", "dashboards");

    [Fact]
    public async Task Every_metric_a_dashboard_queries_is_exported()
    {
        var exported = await ExportedNamesAsync();
        var queried = Expressions().SelectMany(e => MetricName().Matches(e.Expression).Select(m => (e.Where, Name: m.Value))).ToList();
        Assert.True(queried.Count > 40, $"only {queried.Count} metric references found");
        var missing = queried.Where(q => !exported.Contains(q.Name)).Select(q => $"{q.Where}: {q.Name}").Distinct().ToList();
        Assert.True(missing.Count == 0, "Not exported:\n" + string.Join('\n', missing));

        // The dashboards cover both sides of a run.
        Assert.Contains(queried, q => q.Name.StartsWith("capacitysim_dcc_", StringComparison.Ordinal));
        Assert.Contains(queried, q => q.Name == "capacitysim_end_to_end_latency_seconds_bucket");
    }

    [Fact]
    public void Dashboards_are_current_Grafana_JSON_on_the_provisioned_datasource()
    {
        var files = Directory.GetFiles(DashboardsDirectory, "*.json");
        Assert.True(files.Length >= 2, $"{files.Length} dashboards in {DashboardsDirectory}");
        var provisioned = File.ReadAllText(Path.Combine(SharedDuis.RepositoryRoot, "dashboards", "grafana", "provisioning", "datasources", "prometheus.yml"));
        var uids = new HashSet<string>();
        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            Assert.True(root.GetProperty("schemaVersion").GetInt32() >= 39, file);
            Assert.True(uids.Add(root.GetProperty("uid").GetString()!), $"{file}: uid used twice");
            foreach (var panel in Panels(root.GetProperty("panels")))
            {
                if (panel.GetProperty("type").GetString() == "row")
                {
                    continue;
                }

                var title = panel.GetProperty("title").GetString();
                Assert.True(panel.TryGetProperty("targets", out var targets) && targets.GetArrayLength() > 0, $"{file}: panel '{title}' has no query");
                var uid = panel.GetProperty("datasource").GetProperty("uid").GetString()!;
                Assert.Contains($"uid: {uid}", provisioned, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Exported_names_follow_Prometheus_conventions()
    {
        var (run, dcc) = await ScrapeBothAsync();
        foreach (var scrape in new[] { run, dcc })
        {
            foreach (Match type in TypeLine().Matches(scrape.Text))
            {
                var name = type.Groups[1].Value;
                var kind = type.Groups[2].Value;
                Assert.StartsWith("capacitysim_", name, StringComparison.Ordinal);
                Assert.Equal(kind == "counter", name.EndsWith("_total", StringComparison.Ordinal));
                Assert.DoesNotContain("_ms", name, StringComparison.Ordinal);
                Assert.DoesNotContain("milliseconds", name, StringComparison.Ordinal);
            }
        }
    }

    private static async Task<HashSet<string>> ExportedNamesAsync()
    {
        var (run, dcc) = await ScrapeBothAsync();
        return run.Samples.Concat(dcc.Samples).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Both registries after one update that touches every labelled family, so every series family shows.</summary>
    private static async Task<(Exposition Run, Exposition Dcc)> ScrapeBothAsync()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var onDemand = new LatencyCategory(2);
        var alertCategory = new LatencyCategory(7);
        var run = new RunMetrics(registry, [new CategoryLevel(onDemand, "on_demand_esme_chf", TimeSpan.FromSeconds(30), 0.95, 0.9), new CategoryLevel(alertCategory, "device_alert", TimeSpan.FromSeconds(60), 0.95, 0.9)], 100);
        using var recorder = new LatencyRecorder(new LatencyRecorderOptions { TimestampFrequency = 1_000_000 });
        var worker = recorder.CreateWorker();
        worker.RecordResponse(new LatencyKey(onDemand, ServiceReferenceVariant.Parse("4.1.1"), CspRegion.North, 1), 0, 0, 100_000, ResponseCode.Success);
        worker.RecordAlert(new LatencyKey(alertCategory, default, CspRegion.South, 1), new DeviceAlertCode(0x8F35), 0, 10_000);
        run.Update(
            new RunStatus
            {
                Scenario = "names",
                PhaseName = "only",
                SentBySrv = [new SrvSentCount("4.1.1", "on_demand_esme_chf", 1)],
                SendFailures = new Dictionary<string, long> { ["ConnectFailed"] = 1 },
                Categories = [new CategoryStatus { Name = "on_demand_esme_chf", WithinTrt = 1 }],
            },
            recorder.Snapshot(DateTimeOffset.UnixEpoch.AddSeconds(1)));

        await using var simulated = DccMetricsExportTests.SmallDcc();
        using var dccMetrics = new DccMetrics(simulated);
        var alerts = new AlertRegionCounts();
        alerts.Count(AlertCodeKey.FromDevice(new DeviceAlertCode(0x8F35)), CspRegion.South, AlertStage.Generated);
        dccMetrics.Update(simulated.Snapshot() with { AlertsByCodeAndRegion = alerts.Snapshot() });
        return (await Exposition.ScrapeAsync(registry), await Exposition.ScrapeAsync(dccMetrics.Registry));
    }

    private static IEnumerable<(string Where, string Expression)> Expressions()
    {
        foreach (var file in Directory.GetFiles(DashboardsDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var name = Path.GetFileName(file);
            var found = new List<(string, string)>();
            foreach (var panel in Panels(doc.RootElement.GetProperty("panels")))
            {
                if (panel.TryGetProperty("targets", out var targets))
                {
                    foreach (var target in targets.EnumerateArray())
                    {
                        if (target.TryGetProperty("expr", out var expr))
                        {
                            found.Add(($"{name} / {panel.GetProperty("title").GetString()}", expr.GetString()!));
                        }
                    }
                }
            }

            if (doc.RootElement.TryGetProperty("templating", out var templating))
            {
                foreach (var variable in templating.GetProperty("list").EnumerateArray())
                {
                    if (variable.TryGetProperty("definition", out var definition))
                    {
                        found.Add(($"{name} / ${variable.GetProperty("name").GetString()}", definition.GetString()!));
                    }
                }
            }

            foreach (var item in found)
            {
                yield return item;
            }
        }
    }

    private static IEnumerable<JsonElement> Panels(JsonElement panels)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in Panels(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    [GeneratedRegex(@"\bcapacitysim_[a-zA-Z0-9_]+\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
