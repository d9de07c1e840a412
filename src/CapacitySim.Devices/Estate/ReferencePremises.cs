using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Estate;

/// <summary>
/// The premises the DCC's reference requests address (the DUIS sample requests DCC Boxed ships, in
/// <c>shared/duis/samples/requests</c>), so that a DCC Boxed user's unmodified samples find their devices. Each device
/// is typed from what the samples send it; the evidence, by BusinessTargetID:
/// <list type="table">
/// <item><term>00-DB-12-34-56-78-90-A0: ESME</term><description>every ECS… sample (ECS01a 1.1.1 tariff, ECS17b 4.1.1
/// instantaneous import registers, ECS47 7.x supply and load control…) and the electricity-only CS… ones.</description></item>
/// <item><term>…-90-A1: GSME</term><description>the GCS… samples sent as "UNRELIABLE" (GCS13a 4.1.1, GCS13c 4.1.2: read
/// from the gas meter itself), GCS01a 1.1.1 gas tariff, GCS28 8.1.1 commissioning; CS03B 8.7.2 (method B join, a
/// Type 2 device 90-9C joining the meter).</description></item>
/// <item><term>…-90-A2: CHF</term><description>the CCS… samples (CCS02 8.11 update HAN device log, CCS05/CCS07 8.9 read
/// device log) and DBCH01/03/05 (6.29–6.31, hub-only dual-band configuration).</description></item>
/// <item><term>…-90-A3: GPF</term><description>GCS13a/GCS13c sent as "RELIABLE_GPF" (the same reads answered by the proxy),
/// GCS09 3.2, GCS14 4.3, GCS61 4.17, GCS16b 4.14: the gas reads DUIS sends to the gas proxy function.</description></item>
/// <item><term>…-90-A4: PPMID</term><description>CS03C 8.7.2 and CS04AC 8.8.2: non-critical (method C) join and unjoin,
/// which a PPMID takes; CS08 11.2 read firmware version.</description></item>
/// <item><term>…-90-A5: HCALCS</term><description>CS03A2 8.7.1: a critical (method A) join that is not an ECS/GCS
/// (meter) use case; of the devices that take critical commands, the one left is the HAN-connected load switch.</description></item>
/// <item><term>…-90-A6: ESME</term><description>ECS46d 6.14.3 (cancellation, APC output): an ECS use case, and 6.14.3
/// configures the auxiliary controller scheduler that lives in an electricity meter (the schema's
/// UpdateDeviceConfigurationAuxiliaryControllerScheduler). Modelled as a second electricity meter on the same hub, as
/// for a related-MPAN heating circuit.</description></item>
/// <item><term>…-90-97: HCALCS</term><description>named as <c>HCALCS</c> in the switch list of ECS46c 6.14.2.</description></item>
/// <item><term>…-90-9C: IHD</term><description>the device CS03B 8.7.2 joins to the gas meter by method B (the join for
/// Type 2 devices, which carry no credentials).</description></item>
/// </list>
/// Not devices: 90-B3-D5-1F-30-00-00-02 is the DCC (target of non-device requests); 00-DB-12-34-56-78-00-04 is an
/// Other User organisation: it has an XML signing certificate (role 87, like the supplier's) and DCC Boxed's signing
/// tool signs ECS50 9.1 with it as BusinessOriginatorID (its SignTest "nominalOtherUser"). It belongs in the users
/// file, and the estate must not hold it. 00-DB-12-34-56-78-90-93 and -90-94 appear only as the other device of joins
/// and their type is not implied, so they are not in the estate either.
/// </summary>
public static class ReferencePremises
{
    /// <summary>Name of the reference premises' kind in <see cref="Population.PremisesKinds"/>.</summary>
    public const string KindName = "dccboxed-reference";

    /// <summary>Name of the DMC all reference devices use.</summary>
    public const string DmcName = "DCCBoxed-Reference-SMETS2";

    /// <summary>Firmware version of the reference devices.</summary>
    public const string FirmwareVersion = "1.0.0";

    /// <summary>The electricity meter most samples address (ECS…).</summary>
    public static Eui64 ElectricityMeter { get; } = new(0x00DB1234567890A0);

    /// <summary>The gas meter (GCS… "unreliable" reads, gas tariffs).</summary>
    public static Eui64 GasMeter { get; } = new(0x00DB1234567890A1);

    /// <summary>The communications hub function (CCS…).</summary>
    public static Eui64 CommunicationsHub { get; } = new(0x00DB1234567890A2);

    /// <summary>The gas proxy function (GCS… "reliable" reads).</summary>
    public static Eui64 GasProxy { get; } = new(0x00DB1234567890A3);

    /// <summary>The prepayment interface device (CS03C, CS04AC).</summary>
    public static Eui64 Ppmid { get; } = new(0x00DB1234567890A4);

    /// <summary>The HAN-connected auxiliary load control switch (CS03A2).</summary>
    public static Eui64 Hcalcs { get; } = new(0x00DB1234567890A5);

    /// <summary>The second electricity meter (ECS46d 6.14.3 cancellation).</summary>
    public static Eui64 SecondElectricityMeter { get; } = new(0x00DB1234567890A6);

    /// <summary>The HCALCS the ECS46c switch list names.</summary>
    public static Eui64 SwitchListHcalcs { get; } = new(0x00DB123456789097);

    /// <summary>The in-home display CS03B joins to the gas meter.</summary>
    public static Eui64 InHomeDisplay { get; } = new(0x00DB12345678909C);

    /// <summary>The Other User organisation of the DCC Boxed test data (signs ECS50 9.1): a user, not a device.</summary>
    public static Eui64 OtherUser { get; } = new(0x00DB123456780004);

    /// <summary>The reference devices in the order the estate lays them out (hub first, as in every premises).</summary>
    public static IReadOnlyList<(Eui64 Eui, DeviceType Type)> Devices { get; } =
    [
        (CommunicationsHub, DeviceType.CommunicationsHub),
        (ElectricityMeter, DeviceType.ElectricityMeter),
        (GasMeter, DeviceType.GasMeter),
        (GasProxy, DeviceType.GasProxy),
        (Ppmid, DeviceType.Ppmid),
        (Hcalcs, DeviceType.Hcalcs),
        (SwitchListHcalcs, DeviceType.Hcalcs),
        (SecondElectricityMeter, DeviceType.ElectricityMeter),
        (InHomeDisplay, DeviceType.InHomeDisplay),
    ];

    /// <summary>
    /// Region of the reference premises. The samples say nothing of it; Central is a choice, and the premises is SMETS2
    /// because the samples are GBCS (SMETS2) use cases.
    /// </summary>
    public const CspRegion Region = CspRegion.Central;
}
