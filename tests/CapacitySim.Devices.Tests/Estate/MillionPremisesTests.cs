using System.Diagnostics;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using Xunit.Abstractions;

namespace CapacitySim.Devices.Tests.Estate;

public sealed class MillionPremisesTests(ITestOutputHelper output)
{
    /// <summary>
    /// Bound on all bytes per device (directory, EUI index and device state), from the layout: device columns 18 B
    /// (EUI 8, type, status 1 each, DMC and firmware 2 each, premises 4), EUI index ≤ 6 B (4-byte slots at load ≥ 2/3),
    /// device state 18 B, and per-premises columns (start 4, region, generation, provider, kind 1 each, three rates 6)
    /// spread over about four devices. About 45 B; 48 leaves room for a premises mix with fewer devices per premises,
    /// and is what lets 12 million SMETS1 meters (about 27 million devices) fit in about 1.3 GB.
    /// </summary>
    private const double MaxBytesPerDevice = 48;

    /// <summary>What the DCC needs to find and route a device (without the state responses read): at most 32 B.</summary>
    private const double MaxDirectoryBytesPerDevice = 32;

    [Fact]
    public void A_million_premises_build_in_bounded_memory_with_unique_findable_euis()
    {
        var spec = EstateFixture.Spec("million.yaml");
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var population = PopulationBuilder.Build(spec);
        var buildTime = watch.Elapsed;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        output.WriteLine($"premises: {population.PremisesCount:N0}, devices: {population.Count:N0}");
        output.WriteLine($"build: {buildTime.TotalMilliseconds:N0} ms on {Environment.ProcessorCount} cores");
        output.WriteLine($"arrays: {population.TotalBytes / 1048576.0:N1} MiB = {population.BytesPerDevice:N1} B/device, {population.BytesPerPremises:N1} B/premises");
        output.WriteLine($"directory (columns + index): {(double)population.DirectoryBytes / population.Count:N1} B/device; state: {(double)population.State.Bytes / population.Count:N1} B/device");
        output.WriteLine($"managed heap growth: {(heapAfter - heapBefore) / 1048576.0:N1} MiB");

        Assert.Equal(1_000_001, population.PremisesCount);
        Assert.InRange(population.Count, 3_000_000, 5_000_000);
        Assert.True(population.BytesPerDevice <= MaxBytesPerDevice, $"{population.BytesPerDevice:N1} B/device");
        Assert.True((double)population.DirectoryBytes / population.Count <= MaxDirectoryBytesPerDevice);

        // The arrays are the population: the heap grew by about what they hold (no per-device objects on the side).
        Assert.InRange(heapAfter - heapBefore, population.TotalBytes * 0.9, population.TotalBytes * 1.25);

        // Unique and findable: sort a copy of the EUI column and look each one up.
        var sorted = population.Euis.ToArray();
        Array.Sort(sorted);
        for (var i = 1; i < sorted.Length; i++)
        {
            Assert.NotEqual(sorted[i - 1], sorted[i]);
        }

        watch.Restart();
        for (var i = 0; i < population.Count; i++)
        {
            if (population.IndexOf(new Eui64(population.Euis[i])) != i)
            {
                Assert.Fail($"device {i} ({new Eui64(population.Euis[i])}) not found at its index");
            }
        }

        output.WriteLine($"lookup of every device: {watch.Elapsed.TotalMilliseconds * 1e6 / population.Count:N0} ns each");

        // Linear probing at load ≤ 2/3 reads about 2 slots per hit when the hash spreads sequential serials well; a
        // weak hash would cluster them and show here long before it shows in timings.
        var probes = population.MeanProbeLength();
        output.WriteLine($"mean probe length: {probes:N2} slots");
        Assert.InRange(probes, 1.0, 2.5);
        Assert.Equal(DeviceType.ElectricityMeter, population.Get(population.IndexOf(ReferencePremises.ElectricityMeter)).Type);
    }
}
