using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Tests.Behaviour;

/// <summary>
/// A small estate for behaviour tests: every premises has a hub, ESME, GSME, GPF, PPMID and IHD; premises alternate
/// SMETS2 (even) and SMETS1 (odd) and cycle through the CSP regions North, Central, South; SMETS1 premises alternate
/// between service providers SP-A (id 1) and SP-B (id 2). DMC names are "S2-CHF", "S1-ESME" and so on, each with
/// firmware "1.0"; SMETS1 ESMEs of every other SMETS1 premises run "1.1".
/// </summary>
internal sealed class TestEstate : IEstate
{
    public static readonly DeviceType[] Layout =
    [
        DeviceType.CommunicationsHub, DeviceType.ElectricityMeter, DeviceType.GasMeter, DeviceType.GasProxy, DeviceType.Ppmid, DeviceType.InHomeDisplay,
    ];

    private static readonly string[] TypeNames = ["CHF", "ESME", "GSME", "GPF", "PPMID", "IHD"];
    private readonly DeviceRecord[] devices;

    public TestEstate(int premisesCount)
    {
        PremisesCount = premisesCount;
        devices = new DeviceRecord[premisesCount * Layout.Length];
        for (var p = 0; p < premisesCount; p++)
        {
            var smets1 = p % 2 == 1;
            var region = RegionOf(p);
            for (var t = 0; t < Layout.Length; t++)
            {
                var index = (p * Layout.Length) + t;
                var dmc = (ushort)(t + (smets1 ? Layout.Length : 0));
                var firmware = Layout[t] == DeviceType.ElectricityMeter && smets1 && (p / 2) % 2 == 1 ? Esme11 : dmc;
                devices[index] = new DeviceRecord(
                    index,
                    new Eui64(0x00DB_0000_0000_0000UL + (ulong)index),
                    Layout[t],
                    smets1 ? DeviceGeneration.Smets1 : DeviceGeneration.Smets2,
                    DeviceStatus.Commissioned,
                    region,
                    dmc,
                    firmware,
                    smets1 ? (byte)(((p / 2) % 2) + 1) : (byte)0,
                    p);
            }
        }
    }

    /// <summary>Firmware id of "1.1" of S1-ESME.</summary>
    public const ushort Esme11 = 12;

    public static EstateNames Names { get; } = BuildNames();

    public int PremisesCount { get; }

    public int Count => devices.Length;

    public static CspRegion RegionOf(int premises) => (CspRegion)((premises % 3) + 1);

    public static ushort Dmc(DeviceType type, bool smets1) => (ushort)(Array.IndexOf(Layout, type) + (smets1 ? Layout.Length : 0));

    public DeviceRecord Get(int index) => devices[index];

    public Range PremisesDevices(int premises) => new(premises * Layout.Length, (premises + 1) * Layout.Length);

    public DeviceRecord Device(int premises, DeviceType type) => devices[(premises * Layout.Length) + Array.IndexOf(Layout, type)];

    public void SetStatus(int index, DeviceStatus status) => devices[index] = devices[index] with { Status = status };

    public bool TryFind(Eui64 eui, out DeviceRecord device)
    {
        var index = (long)(eui.Value - 0x00DB_0000_0000_0000UL);
        if (index >= 0 && index < devices.Length)
        {
            device = devices[index];
            return true;
        }

        device = default;
        return false;
    }

    private static EstateNames BuildNames()
    {
        var dmcs = new List<string>();
        var firmware = new List<EstateFirmware>();
        foreach (var gen in new[] { "S2", "S1" })
        {
            foreach (var type in TypeNames)
            {
                firmware.Add(new EstateFirmware((ushort)dmcs.Count, "1.0"));
                dmcs.Add($"{gen}-{type}");
            }
        }

        firmware.Add(new EstateFirmware(Dmc(DeviceType.ElectricityMeter, smets1: true), "1.1"));
        return new EstateNames(dmcs, firmware, [new EstateServiceProvider(1, "SP-A"), new EstateServiceProvider(2, "SP-B")]);
    }
}
