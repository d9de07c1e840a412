using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Devices.Time;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Load.Results;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Load.Scenarios;

/// <summary>
/// Reads a scenario file and the files it names (estate, performance levels, DCC behaviour), checking everything and
/// collecting every mistake with its file, line and column before giving up.
/// </summary>
internal sealed class ScenarioReader(string source, string baseDirectory) : YamlFileReader(source)
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

    // ---- estate ----

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

    // ---- phases ----

    private List<LoadPhase> Phases(YamlNode node)
    {
        List<LoadPhase> phases = [];
        if (Sequence(node, "phases") is not { } list)
        {
            return phases;
        }

        if (list.Children.Count == 0)
        {
            Error(list, "phases is empty: a scenario needs at least one phase.");
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"phases[{i}]";
            if (Mapping(list.Children[i], path) is not { } item)
            {
                continue;
            }

            var keys = Keys(item, path, ScenarioKeys.PhaseShapes);
            if (item.Children.Count != 1)
            {
                Error(item, $"{path} must have exactly one key naming its shape ({string.Join(", ", ScenarioKeys.PhaseShapes)}), "
                    + "for example '- constant: { rate: 10, duration: 30s }'.");
                continue;
            }

            foreach (var (shape, body) in keys)
            {
                if (Phase(shape, body, $"{path}.{shape}") is { } phase)
                {
                    phases.Add(phase);
                }
            }
        }

        return phases;
    }

    private LoadPhase? Phase(string shape, YamlNode node, string path)
    {
        if (Mapping(node, path) is not { } map)
        {
            return null;
        }

        var at = PositionOf(map);
        var allowed = shape switch
        {
            "constant" => ScenarioKeys.Constant,
            "ramping" => ScenarioKeys.Ramping,
            "step" => ScenarioKeys.Step,
            "diurnal" => ScenarioKeys.Diurnal,
            _ => ScenarioKeys.Pause,
        };
        var keys = Keys(map, path, allowed);
        var name = keys.TryGetValue("name", out var n) ? Text(n, path + ".name") : null;
        switch (shape)
        {
            case "constant":
            {
                var rate = Rate(map, keys, "rate", path);
                var duration = PhaseDuration(map, keys, "duration", path);
                return rate is { } r && duration is { } d ? new ConstantPhase(name, r, d, at) : null;
            }

            case "ramping":
            {
                var from = Rate(map, keys, "from", path);
                var to = Rate(map, keys, "to", path);
                var duration = PhaseDuration(map, keys, "duration", path);
                return from is { } f && to is { } t && duration is { } d ? new RampingPhase(name, f, t, d, at) : null;
            }

            case "step":
            {
                List<double> rates = [];
                var ok = true;
                if (Required(map, keys, "rates", path) is { } ratesNode && Sequence(ratesNode, path + ".rates") is { } list)
                {
                    if (list.Children.Count == 0)
                    {
                        Error(list, $"{path}.rates is empty: give at least one rate.");
                        ok = false;
                    }

                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        if (Number(list.Children[i], $"{path}.rates[{i}]", 0) is { } r)
                        {
                            rates.Add(r);
                        }
                        else
                        {
                            ok = false;
                        }
                    }
                }
                else
                {
                    ok = false;
                }

                var step = PhaseDuration(map, keys, "stepDuration", path);
                return ok && step is { } s ? new StepPhase(name, rates, s, at) : null;
            }

            case "diurnal":
            {
                var hourly = Required(map, keys, "hourlyRates", path) is { } h ? HourlyRates(h, path + ".hourlyRates") : null;
                var scale = keys.TryGetValue("scale", out var sc) ? Number(sc, path + ".scale", 0, exclusiveMin: true) : 1;
                var startHour = keys.TryGetValue("startHour", out var sh) ? (int?)Integer(sh, path + ".startHour", 0, 23) : 0;
                var duration = keys.TryGetValue("duration", out var dn) ? Duration(dn, path + ".duration") : TimeSpan.FromHours(24);
                return hourly is not null && scale is { } s && startHour is { } st && duration is { } d
                    ? new DiurnalPhase(name, hourly, s, st, d, at)
                    : null;
            }

            default:
            {
                var duration = PhaseDuration(map, keys, "duration", path);
                return duration is { } d ? new PausePhase(name, d, at) : null;
            }
        }
    }

    private double? Rate(YamlMappingNode map, Dictionary<string, YamlNode> keys, string key, string path)
        => Required(map, keys, key, path) is { } node ? Number(node, $"{path}.{key}", 0) : null;

    private TimeSpan? PhaseDuration(YamlMappingNode map, Dictionary<string, YamlNode> keys, string key, string path)
        => Required(map, keys, key, path) is { } node ? Duration(node, $"{path}.{key}") : null;

    /// <summary>24 hourly rates: a list, or a table of hour (0–23, or "07:00") to rate with every hour present.</summary>
    private List<double>? HourlyRates(YamlNode node, string path)
    {
        Track(path, node);
        var rates = new double?[24];
        var ok = true;
        switch (node)
        {
            case YamlSequenceNode list:
                if (list.Children.Count != 24)
                {
                    Error(list, $"{path} has {list.Children.Count} rates: a day needs 24, one per hour from 00:00.");
                    ok = false;
                }

                for (var i = 0; i < list.Children.Count && i < 24; i++)
                {
                    rates[i] = Number(list.Children[i], $"{path}[{i}]", 0);
                    ok &= rates[i] is not null;
                }

                break;
            case YamlMappingNode table:
                foreach (var (keyNode, valueNode) in table.Children)
                {
                    var text = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                    var hourText = text.EndsWith(":00", StringComparison.Ordinal) ? text[..^3] : text;
                    if (!int.TryParse(hourText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hour) || hour > 23)
                    {
                        Error(keyNode, $"'{text}' in {path} is not an hour of the day (0 to 23, or 00:00 to 23:00).");
                        ok = false;
                        continue;
                    }

                    if (rates[hour] is not null)
                    {
                        Error(keyNode, $"Hour {hour} appears twice in {path}.");
                        ok = false;
                    }

                    rates[hour] = Number(valueNode, $"{path}.{text}", 0);
                    ok &= rates[hour] is not null;
                }

                var missing = new List<int>();
                for (var h = 0; h < 24; h++)
                {
                    if (rates[h] is null && ok)
                    {
                        missing.Add(h);
                    }
                }

                if (missing.Count > 0)
                {
                    Error(table, $"{path} has no rate for hour(s) {string.Join(", ", missing)}: a day needs all 24.");
                    ok = false;
                }

                break;
            default:
                Error(node, $"{path} must be a list of 24 rates, or a table of hour to rate.");
                return null;
        }

        return ok ? [.. Array.ConvertAll(rates, r => r ?? 0)] : null;
    }

    // ---- users ----

    private List<ScenarioUser> Users(YamlNode node)
    {
        List<ScenarioUser> users = [];
        if (Sequence(node, "users") is not { } list)
        {
            return users;
        }

        if (list.Children.Count == 0)
        {
            Error(list, "users is empty: a scenario needs at least one user to send traffic.");
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var euis = new Dictionary<Eui64, int>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (User(list.Children[i], $"users[{i}]", i) is not { } user)
            {
                continue;
            }

            if (!names.TryAdd(user.Name, i))
            {
                Error(user.Position, $"users[{i}]: the name '{user.Name}' is also users[{names[user.Name]}]'s: names identify users in reports.");
            }

            if (!euis.TryAdd(user.Eui, i))
            {
                Error(user.Position, $"users[{i}]: EUI {user.Eui} is also users[{euis[user.Eui]}]'s: a RequestID's originator must identify one user.");
            }

            users.Add(user);
        }

        return users;
    }

    private ScenarioUser? User(YamlNode node, string path, int index)
    {
        if (Mapping(node, path) is not { } map)
        {
            return null;
        }

        var errorsBefore = Errors.Count;
        var keys = Keys(map, path, ScenarioKeys.User);
        var name = keys.TryGetValue("name", out var nameNode) ? Text(nameNode, path + ".name") : $"user {index + 1}";
        var roles = Required(map, keys, "roles", path) is { } rolesNode ? Roles(rolesNode, path + ".roles") : null;
        Eui64 eui = default;
        if (Required(map, keys, "eui", path) is { } euiNode && Text(euiNode, path + ".eui") is { } euiText && !Eui64.TryParse(euiText.AsSpan(), out eui))
        {
            Error(euiNode, $"{path}.eui '{euiText}' is not an EUI-64 (for example 90-B3-D5-1F-30-01-00-00).");
        }

        string? key = null;
        var keyIsPath = false;
        if (keys.TryGetValue("key", out var keyNode) && Text(keyNode, path + ".key") is { } keyText)
        {
            // A stem names a key in the DUIS keys folder (found at run time); anything that looks like a path is a file.
            keyIsPath = keyText.Contains('/', StringComparison.Ordinal) || keyText.Contains('\\', StringComparison.Ordinal)
                || keyText.EndsWith(".key", StringComparison.OrdinalIgnoreCase) || keyText.EndsWith(".pem", StringComparison.OrdinalIgnoreCase);
            key = keyIsPath ? ExistingFile(keyNode, path + ".key", baseDirectory) : keyText;
        }

        List<ServiceReferenceVariant> additional = [];
        if (keys.TryGetValue("additionalServices", out var additionalNode) && Sequence(additionalNode, path + ".additionalServices") is { } additionalList)
        {
            for (var i = 0; i < additionalList.Children.Count; i++)
            {
                if (Srv(additionalList.Children[i], $"{path}.additionalServices[{i}]") is { } info)
                {
                    additional.Add(info.Variant);
                }
            }
        }

        var mix = Required(map, keys, "mix", path) is { } mixNode ? Mix(mixNode, path + ".mix", roles, additional) : [];
        var targets = keys.TryGetValue("targets", out var targetsNode) ? Targets(targetsNode, path + ".targets") : DeviceSelector.Any;
        if (Errors.Count > errorsBefore || name is null || roles is null || targets is null)
        {
            return null;
        }

        return new ScenarioUser
        {
            Name = name,
            Roles = roles.Value,
            Eui = eui,
            Key = key,
            KeyIsPath = keyIsPath,
            Mix = mix,
            Targets = targets,
            AdditionalServices = additional,
            Position = PositionOf(map),
        };
    }

    private UserRoles? Roles(YamlNode node, string path)
    {
        var items = node is YamlSequenceNode seq ? seq.Children : (IList<YamlNode>)[node];
        if (items.Count == 0)
        {
            Error(node, $"{path} is empty: a user needs at least one role (IS, ES, GS, ED, GT, OU, RSA).");
            return null;
        }

        var roles = UserRoles.None;
        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            if (Text(items[i], node is YamlSequenceNode ? $"{path}[{i}]" : path) is not { } code)
            {
                ok = false;
                continue;
            }

            if (!UserRoleCodes.TryParse(code, out var role))
            {
                Error(items[i], $"'{code}' in {path} is not a DUIS user role (expected IS, ES, GS, ED, GT, OU or RSA).");
                ok = false;
                continue;
            }

            roles |= role;
        }

        return ok ? roles : null;
    }

    private ServiceVariantInfo? Srv(YamlNode node, string path)
    {
        if (Text(node, path) is not { } text)
        {
            return null;
        }

        if (!ServiceReferenceVariant.TryParse(text.AsSpan(), out var srv) || !ServiceCatalogue.TryGet(srv, out var info))
        {
            Error(node, $"{path} '{text}' is not a Service Reference Variant of the DUIS v5.4 catalogue (for example 4.1.1 or 8.2).");
            return null;
        }

        return info;
    }

    private List<TrafficMixEntry> Mix(YamlNode node, string path, UserRoles? roles, List<ServiceReferenceVariant> additional)
    {
        List<TrafficMixEntry> mix = [];
        if (Sequence(node, path) is not { } list)
        {
            return mix;
        }

        var total = 0.0;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (Mapping(list.Children[i], itemPath) is not { } item)
            {
                continue;
            }

            var keys = Keys(item, itemPath, ScenarioKeys.MixEntry);
            var srvNode = Required(item, keys, "srv", itemPath);
            var info = srvNode is null ? null : Srv(srvNode, itemPath + ".srv");
            var weight = Required(item, keys, "weight", itemPath) is { } w ? Number(w, itemPath + ".weight", 0) : null;
            total += weight ?? 0;
            var cv = info?.FirstCommandVariant ?? CommandVariant.None;
            if (keys.TryGetValue("commandVariant", out var cvNode) && Integer(cvNode, itemPath + ".commandVariant", 1, 8) is { } cvNumber)
            {
                cv = (CommandVariant)cvNumber;
                if (info is not null && !info.IsAllowed(cv))
                {
                    Error(cvNode, $"{itemPath}.commandVariant {cvNumber} is not allowed for {info} (allowed: {info.CommandVariants}).");
                }
            }

            if (info is not null && roles is { } r && !info.IsEligible(r) && !additional.Contains(info.Variant))
            {
                Error(srvNode!, $"{itemPath}.srv {info}: none of the user's roles ({UserRoleCodes.Format(r, ", ")}) may send it; eligible roles are "
                    + $"{(info.EligibleRoles == UserRoles.None ? "none (the DUIS matrix names no role)" : UserRoleCodes.Format(info.EligibleRoles, ", "))}. "
                    + "List it under additionalServices if the DCC's users file authorises this user for it.");
            }

            if (info is not null && weight is { } wv)
            {
                mix.Add(new TrafficMixEntry(info, wv, cv, PositionOf(item)));
            }
        }

        if (list.Children.Count == 0)
        {
            Error(list, $"{path} is empty: a user needs at least one Service Reference Variant to send.");
        }
        else if (!(total > 0))
        {
            Error(list, $"{path} weights add up to 0: at least one weight must be above 0.");
        }

        return mix;
    }

    private DeviceSelector? Targets(YamlNode node, string path)
    {
        if (Mapping(node, path) is not { } map)
        {
            return null;
        }

        var keys = Keys(map, path, ScenarioKeys.Targets);
        var dmcs = keys.TryGetValue("dmcs", out var dmcNode) ? List(dmcNode, path + ".dmcs", (n, p) =>
        {
            var name = Text(n, p);
            if (name is not null)
            {
                dmcReferences.Add((name, n));
            }

            return name;
        }) : [];
        var types = keys.TryGetValue("deviceTypes", out var typeNode)
            ? List(typeNode, path + ".deviceTypes", (n, p) => Enum(n, p, EstateTokens.DeviceTypes.ParseIgnoringCase, EstateTokens.DeviceTypes.Names))
            : [];
        var regions = keys.TryGetValue("regions", out var regionNode)
            ? List(regionNode, path + ".regions", (n, p) => Enum(n, p, EstateTokens.Regions.ParseIgnoringCase, EstateTokens.Regions.Names))
            : [];
        var generations = keys.TryGetValue("generations", out var generationNode)
            ? List(generationNode, path + ".generations", (n, p) => Enum(n, p, EstateTokens.Generations.ParseIgnoringCase, EstateTokens.Generations.Names))
            : [];
        return new DeviceSelector(
            dmcs.ConvertAll(d => d!),
            types.ConvertAll(t => t!.Value),
            regions.ConvertAll(r => r!.Value),
            generations.ConvertAll(g => g!.Value));
    }

    private List<T> List<T>(YamlNode node, string path, Func<YamlNode, string, T?> item)
    {
        List<T> result = [];
        if (Sequence(node, path) is not { } list)
        {
            return result;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            if (item(list.Children[i], $"{path}[{i}]") is { } value)
            {
                result.Add(value);
            }
        }

        return result;
    }

    private TEnum? Enum<TEnum>(YamlNode node, string path, Func<string, TEnum?> parse, string expected)
        where TEnum : struct
    {
        if (Text(node, path) is not { } text)
        {
            return null;
        }

        var value = parse(text);
        if (value is null)
        {
            Error(node, $"{path} '{text}' is not one of {expected}.");
        }

        return value;
    }

    // ---- performance levels, checks, DCC, target ----

    private PerformanceLevels? PerformanceLevelsFile(YamlNode? node)
    {
        string? path;
        if (node is not null)
        {
            path = ExistingFile(node, "performanceLevels", baseDirectory);
        }
        else
        {
            // A scenario that names none uses the levels file beside it or above it (a project's own), else the ones
            // shipped inside the tool: a scenario in a user's own folder runs as it is.
            path = FindLevelsFile();
            if (path is null)
            {
                return PerformanceLevels.BuiltIn;
            }
        }

        return path is null ? null : PerformanceLevels.TryRead(File.ReadAllText(path), path, this);
    }

    private string? FindLevelsFile()
    {
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in (string[])[Path.Combine(dir.FullName, LevelsFileName), Path.Combine(dir.FullName, "scenarios", LevelsFileName)])
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    // responseTimeouts: { on_demand: 90s, transform+non_device: 10s }: category or group names as checks write them.
    private List<ResponseTimeoutSetting> ResponseTimeouts(YamlNode node)
    {
        List<ResponseTimeoutSetting> settings = [];
        if (Mapping(node, "responseTimeouts") is not { } map)
        {
            return settings;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var path = $"responseTimeouts.{name}";
            if (!ResponseTimeoutSetting.TryParseCategories(name, out var categories, out var error))
            {
                Error(keyNode, $"responseTimeouts: {error}.");
                continue;
            }

            if (Duration(valueNode, path) is { } timeout)
            {
                Track(path, valueNode);
                settings.Add(new ResponseTimeoutSetting(categories, timeout, PositionOf(valueNode)));
            }
        }

        return settings;
    }

    private List<ScenarioCheck> Checks(YamlNode node)
    {
        List<ScenarioCheck> checks = [];
        if (Sequence(node, "checks") is not { } list)
        {
            return checks;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"checks[{i}]";
            var item = list.Children[i];
            var severity = ScenarioCheck.DefaultSeverity;
            if (item is YamlMappingNode map)
            {
                // The long form: { check: "p99(on_demand) < 30s", severity: 3 }.
                var keys = Keys(map, path, ScenarioKeys.Check);
                if (keys.TryGetValue("severity", out var severityNode) && Integer(severityNode, path + ".severity", 1, 5) is { } s)
                {
                    severity = (int)s;
                }

                if (Required(map, keys, "check", path) is not { } checkNode)
                {
                    continue;
                }

                item = checkNode;
                path += ".check";
            }

            if (Scalar(item, path) is not { } scalar)
            {
                continue;
            }

            var text = scalar.Value!;
            if (CheckParser.TryParse(text, out var check, out var error))
            {
                checks.Add(new ScenarioCheck(check, PositionOf(scalar)) { Severity = severity });
                continue;
            }

            // Point at the offending character: a quoted check starts one column after its quote.
            var quote = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
            var column = (int)scalar.Start.Column + quote + error.Column - 1;
            Error(new SourcePosition((int)scalar.Start.Line, column), $"{path} '{text}': {error.Message} (column {error.Column} of the check)");
        }

        return checks;
    }

    private GateTolerances? Gate(YamlNode node)
    {
        if (Mapping(node, "gate") is not { } map)
        {
            return null;
        }

        var keys = Keys(map, "gate", ScenarioKeys.Gate);
        var gate = new GateTolerances();
        double? Share(string key) => keys.TryGetValue(key, out var n) ? Percent(n, "gate." + key) / 100 : null;
        return gate with
        {
            ThroughputDrop = Share("throughputDrop") ?? gate.ThroughputDrop,
            P99Rise = Share("p99Rise") ?? gate.P99Rise,
            WithinTrtFall = Share("withinTrtFall") ?? gate.WithinTrtFall,
            ErrorRateRise = Share("errorRateRise") ?? gate.ErrorRateRise,
        };
    }

    private DccOptions? Dcc(YamlNode node)
    {
        if (Mapping(node, "dcc") is not { } map)
        {
            return null;
        }

        var keys = Keys(map, "dcc", ScenarioKeys.Dcc);
        string? behaviour = null;
        if (keys.TryGetValue("behaviour", out var behaviourNode) && ExistingFile(behaviourNode, "dcc.behaviour", baseDirectory) is { } behaviourPath)
        {
            behaviour = behaviourPath;
            try
            {
                _ = BehaviourConfig.Load(behaviourPath);
            }
            catch (ConfigException e)
            {
                AddErrors(e.Errors);
            }
        }

        var users = keys.TryGetValue("users", out var usersNode) ? ExistingFile(usersNode, "dcc.users", baseDirectory) : null;
        var signing = keys.TryGetValue("signing", out var signingNode) ? Bool(signingNode, "dcc.signing") ?? true : true;
        return new DccOptions(behaviour, users, signing);
    }

    private TargetOptions? Target(YamlNode node)
    {
        if (Mapping(node, "target") is not { } map)
        {
            return null;
        }

        var keys = Keys(map, "target", ScenarioKeys.Target);
        var url = Required(map, keys, "url", "target") is { } urlNode ? Url(urlNode, "target.url") : null;
        var listen = keys.TryGetValue("listen", out var listenNode) ? Url(listenNode, "target.listen") : null;
        var signing = keys.TryGetValue("signing", out var signingNode) ? Bool(signingNode, "target.signing") ?? true : true;
        var tls = keys.TryGetValue("tls", out var tlsNode) ? TargetTls(tlsNode) : null;
        return url is null ? null : new TargetOptions(url, listen, signing) { Tls = tls };
    }

    private TargetTlsOptions? TargetTls(YamlNode node)
    {
        if (Mapping(node, "target.tls") is not { } map)
        {
            return null;
        }

        var keys = Keys(map, "target.tls", ScenarioKeys.TargetTls);
        string? FileAt(string key) => keys.TryGetValue(key, out var n) ? ExistingFile(n, "target.tls." + key, baseDirectory) : null;
        string? TextAt(string key) => keys.TryGetValue(key, out var n) ? Text(n, "target.tls." + key) : null;
        var tls = new TargetTlsOptions
        {
            ClientCert = FileAt("clientCert"),
            ClientKey = FileAt("clientKey"),
            ClientCertPassword = TextAt("clientCertPassword"),
            ClientKeyPassword = TextAt("clientKeyPassword"),
            CaCert = FileAt("caCert"),
            ListenCert = FileAt("listenCert"),
            ListenKey = FileAt("listenKey"),
            ListenCertPassword = TextAt("listenCertPassword"),
            ListenKeyPassword = TextAt("listenKeyPassword"),
            ListenMutualTls = keys.TryGetValue("listenMutualTls", out var mutualNode) && (Bool(mutualNode, "target.tls.listenMutualTls") ?? false),
            ListenCa = FileAt("listenCa"),
        };

        // A key or password without the certificate it belongs to is a mistake the run would otherwise ignore.
        foreach (var (part, owner) in (ReadOnlySpan<(string, string)>)[
            ("clientKey", "clientCert"), ("clientCertPassword", "clientCert"), ("clientKeyPassword", "clientCert"),
            ("listenKey", "listenCert"), ("listenCertPassword", "listenCert"), ("listenKeyPassword", "listenCert")])
        {
            if (keys.TryGetValue(part, out var partNode) && !keys.ContainsKey(owner))
            {
                Error(partNode, $"target.tls.{part} belongs to target.tls.{owner}, which is not given.");
            }
        }

        return tls;
    }

    private Uri? Url(YamlNode node, string path)
    {
        if (Text(node, path) is not { } text)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        Error(node, $"{path} '{text}' is not an http:// or https:// address.");
        return null;
    }
}
