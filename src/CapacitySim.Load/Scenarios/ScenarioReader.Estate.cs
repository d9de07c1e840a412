using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Load.Scenarios;

/// <content>The estate: a population spec file, one written inline, or an external DCC's devices CSV.</content>
internal sealed partial class ScenarioReader
{
    private ScenarioEstate? Estate(YamlNode node)
    {
        if (Mapping(node, "estate") is not { } map)
        {
            return null;
        }

        var keys = Keys(map, "estate", ScenarioKeys.Estate);
        var sources = 0;
        foreach (var k in (string[])["spec", "inline", "devicesCsv"])
        {
            sources += keys.ContainsKey(k) ? 1 : 0;
        }

        if (sources != 1)
        {
            Error(map, sources == 0
                ? "estate needs one of spec (a population spec file), inline (a population spec written here) or devicesCsv (an external DCC's devices)."
                : "estate takes only one of spec, inline and devicesCsv.");
            return null;
        }

        int? premises = keys.TryGetValue("premises", out var premisesNode) ? (int?)Integer(premisesNode, "estate.premises", 0, PopulationSpec.MaxPremises) : null;
        var seed = keys.TryGetValue("seed", out var seedNode) ? ULong(seedNode, "estate.seed") : null;
        if (keys.TryGetValue("devicesCsv", out var csvNode))
        {
            if (premisesNode is not null || seedNode is not null)
            {
                Error(premisesNode ?? seedNode!, "premises and seed scale a population spec; a devices CSV lists its devices as they are.");
            }

            if (ExistingFile(csvNode, "estate.devicesCsv", baseDirectory) is not { } csvPath)
            {
                return null;
            }

            var csvErrors = new List<ConfigError>();
            var devices = DevicesCsvReader.Read(csvPath, csvErrors);
            AddErrors(csvErrors);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in devices)
            {
                names.Add(d.Dmc);
            }

            return csvErrors.Count > 0 ? null : new ScenarioEstate { Kind = EstateSourceKind.DevicesCsv, Path = csvPath, Devices = devices, DmcNames = names };
        }

        PopulationSpec? spec;
        string? specPath = null;
        if (keys.TryGetValue("spec", out var specNode))
        {
            if (ExistingFile(specNode, "estate.spec", baseDirectory) is not { } found)
            {
                return null;
            }

            specPath = found;
            spec = Spec(() => PopulationSpec.Load(found));
        }
        else
        {
            var inlineNode = keys["inline"];
            if (Mapping(inlineNode, "estate.inline") is null)
            {
                return null;
            }

            // Read from the scenario's own node, so that the mapping's errors point at its lines in this file.
            spec = Spec(() => PopulationSpec.Read(inlineNode, Source));
        }

        if (spec is null)
        {
            return null;
        }

        if (premises is not null || seed is not null)
        {
            spec = spec.With(premises, seed);
        }

        var dmcNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in spec.Dmcs)
        {
            dmcNames.Add(d.Name);
        }

        return new ScenarioEstate
        {
            Kind = specPath is null ? EstateSourceKind.Inline : EstateSourceKind.SpecFile,
            Path = specPath,
            Spec = spec,
            DmcNames = dmcNames,
        };
    }

    private PopulationSpec? Spec(Func<PopulationSpec> load)
    {
        try
        {
            return load();
        }
        catch (ConfigException e)
        {
            AddErrors(e.Errors);
            return null;
        }
    }
}
