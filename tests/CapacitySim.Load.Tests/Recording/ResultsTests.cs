using System.Text;
using System.Text.Json;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Load.Recording;
using CapacitySim.Load.Results;
using HdrHistogram;
using static CapacitySim.Load.Tests.Recording.LatencyRecorderTests;

namespace CapacitySim.Load.Tests.Recording;

public sealed class ResultsTests : IDisposable
{
    private static readonly LatencyCategory DeviceAlert = new(9);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "capacitysim-results-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Within_trt_share_counts_values_at_or_under_the_threshold()
    {
        var histogram = new LongHistogram(1, 3_600_000_000, 3);
        for (var i = 1; i <= 100; i++)
        {
            histogram.RecordValue(i * 1_000_000L);
        }

        Assert.Equal(30, LatencyStatistics.CountAtOrBelow(histogram, 30_000_000));
        Assert.Equal(0.3, LatencyStatistics.ShareWithin(histogram, 30_000_000));
        Assert.Equal(29, LatencyStatistics.CountAtOrBelow(histogram, 29_900_000));
        Assert.Equal(1.0, LatencyStatistics.ShareWithin(histogram, 100_000_000));
        Assert.Equal(0, LatencyStatistics.CountAtOrBelow(histogram, 500_000));
        Assert.Null(LatencyStatistics.ShareWithin(new LongHistogram(1, 1000, 2), 10));
    }

    [Fact]
    public void Summary_scales_latency_to_scenario_time_and_judges_trt_with_compression()
    {
        var summary = BuildSummary(compression: 100);

        var onDemand = Assert.Single(summary.Categories, c => c.Name == "on-demand-esme");
        Assert.Equal(30_000, onDemand.TrtMs);
        Assert.Equal(100, onDemand.Count);

        // Wall latencies 10…1000 ms at ×100 are 1…100 s of scenario time; 30 of them are within a 30 s TRT.
        Assert.Equal(0.3, onDemand.WithinTrt);
        Assert.Equal(30, onDemand.WithinTrtCount);
        Assert.InRange(onDemand.Corrected.P50, 49_750, 50_250);
        Assert.InRange(onDemand.Corrected.Max, 99_500, 100_500);
        Assert.True(onDemand.Uncorrected.P50 < onDemand.Corrected.P50);
        Assert.Equal(new Dictionary<string, long> { ["E21"] = 10, ["I0"] = 90 }, onDemand.ResponsesByCode);

        var srv = Assert.Single(summary.ServiceReferenceVariants);
        Assert.Equal(("4.1.1", "on-demand-esme", 100L), (srv.Srv, srv.Category, srv.Count));
        Assert.Equal(0.3, srv.WithinTrt);

        Assert.Equal((120L, 2L, 100L, 10L, 5L, 3L, 1L), (summary.Counts.Sent, summary.Counts.Dropped, summary.Counts.Responded, summary.Counts.Errors, summary.Counts.Acknowledged, summary.Counts.Duplicates, summary.Counts.Unknown));
        Assert.Equal(new Dictionary<string, long> { ["E21"] = 10 }, summary.Counts.ErrorsByCode);
        Assert.Equal(2, summary.Alerts.Received);
        Assert.Equal(new Dictionary<string, long> { ["8F35"] = 2 }, summary.Alerts.ByCode);
        var alerts = Assert.Single(summary.Categories, c => c.Name == "device-alert");
        Assert.Equal(1.0, alerts.WithinTrt);
    }

    [Fact]
    public void Summary_json_round_trips()
    {
        var summary = BuildSummary(compression: 100);
        var path = RunSummaryJson.WriteFile(summary, _folder);
        using var file = File.OpenRead(path);
        var back = RunSummaryJson.Read(file);

        Assert.Equal(summary.Scenario, back.Scenario);
        Assert.Equal(summary.StartedAt, back.StartedAt);
        Assert.Equal(summary.Counts with { ResponsesByCode = back.Counts.ResponsesByCode, ErrorsByCode = back.Counts.ErrorsByCode }, back.Counts);
        Assert.Equal(summary.Counts.ResponsesByCode, back.Counts.ResponsesByCode);
        Assert.Equal(summary.Categories.Count, back.Categories.Count);
        for (var i = 0; i < summary.Categories.Count; i++)
        {
            Assert.Equal(summary.Categories[i].Corrected, back.Categories[i].Corrected);
            Assert.Equal(summary.Categories[i].WithinTrt, back.Categories[i].WithinTrt);
            Assert.Equal(summary.Categories[i].ResponsesByCode, back.Categories[i].ResponsesByCode);
        }
    }

    [Fact]
    public void Summary_json_property_names_are_the_documented_schema()
    {
        using var stream = new MemoryStream();
        RunSummaryJson.Write(BuildSummary(compression: 1), stream);
        using var document = JsonDocument.Parse(stream.ToArray());
        var root = document.RootElement;

        // Golden: changing any of these names breaks every consumer of summary.json; raise schemaVersion instead.
        Assert.Equal(
            "schemaVersion scenario startedAt endedAt compression latencyUnit counts categories serviceReferenceVariants alerts scenarioFile seed environment phases checks breakdown dcc gate deliveries",
            Names(root));
        Assert.Equal(
            "sent acknowledged responded errors responsesByCode errorsByCode timedOut respondedAfterTimeOut dropped late unknown duplicates abandoned inFlightAtEnd clamped unrecorded",
            Names(root.GetProperty("counts")));
        Assert.Equal(
            "id name trtMs serviceLevelTarget serviceLevelMinimum count withinTrt withinTrtCount corrected uncorrected responsesByCode alertsByCode",
            Names(root.GetProperty("categories")[0]));
        Assert.Equal("p50 p90 p99 p999 max", Names(root.GetProperty("categories")[0].GetProperty("corrected")));
        Assert.Equal(
            "srv category trtMs count withinTrt corrected uncorrected responsesByCode",
            Names(root.GetProperty("serviceReferenceVariants")[0]));
        Assert.Equal("received byCode byRegion byDmc throttled suppressed", Names(root.GetProperty("alerts")));
        Assert.Equal("throughputDrop p99Rise withinTrtFall errorRateRise", Names(root.GetProperty("gate")));
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("ms", root.GetProperty("latencyUnit").GetString());
    }

    [Fact]
    public void Schema_document_names_every_property()
    {
        var schema = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "CapacitySim.Load", "Results", "summary-schema.md"));
        using var stream = new MemoryStream();
        RunSummaryJson.Write(BuildSummary(compression: 1), stream);
        using var document = JsonDocument.Parse(stream.ToArray());
        foreach (var name in AllNames(document.RootElement))
        {
            Assert.Contains($"`{name}`", schema, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Hlog_files_are_written_per_category_and_read_back_with_tags()
    {
        using var recorder = new LatencyRecorder(Micro);
        var worker = recorder.CreateWorker();
        var levels = Levels();
        recorder.BeginRun(Start);
        using (var logs = new HistogramLogFiles(_folder, Start, 100, levels))
        {
            for (var interval = 1; interval <= 3; interval++)
            {
                for (var i = 0; i < interval * 10; i++)
                {
                    worker.RecordResponse(Read, 0, 100, 1_000 * interval, ResponseCode.Success);
                }

                logs.Append(recorder.Snapshot(Start.AddSeconds(interval)));
            }
        }

        var path = Path.Combine(_folder, "latency-on-demand-esme.hlog");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.All(b => b < 0x80), "the log is ASCII text");
        var text = Encoding.ASCII.GetString(bytes);
        Assert.StartsWith("#[CapacitySim category on-demand-esme", text, StringComparison.Ordinal);
        Assert.Contains("#[Histogram log format version 1.3]", text, StringComparison.Ordinal);

        using var stream = File.OpenRead(path);
        using var reader = new HistogramLogReader(stream);
        var histograms = reader.ReadHistograms().ToList();
        Assert.Equal(6, histograms.Count);
        Assert.Equal(["corrected", "uncorrected", "corrected", "uncorrected", "corrected", "uncorrected"], histograms.Select(h => h.Tag));
        Assert.Equal([10L, 10, 20, 20, 30, 30], histograms.Select(h => h.TotalCount));
        AssertWithinPrecision(3_000, histograms[4].GetMaxValue());
        AssertWithinPrecision(2_900, histograms[5].GetMaxValue());
        Assert.Equal(Start.ToUnixTimeMilliseconds(), histograms[0].StartTimeStamp);
        Assert.Equal(Start.AddSeconds(2).ToUnixTimeMilliseconds(), histograms[4].StartTimeStamp);
        Assert.Equal(Start.AddSeconds(3).ToUnixTimeMilliseconds(), histograms[4].EndTimeStamp);
        Assert.Equal(Start.UtcDateTime, reader.GetStartTime());
    }

    [Fact]
    public void Hlog_file_names_keep_to_a_safe_set()
        => Assert.Equal("latency-on-demand-gsme-gpf-.hlog", HistogramLogFiles.FileNameFor("on-demand gsme/gpf,"));

    private static RunSummary BuildSummary(double compression)
    {
        using var recorder = new LatencyRecorder(Micro);
        var worker = recorder.CreateWorker();
        for (var i = 1; i <= 100; i++)
        {
            var received = i * 10_000L;
            worker.RecordResponse(Read, 0, 1_000, received, i % 10 == 0 ? ResponseCode.Parse("E21") : ResponseCode.Success);
        }

        var alertKey = new LatencyKey(DeviceAlert, default, Read.Region, Read.Dmc);
        worker.RecordAlert(alertKey, DeviceAlertCode.Parse("8F35"), 0, 5_000);
        worker.RecordAlert(alertKey, DeviceAlertCode.Parse("8F35"), 0, 6_000);

        var table = new CorrelationTable(16);
        var ids = new List<RequestId>();
        for (ulong c = 1; c <= 5; c++)
        {
            var entry = CorrelationTableTests.Entry(c);
            table.TryAdd(entry);
            ids.Add(entry.RequestId);
            table.Complete(entry.RequestId, 1, true, out _);
            table.Complete(entry.RequestId, 2, false, out _);
        }

        for (var i = 0; i < 3; i++)
        {
            table.Complete(ids[i], 3, false, out _);
        }

        table.Complete(new RequestId(CorrelationTableTests.Meter, CorrelationTableTests.Meter, 1), 3, false, out _);

        var snapshot = recorder.Snapshot(Start.AddSeconds(30));
        return RunSummaryBuilder.Build("smoke", Start, Start.AddSeconds(30), compression, Levels(), new SenderCounts(120, 2, 0), table.GetCounts(), snapshot);
    }

    private static CategoryLevel[] Levels() =>
    [
        new(OnDemand, "on-demand-esme", TimeSpan.FromSeconds(30), 0.99, 0.96),
        new(DeviceAlert, "device-alert", TimeSpan.FromSeconds(60), 0.99, 0.96),
    ];

    private static string Names(JsonElement element)
    {
        var names = new List<string>();
        foreach (var property in element.EnumerateObject())
        {
            names.Add(property.Name);
        }

        return string.Join(' ', names);
    }

    private static IEnumerable<string> AllNames(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                // Codes are data (I0, 8F35), not schema.
                if (!char.IsAsciiLetterLower(property.Name[0]))
                {
                    continue;
                }

                yield return property.Name;
                foreach (var inner in AllNames(property.Value))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in AllNames(item))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CapacitySim.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("CapacitySim.sln not found above the test binaries.");
    }
}
