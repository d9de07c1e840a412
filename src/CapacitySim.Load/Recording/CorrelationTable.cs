using System.Diagnostics.CodeAnalysis;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Load.Recording;

/// <summary>
/// The preallocated table of requests in flight, keyed by RequestID (originator EUI and counter). The sender adds an
/// entry before the request's bytes leave; the receiver completes it when the final response arrives. Acknowledgements
/// (I99) mark the entry without completing it. Responses for unknown RequestIDs, repeated responses and responses
/// after a time-out are counted, never thrown on.
/// </summary>
/// <remarks>
/// The table is split into independently locked stripes, each an open-addressing table with linear probing and
/// backward-shift deletion (no tombstones, so probe chains never degrade). Every stripe also keeps a set-associative
/// memory of recently finished RequestIDs: that is how a repeated response is told apart from an unknown one. The
/// memory holds about twice the capacity; a repeat that arrives after that many later requests finished counts as
/// unknown. Nothing on the add and complete paths allocates.
/// </remarks>
public sealed class CorrelationTable
{
    private const int MaxStripes = 64;

    // Ways of the set-associative memory of finished RequestIDs (a stripe always has at least this many slots).
    private const int MemoryWays = 4;

    // A stripe of this many slots or fewer is not split further: locks would cost more than they save.
    private const int SlotsPerStripeFloor = 512;

    private readonly Slot[] _slots;
    private readonly Remembered[] _remembered;
    private readonly Stripe[] _stripes;
    private readonly int _stripeShift;
    private readonly int _stripeSlots;
    private readonly int _stripeMask;
    private readonly int _stripeBits;
    private long _inFlight;

    /// <summary>Creates a table for at most <paramref name="capacity"/> requests in flight (a power of two).</summary>
    public CorrelationTable(int capacity)
    {
        if (capacity < 1 || !BitOperationsIsPow2(capacity) || capacity > (1 << 28))
        {
            ThrowCapacity(capacity);
        }

        Capacity = capacity;

        // Twice as many slots as entries keeps the load factor at or under one half.
        var slots = Math.Max(capacity * 2, MemoryWays);
        var stripes = Math.Clamp(slots / SlotsPerStripeFloor, 1, MaxStripes);
        _stripeSlots = slots / stripes;
        _stripeMask = _stripeSlots - 1;
        _stripeShift = int.Log2(_stripeSlots);
        _stripeBits = int.Log2(stripes);
        _slots = new Slot[slots];
        _remembered = new Remembered[slots];
        _stripes = new Stripe[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

    /// <summary>Most requests in flight at once.</summary>
    public int Capacity { get; }

    /// <summary>Requests in flight now.</summary>
    public long InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Enters a request as in flight. False when the table is full (counted as rejected: the sender must count the
    /// arrival as dropped) or when the RequestID is already in flight (a sender fault, counted as rejected too).
    /// </summary>
    public bool TryAdd(in CorrelationEntry entry)
    {
        var id = entry.RequestId;
        var hash = Hash(id.Originator.Value, id.Counter);
        var stripe = _stripes[StripeOf(hash)];
        if (Interlocked.Increment(ref _inFlight) > Capacity)
        {
            Interlocked.Decrement(ref _inFlight);
            lock (stripe.Gate)
            {
                stripe.Rejected++;
            }

            return false;
        }

        var stripeBase = StripeOf(hash) << _stripeShift;
        lock (stripe.Gate)
        {
            // One slot always stays empty so that every probe chain ends.
            if (stripe.Count < _stripeSlots - 1)
            {
                var i = HomeOf(hash);
                while (true)
                {
                    ref var slot = ref _slots[stripeBase + i];
                    if (!slot.Occupied)
                    {
                        slot.Entry = entry with { IsAcknowledged = false, AcknowledgedTimestamp = 0, ReceivedTimestamp = 0 };
                        slot.Occupied = true;
                        stripe.Count++;
                        stripe.Added++;
                        if (entry.SentTimestamp < stripe.OldestSent)
                        {
                            stripe.OldestSent = entry.SentTimestamp;
                        }

                        return true;
                    }

                    if (Matches(in slot.Entry, id.Originator.Value, id.Counter))
                    {
                        break;
                    }

                    i = (i + 1) & _stripeMask;
                }
            }

            stripe.Rejected++;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    /// <summary>
    /// Matches an arriving response. <paramref name="isAcknowledgement"/> is true for the synchronous I99, which marks the
    /// request without completing it; any other response completes it and hands back its entry (with
    /// <see cref="CorrelationEntry.ReceivedTimestamp"/> set) in <paramref name="entry"/>. For acknowledgements the
    /// entry is handed back too while the request is still in flight.
    /// </summary>
    public CorrelationOutcome Complete(in RequestId requestId, long receivedTimestamp, bool isAcknowledgement, out CorrelationEntry entry)
    {
        var originator = requestId.Originator.Value;
        var counter = requestId.Counter;
        var hash = Hash(originator, counter);
        var stripeIndex = StripeOf(hash);
        var stripe = _stripes[stripeIndex];
        var stripeBase = stripeIndex << _stripeShift;
        lock (stripe.Gate)
        {
            var at = Find(stripeBase, HomeOf(hash), originator, counter);
            if (at >= 0)
            {
                ref var slot = ref _slots[stripeBase + at];
                if (isAcknowledgement)
                {
                    if (slot.Entry.IsAcknowledged)
                    {
                        stripe.Duplicates++;
                        entry = default;
                        return CorrelationOutcome.Duplicate;
                    }

                    slot.Entry = slot.Entry with { IsAcknowledged = true, AcknowledgedTimestamp = receivedTimestamp };
                    stripe.Acknowledged++;
                    entry = slot.Entry;
                    return CorrelationOutcome.Acknowledged;
                }

                entry = slot.Entry with { ReceivedTimestamp = receivedTimestamp };
                Remember(stripe, stripeBase, hash, originator, counter, RememberedOutcome.Completed, entry.IsAcknowledged);
                RemoveAt(stripeBase, at);
                stripe.Count--;
                stripe.Completed++;
                Interlocked.Decrement(ref _inFlight);
                return CorrelationOutcome.Completed;
            }

            entry = default;
            var remembered = Recall(stripeBase, hash, originator, counter);
            if (remembered < 0)
            {
                stripe.Unknown++;
                return CorrelationOutcome.Unknown;
            }

            ref var memory = ref _remembered[remembered];

            if (isAcknowledgement)
            {
                // The asynchronous response can overtake the synchronous acknowledgement on another connection.
                if (memory.Acknowledged)
                {
                    stripe.Duplicates++;
                    return CorrelationOutcome.Duplicate;
                }

                memory.Acknowledged = true;
                stripe.Acknowledged++;
                return CorrelationOutcome.Acknowledged;
            }

            if (memory.Outcome == RememberedOutcome.TimedOut)
            {
                memory.Outcome = RememberedOutcome.Completed;
                stripe.AfterTimeOut++;
                return CorrelationOutcome.AfterTimeOut;
            }

            stripe.Duplicates++;
            return CorrelationOutcome.Duplicate;
        }
    }

    /// <summary>
    /// <see cref="Complete"/> for callers that only care about completion: true when the final response of a request in
    /// flight arrived and <paramref name="entry"/> holds it.
    /// </summary>
    public bool TryComplete(in RequestId requestId, long receivedTimestamp, bool isAcknowledgement, out CorrelationEntry entry)
        => Complete(requestId, receivedTimestamp, isAcknowledgement, out entry) == CorrelationOutcome.Completed;

    /// <summary>
    /// Withdraws a request whose bytes never left (connection failure), without remembering it: a response to it would
    /// count as unknown. False when it is not in flight.
    /// </summary>
    public bool TryAbandon(in RequestId requestId, out CorrelationEntry entry)
    {
        var originator = requestId.Originator.Value;
        var counter = requestId.Counter;
        var hash = Hash(originator, counter);
        var stripeIndex = StripeOf(hash);
        var stripe = _stripes[stripeIndex];
        var stripeBase = stripeIndex << _stripeShift;
        lock (stripe.Gate)
        {
            var at = Find(stripeBase, HomeOf(hash), originator, counter);
            if (at < 0)
            {
                entry = default;
                return false;
            }

            entry = _slots[stripeBase + at].Entry;
            RemoveAt(stripeBase, at);
            stripe.Count--;
            stripe.Abandoned++;
        }

        Interlocked.Decrement(ref _inFlight);
        return true;
    }

    /// <summary>
    /// Gives up on requests sent before <paramref name="sentBefore"/>: removes them, counts them as timed out and copies
    /// them into <paramref name="expired"/>. Returns how many were copied; when that equals the span's length, call
    /// again for the rest. A final response that still arrives counts as <see cref="CorrelationOutcome.AfterTimeOut"/>.
    /// </summary>
    public int Expire(long sentBefore, Span<CorrelationEntry> expired) => Expire(sentBefore, [], expired);

    /// <summary>
    /// Gives up on requests whose time-out has passed at <paramref name="now"/>: a request of category c times out
    /// once <c>now</c> is past its send time plus <paramref name="timeoutByCategory"/>[c] (in the table's timestamp
    /// units; a category beyond the span, or an empty span, allows nothing). Removes them, counts them as timed out
    /// and copies them into <paramref name="expired"/>; returns how many were copied, and when that equals the span's
    /// length, call again for the rest. A final response that still arrives counts as
    /// <see cref="CorrelationOutcome.AfterTimeOut"/>.
    /// </summary>
    /// <remarks>
    /// A stripe is scanned only when the oldest request it may hold has passed the shortest time-out: each stripe
    /// keeps a lower bound of its entries' send times (lowered by every add, raised to the true oldest by a full
    /// scan), so while requests are answered within their time-outs a call costs one lock per stripe, not a pass over
    /// every slot. A table sized for the worst case is far larger than what is in flight, and scanning all of it
    /// every second would hold each stripe's lock for milliseconds and take the memory bandwidth the senders need.
    /// </remarks>
    public int Expire(long now, ReadOnlySpan<long> timeoutByCategory, Span<CorrelationEntry> expired)
    {
        var shortest = long.MaxValue;
        foreach (var t in timeoutByCategory)
        {
            shortest = Math.Min(shortest, t);
        }

        // Every request sent before this may have timed out; none sent at or after it has.
        var sentBefore = timeoutByCategory.IsEmpty ? now : now - shortest;
        var written = 0;
        for (var s = 0; s < _stripes.Length && written < expired.Length; s++)
        {
            var stripe = _stripes[s];
            var stripeBase = s << _stripeShift;
            lock (stripe.Gate)
            {
                if (stripe.OldestSent >= sentBefore)
                {
                    continue;
                }

                var oldest = long.MaxValue;
                var i = 0;
                for (; i < _stripeSlots && written < expired.Length; i++)
                {
                    // Backward-shift deletion may move a later entry into slot i: look at it again.
                    while (written < expired.Length)
                    {
                        ref var slot = ref _slots[stripeBase + i];
                        if (!slot.Occupied || slot.Entry.SentTimestamp >= sentBefore
                            || slot.Entry.SentTimestamp + TimeoutOf(slot.Entry.Key.Category.Id, timeoutByCategory) >= now)
                        {
                            break;
                        }

                        var entry = slot.Entry;
                        expired[written++] = entry;
                        var originator = entry.RequestId.Originator.Value;
                        var counter = entry.RequestId.Counter;
                        Remember(stripe, stripeBase, Hash(originator, counter), originator, counter, RememberedOutcome.TimedOut, entry.IsAcknowledged);
                        RemoveAt(stripeBase, i);
                        stripe.Count--;
                        stripe.TimedOut++;
                        Interlocked.Decrement(ref _inFlight);
                    }

                    ref var kept = ref _slots[stripeBase + i];
                    if (kept.Occupied && kept.Entry.SentTimestamp < oldest)
                    {
                        oldest = kept.Entry.SentTimestamp;
                    }
                }

                // Only a whole pass knows the oldest entry left; a pass cut short keeps the lower bound it had.
                if (i == _stripeSlots)
                {
                    stripe.OldestSent = oldest;
                }
            }
        }

        return written;
    }

    /// <summary>The counts so far (summed over stripes; each stripe's counts are consistent with each other).</summary>
    public CorrelationCounts GetCounts()
    {
        long added = 0, rejected = 0, acknowledged = 0, completed = 0, unknown = 0, duplicates = 0, timedOut = 0, afterTimeOut = 0, abandoned = 0, inFlight = 0;
        foreach (var stripe in _stripes)
        {
            lock (stripe.Gate)
            {
                added += stripe.Added;
                rejected += stripe.Rejected;
                acknowledged += stripe.Acknowledged;
                completed += stripe.Completed;
                unknown += stripe.Unknown;
                duplicates += stripe.Duplicates;
                timedOut += stripe.TimedOut;
                afterTimeOut += stripe.AfterTimeOut;
                abandoned += stripe.Abandoned;
                inFlight += stripe.Count;
            }
        }

        return new CorrelationCounts(added, rejected, acknowledged, completed, unknown, duplicates, timedOut, afterTimeOut, abandoned, inFlight);
    }

    private static bool BitOperationsIsPow2(int value) => (value & (value - 1)) == 0;

    private static bool Matches(in CorrelationEntry entry, ulong originator, ulong counter)
        => entry.RequestId.Counter == counter && entry.RequestId.Originator.Value == originator;

    // Counters are sequential per originator, so the counter itself places a request: its low bits pick the stripe
    // (requests in a row go to stripes in turn, so threads seldom meet on a lock) and the bits above them the slot,
    // so that the requests in flight, a run of consecutive counters, sit in a few neighbouring cache lines of each
    // stripe whatever the table's size. A hash that scattered them (this table was first built with one) cost cache
    // and TLB misses per add, completion and remembered RequestID in a table sized for the worst case (about 130 MB
    // at 60,000 requests a second): in perf profiles of the engine at full speed, adding fell from 2.4% to 0.8% of
    // its CPU samples and adding with completing from 5.5% to 3.7%. The originator is mixed (murmur3 finaliser) so
    // that users' runs of counters start far apart.
    private static long TimeoutOf(byte category, ReadOnlySpan<long> timeoutByCategory)
        => category < timeoutByCategory.Length ? timeoutByCategory[category] : 0;

    private static ulong Hash(ulong originator, ulong counter)
    {
        var h = originator;
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h + counter;
    }

    [DoesNotReturn]
    private static void ThrowCapacity(int capacity)
        => throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The correlation table's capacity must be a power of two between 1 and 2^28.");

    private int StripeOf(ulong hash) => (int)hash & (_stripes.Length - 1);

    // The slot a request would take in its stripe were nothing in the way.
    private int HomeOf(ulong hash) => (int)(hash >> _stripeBits) & _stripeMask;

    private int Find(int stripeBase, int home, ulong originator, ulong counter)
    {
        for (var i = home; ; i = (i + 1) & _stripeMask)
        {
            ref var slot = ref _slots[stripeBase + i];
            if (!slot.Occupied)
            {
                return -1;
            }

            if (Matches(in slot.Entry, originator, counter))
            {
                return i;
            }
        }
    }

    private int Recall(int stripeBase, ulong hash, ulong originator, ulong counter)
    {
        var set = stripeBase + (HomeOf(hash) & ~(MemoryWays - 1));
        for (var way = 0; way < MemoryWays; way++)
        {
            ref var memory = ref _remembered[set + way];
            if (memory.Outcome != RememberedOutcome.None && memory.Originator == originator && memory.Counter == counter)
            {
                return set + way;
            }
        }

        return -1;
    }

    private void Remember(Stripe stripe, int stripeBase, ulong hash, ulong originator, ulong counter, RememberedOutcome outcome, bool acknowledged)
    {
        // Set-associative memory: a finished RequestID replaces the longest-remembered one of its set.
        var set = stripeBase + (HomeOf(hash) & ~(MemoryWays - 1));
        var victim = set;
        for (var way = 0; way < MemoryWays; way++)
        {
            if (_remembered[set + way].Stamp < _remembered[victim].Stamp)
            {
                victim = set + way;
            }
        }

        ref var memory = ref _remembered[victim];
        memory.Originator = originator;
        memory.Counter = counter;
        memory.Outcome = outcome;
        memory.Acknowledged = acknowledged;
        memory.Stamp = ++stripe.MemoryStamp;
    }

    private void RemoveAt(int stripeBase, int hole)
    {
        // Backward-shift deletion: pull later members of the probe chain into the hole so that lookups never need
        // tombstones. An entry at j may move to the hole only if its home slot is not cyclically within (hole, j].
        var j = hole;
        while (true)
        {
            j = (j + 1) & _stripeMask;
            ref var candidate = ref _slots[stripeBase + j];
            if (!candidate.Occupied)
            {
                break;
            }

            var id = candidate.Entry.RequestId;
            var home = HomeOf(Hash(id.Originator.Value, id.Counter));
            var staysPut = hole <= j
                ? home > hole && home <= j
                : home > hole || home <= j;
            if (!staysPut)
            {
                _slots[stripeBase + hole] = candidate;
                hole = j;
            }
        }

        _slots[stripeBase + hole] = default;
    }

    private struct Slot
    {
        public CorrelationEntry Entry;
        public bool Occupied;
    }

    private enum RememberedOutcome : byte
    {
        None = 0,
        Completed = 1,
        TimedOut = 2,
    }

    private struct Remembered
    {
        public ulong Originator;
        public ulong Counter;
        public long Stamp;
        public RememberedOutcome Outcome;
        public bool Acknowledged;
    }

    private sealed class Stripe
    {
        public readonly Lock Gate = new();
        public int Count;
        public long Added;
        public long Rejected;
        public long Acknowledged;
        public long Completed;
        public long Unknown;
        public long Duplicates;
        public long TimedOut;
        public long AfterTimeOut;
        public long Abandoned;
        public long MemoryStamp;

        // At or below the send time of every entry in the stripe (long.MaxValue: none added since the last full scan).
        public long OldestSent = long.MaxValue;
    }
}
