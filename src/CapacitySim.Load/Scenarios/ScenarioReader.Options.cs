using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Configuration;
using CapacitySim.Load.Results;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Load.Scenarios;

/// <content>Performance levels, checks, the embedded DCC and an external target.</content>
internal sealed partial class ScenarioReader
{
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
