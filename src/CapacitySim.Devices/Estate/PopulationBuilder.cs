using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Estate;

/// <summary>
/// Builds a <see cref="Population"/> from a <see cref="PopulationSpec"/>, deterministically: the same spec and seed
/// give the same population, column for column, on any machine and with any number of cores.
/// </summary>
/// <remarks>
/// Two passes over the premises, each premises drawing from its own random stream (so the passes run in parallel
/// without changing the result): the first draws each premises' generation, region, kind, SMETS1 service provider and
/// consumption, which fixes its device count; a prefix sum then gives every premises its first device index and
/// every array is allocated once at its final length; the second draws each device's DMC, firmware and status.
/// <para>
/// EUI-64s are the DMC's three-octet manufacturer prefix followed by a 40-bit serial number: a seed-derived start plus
/// the device's index. Serials are therefore unique (the index is), sparse within a model as real serial ranges are,
/// and never collide with the reference devices (prefix 00-DB-12, which specs may not use) or DCC parties (90-B3-D5).
/// </para>
/// </remarks>
public static class PopulationBuilder
{
    private const ulong PremisesStream = 1;
    private const ulong DeviceStream = 2;
    private const int ChunkPremises = 8192;
    private const ulong SerialMask = (1UL << 40) - 1;

    // Layout of a premises' devices: hub first, then meters, then HAN devices (see ReferencePremises for premises 0).
    private static readonly DeviceType[] Layout =
    [
        DeviceType.CommunicationsHub, DeviceType.ElectricityMeter, DeviceType.GasMeter, DeviceType.GasProxy,
        DeviceType.Ppmid, DeviceType.Hcalcs, DeviceType.InHomeDisplay,
    ];

    /// <summary>Builds the population a spec describes.</summary>
    public static Population Build(PopulationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var plan = new Plan(spec);
        var offset = spec.IncludeReferencePremises ? 1 : 0;
        var premisesCount = spec.Premises + offset;

        var regions = new CspRegion[premisesCount];
        var generations = new DeviceGeneration[premisesCount];
        var providers = new byte[premisesCount];
        var kinds = new byte[premisesCount];
        var starts = new int[premisesCount + 1];
        var electricity = new ushort[premisesCount];
        var gas = new ushort[premisesCount];
        var export = new ushort[premisesCount];

        if (spec.IncludeReferencePremises)
        {
            regions[0] = ReferencePremises.Region;
            generations[0] = DeviceGeneration.Smets2;
            kinds[0] = plan.ReferenceKind;
            starts[1] = ReferencePremises.Devices.Count;
            electricity[0] = DeviceState.RateFromAnnualKwh(spec.Consumption.ElectricityKwhPerYear);
            gas[0] = DeviceState.RateFromAnnualKwh(spec.Consumption.GasKwhPerYear);
        }

        // Pass 1: premises. starts[p + 1] holds the device count of premises p until the prefix sum.
        ForChunks(spec.Premises, (from, to) =>
        {
            for (var g = from; g < to; g++)
            {
                var p = g + offset;
                var rng = SplitMix64.ForStream(spec.Seed, PremisesStream, (ulong)g);
                var generation = (DeviceGeneration)plan.Generation.Choose(rng.NextUInt32());
                var region = (CspRegion)plan.Region.Choose(rng.NextUInt32());
                var kind = (byte)plan.Kind.Choose(rng.NextUInt32());
                var provider = (byte)plan.Provider.Choose(rng.NextUInt32());
                generations[p] = generation;
                regions[p] = region;
                kinds[p] = kind;
                providers[p] = generation == DeviceGeneration.Smets1 ? provider : (byte)0;
                starts[p + 1] = plan.DeviceCount[kind];

                var c = spec.Consumption;
                electricity[p] = DeviceState.RateFromAnnualKwh(c.ElectricityKwhPerYear * Spread(ref rng, c.Spread));
                gas[p] = plan.Kinds[kind].Fuel == PremisesFuel.DualFuel
                    ? DeviceState.RateFromAnnualKwh(c.GasKwhPerYear * Spread(ref rng, c.Spread))
                    : (ushort)0;
                export[p] = rng.NextDouble() < c.ExportShare
                    ? DeviceState.RateFromAnnualKwh(c.ExportKwhPerYear * Spread(ref rng, c.Spread))
                    : (ushort)0;
            }
        });

        long total = 0;
        for (var p = 0; p < premisesCount; p++)
        {
            total += starts[p + 1];
            if (total > Array.MaxLength)
            {
                throw new InvalidOperationException($"{spec.Source}: {spec.Premises} premises make more devices than one population can hold.");
            }

            starts[p + 1] = (int)total;
        }

        var deviceCount = (int)total;
        var euis = new ulong[deviceCount];
        var types = new DeviceType[deviceCount];
        var statuses = new DeviceStatus[deviceCount];
        var dmcs = new ushort[deviceCount];
        var firmware = new ushort[deviceCount];
        var devicePremises = new int[deviceCount];
        var state = new DeviceState(types, devicePremises, premisesCount, spec.Epoch, spec.Seed);
        for (var p = 0; p < premisesCount; p++)
        {
            state.InitialisePremises(p, electricity[p], gas[p], export[p]);
        }

        if (spec.IncludeReferencePremises)
        {
            FillReference(plan, euis, types, statuses, dmcs, firmware, devicePremises, state);
        }

        // Pass 2: devices.
        var serialStart = SplitMix64.Mix(spec.Seed ^ 0x53455249414CUL) & (SerialMask >> 1);
        ForChunks(spec.Premises, (from, to) =>
        {
            for (var g = from; g < to; g++)
            {
                var p = g + offset;
                var rng = SplitMix64.ForStream(spec.Seed, DeviceStream, (ulong)g);
                var kind = plan.Kinds[kinds[p]];
                var generationRow = (int)generations[p] - 1;
                var i = starts[p];
                foreach (var type in Layout)
                {
                    if (!Has(kind, type))
                    {
                        continue;
                    }

                    var dmc = plan.DmcTable[generationRow, (int)type].Choose(rng.NextUInt32());
                    types[i] = type;
                    dmcs[i] = dmc;
                    firmware[i] = plan.FirmwareTable[dmc].Choose(rng.NextUInt32());
                    statuses[i] = (DeviceStatus)plan.Status.Choose(rng.NextUInt32());
                    devicePremises[i] = p;
                    euis[i] = ((ulong)plan.Dmcs[dmc].EuiPrefix << 40) | ((serialStart + (ulong)i) & SerialMask);
                    InitialiseState(state, plan.Spec.Prepayment, kind, type, i, p, ref rng);
                    i++;
                }

                // A GPF holds the gas meter's readings: same opening register as the GSME just before it.
                if (kind.Fuel == PremisesFuel.DualFuel)
                {
                    var gsme = starts[p] + 2;
                    state.InitialiseDevice(gsme + 1, (uint)state.ReadImportRegisterWh(gsme, spec.Epoch), 0, 0, 0, SupplyStatus.Enabled, kind.Payment, joined: true);
                }
            }
        });

        var columns = new PopulationColumns
        {
            Euis = euis,
            Types = types,
            Statuses = statuses,
            Dmcs = dmcs,
            Firmware = firmware,
            DevicePremises = devicePremises,
            PremisesStarts = starts,
            Regions = regions,
            Generations = generations,
            Providers = providers,
            Kinds = kinds,
            State = state,
        };
        return new Population(columns, plan.Tables, spec);
    }

    private static void InitialiseState(DeviceState state, PrepaymentSpec prepayment, PremisesKindInfo kind, DeviceType type, int i, int premises, ref SplitMix64 rng)
    {
        var isMeter = type is DeviceType.ElectricityMeter or DeviceType.GasMeter;
        if (!isMeter)
        {
            state.InitialiseDevice(i, 0, 0, 0, 0, SupplyStatus.Enabled, kind.Payment, joined: true);
            return;
        }

        // Opening register: the meter has run for half a year to eight years at its premises' rate.
        var rate = type == DeviceType.ElectricityMeter ? state.ElectricityRateWhPerHour(premises) : state.GasRateWhPerHour(premises);
        var years = 0.5 + (rng.NextDouble() * 7.5);
        var opening = Math.Min(rate * 8766.0 * years, uint.MaxValue);

        int credit = 0, debt = 0;
        if (kind.Payment == PaymentMode.Prepayment)
        {
            credit = (int)(rng.NextDouble() * 2 * prepayment.MeanCreditPence);
            debt = rng.NextDouble() < prepayment.DebtShare ? (int)(rng.NextDouble() * 2 * prepayment.MeanDebtPence) : 0;
        }

        state.InitialiseDevice(i, (uint)opening, credit, debt, 1, SupplyStatus.Enabled, kind.Payment, joined: true);
    }

    private static void FillReference(
        Plan plan, ulong[] euis, DeviceType[] types, DeviceStatus[] statuses, ushort[] dmcs, ushort[] firmware, int[] devicePremises, DeviceState state)
    {
        var devices = ReferencePremises.Devices;
        for (var i = 0; i < devices.Count; i++)
        {
            var (eui, type) = devices[i];
            euis[i] = eui.Value;
            types[i] = type;
            statuses[i] = DeviceStatus.Commissioned;
            dmcs[i] = plan.ReferenceDmc;
            firmware[i] = plan.ReferenceFirmware;
            devicePremises[i] = 0;
            var meter = type is DeviceType.ElectricityMeter or DeviceType.GasMeter or DeviceType.GasProxy;

            // Round opening readings, so a DCC Boxed user can tell the reference meters' registers apart at a glance.
            var opening = type == DeviceType.ElectricityMeter ? 12_345_000u : meter ? 45_678_000u : 0u;
            state.InitialiseDevice(i, opening, 0, 0, meter ? (ushort)1 : (ushort)0, SupplyStatus.Enabled, PaymentMode.Credit, joined: true);
        }
    }

    private static double Spread(ref SplitMix64 rng, double spread) => 1 + (spread * ((2 * rng.NextDouble()) - 1));

    private static bool Has(PremisesKindInfo kind, DeviceType type) => type switch
    {
        DeviceType.CommunicationsHub or DeviceType.ElectricityMeter => true,
        DeviceType.GasMeter or DeviceType.GasProxy => kind.Fuel == PremisesFuel.DualFuel,
        DeviceType.Ppmid => kind.HasPpmid,
        DeviceType.Hcalcs => kind.HasHcalcs,
        DeviceType.InHomeDisplay => kind.HasIhd,
        _ => false,
    };

    private static void ForChunks(int count, Action<int, int> body)
    {
        var chunks = (count + ChunkPremises - 1) / ChunkPremises;
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }

        Parallel.For(0, chunks, c => body(c * ChunkPremises, Math.Min(count, (c + 1) * ChunkPremises)));
    }

    /// <summary>The spec turned into tables and weighted draws.</summary>
    private sealed class Plan
    {
        public Plan(PopulationSpec spec)
        {
            Spec = spec;

            // DMCs: the spec's, in declaration order, then the reference model.
            var typesByDmc = new Dictionary<string, List<DeviceType>>(StringComparer.Ordinal);
            foreach (var (type, mix) in spec.DmcMix)
            {
                foreach (var entry in mix)
                {
                    if (!typesByDmc.TryGetValue(entry.Value, out var list))
                    {
                        typesByDmc[entry.Value] = list = [];
                    }

                    if (!list.Contains(type))
                    {
                        list.Add(type);
                    }
                }
            }

            var dmcList = new List<DmcInfo>();
            var dmcIds = new Dictionary<string, ushort>(StringComparer.Ordinal);
            foreach (var d in spec.Dmcs)
            {
                var typeList = typesByDmc.TryGetValue(d.Name, out var t) ? t : [];
                typeList.Sort();
                var id = (ushort)dmcList.Count;
                dmcIds[d.Name] = id;
                dmcList.Add(new DmcInfo(id, d.Name, d.Generation, typeList, d.EuiPrefix));
            }

            var firmwareList = new List<FirmwareInfo>();
            FirmwareTable = new WeightedTable[dmcList.Count + 1];
            foreach (var d in dmcList)
            {
                if (!spec.FirmwareMix.TryGetValue(d.Name, out var versions))
                {
                    continue;
                }

                var weights = new double[versions.Count];
                var ids = new ushort[versions.Count];
                for (var v = 0; v < versions.Count; v++)
                {
                    ids[v] = (ushort)firmwareList.Count;
                    weights[v] = versions[v].Weight;
                    firmwareList.Add(new FirmwareInfo(ids[v], d.Id, versions[v].Value));
                }

                FirmwareTable[d.Id] = new WeightedTable(weights, ids);
            }

            ReferenceDmc = (ushort)dmcList.Count;
            ReferenceFirmware = (ushort)firmwareList.Count;
            if (spec.IncludeReferencePremises)
            {
                List<DeviceType> referenceTypes = [];
                foreach (var (_, type) in ReferencePremises.Devices)
                {
                    if (!referenceTypes.Contains(type))
                    {
                        referenceTypes.Add(type);
                    }
                }

                referenceTypes.Sort();
                dmcList.Add(new DmcInfo(ReferenceDmc, ReferencePremises.DmcName, DeviceGeneration.Smets2, referenceTypes, 0x00DB12));
                firmwareList.Add(new FirmwareInfo(ReferenceFirmware, ReferenceDmc, ReferencePremises.FirmwareVersion));
            }

            // Weighted DMC draws per generation and device type.
            DmcTable = new WeightedTable[2, (int)DeviceType.AnyHanDevice + 1];
            foreach (var (type, mix) in spec.DmcMix)
            {
                foreach (var generation in (ReadOnlySpan<DeviceGeneration>)[DeviceGeneration.Smets1, DeviceGeneration.Smets2])
                {
                    var weights = new List<double>();
                    var ids = new List<ushort>();
                    foreach (var entry in mix)
                    {
                        var id = dmcIds[entry.Value];
                        if (dmcList[id].Generation == generation && entry.Weight > 0)
                        {
                            weights.Add(entry.Weight);
                            ids.Add(id);
                        }
                    }

                    if (ids.Count > 0)
                    {
                        DmcTable[(int)generation - 1, (int)type] = new WeightedTable([.. weights], [.. ids]);
                    }
                }
            }

            // Premises kinds: the spec's, then the reference kind.
            var kindList = new List<PremisesKindInfo>();
            var kindWeights = new List<double>();
            var kindIds = new List<ushort>();
            foreach (var k in spec.PremisesKinds)
            {
                var id = (byte)kindList.Count;
                kindList.Add(new PremisesKindInfo(id, k.Name, k.Fuel, k.Ppmid, k.Ihd, k.Hcalcs, k.Payment));
                kindWeights.Add(k.Weight);
                kindIds.Add(id);
            }

            ReferenceKind = (byte)kindList.Count;
            if (spec.IncludeReferencePremises)
            {
                kindList.Add(new PremisesKindInfo(ReferenceKind, ReferencePremises.KindName, PremisesFuel.DualFuel, true, true, true, PaymentMode.Credit));
            }

            Kinds = [.. kindList];
            Kind = new WeightedTable([.. kindWeights], [.. kindIds]);
            DeviceCount = new int[kindList.Count];
            foreach (var k in kindList)
            {
                var n = 0;
                foreach (var type in Layout)
                {
                    n += Has(k, type) ? 1 : 0;
                }

                DeviceCount[k.Id] = n;
            }

            Generation = Table(spec.GenerationMix, static g => (ushort)g);
            Region = Table(spec.RegionMix, static r => (ushort)r);
            Status = Table(spec.StatusMix, static s => (ushort)s);

            var providerList = new List<Smets1ServiceProviderInfo> { new(0, string.Empty, default) };
            var providerWeights = new List<double>();
            var providerIds = new List<ushort>();
            foreach (var s in spec.Smets1ServiceProviders)
            {
                var id = (byte)providerList.Count;
                providerList.Add(new Smets1ServiceProviderInfo(id, s.Name, s.Eui));
                providerWeights.Add(s.Weight);
                providerIds.Add(id);
            }

            // With no SMETS1 share there may be no providers: every premises then draws "none".
            Provider = providerIds.Count > 0 ? new WeightedTable([.. providerWeights], [.. providerIds]) : new WeightedTable([1.0], [(ushort)0]);

            Dmcs = [.. dmcList];
            Tables = new PopulationTables(dmcList, firmwareList, providerList, kindList);
        }

        public PopulationSpec Spec { get; }

        public DmcInfo[] Dmcs { get; }

        public PremisesKindInfo[] Kinds { get; }

        public int[] DeviceCount { get; }

        public WeightedTable[,] DmcTable { get; }

        public WeightedTable[] FirmwareTable { get; }

        public WeightedTable Generation { get; }

        public WeightedTable Region { get; }

        public WeightedTable Status { get; }

        public WeightedTable Kind { get; }

        public WeightedTable Provider { get; }

        public ushort ReferenceDmc { get; }

        public ushort ReferenceFirmware { get; }

        public byte ReferenceKind { get; }

        public PopulationTables Tables { get; }

        private static WeightedTable Table<T>(IReadOnlyList<Weighted<T>> mix, Func<T, ushort> id)
        {
            var weights = new double[mix.Count];
            var ids = new ushort[mix.Count];
            for (var i = 0; i < mix.Count; i++)
            {
                weights[i] = mix[i].Weight;
                ids[i] = id(mix[i].Value);
            }

            return new WeightedTable(weights, ids);
        }
    }
}
