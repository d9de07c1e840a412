using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Results;

namespace CapacitySim.Cli.Tests;

public sealed class GateCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_run_equal_to_its_baseline_passes_with_exit_code_0()
    {
        var run = Write("run", Summary(responded: 60_000, p99: 12_000));
        var baseline = Path.Combine(Write("base", Summary(responded: 60_000, p99: 12_000)), RunSummaryJson.FileName);

        var (exit, output, error) = CliRunner.Run("gate", run, "--baseline", baseline);

        Assert.True(exit == 0, output + error);
        Assert.Contains("PASS", output, StringComparison.Ordinal);
        Assert.Contains("throughput", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_throughput_drop_beyond_tolerance_exits_1_with_the_table()
    {
        var run = Write("run", Summary(responded: 51_000, p99: 12_000));
        var baseline = Path.Combine(Write("base", Summary(responded: 60_000, p99: 12_000)), RunSummaryJson.FileName);

        var (exit, output, _) = CliRunner.Run("gate", run, "--baseline", baseline);

        Assert.Equal(1, exit);
        Assert.Matches(@"(?m)^throughput\s+100/s\s+85/s\s+-15\.0%\s+-10\.0%\s+REGRESSION\r?$", output);
        Assert.Contains("REGRESSION: 1 figure(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_p99_rise_beyond_tolerance_exits_1()
    {
        var run = Write("run", Summary(responded: 60_000, p99: 15_000));
        var baseline = Path.Combine(Write("base", Summary(responded: 60_000, p99: 12_000)), RunSummaryJson.FileName);

        var (exit, output, _) = CliRunner.Run("gate", run, "--baseline", baseline);

        Assert.Equal(1, exit);
        Assert.Matches(@"(?m)^p99 On-Demand\s+12000 ms\s+15000 ms\s+\+25\.0%\s+\+20\.0%\s+REGRESSION\r?$", output);
    }

    [Fact]
    public void Update_baseline_writes_a_baseline_the_same_run_then_passes()
    {
        var run = Write("run", Summary(responded: 60_000, p99: 12_000));
        var baseline = _temp.File(Path.Combine("baselines", "nested", "main.json"));

        var (exit, output, error) = CliRunner.Run("gate", run, "--baseline", baseline, "--update-baseline");

        Assert.True(exit == 0, error);
        Assert.Contains($"created baseline {baseline}", output, StringComparison.Ordinal);
        Assert.True(File.Exists(baseline));
        using (var written = File.OpenRead(baseline))
        {
            Assert.Equal("gate-cli", RunSummaryJson.Read(written).Scenario);
        }

        var again = CliRunner.Run("gate", run, "--baseline", baseline);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("PASS", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_baseline_exits_2_naming_the_file_and_how_to_create_it()
    {
        var run = Write("run", Summary(responded: 60_000, p99: 12_000));
        var baseline = _temp.File("absent.json");

        var (exit, _, error) = CliRunner.Run("gate", run, "--baseline", baseline);

        Assert.Equal(2, exit);
        Assert.Contains(baseline, error, StringComparison.Ordinal);
        Assert.Contains("--update-baseline", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_folder_without_a_summary_exits_2()
    {
        Directory.CreateDirectory(_temp.File("empty"));

        var (exit, _, error) = CliRunner.Run("gate", _temp.File("empty"), "--baseline", _temp.File("b.json"));

        Assert.Equal(2, exit);
        Assert.Contains("summary.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_baseline_that_is_not_a_summary_exits_2()
    {
        var run = Write("run", Summary(responded: 60_000, p99: 12_000));
        File.WriteAllText(_temp.File("bad.json"), "{\"scenario\": 3}");

        var (exit, _, error) = CliRunner.Run("gate", run, "--baseline", _temp.File("bad.json"));

        Assert.Equal(2, exit);
        Assert.Contains("bad.json is not a valid baseline", error, StringComparison.Ordinal);
    }

    private string Write(string folder, RunSummary summary)
    {
        var path = _temp.File(folder);
        RunSummaryJson.WriteFile(summary, path);
        return path;
    }

    private static RunSummary Summary(long responded, double p99)
    {
        var start = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var latency = new LatencySummary { P50 = p99 / 4, P90 = p99 / 2, P99 = p99, P999 = p99, Max = p99 };
        return new RunSummary
        {
            Scenario = "gate-cli",
            StartedAt = start,
            EndedAt = start.AddSeconds(60),
            Compression = 10,
            Counts = new SummaryCounts { Sent = responded, Responded = responded, Errors = 0 },
            Categories =
            [
                new CategorySummary { Id = 2, Name = "On-Demand", TrtMs = 30_000, Count = responded, WithinTrt = 1.0, Corrected = latency, Uncorrected = latency },
            ],
            ServiceReferenceVariants = [],
            Alerts = new AlertSummary(),
        };
    }
}
