namespace CapacitySim.Devices.Estate;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast generator whose output is fixed by its published algorithm,
/// so a population built from a seed is the same on every runtime and machine. <see cref="System.Random"/> is not used
/// because its algorithm is an implementation detail that has changed between .NET versions. Each premises gets its
/// own stream (<see cref="ForStream"/>), so premises can be built in any order, or in parallel, with identical results.
/// </summary>
internal struct SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;
    private ulong state;

    public SplitMix64(ulong seed) => state = seed;

    /// <summary>An independent stream for one (seed, stream, item) triple.</summary>
    public static SplitMix64 ForStream(ulong seed, ulong stream, ulong item)
        => new(Mix(Mix(seed ^ (stream * 0xD1B54A32D192ED03)) + (item * Gamma)));

    public ulong Next()
    {
        state += Gamma;
        return Mix(state);
    }

    /// <summary>A uniform 32-bit draw (the high half, which SplitMix64 mixes best).</summary>
    public uint NextUInt32() => (uint)(Next() >> 32);

    /// <summary>A uniform draw in [0, 1) with 53 bits of precision.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>The finaliser of MurmurHash3 / SplitMix64: a bijection on 64 bits with full avalanche.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}

/// <summary>
/// A weighted choice among up to 65,535 items, drawn from one 32-bit random number: cumulative thresholds are fixed
/// once from the spec's weights, so a draw is integer compares only (no floating point in the per-device path).
/// </summary>
internal sealed class WeightedTable
{
    private readonly uint[] thresholds;
    private readonly ushort[] values;

    public WeightedTable(ReadOnlySpan<double> weights, ReadOnlySpan<ushort> values)
    {
        if (weights.Length == 0 || weights.Length != values.Length)
        {
            throw new ArgumentException("A weighted table needs one weight per value and at least one value.", nameof(weights));
        }

        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }

        if (!(total > 0))
        {
            throw new ArgumentException("The weights of a weighted table must add up to more than zero.", nameof(weights));
        }

        thresholds = new uint[weights.Length];
        this.values = values.ToArray();
        var cumulative = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];

            // Threshold i: draws below it (and at or above the previous one) choose item i. The last is the full range,
            // so rounding never leaves a draw without an item.
            var scaled = cumulative / total * 4294967296.0;
            thresholds[i] = i == weights.Length - 1 || scaled >= uint.MaxValue ? uint.MaxValue : (uint)scaled;
        }
    }

    public int Count => values.Length;

    public ushort Choose(uint draw)
    {
        var t = thresholds;
        for (var i = 0; i < t.Length - 1; i++)
        {
            if (draw < t[i])
            {
                return values[i];
            }
        }

        return values[^1];
    }
}
