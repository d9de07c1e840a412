using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Load.Recording;
using static CapacitySim.Load.Tests.Recording.CorrelationTableTests;
using static CapacitySim.Load.Tests.Recording.LatencyRecorderTests;

namespace CapacitySim.Load.Tests.Recording;

public class AllocationTests
{
    private const int Operations = 100_000;

    [Fact]
    public void Correlating_allocates_nothing()
    {
        var table = new CorrelationTable(1024);
        RunCorrelation(table, 0, 2_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        RunCorrelation(table, 2_000, Operations);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        var counts = table.GetCounts();
        Assert.Equal((Operations + 2_000L, 0L, 0L), (counts.Completed, counts.Duplicates, counts.InFlight));
    }

    [Fact]
    public void Recording_allocates_nothing_once_each_key_has_been_seen()
    {
        using var recorder = new LatencyRecorder(Micro);
        var worker = recorder.CreateWorker();
        var error = ResponseCode.Parse("E21");
        var alert = DeviceAlertCode.Parse("8F35");
        var alertKey = Read with { Category = new LatencyCategory(9) };
        worker.RecordResponse(Read, 0, 5, 1_000, ResponseCode.Success);
        worker.RecordResponse(Read, 0, 5, 1_000, error);
        worker.RecordAlert(alertKey, alert, 0, 2_000);
        recorder.Snapshot(Start);
        recorder.Snapshot(Start.AddSeconds(1));

        // The runtime now and then allocates a few KB on a thread once (tiering, statics); an allocation per
        // operation would show in every attempt, so the fewest bytes over three attempts must be zero.
        var fewest = long.MaxValue;
        for (var attempt = 0; attempt < 3 && fewest != 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Operations; i++)
            {
                worker.RecordResponse(Read, i, i + 5, i + 1_000 + (i % 7_000), (i & 15) == 0 ? error : ResponseCode.Success);
                if ((i & 255) == 0)
                {
                    worker.RecordAlert(alertKey, alert, i, i + 3_000);
                }
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    [Fact]
    public void Snapshots_allocate_nothing_once_every_key_has_been_merged()
    {
        using var recorder = new LatencyRecorder(Micro);
        var worker = recorder.CreateWorker();
        worker.RecordResponse(Read, 0, 0, 1_000, ResponseCode.Success);
        recorder.Snapshot(Start);
        recorder.Snapshot(Start.AddSeconds(1));

        // As above: a one-off runtime allocation on the thread cannot fail this; one per snapshot shows every time.
        var fewest = long.MaxValue;
        var second = 2;
        for (var attempt = 0; attempt < 3 && fewest != 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 48; i++, second++)
            {
                worker.RecordResponse(Read, 0, 0, 1_000 + second, ResponseCode.Success);
                recorder.Snapshot(Start.AddSeconds(second));
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    private static void RunCorrelation(CorrelationTable table, int from, int count)
    {
        // A sliding window of 512 requests in flight: add, acknowledge, complete the oldest, now and then an unknown
        // id; the window is drained at the end so that each call completes exactly what it added.
        const int Window = 512;
        for (var i = from; i < from + count; i++)
        {
            var counter = (ulong)i + 1;
            table.TryAdd(Entry(counter, intended: i, sent: i + 1));
            table.Complete(new RequestId(Supplier, Meter, counter), i + 2, isAcknowledgement: true, out _);
            if (i - Window >= from)
            {
                table.Complete(new RequestId(Supplier, Meter, counter - Window), i + 3, isAcknowledgement: false, out _);
            }

            if ((i & 63) == 0)
            {
                table.Complete(new RequestId(Meter, Meter, counter), i, isAcknowledgement: false, out _);
            }
        }

        for (var i = Math.Max(from, from + count - Window); i < from + count; i++)
        {
            table.Complete(new RequestId(Supplier, Meter, (ulong)i + 1), 0, isAcknowledgement: false, out _);
        }
    }
}
