namespace CapacitySim.Load.Recording;

/// <summary>
/// The bounded set of <see cref="LatencyKey"/>s a run records against, each with a dense index. Keys are added on
/// first sight (or registered up front from the scenario); lookups are lock-free and allocate nothing.
/// </summary>
public sealed class LatencyKeySpace
{
    private readonly DenseIdMap _map;

    /// <summary>Creates a key space holding at most <paramref name="capacity"/> keys.</summary>
    public LatencyKeySpace(int capacity) => _map = new DenseIdMap(capacity);

    /// <summary>Most keys held.</summary>
    public int Capacity => _map.Capacity;

    /// <summary>Keys held; their indices are 0…Count−1.</summary>
    public int Count => _map.Count;

    /// <summary>The key at a dense index (0 ≤ index &lt; <see cref="Count"/>).</summary>
    public LatencyKey this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return LatencyKey.Unpack(_map.KeyAt(index));
        }
    }

    /// <summary>The dense index of a key, adding it when first seen; −1 when the space is full.</summary>
    public int GetOrAdd(in LatencyKey key) => _map.GetOrAdd(key.Pack());

    /// <summary>Finds the dense index of a key without adding it.</summary>
    public bool TryGetIndex(in LatencyKey key, out int index)
    {
        index = _map.Find(key.Pack());
        return index >= 0;
    }
}
