using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Devices.Tests.Estate;

/// <summary>The shipped estate specs, and one default build shared by the tests that only read it.</summary>
public static class EstateFixture
{
    private static readonly Lazy<Population> DefaultPopulation = new(Population.Default);

    /// <summary><c>scenarios/estates</c> in the repository.</summary>
    public static string EstatesDirectory => Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "estates");

    /// <summary>The default estate as shipped (reference premises + 10,000 premises).</summary>
    public static Population Default => DefaultPopulation.Value;

    /// <summary>Loads a shipped spec by file name.</summary>
    public static PopulationSpec Spec(string fileName) => PopulationSpec.Load(Path.Combine(EstatesDirectory, fileName));
}
