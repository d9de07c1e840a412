using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Time;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Load.Scenarios;

/// <summary>
/// Reads a scenario file and the files it names (estate, performance levels, DCC behaviour), checking everything and
/// collecting every mistake with its file, line and column before giving up.
/// </summary>
internal sealed partial class ScenarioReader(string source, string baseDirectory) : YamlFileReader(source)
{
    private const string LevelsFileName = "performance-levels.yaml";

    private readonly List<(string Name, YamlNode Node)> dmcReferences = [];

    public Scenario? Read(string yaml)
    {
        if (LoadRoot(yaml) is not { } rootNode || Mapping(rootNode, string.Empty) is not { } root)
        {
            return null;
        }

        var keys = Keys(root, string.Empty, ScenarioKeys.Root);
        var name = keys.TryGetValue("name", out var nameNode) ? Text(nameNode, "name") : null;
        var description = keys.TryGetValue("description", out var descriptionNode) ? Text(descriptionNode, "description") : null;
        var seed = keys.TryGetValue("seed", out var seedNode) ? ULong(seedNode, "seed") ?? 0 : 1UL;

        var estate = Required(root, keys, "estate", string.Empty) is { } estateNode ? Estate(estateNode) : null;
        var phases = Required(root, keys, "phases", string.Empty) is { } phasesNode ? Phases(phasesNode) : [];
        var total = TimeSpan.Zero;
        foreach (var p in phases)
        {
            total += p.Duration;
        }

        if (keys.TryGetValue("duration", out var durationNode) && Duration(durationNode, "duration") is { } declared
            && phases.Count > 0 && declared != total)
        {
            Error(durationNode, $"duration {DurationText.Format(declared)} differs from the phases' total {DurationText.Format(total)}: "
                + "leave duration out (the phases imply it) or make them agree.");
        }

        var compression = keys.TryGetValue("timeCompression", out var compressionNode)
            ? Number(compressionNode, "timeCompression", 0, 1_000_000, exclusiveMin: true) ?? Scenario.DefaultTimeCompression
            : Scenario.DefaultTimeCompression;
        var warmUp = keys.TryGetValue("warmUp", out var warmUpNode) ? Duration(warmUpNode, "warmUp", allowZero: true) ?? TimeSpan.Zero : TimeSpan.Zero;
        if (warmUpNode is not null && total > TimeSpan.Zero && warmUp >= total)
        {
            Error(warmUpNode, $"warmUp {DurationText.Format(warmUp)} is as long as the whole profile ({DurationText.Format(total)}): nothing would be measured.");
        }

        var levels = PerformanceLevelsFile(keys.GetValueOrDefault("performanceLevels"));
        var users = Required(root, keys, "users", string.Empty) is { } usersNode ? Users(usersNode) : [];
        var checks = keys.TryGetValue("checks", out var checksNode) ? Checks(checksNode) : [];
        var gate = keys.TryGetValue("gate", out var gateNode) ? Gate(gateNode) : null;
        var timeouts = keys.TryGetValue("responseTimeouts", out var timeoutsNode) ? ResponseTimeouts(timeoutsNode) : [];
        var drain = keys.TryGetValue("drain", out var drainNode) ? Duration(drainNode, "drain", allowZero: true) : null;
        var dcc = keys.TryGetValue("dcc", out var dccNode) ? Dcc(dccNode) : null;
        var target = keys.TryGetValue("target", out var targetNode) ? Target(targetNode) : null;
        if (dccNode is not null && targetNode is not null)
        {
            Error(targetNode, "A scenario runs against the embedded DCC (dcc) or an external one (target), not both.");
        }

        if (estate is not null)
        {
            foreach (var (dmc, node) in dmcReferences)
            {
                if (!estate.DmcNames.Contains(dmc))
                {
                    var near = Suggest(dmc, [.. estate.DmcNames]);
                    Error(node, $"Unknown DMC '{dmc}': the estate has no such device model combination{(near is null ? string.Empty : $" (did you mean '{near}'?)")}.");
                }
            }
        }

        if (Errors.Count > 0 || estate is null || levels is null)
        {
            return null;
        }

        return new Scenario
        {
            Source = Source,
            Name = name ?? Path.GetFileNameWithoutExtension(Source),
            Description = description,
            Seed = seed,
            Estate = estate,
            Users = users,
            Phases = phases,
            TimeCompression = compression,
            TimeCompressionGiven = compressionNode is not null,
            WarmUp = warmUp,
            ResponseTimeouts = timeouts,
            Drain = drain,
            Duration = total,
            PerformanceLevels = levels,
            Checks = checks,
            Gate = gate,
            Dcc = dcc,
            Target = target,
            Positions = new Dictionary<string, SourcePosition>(Positions, StringComparer.Ordinal),
        };
    }
}
