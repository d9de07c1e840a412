using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using CapacitySim.Devices.Configuration;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Estate;

/// <summary>
/// The simulated estate: every device as one row across struct-of-arrays columns (no object per device), laid out
/// premises by premises so that a premises' devices are one contiguous index range, hub first. Per-premises facts
/// (region, generation, SMETS1 service provider, kind) are held once per premises, not per device: SMETS1 and SMETS2
/// devices never share a HAN, and a premises' devices share region and provider. Lookups by EUI-64 go through an
/// open-addressing index (see <see cref="EuiIndex"/>) and allocate nothing.
/// </summary>
/// <remarks>
/// Built by <see cref="PopulationBuilder"/> from a <see cref="PopulationSpec"/>. Reads may run on any number of threads.
/// The setters (<see cref="SetStatus"/>, <see cref="SetFirmware"/>, and those of <see cref="State"/>) write single
/// aligned values, so a concurrent reader sees either the old or the new value of a field, never a torn one.
/// </remarks>
public sealed class Population : IEstate
{
    private const string DefaultResource = "CapacitySim.Devices.Estate.default.yaml";

    // Device columns, one element per device.
    private readonly ulong[] euis;
    private readonly DeviceType[] types;
    private readonly DeviceStatus[] statuses;
    private readonly ushort[] dmcIds;
    private readonly ushort[] firmwareIds;
    private readonly int[] devicePremises;

    // Premises columns, one element per premises (starts has one more: the end of the last premises).
    private readonly int[] premisesStarts;
    private readonly CspRegion[] regions;
    private readonly DeviceGeneration[] generations;
    private readonly byte[] providers;
    private readonly byte[] kinds;

    private readonly EuiIndex index;

    internal Population(PopulationColumns columns, PopulationTables tables, PopulationSpec spec)
    {
        euis = columns.Euis;
        types = columns.Types;
        statuses = columns.Statuses;
        dmcIds = columns.Dmcs;
        firmwareIds = columns.Firmware;
        devicePremises = columns.DevicePremises;
        premisesStarts = columns.PremisesStarts;
        regions = columns.Regions;
        generations = columns.Generations;
        providers = columns.Providers;
        kinds = columns.Kinds;
        Dmcs = tables.Dmcs;
        Firmware = tables.Firmware;
        Smets1ServiceProviders = tables.Providers;
        PremisesKinds = tables.Kinds;
        Spec = spec;
        index = new EuiIndex(euis);
        State = columns.State;
    }

    /// <summary>Number of devices.</summary>
    public int Count => euis.Length;

    /// <summary>Number of premises, the reference premises included.</summary>
    public int PremisesCount => regions.Length;

    /// <summary>The spec the population was built from.</summary>
    public PopulationSpec Spec { get; }

    /// <summary>Whether premises 0 is the DCC Boxed reference premises (<see cref="ReferencePremises"/>).</summary>
    public bool HasReferencePremises => Spec.IncludeReferencePremises;

    /// <summary>Device model combinations by id.</summary>
    public IReadOnlyList<DmcInfo> Dmcs { get; }

    /// <summary>Firmware versions by id.</summary>
    public IReadOnlyList<FirmwareInfo> Firmware { get; }

    /// <summary>SMETS1 service providers by id; entry 0 is "none" (SMETS2 premises), with an empty name.</summary>
    public IReadOnlyList<Smets1ServiceProviderInfo> Smets1ServiceProviders { get; }

    /// <summary>Premises kinds by id.</summary>
    public IReadOnlyList<PremisesKindInfo> PremisesKinds { get; }

    /// <summary>The state requests read and change: registers, credit, supply, tariff, credentials, HAN membership.</summary>
    public DeviceState State { get; }

    /// <summary>EUI-64 of every device, by index (as the 64-bit value, first octet most significant).</summary>
    public ReadOnlySpan<ulong> Euis => euis;

    /// <summary>Device type of every device, by index.</summary>
    public ReadOnlySpan<DeviceType> Types => types;

    /// <summary>DCC status of every device, by index.</summary>
    public ReadOnlySpan<DeviceStatus> Statuses => statuses;

    /// <summary>DMC id of every device, by index.</summary>
    public ReadOnlySpan<ushort> DmcIds => dmcIds;

    /// <summary>Installed firmware id of every device, by index.</summary>
    public ReadOnlySpan<ushort> FirmwareIds => firmwareIds;

    /// <summary>Premises index of every device, by index.</summary>
    public ReadOnlySpan<int> DevicePremises => devicePremises;

    /// <summary>First device index of every premises, plus <see cref="Count"/> at the end (length <see cref="PremisesCount"/> + 1).</summary>
    public ReadOnlySpan<int> PremisesStarts => premisesStarts;

    /// <summary>CSP region of every premises.</summary>
    public ReadOnlySpan<CspRegion> PremisesRegions => regions;

    /// <summary>SMETS generation of every premises.</summary>
    public ReadOnlySpan<DeviceGeneration> PremisesGenerations => generations;

    /// <summary>SMETS1 service provider id of every premises (0 for SMETS2).</summary>
    public ReadOnlySpan<byte> PremisesSmets1ServiceProviders => providers;

    /// <summary>Kind id of every premises (index into <see cref="PremisesKinds"/>).</summary>
    public ReadOnlySpan<byte> PremisesKindIds => kinds;

    /// <summary>Bytes held by the device and premises columns and the EUI index (what the DCC's directory needs).</summary>
    public long DirectoryBytes =>
        SizeOf(euis) + SizeOf(types) + SizeOf(statuses) + SizeOf(dmcIds) + SizeOf(firmwareIds) + SizeOf(devicePremises)
        + SizeOf(premisesStarts) + SizeOf(regions) + SizeOf(generations) + SizeOf(providers) + SizeOf(kinds) + index.Bytes;

    /// <summary>Bytes held by every array of the population: directory, index and device state.</summary>
    public long TotalBytes => DirectoryBytes + State.Bytes;

    /// <summary>All bytes (<see cref="TotalBytes"/>) per device, from the actual array lengths.</summary>
    public double BytesPerDevice => Count == 0 ? 0 : (double)TotalBytes / Count;

    /// <summary>All bytes (<see cref="TotalBytes"/>) per premises, from the actual array lengths.</summary>
    public double BytesPerPremises => PremisesCount == 0 ? 0 : (double)TotalBytes / PremisesCount;

    /// <summary>
    /// The default estate: <c>scenarios/estates/default.yaml</c> as shipped (built into this assembly): the DCC Boxed
    /// reference premises and 10,000 generated premises, mostly SMETS1.
    /// </summary>
    public static Population Default() => PopulationBuilder.Build(DefaultSpec());

    /// <summary>The spec of <see cref="Default"/>.</summary>
    public static PopulationSpec DefaultSpec()
    {
        using var stream = typeof(Population).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"The default estate spec ({DefaultResource}) is not embedded in {typeof(Population).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return PopulationSpec.Parse(reader.ReadToEnd(), "scenarios/estates/default.yaml");
    }

    /// <summary>Loads a spec file and builds its population.</summary>
    /// <exception cref="ConfigException">The spec has mistakes.</exception>
    public static Population Load(string specPath) => PopulationBuilder.Build(PopulationSpec.Load(specPath));

    /// <inheritdoc/>
    public bool TryFind(Eui64 eui, out DeviceRecord device)
    {
        var i = index.Find(eui.Value);
        if (i < 0)
        {
            device = default;
            return false;
        }

        device = Record(i);
        return true;
    }

    /// <summary>The index of the device with this EUI-64, or −1 when the estate has no such device. Allocates nothing.</summary>
    public int IndexOf(Eui64 eui) => index.Find(eui.Value);

    /// <inheritdoc/>
    public DeviceRecord Get(int index)
    {
        if ((uint)index >= (uint)euis.Length)
        {
            ThrowIndex(index);
        }

        return Record(index);
    }

    /// <inheritdoc/>
    public Range PremisesDevices(int premises)
    {
        if ((uint)premises >= (uint)regions.Length)
        {
            ThrowPremises(premises);
        }

        return new Range(premisesStarts[premises], premisesStarts[premises + 1]);
    }

    /// <summary>The first device of a type in a premises (for example its hub), or −1 when it has none.</summary>
    public int FindInPremises(int premises, DeviceType type)
    {
        var range = PremisesDevices(premises);
        var end = range.End.Value;
        for (var i = range.Start.Value; i < end; i++)
        {
            if (types[i] == type)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Mean number of index slots a successful EUI lookup reads (a measure of the index's health).</summary>
    internal double MeanProbeLength() => index.MeanProbeLength();

    /// <summary>EUI-64 of a device.</summary>
    public Eui64 EuiOf(int index) => new(euis[index]);

    /// <summary>Device type of a device.</summary>
    public DeviceType TypeOf(int index) => types[index];

    /// <summary>Premises of a device.</summary>
    public int PremisesOf(int index) => devicePremises[index];

    /// <summary>Sets a device's DCC status (commissioning, decommissioning, suspension).</summary>
    public void SetStatus(int index, DeviceStatus status) => statuses[index] = status;

    /// <summary>Records a firmware version as installed on a device (a firmware activation or a rollout).</summary>
    /// <exception cref="ArgumentException">The firmware is not a version of the device's DMC.</exception>
    public void SetFirmware(int index, ushort firmwareId)
    {
        if (firmwareId >= Firmware.Count || Firmware[firmwareId].Dmc != dmcIds[index])
        {
            ThrowFirmware(index, firmwareId);
        }

        firmwareIds[index] = firmwareId;
    }

    /// <summary>The firmware id of a version of a DMC, or −1 when the DMC has no such version.</summary>
    public int FindFirmware(ushort dmc, string version)
    {
        foreach (var f in Firmware)
        {
            if (f.Dmc == dmc && string.Equals(f.Version, version, StringComparison.Ordinal))
            {
                return f.Id;
            }
        }

        return -1;
    }

    /// <summary>The id of a DMC by name, or −1.</summary>
    public int FindDmc(string name)
    {
        foreach (var d in Dmcs)
        {
            if (string.Equals(d.Name, name, StringComparison.Ordinal))
            {
                return d.Id;
            }
        }

        return -1;
    }

    /// <summary>
    /// A 64-bit digest of every column (devices, premises and opening state): equal for populations built from the same
    /// spec and seed, so a report can name the estate a run used.
    /// </summary>
    public ulong Fingerprint()
    {
        var h = 0x243F6A8885A308D3UL;
        h = Digest(h, euis);
        h = Digest(h, types);
        h = Digest(h, statuses);
        h = Digest(h, dmcIds);
        h = Digest(h, firmwareIds);
        h = Digest(h, devicePremises);
        h = Digest(h, premisesStarts);
        h = Digest(h, regions);
        h = Digest(h, generations);
        h = Digest(h, providers);
        h = Digest(h, kinds);
        return State.Digest(h);
    }

    internal static ulong Digest<T>(ulong h, T[] column)
        where T : unmanaged
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(column.AsSpan());
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var w in words)
        {
            h = SplitMix64.Mix(h ^ w) + 0x9E3779B97F4A7C15;
        }

        for (var i = words.Length * sizeof(ulong); i < bytes.Length; i++)
        {
            h = SplitMix64.Mix(h ^ bytes[i]) + 0x9E3779B97F4A7C15;
        }

        return SplitMix64.Mix(h ^ (ulong)column.Length);
    }

    internal static long SizeOf<T>(T[] array)
        where T : unmanaged => (long)array.Length * Unsafe.SizeOf<T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private DeviceRecord Record(int i)
    {
        var p = devicePremises[i];
        return new DeviceRecord(i, new Eui64(euis[i]), types[i], generations[p], statuses[i], regions[p], dmcIds[i], firmwareIds[i], providers[p], p);
    }

    [DoesNotReturn]
    private void ThrowIndex(int i) =>
        throw new ArgumentOutOfRangeException(nameof(i), i, $"Device index must be from 0 to {euis.Length - 1}.");

    [DoesNotReturn]
    private void ThrowPremises(int p) =>
        throw new ArgumentOutOfRangeException(nameof(p), p, $"Premises index must be from 0 to {regions.Length - 1}.");

    [DoesNotReturn]
    private void ThrowFirmware(int i, ushort firmwareId) =>
        throw new ArgumentException($"Firmware {firmwareId} is not a version of DMC {dmcIds[i]} ({Dmcs[dmcIds[i]].Name}), the model of device {i}.", nameof(firmwareId));
}

/// <summary>The arrays a builder fills, handed to the population in one piece.</summary>
internal sealed class PopulationColumns
{
    public required ulong[] Euis { get; init; }

    public required DeviceType[] Types { get; init; }

    public required DeviceStatus[] Statuses { get; init; }

    public required ushort[] Dmcs { get; init; }

    public required ushort[] Firmware { get; init; }

    public required int[] DevicePremises { get; init; }

    public required int[] PremisesStarts { get; init; }

    public required CspRegion[] Regions { get; init; }

    public required DeviceGeneration[] Generations { get; init; }

    public required byte[] Providers { get; init; }

    public required byte[] Kinds { get; init; }

    public required DeviceState State { get; init; }
}

/// <summary>The lookup tables of a population.</summary>
internal sealed record PopulationTables(
    IReadOnlyList<DmcInfo> Dmcs,
    IReadOnlyList<FirmwareInfo> Firmware,
    IReadOnlyList<Smets1ServiceProviderInfo> Providers,
    IReadOnlyList<PremisesKindInfo> Kinds);
