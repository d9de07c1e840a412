using CapacitySim.Devices.Configuration;

namespace CapacitySim.Load.Scenarios;

/// <summary>Reads scenario files (see <c>scenarios/scenario.schema.json</c> for every key).</summary>
public static class ScenarioLoader
{
    /// <summary>
    /// Reads and checks a scenario and the files it names (estate, performance levels, DCC behaviour). Paths in the
    /// scenario are relative to its folder.
    /// </summary>
    /// <exception cref="ConfigException">The scenario is missing or has mistakes: every one, with file, line and column.</exception>
    public static Scenario Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ConfigException([new ConfigError(path, 0, 0, "Scenario file not found.")]);
        }

        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// Reads and checks a scenario from YAML text; <paramref name="source"/> names it in errors and
    /// <paramref name="baseDirectory"/> is where its relative paths start.
    /// </summary>
    /// <exception cref="ConfigException">The text has mistakes.</exception>
    public static Scenario Parse(string yaml, string source, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var reader = new ScenarioReader(source, baseDirectory);
        var scenario = reader.Read(yaml);
        if (scenario is null || reader.Errors.Count > 0)
        {
            var errors = reader.SortedErrors();
            throw new ConfigException(errors.Count > 0 ? errors : [new ConfigError(source, 0, 0, "The scenario is not valid.")]);
        }

        return scenario;
    }
}
