using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Tests.Scenarios;

public sealed class CheckParserTests
{
    private static readonly PerformanceCategorySet OnDemand = PerformanceCategorySet.Of(
        PerformanceCategory.OnDemandEsmeChf, PerformanceCategory.OnDemandGsmeGpf,
        PerformanceCategory.Smets1OnDemandEsmeChf, PerformanceCategory.Smets1OnDemandGsmeGpf);

    [Fact]
    public void A_percentile_check_parses_into_its_categories_percentile_and_limit()
    {
        var c = Assert.IsType<PercentileCheck>(CheckParser.Parse("p99(on_demand) < 30s"));
        Assert.Equal(99, c.Percentile);
        Assert.Equal(OnDemand, c.Categories);
        Assert.Equal(CheckOperator.Less, c.Operator);
        Assert.Equal(TimeSpan.FromSeconds(30), c.Limit);

        var fine = Assert.IsType<PercentileCheck>(CheckParser.Parse("  p99.9( transform + non_device )<=250ms "));
        Assert.Equal(99.9, fine.Percentile);
        Assert.Equal(PerformanceCategorySet.Of(PerformanceCategory.Transform, PerformanceCategory.NonDevice), fine.Categories);
        Assert.Equal(CheckOperator.LessOrEqual, fine.Operator);
        Assert.Equal(TimeSpan.FromMilliseconds(250), fine.Limit);

        Assert.Equal(TimeSpan.FromMinutes(1.5), Assert.IsType<PercentileCheck>(CheckParser.Parse("p50(dcc_alert,device_alert) > 1.5m")).Limit);
    }

    [Fact]
    public void Shares_counts_and_throughput_parse_with_their_units()
    {
        var trt = Assert.IsType<WithinTrtCheck>(CheckParser.Parse("within_trt(on_demand) >= 99%"));
        Assert.Equal(0.99, trt.Share, 12);
        Assert.Equal(CheckOperator.GreaterOrEqual, trt.Operator);
        Assert.Equal(0.96, Assert.IsType<WithinTrtCheck>(CheckParser.Parse("within_trt(all) >= 0.96")).Share, 12);

        var errors = Assert.IsType<CounterCheck>(CheckParser.Parse("errors < 0.1%"));
        Assert.Equal((CheckCounter.Errors, true), (errors.Counter, errors.AsShare));
        Assert.Equal(0.001, errors.Threshold, 12);

        var dropped = Assert.IsType<CounterCheck>(CheckParser.Parse("dropped == 0"));
        Assert.Equal((CheckCounter.Dropped, false, 0.0, CheckOperator.Equal), (dropped.Counter, dropped.AsShare, dropped.Threshold, dropped.Operator));
        Assert.Equal(CheckCounter.LateDeviceSuccesses, Assert.IsType<CounterCheck>(CheckParser.Parse("late_device_successes == 0")).Counter);
        Assert.Equal(CheckOperator.NotEqual, CheckParser.Parse("alerts != 0").Operator);

        var all = Assert.IsType<ThroughputCheck>(CheckParser.Parse("throughput >= 50/s"));
        Assert.Equal((PerformanceCategorySet.All, 50.0), (all.Categories, all.PerSecond));
        Assert.Equal(2, Assert.IsType<ThroughputCheck>(CheckParser.Parse("throughput(transform) > 120/m")).PerSecond, 12);
        Assert.Equal(7, Assert.IsType<ThroughputCheck>(CheckParser.Parse("throughput >= 7")).PerSecond, 12);
    }

    [Theory]
    [InlineData("", 1, "empty")]
    [InlineData("p99(on_demand)", 15, "Expected an operator")]
    [InlineData("p99(on_demand) < ", 18, "Expected a value")]
    [InlineData("p99(on_demand) < 30", 20, "A latency needs a unit")]
    [InlineData("p99(on_demand) < 30x", 20, "'x' is not a unit of time")]
    [InlineData("p99(on_demand) < 30%", 20, "'%' is not a unit of time")]
    [InlineData("p0(on_demand) < 30s", 1, "not a percentile")]
    [InlineData("p101(on_demand) < 30s", 1, "not a percentile")]
    [InlineData("p99 < 30s", 5, "Expected '('")]
    [InlineData("p99(on_demand < 30s", 15, "Expected ')'")]
    [InlineData("p99(ondemand) < 30s", 5, "did you mean 'on_demand'?")]
    [InlineData("p99() < 30s", 5, "Expected a category")]
    [InlineData("latency < 30s", 1, "Unknown metric 'latency'")]
    [InlineData("within_trt(on_demand) >= 101%", 26, "above 100%")]
    [InlineData("within_trt(on_demand) >= 99", 26, "A bare share is from 0 to 1")]
    [InlineData("within_trt(on_demand) >= 99s", 28, "not a unit for a share")]
    [InlineData("errors < 0.1s", 13, "not a unit for a count")]
    [InlineData("requests > 5%", 13, "is a total, not a share")]
    [InlineData("throughput >= 50/d", 17, "not a unit for throughput")]
    [InlineData("dropped = 0", 9, "Expected an operator")]
    [InlineData("dropped == 0 and more", 14, "Unexpected 'and more'")]
    [InlineData("dropped == x", 12, "Expected a number")]
    public void Mistakes_are_reported_at_their_column(string text, int column, string message)
    {
        Assert.False(CheckParser.TryParse(text, out _, out var error));
        Assert.Equal(column, error.Column);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        var thrown = Assert.Throws<FormatException>(() => CheckParser.Parse(text));
        Assert.Contains($"column {column}", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_pass_and_fail_against_what_was_measured()
    {
        var run = new FakeContext
        {
            P99OnDemand = TimeSpan.FromSeconds(12.5),
            WithinTrtOnDemand = 0.985,
            Counts = { [CheckCounter.Responses] = 10_000, [CheckCounter.Errors] = 5, [CheckCounter.Arrivals] = 10_010, [CheckCounter.Dropped] = 10 },
            ThroughputAll = 55,
        };

        AssertResult(run, "p99(on_demand) < 30s", true, 12.5, "p99(on_demand) < 30s: 12.5s (needs < 30s): pass");
        AssertResult(run, "p99(on_demand) < 10s", false, 12.5, "p99(on_demand) < 10s: 12.5s (needs < 10s): fail");
        AssertResult(run, "within_trt(on_demand) >= 99%", false, 0.985, "within_trt(on_demand) >= 99%: 98.5% (needs >= 99%): fail");
        AssertResult(run, "within_trt(on_demand) >= 98%", true, 0.985, null);
        AssertResult(run, "errors < 0.1%", true, 0.0005, "errors < 0.1%: 0.05% (5 of 10000) (needs < 0.1%): pass");
        AssertResult(run, "errors == 0", false, 5, "errors == 0: 5 (needs == 0): fail");
        AssertResult(run, "dropped == 0", false, 10, null);
        AssertResult(run, "dropped <= 0.1%", true, 10 / 10_010.0, null);
        AssertResult(run, "late_device_successes == 0", true, 0, null);
        AssertResult(run, "throughput >= 50/s", true, 55, "throughput >= 50/s: 55/s (needs >= 50/s): pass");
        AssertResult(run, "throughput >= 3600/m", false, 55, null);
    }

    [Fact]
    public void A_check_with_nothing_measured_fails()
    {
        var idle = new FakeContext();
        AssertResult(idle, "p99(transform) < 3s", false, null, "p99(transform) < 3s: nothing measured (needs < 3s): fail");
        AssertResult(idle, "within_trt(all) >= 99%", false, null, null);
        AssertResult(idle, "errors < 1%", false, null, null);
        AssertResult(idle, "errors == 0", true, 0, null);
    }

    [Fact]
    public void The_context_is_asked_for_the_categories_and_percentile_the_check_names()
    {
        var run = new FakeContext { P99OnDemand = TimeSpan.FromSeconds(1) };
        CheckParser.Parse("p95(on_demand_gsme_gpf + smets1) < 30s").Evaluate(run);
        Assert.Equal(95, run.LastPercentile);
        Assert.True(run.LastCategories.Contains(PerformanceCategory.OnDemandGsmeGpf));
        Assert.True(run.LastCategories.Contains(PerformanceCategory.Smets1DeviceAlert));
        Assert.False(run.LastCategories.Contains(PerformanceCategory.OnDemandEsmeChf));
        Assert.Equal(7, run.LastCategories.Count);
    }

    private static void AssertResult(ICheckContext context, string check, bool passed, double? actual, string? description)
    {
        var result = CheckParser.Parse(check).Evaluate(context);
        Assert.Equal(passed, result.Passed);
        if (actual is null)
        {
            Assert.Null(result.Actual);
        }
        else
        {
            Assert.Equal(actual.Value, result.Actual!.Value, 9);
        }

        if (description is not null)
        {
            Assert.Equal(description, result.Description);
        }
    }

    /// <summary>What a run measured, fixed by the test; answers only for the on-demand group and all categories.</summary>
    private sealed class FakeContext : ICheckContext
    {
        public TimeSpan? P99OnDemand { get; init; }

        public double? WithinTrtOnDemand { get; init; }

        public Dictionary<CheckCounter, long> Counts { get; } = [];

        public double ThroughputAll { get; init; }

        public PerformanceCategorySet LastCategories { get; private set; }

        public double LastPercentile { get; private set; }

        public TimeSpan? Percentile(PerformanceCategorySet categories, double percentile)
        {
            LastCategories = categories;
            LastPercentile = percentile;
            return categories.Contains(PerformanceCategory.OnDemandEsmeChf) || categories.Contains(PerformanceCategory.OnDemandGsmeGpf) ? P99OnDemand : null;
        }

        public double? WithinTrt(PerformanceCategorySet categories) => categories == OnDemand ? WithinTrtOnDemand : null;

        public long Count(CheckCounter counter) => Counts.GetValueOrDefault(counter);

        public double Throughput(PerformanceCategorySet categories) => categories == PerformanceCategorySet.All ? ThroughputAll : 0;
    }
}
