using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Estate;

/// <summary>SMETS generation of a device.</summary>
public enum DeviceGeneration : byte
{
    /// <summary>SMETS1: migrated into the DCC; reached through a SMETS1 service provider, hub woken by SMS.</summary>
    Smets1 = 1,

    /// <summary>SMETS2: reached over the DCC's own WAN.</summary>
    Smets2 = 2,
}

/// <summary>The DCC Communications Service Provider region a premises lies in.</summary>
public enum CspRegion : byte
{
    /// <summary>CSP North.</summary>
    North = 1,

    /// <summary>CSP Central.</summary>
    Central = 2,

    /// <summary>CSP South.</summary>
    South = 3,
}

/// <summary>The DCC's view of a device's status (the SMI status), which decides which requests it may receive.</summary>
public enum DeviceStatus : byte
{
    /// <summary>Commissioned: in service.</summary>
    Commissioned = 1,

    /// <summary>Installed but not yet commissioned.</summary>
    InstalledNotCommissioned = 2,

    /// <summary>Pending: listed in the inventory, not yet installed.</summary>
    Pending = 3,

    /// <summary>Suspended.</summary>
    Suspended = 4,

    /// <summary>Decommissioned: no longer in service.</summary>
    Decommissioned = 5,
}

/// <summary>
/// What the DCC needs to know of one device to validate and route a request: a snapshot copied out of the
/// struct-of-arrays population.
/// </summary>
/// <param name="Index">The device's index in the population.</param>
/// <param name="Eui">The device's EUI-64.</param>
/// <param name="Type">Device type (ESME, GSME, CHF, GPF, PPMID, HCALCS, IHD).</param>
/// <param name="Generation">SMETS1 or SMETS2.</param>
/// <param name="Status">The DCC's status for the device.</param>
/// <param name="Region">CSP region of its premises.</param>
/// <param name="Dmc">Device model combination id (index into the population's DMC table).</param>
/// <param name="Firmware">Firmware version id (index into the population's firmware table).</param>
/// <param name="Smets1ServiceProvider">SMETS1 service provider id (0 for SMETS2).</param>
/// <param name="Premises">Index of the premises the device belongs to.</param>
public readonly record struct DeviceRecord(
    int Index,
    Eui64 Eui,
    DeviceType Type,
    DeviceGeneration Generation,
    DeviceStatus Status,
    CspRegion Region,
    ushort Dmc,
    ushort Firmware,
    byte Smets1ServiceProvider,
    int Premises);

/// <summary>Finds devices by EUI-64: what the DCC asks of the estate for every request. Implementations do not allocate.</summary>
public interface IDeviceDirectory
{
    /// <summary>Number of devices.</summary>
    int Count { get; }

    /// <summary>Finds a device by its EUI-64.</summary>
    bool TryFind(Eui64 eui, out DeviceRecord device);
}

/// <summary>
/// The whole estate as behaviour and the DCC see it: devices by index, laid out premises by premises so that a
/// premises' devices occupy one contiguous index range.
/// </summary>
public interface IEstate : IDeviceDirectory
{
    /// <summary>Number of premises.</summary>
    int PremisesCount { get; }

    /// <summary>The device at <paramref name="index"/> (0 ≤ index &lt; <see cref="IDeviceDirectory.Count"/>).</summary>
    DeviceRecord Get(int index);

    /// <summary>The contiguous index range of a premises' devices.</summary>
    Range PremisesDevices(int premises);
}
