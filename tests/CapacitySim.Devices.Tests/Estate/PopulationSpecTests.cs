using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Tests.Estate;

public sealed class PopulationSpecTests
{
    // A small valid spec; tests break it in places and check where the errors point.
    private const string Valid = """
        seed: 7
        premises: 100
        generationMix: { smets1: 1, smets2: 1 }
        regionMix: { north: 1, central: 1, south: 1 }
        premisesKinds:
          dual: { fuel: dual, ihd: true, weight: 1 }
        smets1ServiceProviders:
          S1SP-A: { eui: 90-B3-D5-1F-30-00-00-10, weight: 1 }
        dmcs:
          S1-HUB: { generation: smets1, euiPrefix: 02-00-01 }
          S1-ELEC: { generation: smets1, euiPrefix: 02-00-02 }
          S1-GAS: { generation: smets1, euiPrefix: 02-00-03 }
          S1-IHD: { generation: smets1, euiPrefix: 02-00-04 }
          S2-ANY: { generation: smets2, euiPrefix: 02-00-05 }
        dmcMix:
          chf: { S1-HUB: 1, S2-ANY: 1 }
          gpf: { S1-HUB: 1, S2-ANY: 1 }
          esme: { S1-ELEC: 1, S2-ANY: 1 }
          gsme: { S1-GAS: 1, S2-ANY: 1 }
          ihd: { S1-IHD: 1, S2-ANY: 1 }
        firmwareMix:
          S1-HUB: { "1.0": 1 }
          S1-ELEC: { "1.0": 1 }
          S1-GAS: { "1.0": 1 }
          S1-IHD: { "1.0": 1 }
          S2-ANY: { "2.0": 3, "2.1": 1 }
        """;

    [Fact]
    public void A_valid_spec_loads_with_its_values()
    {
        var spec = PopulationSpec.Parse(Valid, "valid.yaml");
        Assert.Equal(7UL, spec.Seed);
        Assert.Equal(100, spec.Premises);
        Assert.False(spec.IncludeReferencePremises);
        Assert.Equal(5, spec.Dmcs.Count);
        Assert.Equal(2, spec.DmcMix[DeviceType.CommunicationsHub].Count);
        Assert.Equal(new Weighted<string>("2.0", 3), spec.FirmwareMix["S2-ANY"][0]);

        var population = PopulationBuilder.Build(spec);
        Assert.Equal(100, population.PremisesCount);
        Assert.Equal(500, population.Count);

        // S1-HUB serves as both CHF and GPF, so the DMC table lists both types.
        var hub = population.Dmcs[population.FindDmc("S1-HUB")];
        Assert.Equal([DeviceType.CommunicationsHub, DeviceType.GasProxy], hub.DeviceTypes);
    }

    [Fact]
    public void Several_mistakes_are_reported_at_once_each_with_file_line_and_column()
    {
        var broken = Valid
            .Replace("premises: 100", "premises: -5", StringComparison.Ordinal)                                  // line 2
            .Replace("regionMix: {", "regoinMix: {", StringComparison.Ordinal)                                   // line 4 (and regionMix missing)
            .Replace("dual: { fuel: dual, ihd: true, weight: 1 }", "dual: { fuel: dual, ihd: true, weight: lots }", StringComparison.Ordinal) // line 6
            .Replace("  S1-IHD: { \"1.0\": 1 }", "  S1-IHDX: { \"1.0\": 1 }", StringComparison.Ordinal);     // line 25

        var e = Assert.Throws<ConfigException>(() => PopulationSpec.Parse(broken, "estates/broken.yaml"));
        var errors = e.Errors.Select(x => x.ToString()).ToList();

        Assert.Contains("estates/broken.yaml:2:11: Premises -5 is out of range: expected 0 to 40000000.", errors);
        Assert.Contains(errors, x => x.StartsWith("estates/broken.yaml:4:1: Unknown key 'regoinMix' in the spec", StringComparison.Ordinal));
        Assert.Contains("estates/broken.yaml:1:1: Missing key 'regionMix' in the spec.", errors);
        Assert.Contains(errors, x => x.StartsWith("estates/broken.yaml:6:42: Premises kind 'dual' weight 'lots' is not a number", StringComparison.Ordinal));
        Assert.Contains("estates/broken.yaml:25:3: Unknown DMC 'S1-IHDX' in firmwareMix (declare it under dmcs).", errors);

        // S1-IHD lost its firmware mix: reported where dmcMix names it (line 20: "  ihd: { S1-IHD: 1, ...").
        Assert.Contains("estates/broken.yaml:20:10: DMC 'S1-IHD' is used in dmcMix but has no entry in firmwareMix.", errors);

        // With its weight unreadable, the only premises kind leaves the premises mix empty.
        Assert.Contains("estates/broken.yaml:6:3: premisesKinds needs at least one kind with a positive weight.", errors);

        // Sorted by position, and the message lists them all.
        Assert.Equal(e.Errors.OrderBy(x => x.Line).ThenBy(x => x.Column), e.Errors);
        foreach (var error in errors)
        {
            Assert.Contains(error, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("euiPrefix: 02-00-02 }", "euiPrefix: 00-DB-12 }", "is reserved")]
    [InlineData("euiPrefix: 02-00-02 }", "euiPrefix: 02-00 }", "is not three hex octets")]
    [InlineData("eui: 90-B3-D5-1F-30-00-00-10", "eui: 90-B3-D5-1F-30-00-00", "is not an EUI-64")]
    [InlineData("fuel: dual", "fuel: steam", "is not one of electricity, dual")]
    [InlineData("generationMix: { smets1: 1", "generationMix: { smets3: 1", "Unknown key 'smets3' in generationMix")]
    [InlineData("  ihd: { S1-IHD: 1, S2-ANY: 1 }", "  ihdx: { S1-IHD: 1, S2-ANY: 1 }", "Unknown device type 'ihdx'")]
    [InlineData("  ihd: { S1-IHD: 1, S2-ANY: 1 }", "  ihd: { S2-ANY: 1 }", "no smets1 DMC with a positive weight for 'ihd'")]
    [InlineData("  esme: { S1-ELEC: 1,", "  esme: { S1-ELECX: 1,", "Unknown DMC 'S1-ELECX' in dmcMix esme")]
    [InlineData("seed: 7", "seed: seven", "Seed 'seven' is not a whole number")]
    [InlineData("S2-ANY: { \"2.0\": 3", "S2-ANY: { \"2.0\": -3", "is negative")]
    public void Each_kind_of_mistake_is_named(string find, string replace, string message)
    {
        var broken = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, broken);
        var e = Assert.Throws<ConfigException>(() => PopulationSpec.Parse(broken, "x.yaml"));
        Assert.Contains(e.Errors, x => x.Message.Contains(message, StringComparison.Ordinal));
        Assert.All(e.Errors, x => Assert.True(x.Line >= 1 && x.Column >= 1));
    }

    [Fact]
    public void Smets1_premises_without_service_providers_are_an_error()
    {
        var broken = Valid.Replace("smets1ServiceProviders:\n  S1SP-A: { eui: 90-B3-D5-1F-30-00-00-10, weight: 1 }\n", string.Empty, StringComparison.Ordinal);
        Assert.NotEqual(Valid, broken);
        var e = Assert.Throws<ConfigException>(() => PopulationSpec.Parse(broken, "x.yaml"));
        Assert.Contains(e.Errors, x => x.Message.Contains("Missing key 'smets1ServiceProviders'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_yaml_syntax_error_is_reported_at_its_position()
    {
        var e = Assert.Throws<ConfigException>(() => PopulationSpec.Parse("seed: 1\npremises: [1, 2\n", "syntax.yaml"));
        var error = Assert.Single(e.Errors);
        Assert.Equal("syntax.yaml", error.File);
        Assert.True(error.Line >= 2, error.ToString());
        Assert.StartsWith("YAML syntax", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_names_the_file_path_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"estate-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Valid.Replace("premises: 100", "premises: 1e3", StringComparison.Ordinal));
        try
        {
            var e = Assert.Throws<ConfigException>(() => PopulationSpec.Load(path));
            Assert.Equal($"{path}:2:11: Premises '1e3' is not a whole number.", e.Errors.Single().ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("default.yaml", 10_000)]
    [InlineData("million.yaml", 1_000_000)]
    public void Shipped_estates_load(string file, int premises)
    {
        var spec = EstateFixture.Spec(file);
        Assert.Equal(premises, spec.Premises);
        Assert.True(spec.IncludeReferencePremises);
        Assert.Equal(3, spec.Smets1ServiceProviders.Count);
        Assert.Equal(3, spec.RegionMix.Count);
        Assert.Contains(spec.Dmcs, d => d.Name == "S1-ELEC-SecureLiberty100");
    }

    [Fact]
    public void The_built_in_default_is_the_shipped_default_yaml()
    {
        var shipped = PopulationBuilder.Build(EstateFixture.Spec("default.yaml"));
        Assert.Equal(shipped.Fingerprint(), EstateFixture.Default.Fingerprint());
        Assert.Equal(10_001, EstateFixture.Default.PremisesCount);
    }
}
