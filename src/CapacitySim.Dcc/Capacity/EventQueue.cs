namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// An indexed binary min-heap of timed events, one possible event per id: ids are fixed at construction (a few per
/// in-flight slot, one per lane), so scheduling, rescheduling and cancelling allocate nothing. Events order by time,
/// then rank (lower first, so a device answer at the very moment of the deadline counts as in time), then insertion.
/// Not thread-safe: the lane engine keeps it under the DCC's lock.
/// </summary>
internal sealed class EventQueue
{
    private readonly int[] heap;
    private readonly int[] position;
    private readonly long[] time;
    private readonly long[] sequence;
    private readonly byte[] rank;
    private long nextSequence;

    public EventQueue(int ids)
    {
        heap = new int[ids];
        position = new int[ids];
        time = new long[ids];
        sequence = new long[ids];
        rank = new byte[ids];
        position.AsSpan().Fill(-1);
    }

    public int Count { get; private set; }

    public bool Contains(int id) => position[id] >= 0;

    /// <summary>Schedules <paramref name="id"/> at <paramref name="at"/>, moving it if already scheduled.</summary>
    public void Set(int id, long at, byte order)
    {
        time[id] = at;
        rank[id] = order;
        sequence[id] = nextSequence++;
        var at0 = position[id];
        if (at0 < 0)
        {
            at0 = Count++;
            heap[at0] = id;
            position[id] = at0;
            Up(at0);
        }
        else
        {
            Up(at0);
            Down(position[id]);
        }
    }

    /// <summary>Cancels <paramref name="id"/> if scheduled.</summary>
    public void Remove(int id)
    {
        var at = position[id];
        if (at < 0)
        {
            return;
        }

        position[id] = -1;
        var last = heap[--Count];
        if (at == Count)
        {
            return;
        }

        heap[at] = last;
        position[last] = at;
        Up(at);
        Down(position[last]);
    }

    /// <summary>The earliest event, if any.</summary>
    public bool TryPeek(out int id, out long at)
    {
        if (Count == 0)
        {
            id = -1;
            at = long.MaxValue;
            return false;
        }

        id = heap[0];
        at = time[id];
        return true;
    }

    private bool Less(int a, int b)
        => time[a] != time[b] ? time[a] < time[b] : rank[a] != rank[b] ? rank[a] < rank[b] : sequence[a] < sequence[b];

    private void Up(int at)
    {
        var id = heap[at];
        while (at > 0)
        {
            var parent = (at - 1) >> 1;
            var p = heap[parent];
            if (!Less(id, p))
            {
                break;
            }

            heap[at] = p;
            position[p] = at;
            at = parent;
        }

        heap[at] = id;
        position[id] = at;
    }

    private void Down(int at)
    {
        var id = heap[at];
        while (true)
        {
            var child = (at << 1) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && Less(heap[child + 1], heap[child]))
            {
                child++;
            }

            var c = heap[child];
            if (!Less(c, id))
            {
                break;
            }

            heap[at] = c;
            position[c] = at;
            at = child;
        }

        heap[at] = id;
        position[id] = at;
    }
}
