using CapacitySim.Devices.Configuration;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Tests.Scenarios;

/// <summary>Scenario text for tests, read as if it lived in scenarios/examples (so its relative paths resolve there).</summary>
internal static class ScenarioText
{
    public const string Source = "test.yaml";

    public static string ScenariosFolder => Path.Combine(SharedDuis.RepositoryRoot, "scenarios");

    public static string ExamplesFolder => Path.Combine(ScenariosFolder, "examples");

    /// <summary>A valid scenario that the error tests change one mistake at a time.</summary>
    public const string Valid = """
        name: test
        estate:
          spec: ../estates/default.yaml
          premises: 100
        users:
          - name: supplier
            roles: [IS, GS]
            eui: 90-B3-D5-1F-30-01-00-00
            mix:
              - { srv: 4.1.1, weight: 3 }
              - { srv: 1.5, weight: 1 }
            targets:
              dmcs: [S2-ELEC-LandisE470S2]
        phases:
          - constant: { rate: 10, duration: 30s }
        checks:
          - p99(on_demand) < 30s
        """;

    public static Scenario Parse(string yaml) => ScenarioLoader.Parse(yaml, Source, ExamplesFolder);

    /// <summary>Every error of a scenario that must not load.</summary>
    public static IReadOnlyList<ConfigError> Errors(string yaml)
    {
        var e = Assert.Throws<ConfigException>(() => Parse(yaml));
        Assert.NotEmpty(e.Errors);
        return e.Errors;
    }

    /// <summary>The 1-based line and column of the first occurrence of <paramref name="marker"/> in <paramref name="yaml"/>.</summary>
    public static (int Line, int Column) At(string yaml, string marker, int occurrence = 1)
    {
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = yaml.IndexOf(marker, index + 1, StringComparison.Ordinal);
            Assert.True(index >= 0, $"marker '{marker}' not in the test scenario");
        }

        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (yaml[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }

    /// <summary>The single error at <paramref name="marker"/>, asserting its message holds <paramref name="messagePart"/>.</summary>
    public static ConfigError ErrorAt(IReadOnlyList<ConfigError> errors, string yaml, string marker, string messagePart, int occurrence = 1)
    {
        var (line, column) = At(yaml, marker, occurrence);
        var found = errors.Where(e => e.Line == line && e.Column == column).ToList();
        Assert.True(found.Count == 1, $"expected one error at {line}:{column} ('{marker}'), got:\n{string.Join('\n', errors)}");
        Assert.Contains(messagePart, found[0].Message, StringComparison.Ordinal);
        return found[0];
    }

    public static string Replace(string original, string oldText, string newText)
    {
        Assert.Contains(oldText, original, StringComparison.Ordinal);
        return original.Replace(oldText, newText, StringComparison.Ordinal);
    }
}
