using System.Diagnostics;
using System.Numerics;

namespace CapacitySim.Load.Recording;

/// <summary>
/// Maps sparse non-zero 64-bit keys onto dense indices 0…capacity−1, so that per-key state can live in plain arrays.
/// Lookups are lock-free (a slot's index is written before its key is published); adding takes a lock, and only the
/// first sighting of a key adds. Fixed capacity: when full, <see cref="GetOrAdd"/> returns −1 and the caller counts it.
/// </summary>
internal sealed class DenseIdMap
{
    private readonly ulong[] _slotKeys;
    private readonly int[] _slotIndices;
    private readonly ulong[] _keysByIndex;
    private readonly int _mask;
    private readonly Lock _addLock = new();
    private int _count;

    public DenseIdMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;

        // At most half full, so probe sequences stay short and always reach an empty slot.
        var slots = (int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2);
        _slotKeys = new ulong[slots];
        _slotIndices = new int[slots];
        _keysByIndex = new ulong[capacity];
        _mask = slots - 1;
    }

    /// <summary>Most keys the map holds.</summary>
    public int Capacity { get; }

    /// <summary>Keys held; indices 0…Count−1 are in use.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The packed key at a dense index.</summary>
    public ulong KeyAt(int index) => _keysByIndex[index];

    /// <summary>The dense index of a key, or −1.</summary>
    public int Find(ulong key)
    {
        Debug.Assert(key != 0, "zero marks an empty slot");
        for (var slot = Slot(key); ; slot = (slot + 1) & _mask)
        {
            var present = Volatile.Read(ref _slotKeys[slot]);
            if (present == key)
            {
                return _slotIndices[slot];
            }

            if (present == 0)
            {
                return -1;
            }
        }
    }

    /// <summary>The dense index of a key, adding it when first seen; −1 when the map is full.</summary>
    public int GetOrAdd(ulong key)
    {
        var found = Find(key);
        return found >= 0 ? found : Add(key);
    }

    private int Add(ulong key)
    {
        lock (_addLock)
        {
            var slot = Slot(key);
            for (; _slotKeys[slot] != 0; slot = (slot + 1) & _mask)
            {
                if (_slotKeys[slot] == key)
                {
                    return _slotIndices[slot];
                }
            }

            if (_count == Capacity)
            {
                return -1;
            }

            var index = _count;
            _keysByIndex[index] = key;
            _slotIndices[slot] = index;
            Volatile.Write(ref _slotKeys[slot], key);
            Volatile.Write(ref _count, index + 1);
            return index;
        }
    }

    private int Slot(ulong key)
    {
        // Fibonacci hashing spreads keys that differ only in low fields (DMC, region) across the table.
        return (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & _mask;
    }
}
