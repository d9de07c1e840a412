using System.Globalization;
using CapacitySim.Devices.Configuration;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Devices.Estate;

/// <summary>
/// Reads a population spec from the YAML node tree (not by deserialising into classes), so that every value keeps the
/// position YamlDotNet gives it and every mistake is reported with its line and column; reading goes on after a
/// mistake so that the whole file is checked in one pass.
/// </summary>
internal sealed class PopulationSpecReader(string source) : YamlFileReader(source)
{
    private static readonly string[] RootKeys =
    [
        "seed", "premises", "referencePremises", "epoch", "generationMix", "regionMix", "statusMix", "premisesKinds",
        "consumption", "prepayment", "smets1ServiceProviders", "dmcs", "dmcMix", "firmwareMix",
    ];

    private static readonly string[] KindKeys = ["fuel", "ppmid", "ihd", "hcalcs", "payment", "weight"];
    private static readonly string[] DmcKeys = ["generation", "euiPrefix"];
    private static readonly string[] ProviderKeys = ["eui", "weight"];
    private static readonly string[] ConsumptionKeys = ["electricityKwhPerYear", "gasKwhPerYear", "spread", "exportShare", "exportKwhPerYear"];
    private static readonly string[] PrepaymentKeys = ["meanCreditPence", "debtShare", "meanDebtPence"];

    // Prefixes no generated device may use: the DCC Boxed reference devices (00-DB-12-…) and DCC parties (90-B3-D5-…).
    private static readonly uint[] ReservedPrefixes = [0x00DB12, 0x90B3D5];

    public PopulationSpec Read(string yaml) => LoadRoot(yaml) is { } rootNode ? Read(rootNode) : throw Failure();

    /// <summary>Reads a spec from an already-parsed node: a spec file's root, or a mapping written inside another file.</summary>
    public PopulationSpec Read(YamlNode rootNode)
    {
        if (Mapping(rootNode, "the spec") is not { } root)
        {
            throw Failure();
        }

        var keys = Keys(root, "the spec", RootKeys);

        var seed = Required(root, keys, "seed") is { } seedNode ? ULong(seedNode, "seed") : 0UL;
        var premises = Required(root, keys, "premises") is { } premisesNode ? Int(premisesNode, "premises", 0, PopulationSpec.MaxPremises) : 0;
        var includeReference = keys.TryGetValue("referencePremises", out var refNode) && Bool(refNode, "referencePremises");
        var epoch = keys.TryGetValue("epoch", out var epochNode) ? Timestamp(epochNode, "epoch") : new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var generationNode = Required(root, keys, "generationMix");
        var generations = generationNode is null ? [] : Mix(generationNode, "generationMix", EstateTokens.Generations);
        var regionNode = Required(root, keys, "regionMix");
        var regions = regionNode is null ? [] : Mix(regionNode, "regionMix", EstateTokens.Regions);
        var statuses = keys.TryGetValue("statusMix", out var statusNode)
            ? Mix(statusNode, "statusMix", EstateTokens.Statuses)
            : [new Weighted<DeviceStatus>(DeviceStatus.Commissioned, 1)];

        var kindsNode = Required(root, keys, "premisesKinds");
        var kinds = kindsNode is null ? [] : PremisesKinds(kindsNode);
        var consumption = keys.TryGetValue("consumption", out var consumptionNode) ? Consumption(consumptionNode) : ConsumptionSpec.Default;
        var prepayment = keys.TryGetValue("prepayment", out var prepaymentNode) ? Prepayment(prepaymentNode) : PrepaymentSpec.Default;

        var dmcsNode = Required(root, keys, "dmcs");
        var dmcs = dmcsNode is null ? [] : Dmcs(dmcsNode);
        var dmcByName = new Dictionary<string, DmcSpec>(StringComparer.Ordinal);
        foreach (var d in dmcs)
        {
            dmcByName[d.Name] = d;
        }

        var dmcMixNode = Required(root, keys, "dmcMix");
        var dmcMix = dmcMixNode is null ? [] : DmcMix(dmcMixNode, dmcByName);
        var firmwareNode = Required(root, keys, "firmwareMix");
        var firmwareMix = firmwareNode is null ? [] : FirmwareMix(firmwareNode, dmcByName);

        var smets1Share = 0.0;
        foreach (var g in generations)
        {
            if (g.Value == DeviceGeneration.Smets1)
            {
                smets1Share += g.Weight;
            }
        }

        List<Smets1ServiceProviderSpec> providers = [];
        if (keys.TryGetValue("smets1ServiceProviders", out var providersNode))
        {
            providers = Providers(providersNode);
        }
        else if (smets1Share > 0)
        {
            Error(root.Start, "Missing key 'smets1ServiceProviders': SMETS1 premises need at least one SMETS1 service provider.");
        }

        CheckCoverage(root, dmcMixNode, generations, kinds, dmcMix, dmcByName);
        CheckFirmwareCoverage(dmcMix, firmwareMix);

        var firmwareCount = 0;
        foreach (var f in firmwareMix.Values)
        {
            firmwareCount += f.Mix.Count;
        }

        if (firmwareCount > ushort.MaxValue && firmwareNode is not null)
        {
            Error(firmwareNode.Start, $"{firmwareCount} firmware versions are more than the {ushort.MaxValue} a population can hold.");
        }

        if (HasErrors)
        {
            throw Failure();
        }

        var dmcMixOut = new Dictionary<DeviceType, IReadOnlyList<Weighted<string>>>();
        foreach (var (type, entries) in dmcMix)
        {
            dmcMixOut[type] = entries.ConvertAll(e => new Weighted<string>(e.Name, e.Weight));
        }

        var firmwareOut = new Dictionary<string, IReadOnlyList<Weighted<string>>>(StringComparer.Ordinal);
        foreach (var (dmc, entry) in firmwareMix)
        {
            firmwareOut[dmc] = entry.Mix;
        }

        return new PopulationSpec
        {
            Source = Source,
            Seed = seed,
            Premises = premises,
            IncludeReferencePremises = includeReference,
            Epoch = epoch,
            GenerationMix = generations,
            RegionMix = regions,
            StatusMix = statuses,
            PremisesKinds = kinds,
            Dmcs = dmcs,
            DmcMix = dmcMixOut,
            FirmwareMix = firmwareOut,
            Smets1ServiceProviders = providers,
            Consumption = consumption,
            Prepayment = prepayment,
        };
    }

    private void CheckCoverage(
        YamlMappingNode root,
        YamlNode? dmcMixNode,
        List<Weighted<DeviceGeneration>> generations,
        List<PremisesKindSpec> kinds,
        Dictionary<DeviceType, List<DmcMixEntry>> dmcMix,
        Dictionary<string, DmcSpec> dmcByName)
    {
        // Every device a premises of a used kind and generation needs must have at least one DMC to be drawn from.
        List<DeviceType> needed = [DeviceType.CommunicationsHub, DeviceType.ElectricityMeter];
        foreach (var k in kinds)
        {
            if (!(k.Weight > 0))
            {
                continue;
            }

            if (k.Fuel == PremisesFuel.DualFuel)
            {
                AddOnce(needed, DeviceType.GasMeter);
                AddOnce(needed, DeviceType.GasProxy);
            }

            if (k.Ppmid)
            {
                AddOnce(needed, DeviceType.Ppmid);
            }

            if (k.Ihd)
            {
                AddOnce(needed, DeviceType.InHomeDisplay);
            }

            if (k.Hcalcs)
            {
                AddOnce(needed, DeviceType.Hcalcs);
            }
        }

        var at = dmcMixNode?.Start ?? root.Start;
        foreach (var g in generations)
        {
            if (!(g.Weight > 0))
            {
                continue;
            }

            foreach (var type in needed)
            {
                var covered = false;
                if (dmcMix.TryGetValue(type, out var entries))
                {
                    foreach (var e in entries)
                    {
                        covered |= e.Weight > 0 && dmcByName.TryGetValue(e.Name, out var d) && d.Generation == g.Value;
                    }
                }

                if (!covered && dmcMixNode is not null)
                {
                    Error(at, $"dmcMix has no {EstateTokens.Generations.Token(g.Value)} DMC with a positive weight for '{EstateTokens.DeviceTypes.Token(type)}', which {EstateTokens.Generations.Token(g.Value)} premises of the kinds in premisesKinds need.");
                }
            }
        }

        static void AddOnce(List<DeviceType> list, DeviceType t)
        {
            if (!list.Contains(t))
            {
                list.Add(t);
            }
        }
    }

    private void CheckFirmwareCoverage(Dictionary<DeviceType, List<DmcMixEntry>> dmcMix, Dictionary<string, FirmwareEntry> firmwareMix)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entries in dmcMix.Values)
        {
            foreach (var e in entries)
            {
                if (e.Known && !firmwareMix.ContainsKey(e.Name) && reported.Add(e.Name))
                {
                    Error(e.At, $"DMC '{e.Name}' is used in dmcMix but has no entry in firmwareMix.");
                }
            }
        }
    }

    private List<PremisesKindSpec> PremisesKinds(YamlNode node)
    {
        List<PremisesKindSpec> kinds = [];
        var map = Mapping(node, "premisesKinds");
        if (map is null)
        {
            return kinds;
        }

        var total = 0.0;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = KeyText(keyNode);
            var what = $"premises kind '{name}'";
            var entry = Mapping(valueNode, what);
            if (entry is null)
            {
                continue;
            }

            var keys = Keys(entry, what, KindKeys);
            var fuel = Required(entry, keys, "fuel", what) is { } fuelNode
                ? Enum(fuelNode, $"{what} fuel", static t => t switch
                {
                    "electricity" => PremisesFuel.ElectricityOnly,
                    "dual" => PremisesFuel.DualFuel,
                    _ => (PremisesFuel?)null,
                }, "electricity, dual") ?? PremisesFuel.ElectricityOnly
                : PremisesFuel.ElectricityOnly;
            var payment = keys.TryGetValue("payment", out var paymentNode)
                ? Enum(paymentNode, $"{what} payment", static t => t switch
                {
                    "credit" => PaymentMode.Credit,
                    "prepayment" => PaymentMode.Prepayment,
                    _ => (PaymentMode?)null,
                }, "credit, prepayment") ?? PaymentMode.Credit
                : PaymentMode.Credit;
            var ppmid = keys.TryGetValue("ppmid", out var p) && Bool(p, $"{what} ppmid");
            var ihd = keys.TryGetValue("ihd", out var i) && Bool(i, $"{what} ihd");
            var hcalcs = keys.TryGetValue("hcalcs", out var h) && Bool(h, $"{what} hcalcs");
            var weight = Required(entry, keys, "weight", what) is { } w ? Weight(w, $"{what} weight") : 0;
            total += weight;
            kinds.Add(new PremisesKindSpec(name, fuel, ppmid, ihd, hcalcs, payment, weight));
        }

        if (kinds.Count > byte.MaxValue)
        {
            Error(map.Start, $"{kinds.Count} premises kinds are more than the {byte.MaxValue} a population can hold.");
        }

        if (kinds.Count == 0 || !(total > 0))
        {
            Error(map.Start, "premisesKinds needs at least one kind with a positive weight.");
        }

        return kinds;
    }

    private ConsumptionSpec Consumption(YamlNode node)
    {
        var map = Mapping(node, "consumption");
        if (map is null)
        {
            return ConsumptionSpec.Default;
        }

        var d = ConsumptionSpec.Default;
        var keys = Keys(map, "consumption", ConsumptionKeys);
        return new ConsumptionSpec(
            keys.TryGetValue("electricityKwhPerYear", out var e) ? Number(e, "consumption electricityKwhPerYear", 0, 500_000) : d.ElectricityKwhPerYear,
            keys.TryGetValue("gasKwhPerYear", out var g) ? Number(g, "consumption gasKwhPerYear", 0, 500_000) : d.GasKwhPerYear,
            keys.TryGetValue("spread", out var s) ? Number(s, "consumption spread", 0, 0.99) : d.Spread,
            keys.TryGetValue("exportShare", out var x) ? Number(x, "consumption exportShare", 0, 1) : d.ExportShare,
            keys.TryGetValue("exportKwhPerYear", out var xk) ? Number(xk, "consumption exportKwhPerYear", 0, 500_000) : d.ExportKwhPerYear);
    }

    private PrepaymentSpec Prepayment(YamlNode node)
    {
        var map = Mapping(node, "prepayment");
        if (map is null)
        {
            return PrepaymentSpec.Default;
        }

        var d = PrepaymentSpec.Default;
        var keys = Keys(map, "prepayment", PrepaymentKeys);
        return new PrepaymentSpec(
            keys.TryGetValue("meanCreditPence", out var c) ? Int(c, "prepayment meanCreditPence", 0, 1_000_000) : d.MeanCreditPence,
            keys.TryGetValue("debtShare", out var s) ? Number(s, "prepayment debtShare", 0, 1) : d.DebtShare,
            keys.TryGetValue("meanDebtPence", out var m) ? Int(m, "prepayment meanDebtPence", 0, 1_000_000) : d.MeanDebtPence);
    }

    private List<DmcSpec> Dmcs(YamlNode node)
    {
        List<DmcSpec> dmcs = [];
        var map = Mapping(node, "dmcs");
        if (map is null)
        {
            return dmcs;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = KeyText(keyNode);
            var what = $"DMC '{name}'";
            var entry = Mapping(valueNode, what);
            if (entry is null)
            {
                continue;
            }

            var keys = Keys(entry, what, DmcKeys);
            var generation = Required(entry, keys, "generation", what) is { } g
                ? Enum(g, $"{what} generation", EstateTokens.Generations.Parse, EstateTokens.Generations.Names) ?? DeviceGeneration.Smets1
                : DeviceGeneration.Smets1;
            var prefix = Required(entry, keys, "euiPrefix", what) is { } p ? Prefix(p, $"{what} euiPrefix") : 0;
            dmcs.Add(new DmcSpec(name, generation, prefix));
        }

        if (dmcs.Count > ushort.MaxValue)
        {
            Error(map.Start, $"{dmcs.Count} DMCs are more than the {ushort.MaxValue} a population can hold.");
        }

        return dmcs;
    }

    private Dictionary<DeviceType, List<DmcMixEntry>> DmcMix(YamlNode node, Dictionary<string, DmcSpec> dmcByName)
    {
        var result = new Dictionary<DeviceType, List<DmcMixEntry>>();
        var map = Mapping(node, "dmcMix");
        if (map is null)
        {
            return result;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var typeName = KeyText(keyNode);
            var type = EstateTokens.DeviceTypes.Parse(typeName);
            if (type is null)
            {
                Error(keyNode.Start, $"Unknown device type '{typeName}' in dmcMix (expected one of esme, gsme, chf, gpf, ppmid, hcalcs, ihd).");
                continue;
            }

            var what = $"dmcMix {typeName}";
            var mix = Mapping(valueNode, what);
            if (mix is null)
            {
                continue;
            }

            List<DmcMixEntry> entries = [];
            var total = 0.0;
            foreach (var (dmcKey, weightNode) in mix.Children)
            {
                var dmc = KeyText(dmcKey);
                var known = dmcByName.ContainsKey(dmc);
                if (!known)
                {
                    Error(dmcKey.Start, $"Unknown DMC '{dmc}' in {what} (declare it under dmcs).");
                }

                var weight = Weight(weightNode, $"{what} weight of '{dmc}'");
                total += weight;
                entries.Add(new DmcMixEntry(dmc, weight, dmcKey.Start, known));
            }

            if (!(total > 0))
            {
                Error(mix.Start, $"{what} needs at least one DMC with a positive weight.");
            }

            result[type.Value] = entries;
        }

        return result;
    }

    private Dictionary<string, FirmwareEntry> FirmwareMix(YamlNode node, Dictionary<string, DmcSpec> dmcByName)
    {
        var result = new Dictionary<string, FirmwareEntry>(StringComparer.Ordinal);
        var map = Mapping(node, "firmwareMix");
        if (map is null)
        {
            return result;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var dmc = KeyText(keyNode);
            if (!dmcByName.ContainsKey(dmc))
            {
                Error(keyNode.Start, $"Unknown DMC '{dmc}' in firmwareMix (declare it under dmcs).");
            }

            var what = $"firmwareMix of '{dmc}'";
            var mix = Mapping(valueNode, what);
            if (mix is null)
            {
                continue;
            }

            List<Weighted<string>> versions = [];
            var total = 0.0;
            foreach (var (versionKey, weightNode) in mix.Children)
            {
                var version = KeyText(versionKey);
                if (version.Length is 0 or > 64)
                {
                    Error(versionKey.Start, $"Firmware version '{version}' of '{dmc}' must be 1 to 64 characters.");
                }

                var weight = Weight(weightNode, $"{what} weight of '{version}'");
                total += weight;
                versions.Add(new Weighted<string>(version, weight));
            }

            if (!(total > 0))
            {
                Error(mix.Start, $"{what} needs at least one version with a positive weight.");
            }

            result[dmc] = new FirmwareEntry(versions);
        }

        return result;
    }

    private List<Smets1ServiceProviderSpec> Providers(YamlNode node)
    {
        List<Smets1ServiceProviderSpec> providers = [];
        var map = Mapping(node, "smets1ServiceProviders");
        if (map is null)
        {
            return providers;
        }

        var total = 0.0;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = KeyText(keyNode);
            var what = $"SMETS1 service provider '{name}'";
            var entry = Mapping(valueNode, what);
            if (entry is null)
            {
                continue;
            }

            var keys = Keys(entry, what, ProviderKeys);
            var eui = default(Eui64);
            if (Required(entry, keys, "eui", what) is { } euiNode && Scalar(euiNode, $"{what} eui") is { } s
                && !Eui64.TryParse(s.Value.AsSpan(), out eui))
            {
                Error(s.Start, $"{what} eui '{s.Value}' is not an EUI-64 (expected eight hex octets joined by '-').");
            }

            var weight = Required(entry, keys, "weight", what) is { } w ? Weight(w, $"{what} weight") : 0;
            total += weight;
            providers.Add(new Smets1ServiceProviderSpec(name, eui, weight));
        }

        if (providers.Count > byte.MaxValue - 1)
        {
            Error(map.Start, $"{providers.Count} SMETS1 service providers are more than the {byte.MaxValue - 1} a population can hold.");
        }

        if (!(total > 0))
        {
            Error(map.Start, "smets1ServiceProviders needs at least one provider with a positive weight.");
        }

        return providers;
    }

    private List<Weighted<T>> Mix<T>(YamlNode node, string what, TokenTable<T> tokens)
        where T : struct, Enum
        => Mix(node, what, tokens.Parse, tokens.Names);

    private List<Weighted<T>> Mix<T>(YamlNode node, string what, Func<string, T?> parse, string expected)
        where T : struct
    {
        List<Weighted<T>> mix = [];
        var map = Mapping(node, what);
        if (map is null)
        {
            return mix;
        }

        var total = 0.0;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = KeyText(keyNode);
            var value = parse(name);
            if (value is null)
            {
                Error(keyNode.Start, $"Unknown key '{name}' in {what} (expected one of {expected}).");
            }

            var weight = Weight(valueNode, $"{what} weight of '{name}'");
            if (value is not null)
            {
                total += weight;
                mix.Add(new Weighted<T>(value.Value, weight));
            }
        }

        if (!(total > 0))
        {
            Error(map.Start, $"{what} needs at least one entry with a positive weight.");
        }

        return mix;
    }

    private Dictionary<string, YamlNode> Keys(YamlMappingNode map, string what, string[] allowed)
    {
        var keys = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = KeyText(keyNode);
            if (Array.IndexOf(allowed, key) < 0)
            {
                Error(keyNode.Start, $"Unknown key '{key}' in {what} (expected one of {string.Join(", ", allowed)}).");
                continue;
            }

            keys[key] = valueNode;
        }

        return keys;
    }

    private new YamlNode? Required(YamlMappingNode map, Dictionary<string, YamlNode> keys, string key, string what = "the spec")
    {
        if (keys.TryGetValue(key, out var node))
        {
            return node;
        }

        Error(map.Start, $"Missing key '{key}' in {what}.");
        return null;
    }

    private new YamlMappingNode? Mapping(YamlNode node, string what)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node.Start, $"{Capitalise(what)} must be a mapping of keys to values.");
        return null;
    }

    private new YamlScalarNode? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: not null } scalar)
        {
            return scalar;
        }

        Error(node.Start, $"{Capitalise(what)} must be a single value.");
        return null;
    }

    private new ulong ULong(YamlNode node, string what)
    {
        if (Scalar(node, what) is not { } s)
        {
            return 0;
        }

        var text = s.Value!;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)))
        {
            return value;
        }

        Error(s.Start, $"{Capitalise(what)} '{text}' is not a whole number from 0 to {ulong.MaxValue} (or 0x… hex).");
        return 0;
    }

    private int Int(YamlNode node, string what, int min, int max)
    {
        if (Scalar(node, what) is not { } s)
        {
            return 0;
        }

        var text = s.Value!.Replace("_", string.Empty, StringComparison.Ordinal);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(s.Start, $"{Capitalise(what)} '{s.Value}' is not a whole number.");
            return 0;
        }

        if (value < min || value > max)
        {
            Error(s.Start, $"{Capitalise(what)} {value} is out of range: expected {min} to {max}.");
            return 0;
        }

        return (int)value;
    }

    private double Number(YamlNode node, string what, double min, double max)
    {
        if (Scalar(node, what) is not { } s)
        {
            return 0;
        }

        if (!double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(s.Start, $"{Capitalise(what)} '{s.Value}' is not a number.");
            return 0;
        }

        if (value < min || value > max)
        {
            Error(s.Start, $"{Capitalise(what)} {s.Value} is out of range: expected {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
            return 0;
        }

        return value;
    }

    private double Weight(YamlNode node, string what)
    {
        if (Scalar(node, what) is not { } s)
        {
            return 0;
        }

        if (!double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(s.Start, $"{Capitalise(what)} '{s.Value}' is not a number (weights are relative: 70 and 30, or 0.7 and 0.3).");
            return 0;
        }

        if (value < 0)
        {
            Error(s.Start, $"{Capitalise(what)} {s.Value} is negative: weights are zero or more.");
            return 0;
        }

        return value;
    }

    private new bool Bool(YamlNode node, string what)
    {
        if (Scalar(node, what) is not { } s)
        {
            return false;
        }

        switch (s.Value)
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                Error(s.Start, $"{Capitalise(what)} '{s.Value}' is not true or false.");
                return false;
        }
    }

    private DateTimeOffset Timestamp(YamlNode node, string what)
    {
        if (Scalar(node, what) is { } s
            && DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        if (node is YamlScalarNode bad)
        {
            Error(bad.Start, $"{Capitalise(what)} '{bad.Value}' is not a date and time (for example 2025-01-01T00:00:00Z).");
        }

        return default;
    }

    private uint Prefix(YamlNode node, string what)
    {
        if (Scalar(node, what) is not { } s)
        {
            return 0;
        }

        // Three hex octets joined by '-': the manufacturer prefix of an EUI-64 followed by five zero octets.
        if (s.Value!.Length == 8 && Eui64.TryParse((s.Value + "-00-00-00-00-00").AsSpan(), out var eui))
        {
            var prefix = (uint)(eui.Value >> 40);
            if (Array.IndexOf(ReservedPrefixes, prefix) >= 0)
            {
                Error(s.Start, $"{Capitalise(what)} '{s.Value}' is reserved (00-DB-12 for the DCC Boxed reference devices, 90-B3-D5 for DCC parties).");
            }

            return prefix;
        }

        Error(s.Start, $"{Capitalise(what)} '{s.Value}' is not three hex octets joined by '-' (for example 02-5E-10).");
        return 0;
    }

    private TEnum? Enum<TEnum>(YamlNode node, string what, Func<string, TEnum?> parse, string expected)
        where TEnum : struct
    {
        if (Scalar(node, what) is not { } s)
        {
            return null;
        }

        var value = parse(s.Value!);
        if (value is null)
        {
            Error(s.Start, $"{Capitalise(what)} '{s.Value}' is not one of {expected}.");
        }

        return value;
    }

    private string KeyText(YamlNode key)
    {
        if (key is YamlScalarNode { Value: { } text })
        {
            return text;
        }

        Error(key.Start, "Keys must be plain values.");
        return string.Empty;
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private sealed record DmcMixEntry(string Name, double Weight, Mark At, bool Known);

    private sealed record FirmwareEntry(List<Weighted<string>> Mix);
}
