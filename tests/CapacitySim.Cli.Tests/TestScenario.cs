using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Cli.Tests;

/// <summary>The short scenario the run tests write: one supplier at 10 requests a second for 3 minutes of scenario time, at x100.</summary>
internal static class TestScenario
{
    /// <summary>Writes it to <paramref name="path"/>.</summary>
    /// <param name="path">The scenario file.</param>
    /// <param name="name">Its name.</param>
    /// <param name="estate">The estate's YAML mapping, such as <c>{ spec: "…", premises: 200 }</c>.</param>
    /// <param name="mix">The supplier's mix entries (YAML list lines); default: meter reads (4.1.1) and the inventory (8.2), 3 to 1.</param>
    /// <param name="tail">Top-level keys to add at the end (checks, target).</param>
    public static string Write(string path, string name, string estate, string? mix = null, string tail = "")
    {
        var levels = Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "performance-levels.yaml").Replace('\\', '/');
        mix ??= "      - { srv: 4.1.1, weight: 3 }\n      - { srv: 8.2, weight: 1 }\n";
        File.WriteAllText(path, $"""
            name: {name}
            seed: 3
            estate: {estate}
            users:
              - name: supplier
                roles: [IS, GS]
                eui: 90-B3-D5-1F-30-01-00-00
                mix:
            {mix}
            timeCompression: 100
            phases:
              - constant: {"{"} rate: 10, duration: 3m {"}"}
            performanceLevels: "{levels}"

            """ + tail);
        return path;
    }
}
