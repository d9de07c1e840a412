using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Scenarios;
using static CapacitySim.Load.Tests.Scenarios.ScenarioText;

namespace CapacitySim.Load.Tests.Scenarios;

/// <summary>Per-category response time-outs and the drain: defaults derived from the levels, scenario and command-line settings.</summary>
public sealed class ResponseTimeoutsTests
{
    private static readonly PerformanceLevels Levels = PerformanceLevels.Load(Path.Combine(ScenariosFolder, "performance-levels.yaml"));

    // The embedded DCC's deadlines as the run hands them over: 30 s electricity, 60 s gas, none for what it answers itself.
    private static TimeSpan? Deadline(PerformanceCategory category) => category switch
    {
        PerformanceCategory.OnDemandEsmeChf or PerformanceCategory.FutureDatedEsmeChf => TimeSpan.FromSeconds(30),
        PerformanceCategory.OnDemandGsmeGpf or PerformanceCategory.FutureDatedGsmeGpf => TimeSpan.FromSeconds(60),
        _ => null,
    };

    [Fact]
    public void Defaults_are_the_DCC_deadline_plus_the_TRT_for_device_traffic_and_twice_the_TRT_otherwise()
    {
        var t = ResponseTimeouts.Resolve(Levels, Deadline, [], []);

        Assert.Equal(TimeSpan.FromSeconds(6), t[PerformanceCategory.Transform]);
        Assert.Equal(TimeSpan.FromSeconds(10), t[PerformanceCategory.NonDevice]);
        Assert.Equal(TimeSpan.FromSeconds(60), t[PerformanceCategory.OnDemandEsmeChf]);
        Assert.Equal(TimeSpan.FromSeconds(120), t[PerformanceCategory.OnDemandGsmeGpf]);
        Assert.Equal(TimeSpan.FromSeconds(60), t[PerformanceCategory.FutureDatedEsmeChf]);
        Assert.Equal(TimeSpan.FromSeconds(120), t.LongestForRequests);
        Assert.Equal("default", t.OriginOf(PerformanceCategory.NonDevice));
    }

    [Fact]
    public void Scenario_settings_replace_defaults_and_command_line_settings_replace_both_later_ones_winning()
    {
        var scenario = Parse(Valid + "\nresponseTimeouts:\n  on_demand: 90s\n  transform + non_device: 4s\ndrain: 45s\n");
        Assert.Equal(2, scenario.ResponseTimeouts.Count);
        Assert.Equal(TimeSpan.FromSeconds(45), scenario.Drain);
        Assert.True(ResponseTimeoutSetting.TryParse("on_demand_gsme_gpf=3m", out var gas, out _));
        Assert.True(ResponseTimeoutSetting.TryParse("20s", out var all, out _));
        Assert.Equal(PerformanceCategorySet.All, all.Categories);

        var t = ResponseTimeouts.Resolve(scenario.PerformanceLevels, Deadline, scenario.ResponseTimeouts, [gas]);
        Assert.Equal(TimeSpan.FromSeconds(90), t[PerformanceCategory.OnDemandEsmeChf]);
        Assert.Equal(TimeSpan.FromSeconds(90), t[PerformanceCategory.Smets1OnDemandGsmeGpf]);
        Assert.Equal(TimeSpan.FromMinutes(3), t[PerformanceCategory.OnDemandGsmeGpf]);
        Assert.Equal("command line", t.OriginOf(PerformanceCategory.OnDemandGsmeGpf));
        Assert.Equal(TimeSpan.FromSeconds(4), t[PerformanceCategory.Transform]);
        Assert.Equal(TimeSpan.FromSeconds(4), t[PerformanceCategory.NonDevice]);
        Assert.Equal("scenario", t.OriginOf(PerformanceCategory.NonDevice));
        Assert.Equal(TimeSpan.FromSeconds(60), t[PerformanceCategory.FutureDatedEsmeChf]);
        Assert.Contains("non_device 4s (scenario)", t.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("device_alert", t.Describe(), StringComparison.Ordinal);

        var everything = ResponseTimeouts.Resolve(scenario.PerformanceLevels, Deadline, scenario.ResponseTimeouts, [gas, all]);
        Assert.Equal(TimeSpan.FromSeconds(20), everything[PerformanceCategory.OnDemandGsmeGpf]);
        Assert.Equal(TimeSpan.FromSeconds(20), everything.LongestForRequests);
    }

    [Fact]
    public void A_bad_category_or_duration_is_reported_with_its_line_and_column()
    {
        var yaml = Valid + "\nresponseTimeouts:\n  on_demnd: 90s\n  non_device: 90\ndrain: soon\n";
        var errors = Errors(yaml);

        ErrorAt(errors, yaml, "on_demnd", "'on_demnd' is not a performance category or group");
        ErrorAt(errors, yaml, "90\n", "responseTimeouts.non_device");
        ErrorAt(errors, yaml, "soon", "drain");
        Assert.False(ResponseTimeoutSetting.TryParse("on_demand=0s", out _, out var zero));
        Assert.Contains("not a positive duration", zero, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_with_no_levels_file_beside_or_above_it_uses_the_built_in_levels_and_says_so()
    {
        using var temp = new TempFolder();
        var yaml = Replace(Valid, "spec: ../estates/default.yaml", $"spec: \"{Path.Combine(ScenariosFolder, "estates", "default.yaml").Replace('\\', '/')}\"");
        var scenario = ScenarioLoader.Parse(yaml, "mine.yaml", temp.Path);

        Assert.True(scenario.PerformanceLevels.IsBuiltIn);
        Assert.Equal(PerformanceLevels.BuiltInSource, scenario.PerformanceLevels.Path);

        // The built-in levels are the shipped file, row for row.
        Assert.Equal(Levels.All.Select(l => (l.Category, l.TargetResponseTime, l.TargetPercent, l.MinimumPercent, l.Source)), scenario.PerformanceLevels.All.Select(l => (l.Category, l.TargetResponseTime, l.TargetPercent, l.MinimumPercent, l.Source)));
        Assert.False(scenario.TimeCompressionGiven);
        Assert.True(scenario.WithTimeCompression(1).TimeCompressionGiven);
    }
}
