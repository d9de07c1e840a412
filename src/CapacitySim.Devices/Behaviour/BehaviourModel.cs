using System.Runtime.InteropServices;
using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Behaviour;

/// <summary>
/// The population's name tables that behaviour configuration refers to: a device's <see cref="DeviceRecord.Dmc"/>,
/// <see cref="DeviceRecord.Firmware"/> and <see cref="DeviceRecord.Smets1ServiceProvider"/> are indexes into them.
/// </summary>
/// <param name="Dmcs">DMC names by DMC id.</param>
/// <param name="Firmware">Firmware by firmware id: each a version of one DMC.</param>
/// <param name="Smets1ServiceProviders">The SMETS1 service providers with their ids.</param>
public sealed record EstateNames(IReadOnlyList<string> Dmcs, IReadOnlyList<EstateFirmware> Firmware, IReadOnlyList<EstateServiceProvider> Smets1ServiceProviders);

/// <summary>A firmware version of a DMC, as the population's firmware table lists it.</summary>
/// <param name="Dmc">The DMC id.</param>
/// <param name="Version">The version text.</param>
public readonly record struct EstateFirmware(ushort Dmc, string Version);

/// <summary>A SMETS1 service provider of the population.</summary>
/// <param name="Id">Its id, as <see cref="DeviceRecord.Smets1ServiceProvider"/> holds it.</param>
/// <param name="Name">Its name.</param>
public readonly record struct EstateServiceProvider(byte Id, string Name);

/// <summary>
/// A <see cref="BehaviourConfig"/> bound to one estate, seed and scenario start: profiles resolved per (DMC, firmware),
/// firmware rollouts and power outages planned. Everything it answers is a pure function of (seed, device, time), so
/// <see cref="DeviceBehaviour"/> and <see cref="EventGenerator"/> agree and runs repeat exactly. Holds no per-device
/// objects: only the device index lists of the DMCs that have alert processes or rollouts.
/// </summary>
public sealed class BehaviourModel
{
    private const int MaxRollouts = 64;
    private readonly ResolvedProfile[] profiles;
    private readonly ResolvedProfile defaults;
    private readonly int firmwareCount;
    private readonly Dictionary<int, int> smsPerSrv;
    private readonly Dictionary<(ushort Dmc, DeviceType Type), int[]> groups;
    private readonly bool[] dmcHasRollout;

    /// <summary>Binds <paramref name="config"/> to <paramref name="estate"/>.</summary>
    /// <exception cref="ConfigException">The configuration names DMCs, firmware versions or service providers the estate does not have.</exception>
    public BehaviourModel(BehaviourConfig config, IEstate estate, EstateNames names, ulong seed, DateTimeOffset scenarioStart)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(names);
        Config = config;
        Estate = estate;
        Seed = seed;
        ScenarioStart = scenarioStart;
        var errors = new List<ConfigError>();

        // Versions that only a rollout names get ids after the estate's, so a rollout can install them.
        var firmware = new List<EstateFirmware>(names.Firmware);
        foreach (var rollout in config.FirmwareRollouts)
        {
            var dmcId = IndexOf(names.Dmcs, rollout.Dmc);
            if (dmcId >= 0 && !firmware.Contains(new EstateFirmware((ushort)dmcId, rollout.To)))
            {
                firmware.Add(new EstateFirmware((ushort)dmcId, rollout.To));
            }
        }

        if (firmware.Count > ushort.MaxValue)
        {
            throw new ConfigException("The estate and rollouts name more firmware versions than a firmware id can hold.");
        }

        Firmware = firmware.AsReadOnly();
        firmwareCount = firmware.Count;
        var dmcCount = Math.Max(1, names.Dmcs.Count);

        defaults = ResolvedProfile.Resolve(null, config.Defaults, names, config.Source, errors);
        profiles = new ResolvedProfile[dmcCount * firmwareCount];
        Array.Fill(profiles, defaults);
        foreach (var dmc in config.Dmcs)
        {
            var dmcId = IndexOf(names.Dmcs, dmc.Name);
            if (dmcId < 0)
            {
                errors.Add(Error(config, dmc.Position, $"DMC '{dmc.Name}' is not in the estate"));
                continue;
            }

            var dmcProfile = ResolvedProfile.Resolve(defaults, dmc.Profile, names, config.Source, errors);
            profiles.AsSpan(dmcId * firmwareCount, firmwareCount).Fill(dmcProfile);
            foreach (var fw in dmc.Firmware)
            {
                var fwId = firmware.IndexOf(new EstateFirmware((ushort)dmcId, fw.Version));
                if (fwId < 0)
                {
                    errors.Add(Error(config, fw.Position, $"firmware '{fw.Version}' of DMC '{dmc.Name}' is neither in the estate nor the target of a rollout"));
                    continue;
                }

                profiles[(dmcId * firmwareCount) + fwId] = ResolvedProfile.Resolve(dmcProfile, fw.Profile, names, config.Source, errors);
            }
        }

        var plans = new List<RolloutPlan>();
        dmcHasRollout = new bool[dmcCount];
        if (config.FirmwareRollouts.Count > MaxRollouts)
        {
            errors.Add(Error(config, config.FirmwareRollouts[MaxRollouts].Position, $"at most {MaxRollouts} firmware rollouts are supported"));
        }

        for (var i = 0; i < config.FirmwareRollouts.Count && i < MaxRollouts; i++)
        {
            var r = config.FirmwareRollouts[i];
            var dmcId = IndexOf(names.Dmcs, r.Dmc);
            var fromId = r.From is null || dmcId < 0 ? -1 : firmware.IndexOf(new EstateFirmware((ushort)dmcId, r.From));
            if (dmcId < 0)
            {
                errors.Add(Error(config, r.Position, $"rollout DMC '{r.Dmc}' is not in the estate"));
            }

            if (r.From is not null && fromId < 0)
            {
                errors.Add(Error(config, r.Position, $"rollout 'from' firmware '{r.From}' is neither in the estate nor the target of a rollout"));
            }

            if (dmcId >= 0 && (r.From is null || fromId >= 0))
            {
                dmcHasRollout[dmcId] = true;
                plans.Add(new RolloutPlan(i, (ushort)dmcId, r.Device, fromId, (ushort)firmware.IndexOf(new EstateFirmware((ushort)dmcId, r.To)), r.Share, r.Start.Ticks, r.Over.Ticks, seed));
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        Rollouts = [.. plans];
        Outages = new OutagePlan[config.PowerOutages.Count];
        for (var i = 0; i < Outages.Length; i++)
        {
            Outages[i] = new OutagePlan(i, config.PowerOutages[i], estate.PremisesCount, seed);
        }

        smsPerSrv = [];
        foreach (var (srv, count) in config.SmsWakeUp.SmsPerRequest)
        {
            smsPerSrv[srv.Key] = count;
        }

        groups = BuildGroups(estate, AlertGroupKeys(dmcCount), Rollouts);
        foreach (var plan in Rollouts)
        {
            plan.Bind(plan.Device is { } type ? groups[(plan.Dmc, type)] : MergeGroups(plan.Dmc));
        }
    }

    /// <summary>The configuration bound.</summary>
    public BehaviourConfig Config { get; }

    /// <summary>The estate bound.</summary>
    public IEstate Estate { get; }

    /// <summary>The seed every draw derives from.</summary>
    public ulong Seed { get; }

    /// <summary>Scenario time zero: scheduled events are offsets from it.</summary>
    public DateTimeOffset ScenarioStart { get; }

    /// <summary>Firmware by id: the estate's, then versions that only rollouts name (ids the population must add to install them).</summary>
    public IReadOnlyList<EstateFirmware> Firmware { get; }

    internal RolloutPlan[] Rollouts { get; }

    internal OutagePlan[] Outages { get; }

    /// <summary>The firmware id a device runs at <paramref name="at"/>, after the rollouts due by then.</summary>
    public ushort FirmwareAt(in DeviceRecord device, DateTimeOffset at) => FirmwareAt(device, (at - ScenarioStart).Ticks);

    /// <summary>True when the premises is without supply at <paramref name="at"/> (in a scheduled outage, not yet restored).</summary>
    public bool IsWithoutSupply(int premises, DateTimeOffset at) => IsWithoutSupply(premises, (at - ScenarioStart).Ticks);

    /// <summary>SMS wake-ups a SMETS1 request of <paramref name="srv"/> needs.</summary>
    public int SmsPerRequest(ServiceReferenceVariant srv)
        => smsPerSrv.TryGetValue(srv.Key, out var count) ? count : Config.SmsWakeUp.DefaultSmsPerRequest;

    internal ResolvedProfile Profile(ushort dmc, ushort firmware)
    {
        // Ids outside the tables (a population newer than the configuration) fall back to the defaults.
        var index = (dmc * firmwareCount) + firmware;
        return firmware < firmwareCount && (uint)index < (uint)profiles.Length ? profiles[index] : defaults;
    }

    internal int[]? Group(ushort dmc, DeviceType type) => groups.GetValueOrDefault((dmc, type));

    internal IEnumerable<(ushort Dmc, DeviceType Type, int[] Members)> Groups()
    {
        foreach (var ((dmc, type), members) in groups)
        {
            yield return (dmc, type, members);
        }
    }

    internal int DmcCount => profiles.Length / firmwareCount;

    internal int FirmwareCount => firmwareCount;

    internal ushort FirmwareAt(in DeviceRecord device, long ticks)
        => device.Dmc < dmcHasRollout.Length && dmcHasRollout[device.Dmc]
            ? FirmwareBefore(device, ticks, int.MaxValue)
            : device.Firmware;

    /// <summary>
    /// The firmware a device runs just before rollout <paramref name="cutoffIndex"/> would upgrade it at
    /// <paramref name="cutoffTicks"/>: the rollouts that select it apply in order of their upgrade time (then of their
    /// order in the file), each only when the device runs its 'from' version at that moment.
    /// </summary>
    internal ushort FirmwareBefore(in DeviceRecord device, long cutoffTicks, int cutoffIndex)
    {
        Span<long> times = stackalloc long[MaxRollouts];
        Span<int> order = stackalloc int[MaxRollouts];
        var count = 0;
        for (var i = 0; i < Rollouts.Length; i++)
        {
            var plan = Rollouts[i];
            if (plan.Dmc != device.Dmc || !plan.TryUpgradeTime(device.Index, out var t)
                || t > cutoffTicks || (t == cutoffTicks && plan.Index >= cutoffIndex))
            {
                continue;
            }

            // Insertion sort by (time, order): a handful of rollouts at most.
            var j = count++;
            while (j > 0 && times[j - 1] > t)
            {
                times[j] = times[j - 1];
                order[j] = order[j - 1];
                j--;
            }

            times[j] = t;
            order[j] = i;
        }

        var firmware = device.Firmware;
        for (var k = 0; k < count; k++)
        {
            var plan = Rollouts[order[k]];
            if (plan.From < 0 || plan.From == firmware)
            {
                firmware = plan.To;
            }
        }

        return firmware;
    }

    internal bool IsWithoutSupply(int premises, long ticks)
    {
        foreach (var outage in Outages)
        {
            if (ticks >= outage.StartTicks && ticks < outage.LatestRestoreTicks && outage.Affects(premises, Estate)
                && ticks < outage.RestoreTicks(premises))
            {
                return true;
            }
        }

        return false;
    }

    private HashSet<(ushort, DeviceType)> AlertGroupKeys(int dmcCount)
    {
        var keys = new HashSet<(ushort, DeviceType)>();
        for (var d = 0; d < dmcCount; d++)
        {
            for (var f = 0; f < firmwareCount; f++)
            {
                foreach (var alert in profiles[(d * firmwareCount) + f].Alerts)
                {
                    if (alert.PerDevicePerDay > 0)
                    {
                        keys.Add(((ushort)d, alert.Device));
                    }
                }
            }
        }

        return keys;
    }

    private int[] MergeGroups(ushort dmc)
    {
        var all = new List<int>();
        foreach (var ((d, _), members) in groups)
        {
            if (d == dmc)
            {
                all.AddRange(members);
            }
        }

        var result = all.ToArray();
        Array.Sort(result);
        return result;
    }

    private static Dictionary<(ushort, DeviceType), int[]> BuildGroups(IEstate estate, HashSet<(ushort, DeviceType)> alertKeys, RolloutPlan[] rollouts)
    {
        var rolloutDmcs = new HashSet<ushort>();
        foreach (var plan in rollouts)
        {
            rolloutDmcs.Add(plan.Dmc);
        }

        var lists = new Dictionary<(ushort, DeviceType), List<int>>();
        var count = estate.Count;
        for (var i = 0; i < count; i++)
        {
            var device = estate.Get(i);
            var key = (device.Dmc, device.Type);
            if (!alertKeys.Contains(key) && !rolloutDmcs.Contains(device.Dmc))
            {
                continue;
            }

            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(lists, key, out _);
            list ??= [];
            list.Add(i);
        }

        var result = new Dictionary<(ushort, DeviceType), int[]>();
        foreach (var key in alertKeys)
        {
            result[key] = [];
        }

        foreach (var (key, list) in lists)
        {
            // Devices were visited in index order, so each list is sorted: rollouts binary-search it.
            result[key] = [.. list];
        }

        return result;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static ConfigError Error(BehaviourConfig config, SourcePosition position, string message)
        => new(config.Source, position.Line, position.Column, message);
}

/// <summary>The settings of one (DMC, firmware), with everything inherited filled in.</summary>
internal sealed class ResolvedProfile
{
    private ResolvedProfile(
        LatencyDistribution[] regions,
        LatencyDistribution[] providers,
        LatencyDistribution smets1Default,
        double noResponse,
        JoinFailureConfig? join,
        AlertRateConfig[] alerts,
        bool hubReboots,
        double ppmidLeavesHan)
    {
        Regions = regions;
        Providers = providers;
        Smets1Default = smets1Default;
        NoResponse = noResponse;
        JoinShare = join?.Share ?? 0;
        var keys = new int[join?.ServiceReferenceVariants.Count ?? 0];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = join!.ServiceReferenceVariants[i].Key;
        }

        JoinSrvKeys = keys;
        Join = join;
        Alerts = alerts;
        HubReboots = hubReboots;
        PpmidLeavesHan = ppmidLeavesHan;
    }

    /// <summary>SMETS2 latency by CSP region (indexed by the region's value).</summary>
    public LatencyDistribution[] Regions { get; }

    /// <summary>SMETS1 latency by service provider id.</summary>
    public LatencyDistribution[] Providers { get; }

    public LatencyDistribution Smets1Default { get; }

    public double NoResponse { get; }

    public double JoinShare { get; }

    public int[] JoinSrvKeys { get; }

    public JoinFailureConfig? Join { get; }

    public AlertRateConfig[] Alerts { get; }

    public bool HubReboots { get; }

    public double PpmidLeavesHan { get; }

    public double AlertRate(DeviceAlertCode code, DeviceType type)
    {
        foreach (var alert in Alerts)
        {
            if (alert.Code == code && alert.Device == type)
            {
                return alert.PerDevicePerDay;
            }
        }

        return 0;
    }

    public LatencyDistribution Latency(in DeviceRecord device)
    {
        if (device.Generation == DeviceGeneration.Smets1)
        {
            return device.Smets1ServiceProvider < Providers.Length ? Providers[device.Smets1ServiceProvider] : Smets1Default;
        }

        return (int)device.Region < Regions.Length ? Regions[(int)device.Region] : Regions[(int)CspRegion.Central];
    }

    public bool JoinApplies(ServiceReferenceVariant srv)
    {
        var key = srv.Key;
        foreach (var k in JoinSrvKeys)
        {
            if (k == key)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Resolves <paramref name="profile"/> over <paramref name="parent"/> (null for the defaults, which must be complete).</summary>
    public static ResolvedProfile Resolve(ResolvedProfile? parent, BehaviourProfile profile, EstateNames names, string source, List<ConfigError> errors)
    {
        var latency = profile.Latency;
        var regions = new LatencyDistribution[4];
        for (var r = 1; r <= 3; r++)
        {
            regions[r] = latency?.Smets2.GetValueOrDefault((CspRegion)r) ?? parent?.Regions[r] ?? LatencyDistribution.LogNormal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        regions[0] = regions[(int)CspRegion.Central];
        var smets1Default = latency?.Smets1Default ?? parent?.Smets1Default ?? regions[(int)CspRegion.Central];
        var providerCount = 1;
        foreach (var sp in names.Smets1ServiceProviders)
        {
            providerCount = Math.Max(providerCount, sp.Id + 1);
        }

        var providers = new LatencyDistribution[providerCount];
        for (var i = 0; i < providerCount; i++)
        {
            // A provider inherits its parent's entry; a new SMETS1 default at this level replaces only the
            // providers that had no entry of their own above.
            providers[i] = parent is null || latency?.Smets1Default is not null && ReferenceEquals(parent.Providers[i], parent.Smets1Default)
                ? smets1Default
                : parent.Providers[i];
        }

        foreach (var named in latency?.Smets1ServiceProviders ?? [])
        {
            var id = -1;
            foreach (var sp in names.Smets1ServiceProviders)
            {
                if (string.Equals(sp.Name, named.Name, StringComparison.Ordinal))
                {
                    id = sp.Id;
                }
            }

            if (id < 0)
            {
                errors.Add(new ConfigError(source, named.Position.Line, named.Position.Column, $"SMETS1 service provider '{named.Name}' is not in the estate"));
                continue;
            }

            providers[id] = named.Distribution;
        }

        var alerts = new List<AlertRateConfig>(parent?.Alerts ?? []);
        foreach (var alert in profile.Alerts)
        {
            var existing = alerts.FindIndex(a => a.Code == alert.Code && a.Device == alert.Device);
            if (existing >= 0)
            {
                alerts[existing] = alert;
            }
            else
            {
                alerts.Add(alert);
            }
        }

        return new ResolvedProfile(
            regions,
            providers,
            smets1Default,
            profile.NoResponse ?? parent?.NoResponse ?? 0,
            profile.JoinFailure ?? parent?.Join,
            [.. alerts],
            profile.HubReboots ?? parent?.HubReboots ?? false,
            profile.PpmidLeavesHan ?? parent?.PpmidLeavesHan ?? 1);
    }
}
