using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Duis.Writing;

/// <summary>The schema's <c>sr:DeviceType</c> enumeration, as a Read Inventory answer names a device's type.</summary>
public enum InventoryDeviceType : byte
{
    /// <summary><c>ESME</c>: electricity smart metering equipment.</summary>
    Esme = 1,

    /// <summary><c>GSME</c>: gas smart metering equipment.</summary>
    Gsme,

    /// <summary><c>GPF</c>: gas proxy function.</summary>
    Gpf,

    /// <summary><c>CHF</c>: communications hub function.</summary>
    Chf,

    /// <summary><c>HCALCS</c>: HAN connected auxiliary load control switch.</summary>
    Hcalcs,

    /// <summary><c>PPMID</c>: prepayment interface device.</summary>
    Ppmid,

    /// <summary><c>IHD</c>: in-home display (a Type 2 device).</summary>
    Ihd,

    /// <summary><c>CAD</c>: consumer access device (a Type 2 device).</summary>
    Cad,
}

/// <summary>The schema's <c>sr:DeviceStatus</c> enumeration: the DCC's Smart Metering Inventory status of a device.</summary>
public enum InventoryDeviceStatus : byte
{
    /// <summary><c>Pending</c>: added to the inventory, not yet installed.</summary>
    Pending = 1,

    /// <summary><c>Whitelisted</c>.</summary>
    Whitelisted,

    /// <summary><c>InstalledNotCommissioned</c>.</summary>
    InstalledNotCommissioned,

    /// <summary><c>Commissioned</c>: in service.</summary>
    Commissioned,

    /// <summary><c>Decommissioned</c>: removed from service.</summary>
    Decommissioned,

    /// <summary><c>Withdrawn</c>.</summary>
    Withdrawn,

    /// <summary><c>Suspended</c>: its device model or firmware was removed from the Certified Products List.</summary>
    Suspended,

    /// <summary><c>Recovery</c>.</summary>
    Recovery,

    /// <summary><c>Recovered</c>.</summary>
    Recovered,
}

/// <summary>
/// The status of a Certified Products List entry: the schema's <c>sr:FirmwareVersionStatus</c> and <c>sr:CPLStatus</c>,
/// which share these values.
/// </summary>
public enum ProductListStatus : byte
{
    /// <summary><c>Active</c>.</summary>
    Active = 1,

    /// <summary><c>Cancelled</c>.</summary>
    Cancelled,

    /// <summary><c>Expired</c>.</summary>
    Expired,

    /// <summary><c>Withdrawn</c>.</summary>
    Withdrawn,
}

/// <summary>The schema's <c>sr:CSPRegion</c> enumeration.</summary>
public enum InventoryCspRegion : byte
{
    /// <summary><c>North</c>.</summary>
    North = 1,

    /// <summary><c>Central</c>.</summary>
    Central,

    /// <summary><c>South</c>.</summary>
    South,

    /// <summary><c>4G North</c>.</summary>
    North4G,

    /// <summary><c>4G Central</c>.</summary>
    Central4G,

    /// <summary><c>4G South</c>.</summary>
    South4G,

    /// <summary><c>Unknown</c>.</summary>
    Unknown,

    /// <summary><c>SMETS1</c>: a migrated SMETS1 device, served through its SMETS1 service provider.</summary>
    Smets1,
}

/// <summary>Maps the request side's <see cref="DeviceType"/> onto the schema's <see cref="InventoryDeviceType"/>.</summary>
public static class InventoryDeviceTypeMapping
{
    /// <summary>
    /// The inventory type of a device of <paramref name="type"/>. <see cref="DeviceType.InHomeDisplay"/> maps to
    /// <see cref="InventoryDeviceType.Ihd"/> (the request side does not tell a CAD from an IHD). Throws
    /// <see cref="ArgumentException"/> for <see cref="DeviceType.Unknown"/>, <see cref="DeviceType.Dcc"/> and
    /// <see cref="DeviceType.AnyHanDevice"/>, which are not devices in the inventory.
    /// </summary>
    /// <param name="type">The device type as the estate holds it.</param>
    public static InventoryDeviceType ToInventoryDeviceType(this DeviceType type)
    {
        switch (type)
        {
            case DeviceType.ElectricityMeter:
                return InventoryDeviceType.Esme;
            case DeviceType.GasMeter:
                return InventoryDeviceType.Gsme;
            case DeviceType.CommunicationsHub:
                return InventoryDeviceType.Chf;
            case DeviceType.GasProxy:
                return InventoryDeviceType.Gpf;
            case DeviceType.Ppmid:
                return InventoryDeviceType.Ppmid;
            case DeviceType.Hcalcs:
                return InventoryDeviceType.Hcalcs;
            case DeviceType.InHomeDisplay:
                return InventoryDeviceType.Ihd;
            default:
                WriterThrow.Argument(nameof(type), $"Device type {type} has no inventory device type.");
                return default;
        }
    }
}

/// <summary>
/// One <c>sr:Device</c> of a Read Inventory answer (SRV 8.2): what the DCC holds in its Smart Metering Inventory for a
/// device. Text fields are UTF-8 in caller-owned memory (a caller that keeps them, for instance per device model
/// combination, writes inventories without allocating); an empty optional text field and a null optional value are
/// omitted. Values are checked against the schema's types when written, not here.
/// </summary>
/// <remarks>
/// Of the schema's optional <c>Device</c> elements, SecondaryImportMPAN, ExportMPAN, ESMEVariant, UPRN,
/// PropertyFilter, HANVariant and Connectivity are not modelled: the simulated DCC's estate does not hold them.
/// </remarks>
public readonly struct InventoryDevice
{
    /// <summary>Most characters of DeviceManufacturer and DeviceModel (the schema's maxLength).</summary>
    public const int MaxManufacturerOrModelLength = 30;

    /// <summary>Most characters of a firmware version (the schema's <c>sr:FirmwareVersion</c>).</summary>
    public const int MaxFirmwareVersionLength = 8;

    /// <summary>Most characters of a SMETS/CHTS version (the schema's <c>sr:SMETSCHTSVersion</c>).</summary>
    public const int MaxSmetsChtsVersionLength = 20;

    /// <summary>Largest import MPxN the schema's 13 characters can hold.</summary>
    public const ulong MaxImportMpxn = 9_999_999_999_999;

    /// <summary>A device with the elements the schema requires.</summary>
    /// <param name="deviceId">DeviceID.</param>
    /// <param name="deviceType">DeviceType.</param>
    /// <param name="deviceManufacturer">DeviceManufacturer as UTF-8 (at most 30 characters), as the Certified Products List names it.</param>
    /// <param name="deviceModel">DeviceModel as UTF-8 (at most 30 characters), as the Certified Products List names it.</param>
    public InventoryDevice(Eui64 deviceId, InventoryDeviceType deviceType, ReadOnlyMemory<byte> deviceManufacturer, ReadOnlyMemory<byte> deviceModel)
    {
        DeviceId = deviceId;
        DeviceType = deviceType;
        DeviceManufacturer = deviceManufacturer;
        DeviceModel = deviceModel;
    }

    /// <summary>DeviceID.</summary>
    public Eui64 DeviceId { get; }

    /// <summary>DeviceType.</summary>
    public InventoryDeviceType DeviceType { get; }

    /// <summary>DeviceStatus; omitted when null.</summary>
    public InventoryDeviceStatus? DeviceStatus { get; init; }

    /// <summary>DeviceManufacturer as UTF-8, at most 30 characters.</summary>
    public ReadOnlyMemory<byte> DeviceManufacturer { get; }

    /// <summary>DeviceModel as UTF-8, at most 30 characters.</summary>
    public ReadOnlyMemory<byte> DeviceModel { get; }

    /// <summary>SMETSCHTSVersion as UTF-8, 1 to 20 characters; omitted when empty.</summary>
    public ReadOnlyMemory<byte> SmetsChtsVersion { get; init; }

    /// <summary>DeviceFirmwareVersion as UTF-8, 1 to 8 characters; omitted when empty.</summary>
    public ReadOnlyMemory<byte> FirmwareVersion { get; init; }

    /// <summary>DeviceFirmwareVersionStatus: the CPL status of the firmware version; omitted when null.</summary>
    public ProductListStatus? FirmwareVersionStatus { get; init; }

    /// <summary>CPLStatus: the CPL status of the device model combination; omitted when null.</summary>
    public ProductListStatus? CplStatus { get; init; }

    /// <summary>DateCommissioned (an xs:date without time zone); omitted when null.</summary>
    public DateOnly? DateCommissioned { get; init; }

    /// <summary>ImportMPxN: the import MPAN (13 digits) or MPRN of the supply; omitted when null.</summary>
    public ulong? ImportMpxn { get; init; }

    /// <summary>CSPRegion; omitted when null.</summary>
    public InventoryCspRegion? CspRegion { get; init; }

    /// <summary>DeviceGBCSVersion as UTF-8; omitted when empty.</summary>
    public ReadOnlyMemory<byte> DeviceGbcsVersion { get; init; }

    /// <summary>S1SP: the name of the SMETS1 service provider of a SMETS1 device, as UTF-8; omitted when empty.</summary>
    public ReadOnlyMemory<byte> S1SP { get; init; }
}
