using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Load.Scenarios;

/// <content>The service users, their roles and their request mixes.</content>
internal sealed partial class ScenarioReader
{
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
}
