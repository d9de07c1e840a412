using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Load.Recording;

namespace CapacitySim.Load.Tests.Recording;

public class CorrelationTableTests
{
    internal static readonly Eui64 Supplier = Eui64.Parse("90-B3-D5-1F-30-01-00-00");
    internal static readonly Eui64 Meter = Eui64.Parse("00-DB-12-34-56-78-90-A0");
    internal static readonly LatencyKey OnDemandRead = new(new LatencyCategory(2), ServiceReferenceVariant.Parse("4.1.1"), CspRegion.North, 7);

    internal static CorrelationEntry Entry(ulong counter, long intended = 100, long sent = 110, Eui64? originator = null)
        => new(new RequestId(originator ?? Supplier, Meter, counter), OnDemandRead, 3, intended, sent);

    [Fact]
    public void Completed_response_hands_back_the_entry_and_leaves_the_table()
    {
        var table = new CorrelationTable(16);
        Assert.True(table.TryAdd(Entry(1, intended: 1_000, sent: 1_050)));

        var outcome = table.Complete(new RequestId(Supplier, Meter, 1), 5_000, isAcknowledgement: false, out var entry);

        Assert.Equal(CorrelationOutcome.Completed, outcome);
        Assert.Equal(1_000, entry.IntendedTimestamp);
        Assert.Equal(1_050, entry.SentTimestamp);
        Assert.Equal(5_000, entry.ReceivedTimestamp);
        Assert.Equal(OnDemandRead, entry.Key);
        Assert.Equal(3, entry.UserIndex);
        Assert.Equal(Meter, entry.RequestId.Target);
        Assert.Equal(0, table.InFlight);
        var counts = table.GetCounts();
        Assert.Equal((1, 1, 0L), (counts.Added, counts.Completed, counts.InFlight));
    }

    [Fact]
    public void Acknowledgement_marks_the_request_but_does_not_complete_it()
    {
        var table = new CorrelationTable(16);
        table.TryAdd(Entry(5));

        Assert.Equal(CorrelationOutcome.Acknowledged, table.Complete(new RequestId(Supplier, Meter, 5), 200, isAcknowledgement: true, out var acked));
        Assert.True(acked.IsAcknowledged);
        Assert.Equal(1, table.InFlight);

        Assert.True(table.TryComplete(new RequestId(Supplier, Meter, 5), 900, isAcknowledgement: false, out var done));
        Assert.True(done.IsAcknowledged);
        Assert.Equal(200, done.AcknowledgedTimestamp);
        var counts = table.GetCounts();
        Assert.Equal((1L, 1L, 0L), (counts.Acknowledged, counts.Completed, counts.InFlight));
    }

    [Fact]
    public void Acknowledgement_overtaken_by_the_response_still_counts_as_acknowledged()
    {
        var table = new CorrelationTable(16);
        table.TryAdd(Entry(8));
        table.Complete(new RequestId(Supplier, Meter, 8), 300, false, out _);

        Assert.Equal(CorrelationOutcome.Acknowledged, table.Complete(new RequestId(Supplier, Meter, 8), 310, true, out _));
        Assert.Equal(CorrelationOutcome.Duplicate, table.Complete(new RequestId(Supplier, Meter, 8), 320, true, out _));
        var counts = table.GetCounts();
        Assert.Equal((1L, 1L, 1L, 0L), (counts.Completed, counts.Acknowledged, counts.Duplicates, counts.Unknown));
    }

    [Fact]
    public void Unknown_request_id_is_counted_not_thrown()
    {
        var table = new CorrelationTable(16);
        table.TryAdd(Entry(1));

        Assert.Equal(CorrelationOutcome.Unknown, table.Complete(new RequestId(Supplier, Meter, 2), 10, false, out var entry));
        Assert.Equal(CorrelationOutcome.Unknown, table.Complete(new RequestId(Meter, Meter, 1), 10, true, out _));
        Assert.Equal(default, entry);
        Assert.Equal(2, table.GetCounts().Unknown);
        Assert.Equal(1, table.InFlight);
    }

    [Fact]
    public void Second_response_for_a_completed_request_is_a_duplicate()
    {
        var table = new CorrelationTable(16);
        table.TryAdd(Entry(9));
        Assert.Equal(CorrelationOutcome.Completed, table.Complete(new RequestId(Supplier, Meter, 9), 10, false, out _));

        Assert.Equal(CorrelationOutcome.Duplicate, table.Complete(new RequestId(Supplier, Meter, 9), 20, false, out _));
        Assert.Equal(CorrelationOutcome.Duplicate, table.Complete(new RequestId(Supplier, Meter, 9), 30, false, out _));
        var counts = table.GetCounts();
        Assert.Equal((1L, 2L, 0L), (counts.Completed, counts.Duplicates, counts.Unknown));
    }

    [Fact]
    public void Full_table_rejects_and_counts_then_accepts_again_after_completion()
    {
        var table = new CorrelationTable(8);
        for (ulong i = 1; i <= 8; i++)
        {
            Assert.True(table.TryAdd(Entry(i)));
        }

        Assert.False(table.TryAdd(Entry(9)));
        Assert.False(table.TryAdd(Entry(10)));
        Assert.Equal(2, table.GetCounts().Rejected);

        table.Complete(new RequestId(Supplier, Meter, 3), 10, false, out _);
        Assert.True(table.TryAdd(Entry(11)));
        Assert.Equal(8, table.InFlight);
    }

    [Fact]
    public void Same_request_id_twice_in_flight_is_rejected()
    {
        var table = new CorrelationTable(8);
        Assert.True(table.TryAdd(Entry(4)));
        Assert.False(table.TryAdd(Entry(4)));
        Assert.Equal(1, table.InFlight);
    }

    [Fact]
    public void Capacity_must_be_a_power_of_two()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CorrelationTable(12));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CorrelationTable(0));
    }

    [Fact]
    public void Expired_requests_count_as_timed_out_and_a_later_response_as_after_time_out()
    {
        var table = new CorrelationTable(64);
        for (ulong i = 1; i <= 40; i++)
        {
            table.TryAdd(Entry(i, intended: (long)i * 10, sent: (long)i * 10));
        }

        Span<CorrelationEntry> expired = stackalloc CorrelationEntry[8];
        var total = 0;
        var seen = new HashSet<ulong>();
        int n;
        do
        {
            n = table.Expire(sentBefore: 255, expired);
            for (var i = 0; i < n; i++)
            {
                Assert.True(expired[i].SentTimestamp < 255);
                seen.Add(expired[i].RequestId.Counter);
            }

            total += n;
        }
        while (n == expired.Length);

        Assert.Equal(25, total);
        Assert.Equal(25, seen.Count);
        Assert.Equal(15, table.InFlight);
        Assert.Equal(CorrelationOutcome.AfterTimeOut, table.Complete(new RequestId(Supplier, Meter, 3), 999, false, out _));
        Assert.Equal(CorrelationOutcome.Duplicate, table.Complete(new RequestId(Supplier, Meter, 3), 999, false, out _));
        for (ulong i = 26; i <= 40; i++)
        {
            Assert.Equal(CorrelationOutcome.Completed, table.Complete(new RequestId(Supplier, Meter, i), 999, false, out _));
        }

        var counts = table.GetCounts();
        Assert.Equal((25L, 1L, 15L, 0L), (counts.TimedOut, counts.AfterTimeOut, counts.Completed, counts.InFlight));
    }

    [Fact]
    public void Abandoned_request_leaves_without_being_remembered()
    {
        var table = new CorrelationTable(8);
        table.TryAdd(Entry(2));
        Assert.True(table.TryAbandon(new RequestId(Supplier, Meter, 2), out var entry));
        Assert.Equal(2UL, entry.RequestId.Counter);
        Assert.False(table.TryAbandon(new RequestId(Supplier, Meter, 2), out _));
        Assert.Equal(CorrelationOutcome.Unknown, table.Complete(new RequestId(Supplier, Meter, 2), 1, false, out _));
        Assert.Equal(1, table.GetCounts().Abandoned);
    }

    [Fact]
    public void Many_threads_adding_and_completing_distinct_ids_account_for_every_one()
    {
        const int Threads = 8;
        const int PerThread = 20_000;
        var table = new CorrelationTable(1 << 12);
        var completed = new long[Threads];
        var rejected = new long[Threads];

        // Each thread is one user: its own originator, a strictly increasing counter, a bounded window in flight.
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            var originator = new Eui64(0x90B3D51F30010000UL + (ulong)t);
            var window = new Queue<ulong>();
            for (ulong c = 1; c <= PerThread; c++)
            {
                if (table.TryAdd(Entry(c, originator: originator)))
                {
                    window.Enqueue(c);
                }
                else
                {
                    rejected[t]++;
                }

                if (window.Count > 100 || c == PerThread)
                {
                    while (window.Count > (c == PerThread ? 0 : 50))
                    {
                        var id = new RequestId(originator, Meter, window.Dequeue());
                        Assert.Equal(CorrelationOutcome.Acknowledged, table.Complete(id, 1, true, out _));
                        Assert.Equal(CorrelationOutcome.Completed, table.Complete(id, 2, false, out var done));
                        Assert.Equal(originator, done.RequestId.Originator);
                        completed[t]++;
                    }
                }
            }
        });

        var counts = table.GetCounts();
        Assert.Equal(0, rejected.Sum());
        Assert.Equal(Threads * PerThread, counts.Added);
        Assert.Equal(Threads * PerThread, counts.Completed);
        Assert.Equal(Threads * PerThread, counts.Acknowledged);
        Assert.Equal(completed.Sum(), counts.Completed);
        Assert.Equal((0L, 0L, 0L), (counts.InFlight, counts.Unknown, counts.Duplicates));
        Assert.Equal(0, table.InFlight);
    }
    [Fact]
    public void Requests_stuck_in_flight_while_later_counters_wrap_round_the_table_many_times_are_still_found()
    {
        // Requests are placed by counter, so a run of counters fills neighbouring slots and, 8,192 slots later, comes
        // back round to them: the stuck requests sit in the way of later ones, and two users' runs cross each other.
        var table = new CorrelationTable(4096);
        var first = new Eui64(0x90B3D51F30010000UL);
        var second = new Eui64(0x90B3D51F30010001UL);
        var stuck = new List<RequestId>();
        for (ulong c = 1; c <= 200; c += 7)
        {
            foreach (var user in new[] { first, second })
            {
                Assert.True(table.TryAdd(Entry(c, originator: user)));
                stuck.Add(new RequestId(user, Meter, c));
            }
        }

        var window = new Queue<RequestId>();
        for (ulong c = 1_000; c < 60_000; c++)
        {
            foreach (var user in new[] { first, second })
            {
                Assert.True(table.TryAdd(Entry(c, originator: user)));
                window.Enqueue(new RequestId(user, Meter, c));
            }

            while (window.Count > 64)
            {
                Assert.Equal(CorrelationOutcome.Completed, table.Complete(window.Dequeue(), 2, false, out _));
            }
        }

        Assert.Equal(stuck.Count + 64, table.InFlight);
        foreach (var id in stuck)
        {
            Assert.Equal(CorrelationOutcome.Completed, table.Complete(id, 3, false, out var entry));
            Assert.Equal(id.Counter, entry.RequestId.Counter);
        }

        // A repeat of a response just completed is told from one the table never saw.
        Assert.Equal(CorrelationOutcome.Duplicate, table.Complete(new RequestId(second, Meter, 59_000), 4, false, out _));
        Assert.Equal(CorrelationOutcome.Unknown, table.Complete(new RequestId(second, Meter, 60_000), 4, false, out _));
        while (window.Count > 0)
        {
            Assert.Equal(CorrelationOutcome.Completed, table.Complete(window.Dequeue(), 5, false, out _));
        }

        var counts = table.GetCounts();
        Assert.Equal((0L, 0L, 1L, 1L), (counts.InFlight, counts.Rejected, counts.Duplicates, counts.Unknown));
        Assert.Equal(counts.Added, counts.Completed);
    }

    [Fact]
    public void Expiry_across_stripes_finds_exactly_the_requests_sent_before_the_cut_off_however_often_it_is_cut_short()
    {
        // 4,096 entries: 8,192 slots in 16 stripes, each keeping its own bound of the oldest send time.
        var table = new CorrelationTable(4096);
        for (ulong i = 1; i <= 2000; i++)
        {
            Assert.True(table.TryAdd(Entry(i, intended: (long)i, sent: (long)i)));
        }

        // Answered ones leave the table; of those sent before 1,500 only the odd counters are still waiting.
        for (ulong i = 2; i < 1500; i += 2)
        {
            Assert.Equal(CorrelationOutcome.Completed, table.Complete(new RequestId(Supplier, Meter, i), 5000, false, out _));
        }

        var expired = new CorrelationEntry[7];
        var seen = new HashSet<ulong>();
        int n;
        do
        {
            n = table.Expire(sentBefore: 1500, expired);
            for (var i = 0; i < n; i++)
            {
                Assert.True(expired[i].SentTimestamp < 1500);
                Assert.True(seen.Add(expired[i].RequestId.Counter));
            }
        }
        while (n == expired.Length);

        Assert.Equal(750, seen.Count);
        Assert.All(seen, counter => Assert.Equal(1UL, counter % 2));
        Assert.Equal(0, table.Expire(sentBefore: 1500, expired));

        // A full pass raised each stripe's bound to its oldest entry left (sent at 1,500 or later); a request added
        // afterwards with an older send time lowers it again, so it is not skipped.
        Assert.True(table.TryAdd(Entry(5001, intended: 3, sent: 3)));
        Assert.Equal(1, table.Expire(sentBefore: 1500, expired));
        Assert.Equal(5001UL, expired[0].RequestId.Counter);
        Assert.Equal(3, expired[0].SentTimestamp);

        Assert.Equal(10, table.Expire(sentBefore: 1510, new CorrelationEntry[16]));
        Assert.Equal(491, table.InFlight);
        Assert.Equal(761, table.GetCounts().TimedOut);
    }

    [Fact]
    public void Each_category_times_out_after_its_own_time_out()
    {
        var table = new CorrelationTable(64);
        var nonDevice = OnDemandRead with { Category = new LatencyCategory(1) };
        var onDemand = OnDemandRead with { Category = new LatencyCategory(2) };
        var alertCategory = OnDemandRead with { Category = new LatencyCategory(9) };
        Assert.True(table.TryAdd(new CorrelationEntry(new RequestId(Supplier, Meter, 1), nonDevice, 0, 100, 100)));
        Assert.True(table.TryAdd(new CorrelationEntry(new RequestId(Supplier, Meter, 2), onDemand, 0, 100, 100)));
        Assert.True(table.TryAdd(new CorrelationEntry(new RequestId(Supplier, Meter, 3), alertCategory, 0, 100, 100)));
        long[] timeouts = [0, 10, 100];
        var expired = new CorrelationEntry[8];

        // At 110 nothing has passed its time-out (a request times out once now is past send + time-out); a category
        // beyond the table of time-outs gets none and goes at once.
        Assert.Equal(1, table.Expire(now: 110, timeouts, expired));
        Assert.Equal(3UL, expired[0].RequestId.Counter);
        Assert.Equal(1, table.Expire(now: 111, timeouts, expired));
        Assert.Equal(1UL, expired[0].RequestId.Counter);
        Assert.Equal(0, table.Expire(now: 200, timeouts, expired));
        Assert.Equal(1, table.Expire(now: 201, timeouts, expired));
        Assert.Equal(2UL, expired[0].RequestId.Counter);
        Assert.Equal(3, table.GetCounts().TimedOut);
        Assert.Equal(0, table.InFlight);
    }
}
