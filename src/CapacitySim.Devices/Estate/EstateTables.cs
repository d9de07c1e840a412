using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Estate;

/// <summary>A device model combination (DMC): one make, model and hardware version of a device, as the DCC's inventory lists it.</summary>
/// <param name="Id">Id in the population's DMC table (the value of <see cref="DeviceRecord.Dmc"/>).</param>
/// <param name="Name">Name, for example <c>S1-ELEC-SecureLiberty100</c>.</param>
/// <param name="Generation">SMETS generation of the devices of this model.</param>
/// <param name="DeviceTypes">Device types this model is used as (a hub model may serve as CHF and GPF).</param>
/// <param name="EuiPrefix">The first three octets of this model's EUI-64s (a manufacturer prefix), as a 24-bit number.</param>
public sealed record DmcInfo(ushort Id, string Name, DeviceGeneration Generation, IReadOnlyList<DeviceType> DeviceTypes, uint EuiPrefix);

/// <summary>A firmware version of one DMC.</summary>
/// <param name="Id">Id in the population's firmware table (the value of <see cref="DeviceRecord.Firmware"/>).</param>
/// <param name="Dmc">The DMC this firmware runs on.</param>
/// <param name="Version">Version text, as a device reports it.</param>
public sealed record FirmwareInfo(ushort Id, ushort Dmc, string Version);

/// <summary>A SMETS1 service provider (S1SP): the party that reaches SMETS1 devices on the DCC's behalf and signs their responses.</summary>
/// <param name="Id">Id in the population's table (the value of <see cref="DeviceRecord.Smets1ServiceProvider"/>; 1 and up).</param>
/// <param name="Name">Name.</param>
/// <param name="Eui">The provider's EUI-64, which names its signing key.</param>
public sealed record Smets1ServiceProviderInfo(byte Id, string Name, Eui64 Eui);

/// <summary>Which fuels a premises has a meter for.</summary>
public enum PremisesFuel : byte
{
    /// <summary>Electricity only: hub and electricity meter.</summary>
    ElectricityOnly = 1,

    /// <summary>Electricity and gas: hub, electricity meter, gas meter and gas proxy function.</summary>
    DualFuel = 2,
}

/// <summary>How a meter's customer pays.</summary>
public enum PaymentMode : byte
{
    /// <summary>Credit: billed for what was used.</summary>
    Credit = 1,

    /// <summary>Prepayment: the meter holds a credit balance, topped up in advance.</summary>
    Prepayment = 2,
}

/// <summary>A kind of premises: which devices it has and how it pays.</summary>
/// <param name="Id">Id in the population's premises kind table.</param>
/// <param name="Name">Name from the spec, for example <c>dual-fuel-prepayment</c>.</param>
/// <param name="Fuel">Electricity only or dual fuel.</param>
/// <param name="HasPpmid">Whether the premises has a prepayment interface device.</param>
/// <param name="HasIhd">Whether the premises has an in-home display.</param>
/// <param name="HasHcalcs">Whether the premises has a HAN-connected auxiliary load control switch.</param>
/// <param name="Payment">Payment mode of its meters.</param>
public sealed record PremisesKindInfo(byte Id, string Name, PremisesFuel Fuel, bool HasPpmid, bool HasIhd, bool HasHcalcs, PaymentMode Payment);
