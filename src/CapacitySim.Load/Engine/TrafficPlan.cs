using System.Globalization;
using System.Runtime.CompilerServices;
using CapacitySim.Devices.Configuration;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Templates;
using CapacitySim.Load.Recording;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Engine;

/// <summary>
/// What each arrival of a run sends: the scenario's users' traffic mixes pooled into one weighted table (an entry's
/// share is its weight over the sum of every user's weights), each entry with its compiled request template and the
/// devices it may address. The choice for an arrival is a pure function of the scenario seed and the arrival's index,
/// so a run is reproducible whatever thread sends what; choosing allocates nothing.
/// </summary>
public sealed class TrafficPlan
{
    /// <summary>Path index of the Send Command service (the connection's own endpoint path).</summary>
    internal const int SendCommandPath = 0;

    /// <summary>Path index of the Non-Device service.</summary>
    internal const int NonDevicePath = 1;

    /// <summary>Path index of the Transform service.</summary>
    internal const int TransformPath = 2;

    private readonly double[] cumulative;
    private readonly ulong seed;

    private TrafficPlan(Scenario scenario, TargetEstate estate, PlanEntry[] entries, double[] cumulative)
    {
        Scenario = scenario;
        Estate = estate;
        Entries = entries;
        this.cumulative = cumulative;
        seed = scenario.Seed;
    }

    /// <summary>The scenario planned.</summary>
    public Scenario Scenario { get; }

    /// <summary>The devices addressed.</summary>
    public TargetEstate Estate { get; }

    /// <summary>The entries, in scenario order (users, then their mix).</summary>
    internal PlanEntry[] Entries { get; }

    /// <summary>The web service paths a DUIS endpoint at <paramref name="baseAddress"/> serves, in path-index order (S, D, T).</summary>
    public static IReadOnlyList<string> ServicePaths(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var prefix = baseAddress.AbsolutePath.TrimEnd('/');
        return [prefix + DuisWebServices.SendCommandPath, prefix + DuisWebServices.NonDevicePath, prefix + DuisWebServices.TransformPath];
    }

    /// <summary>
    /// Builds the plan. Every mix entry that addresses devices must find at least one in service that its user's
    /// targets select and the variant applies to; otherwise the scenario cannot run and the error names the entry's line.
    /// </summary>
    /// <exception cref="ConfigException">An entry has no device to address, or no request body is known for it.</exception>
    public static TrafficPlan Build(Scenario scenario, TargetEstate estate)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(estate);
        var entries = new List<PlanEntry>();
        var errors = new List<ConfigError>();
        var placeholder = new RequestId(new Eui64(0x90B3D51F30010000), RequestBodies.DccTarget, 1);
        for (var u = 0; u < scenario.Users.Count; u++)
        {
            var user = scenario.Users[u];
            var dmcSelected = SelectDmcs(user.Targets, estate);
            foreach (var mix in user.Mix)
            {
                var info = mix.Info;
                var cv = mix.CommandVariant;
                RequestTemplate template;
                try
                {
                    template = RequestTemplate.Compile(RequestBodies.BuildRequest(info.Variant, placeholder, cv), $"SRV {info.Variant} CV {(byte)cv}");
                }
                catch (Exception e) when (e is ArgumentException or KeyNotFoundException or DuisTemplateException)
                {
                    errors.Add(new ConfigError(scenario.Source, mix.Position.Line, mix.Position.Column, $"No request body can be built for SRV {info.Variant} with command variant {(byte)cv}: {e.Message}"));
                    continue;
                }

                RequestTemplate? followUp = null;
                if (cv == CommandVariant.CriticalTransform && info.IsAllowed(CommandVariant.CriticalSignedToDevice))
                {
                    followUp = RequestTemplate.Compile(RequestBodies.BuildRequest(info.Variant, placeholder, CommandVariant.CriticalSignedToDevice), $"SRV {info.Variant} CV 5");
                }

                var nonDevice = info.NonDevice || cv is CommandVariant.NonDevice;
                int[] devices = [];
                if (!nonDevice)
                {
                    devices = SelectDevices(estate, user.Targets, dmcSelected, info.Variant);
                    if (devices.Length == 0)
                    {
                        errors.Add(new ConfigError(scenario.Source, mix.Position.Line, mix.Position.Column,
                            $"No device in service in the estate is one SRV {info.Variant} applies to and {user.Name}'s targets select ({Describe(user.Targets)})."));
                        continue;
                    }
                }

                entries.Add(new PlanEntry(entries.Count, u, user, mix, template, PathOf(cv), followUp, devices, nonDevice));
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var cumulative = new double[entries.Count];
        double sum = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            sum += entries[i].Mix.Weight;
            cumulative[i] = sum;
        }

        for (var i = 0; i < cumulative.Length; i++)
        {
            cumulative[i] /= sum;
        }

        return new TrafficPlan(scenario, estate, [.. entries], cumulative);
    }

    /// <summary>The entry and device (an estate index, or -1 for a non-device request) arrival <paramref name="arrivalIndex"/> sends.</summary>
    internal PlanEntry Choose(long arrivalIndex, out int device)
    {
        var h = Mix(seed ^ Mix((ulong)arrivalIndex + 0x9E3779B97F4A7C15UL));
        var u = (h >> 11) * (1.0 / (1UL << 53));
        var e = Array.BinarySearch(cumulative, u);
        e = e < 0 ? ~e : e;
        if (e >= cumulative.Length)
        {
            e = cumulative.Length - 1;
        }

        var entry = Entries[e];
        device = entry.Devices.Length == 0 ? -1 : entry.Devices[(int)(Mix(h) % (ulong)entry.Devices.Length)];
        return entry;
    }

    /// <summary>The latency key of a request of <paramref name="entry"/> to <paramref name="device"/> (-1: non-device).</summary>
    internal LatencyKey KeyOf(PlanEntry entry, int device, CommandVariant commandVariant)
    {
        if (device < 0)
        {
            var category = commandVariant == CommandVariant.CriticalTransform ? PerformanceCategory.Transform : PerformanceCategory.NonDevice;
            return new LatencyKey(new LatencyCategory((byte)category), entry.Srv, default, 0);
        }

        var type = Estate.Type(device);
        var cat = PerformanceCategories.Classify(entry.Info, type, Estate.Generation(device), commandVariant);
        return new LatencyKey(new LatencyCategory((byte)cat), entry.Srv, Estate.Region(device), Estate.Dmc(device));
    }

    // SplitMix64's finaliser: a fast, well-mixed hash of the arrival index.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static int PathOf(CommandVariant cv) => DuisWebServices.ForCommandVariant(cv) switch
    {
        DuisWebService.NonDevice => NonDevicePath,
        DuisWebService.Transform => TransformPath,
        _ => SendCommandPath,
    };

    private static bool[] SelectDmcs(DeviceSelector targets, TargetEstate estate)
    {
        var selected = new bool[estate.DmcNames.Count];
        for (var d = 0; d < selected.Length; d++)
        {
            selected[d] = targets.Dmcs.Count == 0 || targets.Dmcs.Contains(estate.DmcNames[d], StringComparer.Ordinal);
        }

        return selected;
    }

    private static int[] SelectDevices(TargetEstate estate, DeviceSelector targets, bool[] dmcSelected, ServiceReferenceVariant srv)
    {
        var chosen = new List<int>();
        for (var i = 0; i < estate.Count; i++)
        {
            var dmc = estate.Dmc(i);
            if (dmc >= dmcSelected.Length || !dmcSelected[dmc] || !estate.InService(i))
            {
                continue;
            }

            var type = estate.Type(i);
            if ((targets.DeviceTypes.Count > 0 && !targets.DeviceTypes.Contains(type))
                || (targets.Regions.Count > 0 && !targets.Regions.Contains(estate.Region(i)))
                || (targets.Generations.Count > 0 && !targets.Generations.Contains(estate.Generation(i)))
                || !ServiceDeviceTypes.IsCompatible(srv, type))
            {
                continue;
            }

            chosen.Add(i);
        }

        return [.. chosen];
    }

    private static string Describe(DeviceSelector s)
    {
        var parts = new List<string>();
        if (s.Dmcs.Count > 0)
        {
            parts.Add("dmcs " + string.Join(", ", s.Dmcs));
        }

        if (s.DeviceTypes.Count > 0)
        {
            parts.Add("device types " + string.Join(", ", s.DeviceTypes));
        }

        if (s.Regions.Count > 0)
        {
            parts.Add("regions " + string.Join(", ", s.Regions));
        }

        if (s.Generations.Count > 0)
        {
            parts.Add("generations " + string.Join(", ", s.Generations));
        }

        return parts.Count == 0 ? "any device" : string.Join("; ", parts);
    }
}

/// <summary>One weighted line of the pooled traffic mix.</summary>
internal sealed class PlanEntry(
    int index,
    int userIndex,
    ScenarioUser user,
    TrafficMixEntry mix,
    RequestTemplate template,
    int pathIndex,
    RequestTemplate? followUp,
    int[] devices,
    bool nonDevice)
{
    public int Index { get; } = index;

    public int UserIndex { get; } = userIndex;

    public ScenarioUser User { get; } = user;

    public TrafficMixEntry Mix { get; } = mix;

    public ServiceVariantInfo Info => Mix.Info;

    public ServiceReferenceVariant Srv => Mix.Info.Variant;

    public CommandVariant CommandVariant => Mix.CommandVariant;

    public RequestTemplate Template { get; } = template;

    public int PathIndex { get; } = pathIndex;

    /// <summary>For a CV 4 (Transform) entry, the CV 5 request the user sends once the DCC returns the Pre-Command.</summary>
    public RequestTemplate? FollowUp { get; } = followUp;

    public int[] Devices { get; } = devices;

    public bool NonDevice { get; } = nonDevice;

    public string SrvText { get; } = mix.Info.Variant.ToString() + (mix.CommandVariant == CommandVariant.CriticalTransform ? " (CV 4)" : string.Empty);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{User.Name}: SRV {Srv} CV {(byte)CommandVariant}");
}
