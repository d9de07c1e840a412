using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;
using CapacitySim.Load.Scenarios;
using static CapacitySim.Load.Tests.Scenarios.ScenarioText;

namespace CapacitySim.Load.Tests.Scenarios;

public sealed class PerformanceLevelsTests
{
    private static string ShippedPath => Path.Combine(ScenariosFolder, "performance-levels.yaml");

    [Fact]
    public void The_shipped_file_has_one_row_per_category_with_the_figures_of_the_facts()
    {
        var levels = PerformanceLevels.Load(ShippedPath);

        Assert.Equal(PerformanceCategories.Count, levels.All.Count);
        for (var i = 0; i < levels.All.Count; i++)
        {
            Assert.Equal((PerformanceCategory)i, levels.All[i].Category);
            Assert.Equal(99, levels.All[i].TargetPercent);
            Assert.Equal(96, levels.All[i].MinimumPercent);
        }

        Assert.Equal(TimeSpan.FromSeconds(3), levels[PerformanceCategory.Transform].TargetResponseTime);
        Assert.Equal(TimeSpan.FromSeconds(5), levels[PerformanceCategory.NonDevice].TargetResponseTime);
        Assert.Equal(TimeSpan.FromSeconds(30), levels[PerformanceCategory.OnDemandEsmeChf].TargetResponseTime);
        Assert.Equal(TimeSpan.FromSeconds(60), levels[PerformanceCategory.OnDemandGsmeGpf].TargetResponseTime);
        Assert.Equal(TimeSpan.FromSeconds(60), levels[PerformanceCategory.DeviceAlert].TargetResponseTime);
        Assert.Equal(TimeSpan.FromSeconds(60), levels[PerformanceCategory.DccAlert].TargetResponseTime);
        Assert.Equal(TimeSpan.FromSeconds(30), levels[PerformanceCategory.Smets1OnDemandEsmeChf].TargetResponseTime);
    }

    [Fact]
    public void Every_row_is_an_assumption_and_only_the_round_trip_test_limit_has_a_source()
    {
        var levels = PerformanceLevels.Load(ShippedPath);

        Assert.All(levels.All, l => Assert.True(l.IsAssumption, $"{l.Category}: {l.Source}"));
        var roundTrip = levels.RoundTripTest!;
        Assert.Equal(TimeSpan.FromSeconds(25), roundTrip.TargetResponseTime);
        Assert.False(roundTrip.IsAssumption);
        Assert.Contains("methodology, March 2018", roundTrip.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Mistakes_in_a_levels_file_are_all_reported_with_positions()
    {
        const string yaml = """
            levels:
              transform: { trt: 3s, target: 99%, minimum: 96%, source: "ASSUMPTION: x" }
              non_devise: { trt: 5s, target: 99%, minimum: 96%, source: "ASSUMPTION: x" }
              on_demand_esme_chf: { trt: 30, target: 99%, minimum: 99.5%, source: "ASSUMPTION: x" }
              dcc_alert: { trt: 60s, target: 120%, minimum: 96%, sorce: x }
            """;
        var e = Assert.Throws<ConfigException>(() => PerformanceLevels.Parse(yaml, "levels.yaml"));
        var text = e.Errors.Select(x => x.ToString()).ToList();

        Assert.Contains("levels.yaml:3:3: Unknown performance category 'non_devise': did you mean 'non_device'?", text);
        Assert.Contains(text, t => t.StartsWith("levels.yaml:4:30: levels.on_demand_esme_chf.trt '30' is not a duration", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("levels.yaml:4:56: levels.on_demand_esme_chf.minimum 99.5% is above the target 99%", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("levels.yaml:5:34: levels.dcc_alert.target 120% is out of range", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("levels.yaml:5:54: Unknown key 'sorce' in levels.dcc_alert: did you mean 'source'?", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("levels.yaml:5:14: Missing key 'source' in levels.dcc_alert", StringComparison.Ordinal));
        Assert.Contains(text, t => t.EndsWith("levels has no row for 'smets1_device_alert': every category needs one.", StringComparison.Ordinal));
        Assert.DoesNotContain(text, t => t.Contains("no row for 'transform'", StringComparison.Ordinal));
        Assert.DoesNotContain(text, t => t.Contains("no row for 'dcc_alert'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("4.1.1", DeviceType.ElectricityMeter, DeviceGeneration.Smets2, 1, RequestTiming.OnDemand, PerformanceCategory.OnDemandEsmeChf)]
    [InlineData("4.1.1", DeviceType.GasMeter, DeviceGeneration.Smets2, 1, RequestTiming.OnDemand, PerformanceCategory.OnDemandGsmeGpf)]
    [InlineData("4.1.1", DeviceType.GasProxy, DeviceGeneration.Smets1, 1, RequestTiming.OnDemand, PerformanceCategory.Smets1OnDemandGsmeGpf)]
    [InlineData("11.2", DeviceType.CommunicationsHub, DeviceGeneration.Smets1, 1, RequestTiming.OnDemand, PerformanceCategory.Smets1OnDemandEsmeChf)]
    [InlineData("11.2", DeviceType.Ppmid, DeviceGeneration.Smets2, 1, RequestTiming.OnDemand, PerformanceCategory.OnDemandEsmeChf)]
    [InlineData("1.5", DeviceType.ElectricityMeter, DeviceGeneration.Smets2, 4, RequestTiming.OnDemand, PerformanceCategory.Transform)]
    [InlineData("1.5", DeviceType.GasMeter, DeviceGeneration.Smets1, 5, RequestTiming.OnDemand, PerformanceCategory.Smets1OnDemandGsmeGpf)]
    [InlineData("8.2", DeviceType.Dcc, DeviceGeneration.Smets2, 8, RequestTiming.OnDemand, PerformanceCategory.NonDevice)]
    [InlineData("4.1.1", DeviceType.ElectricityMeter, DeviceGeneration.Smets2, 2, RequestTiming.OnDemand, PerformanceCategory.NonDevice)]
    [InlineData("4.1.1", DeviceType.ElectricityMeter, DeviceGeneration.Smets2, 1, RequestTiming.FutureDated, PerformanceCategory.FutureDatedEsmeChf)]
    [InlineData("4.1.1", DeviceType.GasMeter, DeviceGeneration.Smets1, 1, RequestTiming.FutureDated, PerformanceCategory.Smets1FutureDatedGsmeGpf)]
    [InlineData("4.6.1", DeviceType.ElectricityMeter, DeviceGeneration.Smets2, 1, RequestTiming.DccScheduled, PerformanceCategory.DccScheduled)]
    [InlineData("4.6.1", DeviceType.GasProxy, DeviceGeneration.Smets1, 1, RequestTiming.DccScheduled, PerformanceCategory.Smets1DccScheduled)]
    public void Requests_are_put_in_the_category_whose_level_applies(
        string srv, DeviceType type, DeviceGeneration generation, int cv, RequestTiming timing, PerformanceCategory expected)
    {
        var info = ServiceCatalogue.Get(ServiceReferenceVariant.Parse(srv));
        Assert.Equal(expected, PerformanceCategories.Classify(info, type, generation, (CommandVariant)cv, timing));
    }

    [Fact]
    public void A_timing_the_matrix_does_not_allow_is_refused()
    {
        // 1.5 Update Meter Balance cannot be future dated; 4.1.1 cannot be DCC scheduled (DUIS matrix).
        var balance = ServiceCatalogue.Get(ServiceReferenceVariant.Parse("1.5"));
        Assert.Throws<ArgumentException>(() => PerformanceCategories.Classify(balance, DeviceType.ElectricityMeter, DeviceGeneration.Smets2, CommandVariant.CriticalSignedToDevice, RequestTiming.FutureDated));
        var read = ServiceCatalogue.Get(ServiceReferenceVariant.Parse("4.1.1"));
        Assert.Throws<ArgumentException>(() => PerformanceCategories.Classify(read, DeviceType.ElectricityMeter, DeviceGeneration.Smets2, CommandVariant.NonCriticalToDevice, RequestTiming.DccScheduled));
    }

    [Fact]
    public void Alerts_have_their_own_categories()
    {
        Assert.Equal(PerformanceCategory.DeviceAlert, PerformanceCategories.ForDeviceAlert(DeviceGeneration.Smets2));
        Assert.Equal(PerformanceCategory.Smets1DeviceAlert, PerformanceCategories.ForDeviceAlert(DeviceGeneration.Smets1));
    }

    [Fact]
    public void Category_names_round_trip_and_groups_cover_both_generations()
    {
        foreach (var name in PerformanceCategories.CategoryNames)
        {
            Assert.True(PerformanceCategories.TryParse(name, out var c));
            Assert.Equal(name, PerformanceCategories.NameOf(c));
        }

        Assert.True(PerformanceCategories.TryParseSet("on_demand", out var onDemand));
        Assert.Equal("on_demand_esme_chf+on_demand_gsme_gpf+smets1_on_demand_esme_chf+smets1_on_demand_gsme_gpf", onDemand.ToString());
        Assert.True(PerformanceCategories.TryParseSet("all", out var all));
        Assert.Equal(PerformanceCategories.Count, all.Count);
        Assert.False(PerformanceCategories.TryParseSet("everything", out _));
    }
}
