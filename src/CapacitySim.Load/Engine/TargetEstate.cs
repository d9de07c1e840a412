using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Engine;

/// <summary>
/// The devices a run's users address, whatever the estate came from: a simulated population (shared with the embedded
/// DCC, so both see the same devices) or the devices CSV of an external DCC. Read-only and thread-safe; the per-device
/// reads allocate nothing.
/// </summary>
public sealed class TargetEstate
{
    private readonly Population? population;
    private readonly ulong[]? euis;
    private readonly DeviceType[]? types;
    private readonly DeviceGeneration[]? generations;
    private readonly ushort[]? dmcs;
    private readonly CspRegion[]? regions;
    private readonly Dictionary<ulong, int>? index;

    private TargetEstate(Population population)
    {
        this.population = population;
        var names = new string[population.Dmcs.Count];
        foreach (var dmc in population.Dmcs)
        {
            names[dmc.Id] = dmc.Name;
        }

        DmcNames = names;
        Count = population.Count;
    }

    private TargetEstate(IReadOnlyList<EstateDevice> devices)
    {
        var count = devices.Count;
        euis = new ulong[count];
        types = new DeviceType[count];
        generations = new DeviceGeneration[count];
        dmcs = new ushort[count];
        regions = new CspRegion[count];
        index = new Dictionary<ulong, int>(count);
        var names = new List<string>();
        var ids = new Dictionary<string, ushort>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var d = devices[i];
            if (!ids.TryGetValue(d.Dmc, out var id))
            {
                id = (ushort)names.Count;
                ids.Add(d.Dmc, id);
                names.Add(d.Dmc);
            }

            euis[i] = d.Eui.Value;
            types[i] = d.Type;
            generations[i] = d.Generation;
            dmcs[i] = id;
            regions[i] = d.Region;
            index.TryAdd(d.Eui.Value, i);
        }

        DmcNames = [.. names];
        Count = count;
    }

    /// <summary>The estate of a simulated population.</summary>
    public static TargetEstate FromPopulation(Population population)
    {
        ArgumentNullException.ThrowIfNull(population);
        return new TargetEstate(population);
    }

    /// <summary>The estate of an external DCC, from its devices CSV.</summary>
    public static TargetEstate FromDevices(IReadOnlyList<EstateDevice> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return new TargetEstate(devices);
    }

    /// <summary>The population behind the estate, or null for a devices CSV.</summary>
    public Population? Population => population;

    /// <summary>Devices in the estate.</summary>
    public int Count { get; }

    /// <summary>DMC names by DMC id.</summary>
    public IReadOnlyList<string> DmcNames { get; }

    /// <summary>The device's EUI-64.</summary>
    public Eui64 Eui(int device) => population is not null ? population.EuiOf(device) : new Eui64(euis![device]);

    /// <summary>The device's type.</summary>
    public DeviceType Type(int device) => population is not null ? population.TypeOf(device) : types![device];

    /// <summary>The SMETS generation of the device's premises.</summary>
    public DeviceGeneration Generation(int device)
        => population is not null ? population.PremisesGenerations[population.PremisesOf(device)] : generations![device];

    /// <summary>The CSP region of the device's premises.</summary>
    public CspRegion Region(int device)
        => population is not null ? population.PremisesRegions[population.PremisesOf(device)] : regions![device];

    /// <summary>The device's DMC id (an index into <see cref="DmcNames"/>).</summary>
    public ushort Dmc(int device) => population is not null ? population.DmcIds[device] : dmcs![device];

    /// <summary>True when the device is in service (commissioned); a CSV lists only devices in service.</summary>
    public bool InService(int device) => population is null || population.Statuses[device] == DeviceStatus.Commissioned;

    /// <summary>Finds a device by EUI-64; -1 when the estate has none.</summary>
    public int IndexOf(Eui64 eui)
    {
        if (population is not null)
        {
            return population.IndexOf(eui);
        }

        return index!.TryGetValue(eui.Value, out var i) ? i : -1;
    }
}
