using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Tests.Estate;

public sealed class PopulationBuilderTests
{
    [Fact]
    public void Same_spec_and_seed_build_identical_populations_column_for_column()
    {
        var spec = EstateFixture.Spec("default.yaml").With(premises: 3000);
        var a = PopulationBuilder.Build(spec);
        var b = PopulationBuilder.Build(spec);

        Assert.Equal(a.Count, b.Count);
        Assert.True(a.Euis.SequenceEqual(b.Euis));
        Assert.True(a.Types.SequenceEqual(b.Types));
        Assert.True(a.DmcIds.SequenceEqual(b.DmcIds));
        Assert.True(a.FirmwareIds.SequenceEqual(b.FirmwareIds));
        Assert.True(a.Statuses.SequenceEqual(b.Statuses));
        Assert.True(a.PremisesStarts.SequenceEqual(b.PremisesStarts));
        Assert.True(a.PremisesRegions.SequenceEqual(b.PremisesRegions));
        Assert.True(a.PremisesGenerations.SequenceEqual(b.PremisesGenerations));
        Assert.True(a.PremisesSmets1ServiceProviders.SequenceEqual(b.PremisesSmets1ServiceProviders));
        var at = spec.Epoch.AddDays(40);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a.State.ReadImportRegisterWh(i, at), b.State.ReadImportRegisterWh(i, at));
            Assert.Equal(a.State.GetCreditBalancePence(i), b.State.GetCreditBalancePence(i));
        }

        Assert.Equal(a.Fingerprint(), b.Fingerprint());
    }

    [Fact]
    public void Build_is_the_same_whether_premises_are_built_on_one_thread_or_many()
    {
        // Above one chunk the builder runs in parallel; the first 8,192 premises of a large build must equal a small one.
        var spec = EstateFixture.Spec("default.yaml");
        var small = PopulationBuilder.Build(spec.With(premises: 8191));
        var large = PopulationBuilder.Build(spec.With(premises: 40_000));
        var n = small.Count;
        Assert.True(small.Euis.SequenceEqual(large.Euis[..n]));
        Assert.True(small.DmcIds.SequenceEqual(large.DmcIds[..n]));
        Assert.True(small.FirmwareIds.SequenceEqual(large.FirmwareIds[..n]));
        Assert.True(small.PremisesRegions.SequenceEqual(large.PremisesRegions[..small.PremisesCount]));
    }

    [Fact]
    public void A_different_seed_builds_a_different_population()
    {
        var spec = EstateFixture.Spec("default.yaml").With(premises: 2000);
        var a = PopulationBuilder.Build(spec);
        var b = PopulationBuilder.Build(spec.With(seed: spec.Seed + 1));

        Assert.NotEqual(a.Fingerprint(), b.Fingerprint());
        Assert.False(a.PremisesRegions.SequenceEqual(b.PremisesRegions));
        var differentEuis = 0;
        for (var i = ReferencePremises.Devices.Count; i < Math.Min(a.Count, b.Count); i++)
        {
            differentEuis += a.Euis[i] != b.Euis[i] ? 1 : 0;
        }

        Assert.True(differentEuis > Math.Min(a.Count, b.Count) / 2, $"only {differentEuis} EUIs differ");

        // The reference premises does not depend on the seed.
        for (var i = 0; i < ReferencePremises.Devices.Count; i++)
        {
            Assert.Equal(a.Euis[i], b.Euis[i]);
        }
    }

    [Fact]
    public void Mixes_come_out_within_tolerance_of_the_spec()
    {
        var spec = EstateFixture.Spec("default.yaml").With(premises: 50_000);
        var population = PopulationBuilder.Build(spec);
        var generated = spec.Premises;
        Assert.Equal(generated + 1, population.PremisesCount);

        // Generation: 85 % SMETS1.
        var smets1 = 0;
        var regionCounts = new int[4];
        var providerCounts = new int[population.Smets1ServiceProviders.Count];
        for (var p = 1; p < population.PremisesCount; p++)
        {
            var g = population.PremisesGenerations[p];
            smets1 += g == DeviceGeneration.Smets1 ? 1 : 0;
            regionCounts[(int)population.PremisesRegions[p]]++;
            var provider = population.PremisesSmets1ServiceProviders[p];
            Assert.Equal(g == DeviceGeneration.Smets1, provider != 0);
            providerCounts[provider]++;
        }

        AssertShare(0.85, smets1, generated, "SMETS1 share");
        AssertShare(0.30, regionCounts[(int)CspRegion.North], generated, "North");
        AssertShare(0.38, regionCounts[(int)CspRegion.Central], generated, "Central");
        AssertShare(0.32, regionCounts[(int)CspRegion.South], generated, "South");
        AssertShare(0.45, providerCounts[1], smets1, "S1SP-IOC");
        AssertShare(0.35, providerCounts[2], smets1, "S1SP-MOC");
        AssertShare(0.20, providerCounts[3], smets1, "S1SP-FOC");
        Assert.Equal("S1SP-IOC", population.Smets1ServiceProviders[1].Name);

        // Premises kinds: dual fuel is 52 + 9 = 61 %.
        var dual = 0;
        for (var p = 1; p < population.PremisesCount; p++)
        {
            dual += population.PremisesKinds[population.PremisesKindIds[p]].Fuel == PremisesFuel.DualFuel ? 1 : 0;
        }

        AssertShare(0.61, dual, generated, "dual fuel");

        // DMC mix: SMETS1 electricity meters are 45/35/20 Secure/Landis/EDMI; device DMCs match their premises' generation.
        var s1Esme = 0;
        var secure = population.FindDmc("S1-ELEC-SecureLiberty100");
        var secureCount = 0;
        for (var i = ReferencePremises.Devices.Count; i < population.Count; i++)
        {
            var dmc = population.Dmcs[population.DmcIds[i]];
            var record = population.Get(i);
            Assert.Equal(record.Generation, dmc.Generation);
            Assert.Contains(record.Type, dmc.DeviceTypes);
            Assert.Equal(dmc.Id, population.Firmware[record.Firmware].Dmc);
            if (record.Type == DeviceType.ElectricityMeter && record.Generation == DeviceGeneration.Smets1)
            {
                s1Esme++;
                secureCount += record.Dmc == secure ? 1 : 0;
            }
        }

        AssertShare(0.45, secureCount, s1Esme, "S1-ELEC-SecureLiberty100 among SMETS1 ESMEs");

        // Firmware mix of that DMC: 55/45.
        var v317 = population.FindFirmware((ushort)secure, "3.1.7");
        var with317 = 0;
        for (var i = 0; i < population.Count; i++)
        {
            with317 += population.FirmwareIds[i] == v317 ? 1 : 0;
        }

        AssertShare(0.55, with317, secureCount, "firmware 3.1.7");

        // Status: 99.5 % commissioned.
        var commissioned = 0;
        for (var i = ReferencePremises.Devices.Count; i < population.Count; i++)
        {
            commissioned += population.Statuses[i] == DeviceStatus.Commissioned ? 1 : 0;
        }

        AssertShare(0.995, commissioned, population.Count - ReferencePremises.Devices.Count, "commissioned");
    }

    [Fact]
    public void Every_device_is_found_by_its_unique_eui_and_an_unknown_eui_is_not()
    {
        var population = EstateFixture.Default;
        Assert.True(population.Count > 30_000);
        var seen = new HashSet<ulong>();
        for (var i = 0; i < population.Count; i++)
        {
            var eui = population.Euis[i];
            Assert.True(seen.Add(eui), $"duplicate EUI {new Eui64(eui)}");
            Assert.True(population.TryFind(new Eui64(eui), out var record));
            Assert.Equal(i, record.Index);
            Assert.Equal(population.Get(i), record);
            Assert.Equal(i, population.IndexOf(new Eui64(eui)));
        }

        Assert.False(population.TryFind(new Eui64(0x0123456789ABCDEF), out var missing));
        Assert.Equal(default, missing);
        Assert.Equal(-1, population.IndexOf(new Eui64(0x90B3D51F30000002)));

        // A miss whose probe runs through occupied slots: neighbours of real EUIs.
        var misses = 0;
        for (var i = 0; i < 1000; i++)
        {
            var near = population.Euis[i] + 0x0000_0100_0000_0000;
            misses += seen.Contains(near) ? 0 : population.IndexOf(new Eui64(near)) == -1 ? 1 : 0;
        }

        Assert.True(misses > 900);
    }

    [Fact]
    public void Generated_euis_carry_their_dmc_prefix_and_never_the_reference_or_dcc_prefixes()
    {
        var population = EstateFixture.Default;
        for (var i = ReferencePremises.Devices.Count; i < population.Count; i++)
        {
            var prefix = (uint)(population.Euis[i] >> 40);
            Assert.Equal(population.Dmcs[population.DmcIds[i]].EuiPrefix, prefix);
            Assert.NotEqual(0x00DB12u, prefix);
            Assert.NotEqual(0x90B3D5u, prefix);
        }
    }

    [Fact]
    public void Premises_own_contiguous_ranges_with_the_hub_first_and_the_devices_their_kind_implies()
    {
        var population = EstateFixture.Default;
        var next = 0;
        for (var p = 0; p < population.PremisesCount; p++)
        {
            var range = population.PremisesDevices(p);
            Assert.Equal(next, range.Start.Value);
            Assert.True(range.End.Value > range.Start.Value);
            next = range.End.Value;
            Assert.Equal(DeviceType.CommunicationsHub, population.TypeOf(range.Start.Value));
            for (var i = range.Start.Value; i < range.End.Value; i++)
            {
                Assert.Equal(p, population.PremisesOf(i));
                Assert.Equal(population.PremisesRegions[p], population.Get(i).Region);
            }

            if (p == 0)
            {
                continue;
            }

            var kind = population.PremisesKinds[population.PremisesKindIds[p]];
            var expected = 2 + (kind.Fuel == PremisesFuel.DualFuel ? 2 : 0) + (kind.HasPpmid ? 1 : 0) + (kind.HasIhd ? 1 : 0) + (kind.HasHcalcs ? 1 : 0);
            Assert.Equal(expected, range.End.Value - range.Start.Value);
            Assert.Equal(kind.Fuel == PremisesFuel.DualFuel, population.FindInPremises(p, DeviceType.GasMeter) >= 0);
            Assert.Equal(kind.HasPpmid, population.FindInPremises(p, DeviceType.Ppmid) >= 0);
        }

        Assert.Equal(population.Count, next);
        Assert.Throws<ArgumentOutOfRangeException>(() => population.PremisesDevices(population.PremisesCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => population.Get(population.Count));
    }

    [Fact]
    public void TryFind_allocates_nothing()
    {
        var population = EstateFixture.Default;
        var euis = new Eui64[10_000];
        for (var i = 0; i < euis.Length; i++)
        {
            // Half hits spread over the estate, half misses.
            euis[i] = (i & 1) == 0 ? new Eui64(population.Euis[(int)((long)i * 7919 % population.Count)]) : new Eui64(0x0A00000000000000UL + (ulong)i);
        }

        var found = 0;
        foreach (var eui in euis)
        {
            found += population.TryFind(eui, out _) ? 1 : 0;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        found = 0;
        foreach (var eui in euis)
        {
            found += population.TryFind(eui, out _) ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(5000, found);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Firmware_can_change_to_another_version_of_the_same_dmc_only()
    {
        var population = PopulationBuilder.Build(EstateFixture.Spec("default.yaml").With(premises: 200));
        var device = FindDeviceWithTwoVersions(population, out var other);
        population.SetFirmware(device, other);
        Assert.Equal(other, population.Get(device).Firmware);

        var foreign = population.Firmware.First(f => f.Dmc != population.DmcIds[device]).Id;
        Assert.Throws<ArgumentException>(() => population.SetFirmware(device, foreign));
    }

    private static int FindDeviceWithTwoVersions(Population population, out ushort other)
    {
        for (var i = 0; i < population.Count; i++)
        {
            foreach (var f in population.Firmware)
            {
                if (f.Dmc == population.DmcIds[i] && f.Id != population.FirmwareIds[i])
                {
                    other = f.Id;
                    return i;
                }
            }
        }

        throw new InvalidOperationException("No DMC with two firmware versions.");
    }

    internal static void AssertShare(double expected, int count, int total, string what)
    {
        // Binomial standard error; 5 of them (or one percentage point for tiny shares) is a tolerance no fair
        // draw misses but a wrong mapping of weights to values does.
        var share = (double)count / total;
        var sigma = Math.Sqrt(expected * (1 - expected) / total);
        var tolerance = Math.Max(5 * sigma, 0.002);
        Assert.True(Math.Abs(share - expected) <= tolerance, $"{what}: {share:P2} of {total}, expected {expected:P2} ± {tolerance:P2}");
    }
}
