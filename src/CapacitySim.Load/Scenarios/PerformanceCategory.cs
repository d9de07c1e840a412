using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Load.Scenarios;

/// <summary>
/// The service categories the DCC performance levels are set for: each has a Target Response Time and service levels
/// (<c>scenarios/performance-levels.yaml</c>). SMETS1 devices are reached through a SMETS1 service provider and their
/// hubs are woken by SMS, so each category that involves a device has a SMETS1 twin; Transform, Non-Device and DCC
/// Alerts never reach a device and have none.
/// </summary>
public enum PerformanceCategory : byte
{
    /// <summary>Transform (CV 4): the DCC turns a critical request into a Pre-Command.</summary>
    Transform = 0,

    /// <summary>Non-Device requests, answered by the DCC itself.</summary>
    NonDevice,

    /// <summary>On-Demand requests to an electricity meter or communications hub (SMETS2).</summary>
    OnDemandEsmeChf,

    /// <summary>On-Demand requests to a gas meter or gas proxy function (SMETS2).</summary>
    OnDemandGsmeGpf,

    /// <summary>Future-Dated requests to an electricity meter or communications hub, measured from execution time (SMETS2).</summary>
    FutureDatedEsmeChf,

    /// <summary>Future-Dated requests to a gas meter or gas proxy function, measured from execution time (SMETS2).</summary>
    FutureDatedGsmeGpf,

    /// <summary>DCC-Scheduled requests, measured from the scheduled time (SMETS2).</summary>
    DccScheduled,

    /// <summary>Device Alerts, from the device raising it to delivery to the user (SMETS2).</summary>
    DeviceAlert,

    /// <summary>DCC Alerts, from the DCC raising it to delivery to the user.</summary>
    DccAlert,

    /// <summary>On-Demand requests to a SMETS1 electricity meter or hub.</summary>
    Smets1OnDemandEsmeChf,

    /// <summary>On-Demand requests to a SMETS1 gas meter or gas proxy.</summary>
    Smets1OnDemandGsmeGpf,

    /// <summary>Future-Dated requests to a SMETS1 electricity meter or hub.</summary>
    Smets1FutureDatedEsmeChf,

    /// <summary>Future-Dated requests to a SMETS1 gas meter or gas proxy.</summary>
    Smets1FutureDatedGsmeGpf,

    /// <summary>DCC-Scheduled requests to SMETS1 devices.</summary>
    Smets1DccScheduled,

    /// <summary>Device Alerts from SMETS1 devices.</summary>
    Smets1DeviceAlert,
}

/// <summary>When a request is meant to run: at once, at a future execution time, or on a DCC schedule.</summary>
public enum RequestTiming : byte
{
    /// <summary>At once.</summary>
    OnDemand = 0,

    /// <summary>At the request's execution date and time.</summary>
    FutureDated,

    /// <summary>On a schedule the DCC keeps.</summary>
    DccScheduled,
}

/// <summary>A set of performance categories, as a check names it (<c>on_demand</c>, <c>transform+non_device</c>).</summary>
public readonly record struct PerformanceCategorySet
{
    private readonly uint mask;

    private PerformanceCategorySet(uint mask) => this.mask = mask;

    /// <summary>Every category.</summary>
    public static PerformanceCategorySet All => new((1u << PerformanceCategories.Count) - 1);

    /// <summary>The bits of the set: bit n stands for category n.</summary>
    public uint Mask => mask;

    /// <summary>How many categories are in the set.</summary>
    public int Count => BitOperations.PopCount(mask);

    /// <summary>A set of the given categories.</summary>
    public static PerformanceCategorySet Of(params ReadOnlySpan<PerformanceCategory> categories)
    {
        var bits = 0u;
        foreach (var c in categories)
        {
            bits |= 1u << (int)c;
        }

        return new PerformanceCategorySet(bits);
    }

    /// <summary>True when <paramref name="category"/> is in the set.</summary>
    public bool Contains(PerformanceCategory category) => (mask & (1u << (int)category)) != 0;

    /// <summary>The union of two sets.</summary>
    public PerformanceCategorySet Union(PerformanceCategorySet other) => new(mask | other.mask);

    /// <summary>The snake_case names of the categories in the set, joined by '+'.</summary>
    public override string ToString()
    {
        var names = new List<string>();
        for (var i = 0; i < PerformanceCategories.Count; i++)
        {
            if ((mask & (1u << i)) != 0)
            {
                names.Add(PerformanceCategories.NameOf((PerformanceCategory)i));
            }
        }

        return string.Join('+', names);
    }
}

/// <summary>Names of the performance categories and the rule that puts a request into one.</summary>
public static class PerformanceCategories
{
    private static readonly string[] Names =
    [
        "transform", "non_device", "on_demand_esme_chf", "on_demand_gsme_gpf", "future_dated_esme_chf",
        "future_dated_gsme_gpf", "dcc_scheduled", "device_alert", "dcc_alert", "smets1_on_demand_esme_chf",
        "smets1_on_demand_gsme_gpf", "smets1_future_dated_esme_chf", "smets1_future_dated_gsme_gpf",
        "smets1_dcc_scheduled", "smets1_device_alert",
    ];

    /// <summary>
    /// Names that stand for several categories in checks: both generations and both fuels of a kind of traffic,
    /// every SMETS1 category, every alert, everything.
    /// </summary>
    private static readonly (string Name, PerformanceCategorySet Set)[] Groups =
    [
        ("on_demand", PerformanceCategorySet.Of(PerformanceCategory.OnDemandEsmeChf, PerformanceCategory.OnDemandGsmeGpf, PerformanceCategory.Smets1OnDemandEsmeChf, PerformanceCategory.Smets1OnDemandGsmeGpf)),
        ("future_dated", PerformanceCategorySet.Of(PerformanceCategory.FutureDatedEsmeChf, PerformanceCategory.FutureDatedGsmeGpf, PerformanceCategory.Smets1FutureDatedEsmeChf, PerformanceCategory.Smets1FutureDatedGsmeGpf)),
        ("scheduled", PerformanceCategorySet.Of(PerformanceCategory.DccScheduled, PerformanceCategory.Smets1DccScheduled)),
        ("device_alerts", PerformanceCategorySet.Of(PerformanceCategory.DeviceAlert, PerformanceCategory.Smets1DeviceAlert)),
        ("alerts", PerformanceCategorySet.Of(PerformanceCategory.DeviceAlert, PerformanceCategory.Smets1DeviceAlert, PerformanceCategory.DccAlert)),
        ("smets1", PerformanceCategorySet.Of(PerformanceCategory.Smets1OnDemandEsmeChf, PerformanceCategory.Smets1OnDemandGsmeGpf, PerformanceCategory.Smets1FutureDatedEsmeChf, PerformanceCategory.Smets1FutureDatedGsmeGpf, PerformanceCategory.Smets1DccScheduled, PerformanceCategory.Smets1DeviceAlert)),
        ("all", PerformanceCategorySet.All),
    ];

    /// <summary>Number of categories.</summary>
    public static int Count => Names.Length;

    /// <summary>Every category name (as performance-levels.yaml and checks write them), in enum order.</summary>
    public static IReadOnlyList<string> CategoryNames => Names;

    /// <summary>Every group name a check may use besides the category names.</summary>
    public static IReadOnlyList<string> GroupNames => field ??= Array.ConvertAll(Groups, g => g.Name);

    /// <summary>The snake_case name of a category (<c>on_demand_esme_chf</c>).</summary>
    public static string NameOf(PerformanceCategory category) => Names[(int)category];

    /// <summary>Parses a category name.</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out PerformanceCategory category)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                category = (PerformanceCategory)i;
                return true;
            }
        }

        category = default;
        return false;
    }

    /// <summary>Parses a category or group name into the set it stands for.</summary>
    public static bool TryParseSet(ReadOnlySpan<char> name, out PerformanceCategorySet set)
    {
        if (TryParse(name, out var category))
        {
            set = PerformanceCategorySet.Of(category);
            return true;
        }

        foreach (var (groupName, groupSet) in Groups)
        {
            if (name.SequenceEqual(groupName))
            {
                set = groupSet;
                return true;
            }
        }

        set = default;
        return false;
    }

    /// <summary>
    /// The category whose performance level applies to a request for <paramref name="info"/> sent with
    /// <paramref name="commandVariant"/> to a device of <paramref name="deviceType"/> and
    /// <paramref name="generation"/>, run with <paramref name="timing"/>.
    /// </summary>
    /// <remarks>
    /// CV 4 is the Transform service whatever the target. Non-device variants, CV 8, and the local-delivery variants
    /// CV 2 and 6 never wait for a device: CV 2 and 6 are put with Non-Device, the nearest DCC-only category, which is
    /// an ASSUMPTION (no public source gives them a TRT of their own). Devices on the gas side (GSME, GPF) have their
    /// own TRT because the gas meter is battery powered and only listens to the hub at intervals; every other device
    /// (ESME, CHF, PPMID, HCALCS) is on the electricity side.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="timing"/> is one the variant does not allow.</exception>
    public static PerformanceCategory Classify(
        ServiceVariantInfo info,
        DeviceType deviceType,
        DeviceGeneration generation,
        CommandVariant commandVariant,
        RequestTiming timing = RequestTiming.OnDemand)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (commandVariant == CommandVariant.CriticalTransform)
        {
            return PerformanceCategory.Transform;
        }

        if (info.NonDevice || deviceType == DeviceType.Dcc
            || commandVariant is CommandVariant.NonDevice or CommandVariant.NonCriticalLocalDelivery or CommandVariant.CriticalSignedLocalDelivery)
        {
            return PerformanceCategory.NonDevice;
        }

        var gas = deviceType is DeviceType.GasMeter or DeviceType.GasProxy;
        var smets1 = generation == DeviceGeneration.Smets1;
        switch (timing)
        {
            case RequestTiming.FutureDated:
                if (info.FutureDatedPattern == FutureDatedPattern.No)
                {
                    ThrowTiming(info, timing);
                }

                return (smets1, gas) switch
                {
                    (false, false) => PerformanceCategory.FutureDatedEsmeChf,
                    (false, true) => PerformanceCategory.FutureDatedGsmeGpf,
                    (true, false) => PerformanceCategory.Smets1FutureDatedEsmeChf,
                    (true, true) => PerformanceCategory.Smets1FutureDatedGsmeGpf,
                };
            case RequestTiming.DccScheduled:
                if (!info.DccScheduled)
                {
                    ThrowTiming(info, timing);
                }

                return smets1 ? PerformanceCategory.Smets1DccScheduled : PerformanceCategory.DccScheduled;
            default:
                return (smets1, gas) switch
                {
                    (false, false) => PerformanceCategory.OnDemandEsmeChf,
                    (false, true) => PerformanceCategory.OnDemandGsmeGpf,
                    (true, false) => PerformanceCategory.Smets1OnDemandEsmeChf,
                    (true, true) => PerformanceCategory.Smets1OnDemandGsmeGpf,
                };
        }
    }

    /// <summary>The category of a Device Alert from a device of <paramref name="generation"/>.</summary>
    public static PerformanceCategory ForDeviceAlert(DeviceGeneration generation)
        => generation == DeviceGeneration.Smets1 ? PerformanceCategory.Smets1DeviceAlert : PerformanceCategory.DeviceAlert;

    [DoesNotReturn]
    private static void ThrowTiming(ServiceVariantInfo info, RequestTiming timing)
        => throw new ArgumentException($"{info} cannot be {(timing == RequestTiming.FutureDated ? "future dated" : "DCC scheduled")} (DUIS Service Request matrix).", nameof(timing));
}
