using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Behaviour;

/// <summary>
/// How the estate's devices behave, per device model combination (DMC) and firmware: response latency, failures,
/// background alerts, the hub reboot cycle, and scheduled power outages and firmware rollouts. Loaded from YAML with
/// <see cref="Load"/> or <see cref="Parse"/>; bound to an estate by <see cref="BehaviourModel"/>.
/// </summary>
public sealed class BehaviourConfig
{
    /// <summary>The file (or name) the configuration was read from, as errors cite it.</summary>
    public required string Source { get; init; }

    /// <summary>SMS wake-up of SMETS1 communications hubs.</summary>
    public required SmsWakeUpConfig SmsWakeUp { get; init; }

    /// <summary>The profile every DMC starts from; it must give every latency (all CSP regions and a SMETS1 default).</summary>
    public required BehaviourProfile Defaults { get; init; }

    /// <summary>Overrides per DMC, each with optional overrides per firmware version.</summary>
    public required IReadOnlyList<DmcBehaviourConfig> Dmcs { get; init; }

    /// <summary>The periodic hub reboot and what follows it.</summary>
    public required HubRebootConfig HubReboot { get; init; }

    /// <summary>What happens at each premises when supply returns after an outage.</summary>
    public required PowerRestoreConfig PowerRestore { get; init; }

    /// <summary>Scheduled regional power outages.</summary>
    public required IReadOnlyList<PowerOutageConfig> PowerOutages { get; init; }

    /// <summary>Scheduled firmware rollouts, applied in this order.</summary>
    public required IReadOnlyList<FirmwareRolloutConfig> FirmwareRollouts { get; init; }

    /// <summary>The shipped default behaviour, <c>scenarios/behaviour/default.yaml</c> (built into this assembly).</summary>
    public static BehaviourConfig Default()
    {
        const string resource = "CapacitySim.Devices.Behaviour.default.yaml";
        using var stream = typeof(BehaviourConfig).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The default behaviour ({resource}) is not embedded in {typeof(BehaviourConfig).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "scenarios/behaviour/default.yaml");
    }

    /// <summary>Reads a configuration file.</summary>
    /// <exception cref="ConfigException">The file is not valid YAML or breaks the rules; every problem is listed.</exception>
    public static BehaviourConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a configuration from YAML text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ConfigException">The text is not valid YAML or breaks the rules; every problem is listed.</exception>
    public static BehaviourConfig Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(source);
        return new BehaviourConfigReader(source).Read(yaml);
    }
}

/// <summary>SMS wake-up of SMETS1 communications hubs: each request wakes the hub by SMS before it can be sent.</summary>
public sealed class SmsWakeUpConfig
{
    /// <summary>Delay each SMS adds to a SMETS1 request's latency.</summary>
    public required TimeSpan DelayPerSms { get; init; }

    /// <summary>SMS per request for SRVs that need other than <see cref="DefaultSmsPerRequest"/> (4.10 needs two).</summary>
    public required IReadOnlyDictionary<ServiceReferenceVariant, int> SmsPerRequest { get; init; }

    /// <summary>SMS per request for every other SRV.</summary>
    public required int DefaultSmsPerRequest { get; init; }
}

/// <summary>
/// Behaviour settings at one level (defaults, a DMC, or a firmware version of a DMC). Unset values (null) are
/// inherited from the level above; alert rates merge by (code, device type).
/// </summary>
public sealed class BehaviourProfile
{
    /// <summary>Latency distributions, merged entry by entry with the level above.</summary>
    public LatencyConfig? Latency { get; init; }

    /// <summary>Probability that a request gets no response from the device (the DCC answers E21).</summary>
    public double? NoResponse { get; init; }

    /// <summary>Installs whose join or commission requests fail.</summary>
    public JoinFailureConfig? JoinFailure { get; init; }

    /// <summary>Background alert processes.</summary>
    public IReadOnlyList<AlertRateConfig> Alerts { get; init; } = [];

    /// <summary>Whether hubs of this DMC reboot every <see cref="HubRebootConfig.Period"/>.</summary>
    public bool? HubReboots { get; init; }

    /// <summary>Share of hub reboots that throw the premises' PPMID off the HAN.</summary>
    public double? PpmidLeavesHan { get; init; }
}

/// <summary>Latency distributions by CSP region (SMETS2) and by SMETS1 service provider.</summary>
public sealed class LatencyConfig
{
    /// <summary>SMETS2 devices: by the CSP region of the premises.</summary>
    public IReadOnlyDictionary<CspRegion, LatencyDistribution> Smets2 { get; init; } = new Dictionary<CspRegion, LatencyDistribution>();

    /// <summary>SMETS1 devices whose service provider has no entry of its own.</summary>
    public LatencyDistribution? Smets1Default { get; init; }

    /// <summary>SMETS1 devices by service provider name (excluding the SMS wake-up, which is added).</summary>
    public IReadOnlyList<NamedLatency> Smets1ServiceProviders { get; init; } = [];
}

/// <summary>A latency distribution for a named SMETS1 service provider.</summary>
/// <param name="Name">The service provider's name, as the population names it.</param>
/// <param name="Distribution">Its latency distribution.</param>
/// <param name="Position">Where it was configured.</param>
public sealed record NamedLatency(string Name, LatencyDistribution Distribution, SourcePosition Position);

/// <summary>A share of installs (premises) at which join and commission requests to devices of this DMC fail.</summary>
/// <param name="Share">Share of premises affected (0 to 1); the same premises fail on every attempt.</param>
/// <param name="ServiceReferenceVariants">The requests that fail there.</param>
public sealed record JoinFailureConfig(double Share, IReadOnlyList<ServiceReferenceVariant> ServiceReferenceVariants);

/// <summary>A Poisson background alert process.</summary>
/// <param name="Code">The GBCS alert code.</param>
/// <param name="Device">The device type that raises it.</param>
/// <param name="PerDevicePerDay">Mean alerts per device per day (0 switches an inherited process off).</param>
public sealed record AlertRateConfig(DeviceAlertCode Code, DeviceType Device, double PerDevicePerDay);

/// <summary>Behaviour of one DMC.</summary>
/// <param name="Name">DMC name, as the population names it.</param>
/// <param name="Position">Where it was configured.</param>
/// <param name="Profile">Its settings over the defaults.</param>
/// <param name="Firmware">Settings per firmware version over the DMC's.</param>
public sealed record DmcBehaviourConfig(string Name, SourcePosition Position, BehaviourProfile Profile, IReadOnlyList<FirmwareBehaviourConfig> Firmware);

/// <summary>Behaviour of one firmware version of a DMC.</summary>
/// <param name="Version">Firmware version, as the population names it.</param>
/// <param name="Position">Where it was configured.</param>
/// <param name="Profile">Its settings over the DMC's.</param>
public sealed record FirmwareBehaviourConfig(string Version, SourcePosition Position, BehaviourProfile Profile);

/// <summary>The periodic communications hub reboot that throws the PPMID off the HAN.</summary>
public sealed class HubRebootConfig
{
    /// <summary>Time between reboots of one hub (nine days).</summary>
    public required TimeSpan Period { get; init; }

    /// <summary>From the reboot to the PPMID leaving the HAN.</summary>
    public required TimeSpan HanLeaveDelay { get; init; }

    /// <summary>From the reboot to the alert that follows.</summary>
    public required TimeSpan AlertDelay { get; init; }

    /// <summary>The device type that raises the alert (ESME or PPMID).</summary>
    public required DeviceType AlertDevice { get; init; }

    /// <summary>The alert raised (8F3E).</summary>
    public required DeviceAlertCode AlertCode { get; init; }

    /// <summary>From the reboot to the PPMID joining the HAN again.</summary>
    public required TimeSpan RejoinDelay { get; init; }
}

/// <summary>What each premises does as supply returns.</summary>
public sealed class PowerRestoreConfig
{
    /// <summary>Outages at least this long give 8F36 rather than 8F35 (3 minutes).</summary>
    public required TimeSpan LongOutage { get; init; }

    /// <summary>From supply returning to the ESME's alert.</summary>
    public required TimeSpan DeviceAlertDelay { get; init; }

    /// <summary>The DCC alert code of the PowerOutageEvent alert.</summary>
    public required DccAlertCode DccAlertCode { get; init; }

    /// <summary>Shortest outage for which the DCC raises a PowerOutageEvent alert.</summary>
    public required TimeSpan DccAlertMinimumOutage { get; init; }

    /// <summary>From supply returning to the DCC alert.</summary>
    public required TimeSpan DccAlertDelay { get; init; }
}

/// <summary>A power outage over a share of a region's premises.</summary>
/// <param name="Name">A name for reports.</param>
/// <param name="Position">Where it was configured.</param>
/// <param name="Region">The CSP region.</param>
/// <param name="Share">Share of the region's premises that lose supply.</param>
/// <param name="Start">When supply is lost, from the scenario start.</param>
/// <param name="Duration">Until supply starts to return.</param>
/// <param name="RestoreRamp">Over which supply returns, premises by premises, evenly spread.</param>
public sealed record PowerOutageConfig(string Name, SourcePosition Position, CspRegion Region, double Share, TimeSpan Start, TimeSpan Duration, TimeSpan RestoreRamp);

/// <summary>A share of a DMC's devices moving to a new firmware version over a period.</summary>
/// <param name="Dmc">The DMC's name.</param>
/// <param name="Position">Where it was configured.</param>
/// <param name="Device">Only devices of this type, or every device of the DMC when null.</param>
/// <param name="From">Only devices on this version at their upgrade time, or any version when null.</param>
/// <param name="To">The new version.</param>
/// <param name="Share">Share of the DMC's devices upgraded.</param>
/// <param name="Start">When the rollout starts, from the scenario start.</param>
/// <param name="Over">The period over which upgrades are evenly spread.</param>
public sealed record FirmwareRolloutConfig(string Dmc, SourcePosition Position, DeviceType? Device, string? From, string To, double Share, TimeSpan Start, TimeSpan Over);
