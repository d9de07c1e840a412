using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Devices.Estate;

/// <summary>
/// EUI-64 → device index, for the DCC's per-request lookup. An open-addressing table (linear probing) of
/// <see cref="int"/> slots over the population's EUI column, rather than a <c>Dictionary&lt;ulong, int&gt;</c>:
/// <list type="bullet">
/// <item>memory: a dictionary entry costs 24 bytes (key, value, hash code, next) plus a 4-byte bucket, about 28 B a
/// device at best and a resize to twice that on the way up; here a slot is 4 bytes at a load factor of at most 2/3,
/// so about 6 B a device, allocated once at its final size;</item>
/// <item>no second copy of the keys: a slot holds the device index + 1 (0 = empty, so the array needs no filling) and
/// the key is compared in the EUI column itself;</item>
/// <item>lookups allocate nothing, and 12 million SMETS1 meters (about 27 million devices) need about 160 MB here
/// against more than 1.5 GB for a dictionary during its last resize.</item>
/// </list>
/// The table size is not a power of two: the slot is chosen by multiply-high range reduction (Lemire) of a full
/// 64-bit mix of the EUI, so the load factor can be held near 2/3 instead of anywhere between 1/3 and 2/3.
/// </summary>
internal sealed class EuiIndex
{
    private readonly int[] slots;
    private readonly ulong[] euis;

    /// <summary>Indexes <paramref name="euis"/>; throws when two devices share an EUI (a population must never do that).</summary>
    public EuiIndex(ulong[] euis)
    {
        this.euis = euis;
        var capacity = Math.Max(16L, (long)euis.Length * 3 / 2 + 1);
        if (capacity > Array.MaxLength)
        {
            throw new ArgumentException($"{euis.Length} devices are more than one index can hold.", nameof(euis));
        }

        slots = new int[capacity];
        for (var i = 0; i < euis.Length; i++)
        {
            var eui = euis[i];
            var s = SlotOf(eui);
            while (true)
            {
                var occupant = slots[s];
                if (occupant == 0)
                {
                    slots[s] = i + 1;
                    break;
                }

                if (euis[occupant - 1] == eui)
                {
                    throw new InvalidOperationException($"Devices {occupant - 1} and {i} share the EUI-64 {new Eui64(eui)}.");
                }

                if (++s == slots.Length)
                {
                    s = 0;
                }
            }
        }
    }

    /// <summary>Bytes held by the table itself (not the EUI column it reads).</summary>
    public long Bytes => (long)slots.Length * sizeof(int);

    /// <summary>The index of the device with this EUI, or −1.</summary>
    public int Find(ulong eui)
    {
        var table = slots;
        var s = SlotOf(eui);
        while (true)
        {
            var occupant = table[s];
            if (occupant == 0)
            {
                return -1;
            }

            if (euis[occupant - 1] == eui)
            {
                return occupant - 1;
            }

            if (++s == table.Length)
            {
                s = 0;
            }
        }
    }

    /// <summary>Mean number of slots a successful lookup reads (about 2 for linear probing at load 2/3 with a good hash).</summary>
    public double MeanProbeLength()
    {
        long total = 0;
        for (var s = 0; s < slots.Length; s++)
        {
            if (slots[s] != 0)
            {
                var home = SlotOf(euis[slots[s] - 1]);
                total += (s >= home ? s - home : s + slots.Length - home) + 1;
            }
        }

        return euis.Length == 0 ? 0 : (double)total / euis.Length;
    }

    private int SlotOf(ulong eui) => (int)Math.BigMul(SplitMix64.Mix(eui), (ulong)slots.Length, out _);
}
