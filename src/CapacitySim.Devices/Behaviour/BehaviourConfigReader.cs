using System.Globalization;
using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Devices.Time;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Devices.Behaviour;

/// <summary>
/// Reads a <see cref="BehaviourConfig"/> from YAML, collecting every problem with its line and column before throwing
/// once, so a user fixes a file in one pass.
/// </summary>
internal sealed class BehaviourConfigReader(string source) : YamlFileReader(source)
{
    private static readonly string[] TopKeys = ["smsWakeUp", "defaults", "dmcs", "hubReboot", "powerRestore", "powerOutages", "firmwareRollouts"];
    private static readonly string[] ProfileKeys = ["latency", "noResponse", "joinFailure", "alerts", "hubReboots", "ppmidLeavesHan"];
    private static readonly string[] DmcKeys = [.. ProfileKeys, "firmware"];
    private static readonly string[] LatencyKeys = ["smets2", "smets1"];
    private static readonly string[] Smets1Keys = ["default", "serviceProviders"];
    private static readonly string[] DistributionKeys = ["median", "p95", "percentiles"];
    private static readonly string[] JoinKeys = ["share", "serviceReferenceVariants"];
    private static readonly string[] AlertKeys = ["code", "device", "perDevicePerDay"];
    private static readonly string[] SmsKeys = ["delayPerSms", "defaultSmsPerRequest", "smsPerRequest"];
    private static readonly string[] RebootKeys = ["period", "hanLeaveDelay", "alertDelay", "alertDevice", "alertCode", "rejoinDelay"];
    private static readonly string[] RestoreKeys = ["longOutage", "deviceAlertDelay", "dccAlertCode", "dccAlertMinimumOutage", "dccAlertDelay"];
    private static readonly string[] OutageKeys = ["name", "region", "share", "start", "duration", "restoreRamp"];
    private static readonly string[] RolloutKeys = ["dmc", "device", "from", "to", "share", "start", "over"];

    public BehaviourConfig Read(string yaml)
    {
        if (LoadStream(yaml) is not { } stream)
        {
            throw Failure();
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            Error(new SourcePosition(1, 1), "the file must be a YAML mapping with at least a 'defaults' section");
            throw Failure();
        }

        var nodes = Keys(root, TopKeys);
        var errorsBefore = Errors.Count;
        var defaults = nodes.TryGetValue("defaults", out var d) ? Profile(d) : null;
        if (defaults is null)
        {
            Error(root.Start, "'defaults' is required");
        }
        else if (Errors.Count == errorsBefore)
        {
            // Only when the defaults read cleanly: a distribution already reported as invalid is not also missing.
            CheckDefaults(defaults, d!);
        }

        var config = new BehaviourConfig
        {
            Source = Source,
            SmsWakeUp = SmsWakeUp(nodes.GetValueOrDefault("smsWakeUp")),
            Defaults = defaults ?? new BehaviourProfile(),
            Dmcs = Dmcs(nodes.GetValueOrDefault("dmcs")),
            HubReboot = HubReboot(nodes.GetValueOrDefault("hubReboot")),
            PowerRestore = PowerRestore(nodes.GetValueOrDefault("powerRestore")),
            PowerOutages = Objects(nodes.GetValueOrDefault("powerOutages"), PowerOutage),
            FirmwareRollouts = Objects(nodes.GetValueOrDefault("firmwareRollouts"), Rollout),
        };

        return Errors.Count == 0 ? config : throw Failure();
    }

    private void CheckDefaults(BehaviourProfile defaults, YamlNode node)
    {
        var latency = defaults.Latency;
        foreach (var region in (ReadOnlySpan<CspRegion>)[CspRegion.North, CspRegion.Central, CspRegion.South])
        {
            if (latency is null || !latency.Smets2.ContainsKey(region))
            {
                Error(node.Start, $"defaults.latency.smets2 must give a distribution for region {region}");
            }
        }

        if (latency?.Smets1Default is null)
        {
            Error(node.Start, "defaults.latency.smets1.default is required (the latency of SMETS1 providers without their own entry)");
        }
    }

    private SmsWakeUpConfig SmsWakeUp(YamlNode? node)
    {
        var nodes = node is null ? new Dictionary<string, YamlNode>() : Keys(node, SmsKeys);
        var perSrv = new Dictionary<ServiceReferenceVariant, int>();
        if (nodes.TryGetValue("smsPerRequest", out var table) && Mapping(table) is { } map)
        {
            foreach (var (key, value) in map.Children)
            {
                var text = (key as YamlScalarNode)?.Value ?? string.Empty;
                if (!ServiceReferenceVariant.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out var srv))
                {
                    Error(key.Start, $"'{text}' is not a service reference variant such as 4.10 or 4.1.1");
                }
                else if (Integer(value, 0, 10) is { } count)
                {
                    perSrv[srv] = count;
                }
            }
        }

        return new SmsWakeUpConfig
        {
            DelayPerSms = Optional(nodes, "delayPerSms", Duration) ?? TimeSpan.FromSeconds(5),
            DefaultSmsPerRequest = nodes.TryGetValue("defaultSmsPerRequest", out var n) ? Integer(n, 0, 10) ?? 1 : 1,
            SmsPerRequest = perSrv,
        };
    }

    private List<DmcBehaviourConfig> Dmcs(YamlNode? node)
    {
        var result = new List<DmcBehaviourConfig>();
        if (node is null || Mapping(node) is not { } map)
        {
            return result;
        }

        foreach (var (key, value) in map.Children)
        {
            var name = Name(key);
            if (name is null)
            {
                continue;
            }

            var profile = Profile(value, DmcKeys) ?? new BehaviourProfile();
            var firmware = new List<FirmwareBehaviourConfig>();
            if (value is YamlMappingNode dmcMap && dmcMap.Children.TryGetValue(new YamlScalarNode("firmware"), out var fwNode) && Mapping(fwNode) is { } fwMap)
            {
                foreach (var (fwKey, fwValue) in fwMap.Children)
                {
                    if (Name(fwKey) is { } version)
                    {
                        firmware.Add(new FirmwareBehaviourConfig(version, Position(fwKey.Start), Profile(fwValue) ?? new BehaviourProfile()));
                    }
                }
            }

            result.Add(new DmcBehaviourConfig(name, Position(key.Start), profile, firmware));
        }

        return result;
    }

    private BehaviourProfile? Profile(YamlNode node) => Profile(node, ProfileKeys);

    private BehaviourProfile? Profile(YamlNode node, string[] allowed)
    {
        if (Mapping(node) is null)
        {
            return null;
        }

        var nodes = Keys(node, allowed);
        return new BehaviourProfile
        {
            Latency = nodes.TryGetValue("latency", out var l) ? Latency(l) : null,
            NoResponse = Optional(nodes, "noResponse", Probability),
            JoinFailure = nodes.TryGetValue("joinFailure", out var j) ? JoinFailure(j) : null,
            Alerts = nodes.TryGetValue("alerts", out var a) ? Objects(a, Alert) : [],
            HubReboots = Optional(nodes, "hubReboots", Boolean),
            PpmidLeavesHan = Optional(nodes, "ppmidLeavesHan", Probability),
        };
    }

    private LatencyConfig? Latency(YamlNode node)
    {
        if (Mapping(node) is null)
        {
            return null;
        }

        var nodes = Keys(node, LatencyKeys);
        var smets2 = new Dictionary<CspRegion, LatencyDistribution>();
        if (nodes.TryGetValue("smets2", out var s2) && Mapping(s2) is { } regions)
        {
            foreach (var (key, value) in regions.Children)
            {
                var region = Region(key);
                if (Distribution(value) is { } dist && region is { } r)
                {
                    smets2[r] = dist;
                }
            }
        }

        LatencyDistribution? s1Default = null;
        var providers = new List<NamedLatency>();
        if (nodes.TryGetValue("smets1", out var s1) && Mapping(s1) is not null)
        {
            var s1Nodes = Keys(s1, Smets1Keys);
            s1Default = s1Nodes.TryGetValue("default", out var dn) ? Distribution(dn) : null;
            if (s1Nodes.TryGetValue("serviceProviders", out var spNode) && Mapping(spNode) is { } spMap)
            {
                foreach (var (key, value) in spMap.Children)
                {
                    if (Name(key) is { } name && Distribution(value) is { } dist)
                    {
                        providers.Add(new NamedLatency(name, dist, Position(key.Start)));
                    }
                }
            }
        }

        return new LatencyConfig { Smets2 = smets2, Smets1Default = s1Default, Smets1ServiceProviders = providers };
    }

    private LatencyDistribution? Distribution(YamlNode node)
    {
        if (Mapping(node) is null)
        {
            return null;
        }

        var nodes = Keys(node, DistributionKeys);
        if (nodes.TryGetValue("percentiles", out var table))
        {
            if (nodes.ContainsKey("median") || nodes.ContainsKey("p95"))
            {
                Error(node.Start, "give either 'percentiles' or 'median' and 'p95', not both");
                return null;
            }

            if (Mapping(table) is not { } rows)
            {
                return null;
            }

            var list = new List<(double, TimeSpan)>();
            var ok = true;
            foreach (var (key, value) in rows.Children)
            {
                var p = Number(key, 0, 100);
                var t = Duration(value);
                ok &= p is not null && t is not null;
                if (p is { } pv && t is { } tv)
                {
                    list.Add((pv, tv));
                }
            }

            if (!ok)
            {
                return null;
            }

            if (LatencyDistribution.CheckTable(list) is { } problem)
            {
                Error(table.Start, problem);
                return null;
            }

            return LatencyDistribution.FromPercentiles(list);
        }

        var median = Required(node, nodes, "median", Duration);
        var p95 = Required(node, nodes, "p95", Duration);
        if (median is not { } m || p95 is not { } p95v)
        {
            return null;
        }

        if (m <= TimeSpan.Zero || p95v < m)
        {
            Error(node.Start, $"a log-normal latency needs 0 < median ≤ p95 (median {m}, p95 {p95v})");
            return null;
        }

        return LatencyDistribution.LogNormal(m, p95v);
    }

    private JoinFailureConfig? JoinFailure(YamlNode node)
    {
        if (Mapping(node) is null)
        {
            return null;
        }

        var nodes = Keys(node, JoinKeys);
        var share = Required(node, nodes, "share", Probability);
        var srvs = new List<ServiceReferenceVariant>();
        if (nodes.TryGetValue("serviceReferenceVariants", out var list))
        {
            srvs.AddRange(Values(list, Srv));
        }
        else
        {
            // Commission Device, Join Service (critical and non-critical) and Update HAN Device Log: the requests of
            // an install that joins a gas meter to its hub.
            srvs.AddRange([new(8, 1, 1), new(8, 7, 1), new(8, 7, 2), new(8, 11, 0)]);
        }

        return share is { } s ? new JoinFailureConfig(s, srvs) : null;
    }

    private AlertRateConfig? Alert(YamlNode node)
    {
        if (Mapping(node) is null)
        {
            return null;
        }

        var nodes = Keys(node, AlertKeys);
        var code = Required(node, nodes, "code", AlertCode);
        var device = Required(node, nodes, "device", DeviceTypeOf);
        var rate = Required(node, nodes, "perDevicePerDay", n => Number(n, 0, 1e6));
        return code is { } c && device is { } dv && rate is { } r ? new AlertRateConfig(c, dv, r) : null;
    }

    private HubRebootConfig HubReboot(YamlNode? node)
    {
        var nodes = node is null ? new Dictionary<string, YamlNode>() : Keys(node, RebootKeys);
        var period = Optional(nodes, "period", Duration) ?? TimeSpan.FromDays(9);
        if (period <= TimeSpan.Zero && node is not null)
        {
            Error(nodes["period"].Start, "the hub reboot period must be positive");
        }

        var alertDevice = Optional(nodes, "alertDevice", DeviceTypeOf) ?? DeviceType.ElectricityMeter;
        if (alertDevice is not (DeviceType.ElectricityMeter or DeviceType.Ppmid))
        {
            Error(nodes["alertDevice"].Start, "the alert after a hub reboot comes from the ESME or the PPMID");
        }

        return new HubRebootConfig
        {
            Period = period,
            HanLeaveDelay = Optional(nodes, "hanLeaveDelay", Duration) ?? TimeSpan.Zero,
            AlertDelay = Optional(nodes, "alertDelay", Duration) ?? TimeSpan.FromMinutes(1),
            AlertDevice = alertDevice,
            AlertCode = Optional(nodes, "alertCode", AlertCode) ?? DeviceAlertCode.UnauthorisedCommunicationAccessAttempted,
            RejoinDelay = Optional(nodes, "rejoinDelay", Duration) ?? TimeSpan.FromMinutes(10),
        };
    }

    private PowerRestoreConfig PowerRestore(YamlNode? node)
    {
        var nodes = node is null ? new Dictionary<string, YamlNode>() : Keys(node, RestoreKeys);
        return new PowerRestoreConfig
        {
            LongOutage = Optional(nodes, "longOutage", Duration) ?? TimeSpan.FromMinutes(3),
            DeviceAlertDelay = Optional(nodes, "deviceAlertDelay", Duration) ?? TimeSpan.Zero,
            DccAlertCode = Optional(nodes, "dccAlertCode", DccCode) ?? new DccAlertCode(DccAlertCodeKind.AD, 1),
            DccAlertMinimumOutage = Optional(nodes, "dccAlertMinimumOutage", Duration) ?? TimeSpan.FromMinutes(3),
            DccAlertDelay = Optional(nodes, "dccAlertDelay", Duration) ?? TimeSpan.Zero,
        };
    }

    private PowerOutageConfig? PowerOutage(YamlNode node)
    {
        if (Mapping(node) is null)
        {
            return null;
        }

        var nodes = Keys(node, OutageKeys);
        var name = nodes.TryGetValue("name", out var n) ? Name(n) : null;
        var region = Required(node, nodes, "region", Region);
        var share = Required(node, nodes, "share", Probability);
        var start = Required(node, nodes, "start", Duration);
        var duration = Required(node, nodes, "duration", Duration);
        var ramp = Optional(nodes, "restoreRamp", Duration) ?? TimeSpan.Zero;
        return region is { } r && share is { } s && start is { } st && duration is { } du
            ? new PowerOutageConfig(name ?? $"outage in {r}", Position(node.Start), r, s, st, du, ramp)
            : null;
    }

    private FirmwareRolloutConfig? Rollout(YamlNode node)
    {
        if (Mapping(node) is null)
        {
            return null;
        }

        var nodes = Keys(node, RolloutKeys);
        var dmc = Required(node, nodes, "dmc", Name);
        DeviceType? device = nodes.TryGetValue("device", out var dn) ? DeviceTypeOf(dn) : null;
        var from = nodes.TryGetValue("from", out var fn) ? Name(fn) : null;
        var to = Required(node, nodes, "to", Name);
        var share = Required(node, nodes, "share", Probability);
        var start = Required(node, nodes, "start", Duration);
        var over = Required(node, nodes, "over", Duration);
        return dmc is not null && to is not null && share is { } s && start is { } st && over is { } ov
            ? new FirmwareRolloutConfig(dmc, Position(node.Start), device, from, to, s, st, ov)
            : null;
    }

    private List<T> Objects<T>(YamlNode? node, Func<YamlNode, T?> item)
        where T : class
    {
        var result = new List<T>();
        if (node is null)
        {
            return result;
        }

        if (node is not YamlSequenceNode seq)
        {
            Error(node.Start, "expected a list");
            return result;
        }

        foreach (var child in seq.Children)
        {
            if (item(child) is { } value)
            {
                result.Add(value);
            }
        }

        return result;
    }

    private List<T> Values<T>(YamlNode? node, Func<YamlNode, T?> item)
        where T : struct
    {
        var result = new List<T>();
        if (node is null)
        {
            return result;
        }

        if (node is not YamlSequenceNode seq)
        {
            Error(node.Start, "expected a list");
            return result;
        }

        foreach (var child in seq.Children)
        {
            if (item(child) is { } value)
            {
                result.Add(value);
            }
        }

        return result;
    }

    private Dictionary<string, YamlNode> Keys(YamlNode node, string[] allowed)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node is not YamlMappingNode map)
        {
            return result;
        }

        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (Array.IndexOf(allowed, name) < 0)
            {
                Error(key.Start, $"unknown key '{name}' (expected one of: {string.Join(", ", allowed)})");
            }
            else
            {
                result[name] = value;
            }
        }

        return result;
    }

    private T? Required<T>(YamlNode parent, Dictionary<string, YamlNode> nodes, string key, Func<YamlNode, T?> read)
        where T : struct
    {
        if (nodes.TryGetValue(key, out var node))
        {
            return read(node);
        }

        Error(parent.Start, $"'{key}' is required here");
        return null;
    }

    private string? Required(YamlNode parent, Dictionary<string, YamlNode> nodes, string key, Func<YamlNode, string?> read)
    {
        if (nodes.TryGetValue(key, out var node))
        {
            return read(node);
        }

        Error(parent.Start, $"'{key}' is required here");
        return null;
    }

    private static T? Optional<T>(Dictionary<string, YamlNode> nodes, string key, Func<YamlNode, T?> read)
        where T : struct
        => nodes.TryGetValue(key, out var node) ? read(node) : null;

    private YamlMappingNode? Mapping(YamlNode node)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node.Start, "expected a mapping (key: value lines)");
        return null;
    }

    private string? Value(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } text })
        {
            return text;
        }

        Error(node.Start, $"expected {what}");
        return null;
    }

    private string? Name(YamlNode node) => Value(node, "a name");

    private double? Number(YamlNode node, double min, double max)
    {
        var text = Value(node, "a number");
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= min && value <= max))
        {
            Error(node.Start, $"'{text}' is not a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return value;
    }

    private int? Integer(YamlNode node, int min, int max)
    {
        var text = Value(node, "a whole number");
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(node.Start, $"'{text}' is not a whole number from {min} to {max}");
            return null;
        }

        return value;
    }

    private double? Probability(YamlNode node) => Number(node, 0, 1);

    private bool? Boolean(YamlNode node)
    {
        var text = Value(node, "true or false");
        if (text is null)
        {
            return null;
        }

        if (!bool.TryParse(text, out var value))
        {
            Error(node.Start, $"'{text}' is not true or false");
            return null;
        }

        return value;
    }

    /// <summary>
    /// A duration: a number with a unit (250ms, 5s, 3m, 2h, 9d), several joined (3m30s, 1d12h), or a TimeSpan such as
    /// 00:03:00.
    /// </summary>
    private TimeSpan? Duration(YamlNode node)
    {
        var text = Value(node, "a duration such as 5s, 3m30s, 2h or 9d");
        if (text is null)
        {
            return null;
        }

        if (TryParseDuration(text, out var value))
        {
            return value;
        }

        Error(node.Start, $"'{text}' is not a duration (use numbers with units: ms, s, m, h, d; for example 90s, 3m30s or 9d)");
        return null;
    }

    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        if (DurationText.TryParse(text, out value, allowDays: true))
        {
            return true;
        }

        // The TimeSpan form needs its colons: a bare number ("30") is refused rather than read as days.
        return text.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParseExact(text.Trim(), "c", CultureInfo.InvariantCulture, out value)
            && value >= TimeSpan.Zero;
    }

    private CspRegion? Region(YamlNode node)
    {
        var text = Value(node, "a CSP region (North, Central or South)");
        if (text is null)
        {
            return null;
        }

        if (EstateTokens.Regions.ParseIgnoringCase(text) is { } region)
        {
            return region;
        }

        Error(node.Start, $"'{text}' is not a CSP region (North, Central or South)");
        return null;
    }

    private DeviceType? DeviceTypeOf(YamlNode node)
    {
        var text = Value(node, "a device type (ESME, GSME, CHF, GPF, PPMID, HCALCS, IHD)");
        var type = text is null ? null : EstateTokens.DeviceTypes.ParseIgnoringCase(text);
        if (type is null && text is not null)
        {
            Error(node.Start, $"'{text}' is not a device type (ESME, GSME, CHF, GPF, PPMID, HCALCS, IHD)");
        }

        return type;
    }

    private DeviceAlertCode? AlertCode(YamlNode node)
    {
        var text = Value(node, "a GBCS alert code such as 8F35");
        if (text is null)
        {
            return null;
        }

        if (DeviceAlertCode.TryParse(text.AsSpan(), out var code))
        {
            return code;
        }

        Error(node.Start, $"'{text}' is not a GBCS alert code (four hex digits such as 8F35)");
        return null;
    }

    private DccAlertCode? DccCode(YamlNode node)
    {
        var text = Value(node, "a DCC alert code such as AD1 or N24");
        if (text is null)
        {
            return null;
        }

        if (DccAlertCode.TryParse(text.AsSpan(), out var code) && code.IsDefinedBySchema)
        {
            return code;
        }

        Error(node.Start, $"'{text}' is not a DCC alert code of the DUIS schema (such as AD1 or N24)");
        return null;
    }

    private ServiceReferenceVariant? Srv(YamlNode node)
    {
        var text = Value(node, "a service reference variant such as 8.7.1");
        if (text is null)
        {
            return null;
        }

        if (ServiceReferenceVariant.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out var srv))
        {
            return srv;
        }

        Error(node.Start, $"'{text}' is not a service reference variant such as 8.7.1 or 4.10");
        return null;
    }

    private static SourcePosition Position(Mark mark) => new((int)mark.Line, (int)mark.Column);

    protected override string SyntaxError(YamlException error) => $"not valid YAML: {error?.Message}";
}
