using CapacitySim.Load.Results;
using CapacitySim.Reporting.Gate;

namespace CapacitySim.Reporting.Tests.Gate;

public sealed class RegressionGateTests
{
    [Fact]
    public void Throughput_is_final_responses_per_second_of_scenario_time()
    {
        // 60 000 responses in 60 s of wall time at ×10 compression: 600 s of scenario time, 100 per second.
        Assert.Equal(100, RegressionGate.AchievedThroughput(GateSummaries.Run()));
    }

    [Fact]
    public void Identical_summaries_pass()
    {
        var result = RegressionGate.Compare(GateSummaries.Run(), GateSummaries.Run());

        Assert.True(result.Passed);
        Assert.All(result.Rows, row => Assert.Equal(GateVerdict.Pass, row.Verdict));
        Assert.All(result.Rows, row => Assert.Equal(0, row.Change));
        // throughput, error share, and p99 and within-TRT for each of the two categories.
        Assert.Equal(6, result.Rows.Count);
    }

    [Fact]
    public void P99_of_a_category_with_too_few_values_is_shown_but_not_judged()
    {
        RunSummary WithAlerts(double p99) => GateSummaries.Run() with
        {
            Categories = [.. GateSummaries.Run().Categories, GateSummaries.Category(14, "smets1_device_alert", 60_000, RegressionGate.MinimumSamples - 1, p99, 1.0)],
        };

        var result = RegressionGate.Compare(WithAlerts(70), WithAlerts(130));

        Assert.True(result.Passed);
        var row = Assert.Single(result.Rows, r => r.Metric == "p99 smets1_device_alert");
        Assert.Equal(GateVerdict.NotApplicable, row.Verdict);
        Assert.Equal(130, row.Current);

        // With enough values the same rise fails.
        RunSummary WithMany(double p99) => GateSummaries.Run() with
        {
            Categories = [.. GateSummaries.Run().Categories, GateSummaries.Category(14, "smets1_device_alert", 60_000, RegressionGate.MinimumSamples, p99, 1.0)],
        };
        Assert.False(RegressionGate.Compare(WithMany(70), WithMany(130)).Passed);
    }

    [Fact]
    public void A_throughput_drop_of_15_percent_fails_a_10_percent_tolerance()
    {
        var result = RegressionGate.Compare(GateSummaries.Run(responded: 60_000), GateSummaries.Run(responded: 51_000));

        Assert.False(result.Passed);
        var row = Assert.Single(result.Rows, r => r.Metric == "throughput");
        Assert.Equal(GateVerdict.Regression, row.Verdict);
        Assert.Equal(-0.15, row.Change!.Value, 9);
        Assert.Equal(-0.10, row.Allowed);
        Assert.Equal(1, result.RegressionCount);
    }

    [Fact]
    public void A_p99_rise_of_25_percent_fails_a_20_percent_tolerance()
    {
        var result = RegressionGate.Compare(GateSummaries.Run(onDemandP99: 12_000), GateSummaries.Run(onDemandP99: 15_000));

        var row = Assert.Single(result.Rows, r => r.Metric == "p99 On-Demand (ESME/CHF)");
        Assert.Equal(GateVerdict.Regression, row.Verdict);
        Assert.Equal(0.25, row.Change!.Value, 9);
        Assert.False(result.Passed);
    }

    [Fact]
    public void Noise_within_every_tolerance_passes()
    {
        var baseline = GateSummaries.Run(responded: 60_000, onDemandP99: 12_000, onDemandWithinTrt: 0.995, errors: 60);
        var rerun = GateSummaries.Run(responded: 56_000, onDemandP99: 14_000, onDemandWithinTrt: 0.99, errors: 100);

        var result = RegressionGate.Compare(baseline, rerun);

        Assert.True(result.Passed, string.Join("; ", result.Rows.Select(r => $"{r.Metric} {r.Change} {r.Verdict}")));
    }

    [Fact]
    public void A_change_exactly_at_the_limit_passes_and_just_beyond_fails()
    {
        Assert.True(RegressionGate.Compare(GateSummaries.Run(onDemandP99: 10_000), GateSummaries.Run(onDemandP99: 12_000)).Passed);
        Assert.False(RegressionGate.Compare(GateSummaries.Run(onDemandP99: 10_000), GateSummaries.Run(onDemandP99: 12_010)).Passed);
    }

    [Fact]
    public void Within_TRT_and_error_share_are_compared_in_points()
    {
        var baseline = GateSummaries.Run(onDemandWithinTrt: 0.995, errors: 60);
        var current = GateSummaries.Run(onDemandWithinTrt: 0.98, errors: 200);

        var result = RegressionGate.Compare(baseline, current);

        var within = Assert.Single(result.Rows, r => r.Metric == "within TRT On-Demand (ESME/CHF)");
        Assert.Equal(GateChangeKind.Points, within.Kind);
        Assert.Equal(-0.015, within.Change!.Value, 9);
        Assert.Equal(GateVerdict.Regression, within.Verdict);
        var errors = Assert.Single(result.Rows, r => r.Metric == "error share");
        Assert.Equal((200 - 60) / 60_000.0, errors.Change!.Value, 9);
        Assert.Equal(GateVerdict.Regression, errors.Verdict);
    }

    [Fact]
    public void Tolerances_come_from_the_current_run()
    {
        var loose = new GateTolerances { ThroughputDrop = 0.2 };

        var result = RegressionGate.Compare(GateSummaries.Run(responded: 60_000), GateSummaries.Run(responded: 51_000, gate: loose));

        Assert.True(result.Passed);
        Assert.Same(loose, result.Tolerances);
    }

    [Fact]
    public void A_category_the_baseline_had_that_is_missing_now_is_a_regression_and_a_new_one_is_only_reported()
    {
        var missing = RegressionGate.Compare(GateSummaries.Run(withNonDevice: true), GateSummaries.Run(withNonDevice: false));
        var row = Assert.Single(missing.Rows, r => r.Metric == "category Non-Device");
        Assert.Equal(GateVerdict.Regression, row.Verdict);
        Assert.False(missing.Passed);

        var added = RegressionGate.Compare(GateSummaries.Run(withNonDevice: false), GateSummaries.Run(withNonDevice: true));
        Assert.Equal(GateVerdict.New, Assert.Single(added.Rows, r => r.Metric == "category Non-Device").Verdict);
        Assert.True(added.Passed);
    }

    [Fact]
    public void Zero_or_absent_baseline_values_are_not_applicable_instead_of_dividing_by_zero()
    {
        var empty = GateSummaries.Run(responded: 0, onDemandP99: 0) with { Counts = new SummaryCounts() };
        var result = RegressionGate.Compare(empty, GateSummaries.Run());

        Assert.Equal(GateVerdict.NotApplicable, Assert.Single(result.Rows, r => r.Metric == "throughput").Verdict);
        Assert.Equal(GateVerdict.NotApplicable, Assert.Single(result.Rows, r => r.Metric == "error share").Verdict);
        Assert.True(result.Passed);
        using var table = new StringWriter();
        RegressionGate.WriteTable(result, table);
        Assert.Contains("n/a", table.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", table.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", table.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_shows_each_figure_and_ends_with_the_verdict()
    {
        var result = RegressionGate.Compare(GateSummaries.Run(responded: 60_000), GateSummaries.Run(responded: 51_000));
        using var table = new StringWriter();

        RegressionGate.WriteTable(result, table);

        var lines = table.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("metric", lines[0], StringComparison.Ordinal);
        var throughput = Assert.Single(lines, l => l.StartsWith("throughput", StringComparison.Ordinal));
        Assert.Matches(@"^throughput\s+100/s\s+85/s\s+-15\.0%\s+-10\.0%\s+REGRESSION$", throughput);
        Assert.Equal("REGRESSION: 1 figure(s) regressed beyond their tolerance", lines[^1]);
    }
}
