using CapacitySim.Devices.Configuration;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Estate;

/// <summary>
/// The words estate, devices CSV, scenario and behaviour files use for device types, CSP regions, SMETS generations
/// and device statuses: one table each, so that every reader accepts and lists the same words.
/// </summary>
public static class EstateTokens
{
    /// <summary>Device types as GBCS abbreviates them: esme, gsme, chf, gpf, ppmid, hcalcs, ihd.</summary>
    public static TokenTable<DeviceType> DeviceTypes { get; } = new(
        ("esme", DeviceType.ElectricityMeter),
        ("gsme", DeviceType.GasMeter),
        ("chf", DeviceType.CommunicationsHub),
        ("gpf", DeviceType.GasProxy),
        ("ppmid", DeviceType.Ppmid),
        ("hcalcs", DeviceType.Hcalcs),
        ("ihd", DeviceType.InHomeDisplay));

    /// <summary>The three CSP regions: north, central, south.</summary>
    public static TokenTable<CspRegion> Regions { get; } = new(
        ("north", CspRegion.North),
        ("central", CspRegion.Central),
        ("south", CspRegion.South));

    /// <summary>SMETS generations: smets1, smets2.</summary>
    public static TokenTable<DeviceGeneration> Generations { get; } = new(
        ("smets1", DeviceGeneration.Smets1),
        ("smets2", DeviceGeneration.Smets2));

    /// <summary>Device statuses of the smart metering inventory.</summary>
    public static TokenTable<DeviceStatus> Statuses { get; } = new(
        ("commissioned", DeviceStatus.Commissioned),
        ("installedNotCommissioned", DeviceStatus.InstalledNotCommissioned),
        ("pending", DeviceStatus.Pending),
        ("suspended", DeviceStatus.Suspended),
        ("decommissioned", DeviceStatus.Decommissioned));
}
