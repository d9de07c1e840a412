using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Load.Recording;

namespace CapacitySim.Load.Tests.Recording;

public class LatencyRecorderTests
{
    // Timestamps in microseconds keep the synthetic timelines readable.
    internal static readonly LatencyRecorderOptions Micro = new() { TimestampFrequency = 1_000_000, SignificantDigits = 3 };
    internal static readonly LatencyCategory OnDemand = new(2);
    internal static readonly LatencyKey Read = new(OnDemand, ServiceReferenceVariant.Parse("4.1.1"), CspRegion.North, 7);
    internal static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Known_values_give_percentiles_within_histogram_precision()
    {
        using var recorder = new LatencyRecorder(Micro);
        var worker = recorder.CreateWorker();

        // 1 ms … 1000 ms, one value per millisecond: p50 = 500 ms, p90 = 900 ms, p99 = 990 ms, p99.9 = 999 ms.
        for (long ms = 1; ms <= 1000; ms++)
        {
            worker.RecordResponse(Read, 0, 0, ms * 1000, ResponseCode.Success);
        }

        var snapshot = recorder.Snapshot(Start.AddSeconds(1));
        var p = LatencyStatistics.Percentiles(snapshot.GetCorrected(0));
        Assert.Equal(1000, p.Count);
        AssertWithinPrecision(500_000, p.P50);
        AssertWithinPrecision(900_000, p.P90);
        AssertWithinPrecision(990_000, p.P99);
        AssertWithinPrecision(999_000, p.P999);
        AssertWithinPrecision(1_000_000, p.Max);
        Assert.Equal(1000, snapshot.GetResponseCount(0, 0));
        Assert.Equal(ResponseCode.Success, snapshot.GetResponseCode(0));
    }

    [Fact]
    public void A_one_second_stall_shows_in_corrected_p99_but_not_in_uncorrected()
    {
        using var recorder = new LatencyRecorder(Micro);
        var worker = recorder.CreateWorker();

        // Open model at 1000 requests/s; the endpoint answers in 1 ms, except that it stalls once for 1 s. A sender held
        // up by the stall sends the waiting arrivals only after it: measured from the actual send they look fast.
        const long Interval = 1_000;
        long clock = 0;
        for (long i = 0; i < 10_000; i++)
        {
            var intended = i * Interval;
            var sent = Math.Max(intended, clock);
            var service = i == 5_000 ? 1_000_000 : 1_000;
            var received = sent + service;
            clock = i == 5_000 ? received : sent;
            worker.RecordResponse(Read, intended, sent, received, ResponseCode.Success);
        }

        var snapshot = recorder.Snapshot(Start.AddSeconds(11));
        var corrected = LatencyStatistics.Percentiles(snapshot.GetCorrected(0));
        var uncorrected = LatencyStatistics.Percentiles(snapshot.GetUncorrected(0));

        // About 1000 arrivals queue behind the stall, waiting 1 s down to 1 ms: 10% of the run is delayed.
        Assert.True(corrected.P99 > 800_000, $"corrected p99 {corrected.P99} µs");
        Assert.True(uncorrected.P99 < 2_000, $"uncorrected p99 {uncorrected.P99} µs");
        AssertWithinPrecision(1_000_000, uncorrected.Max);
        AssertWithinPrecision(1_001_000, corrected.Max);
    }

    [Fact]
    public void Values_outside_the_range_are_clamped_and_counted()
    {
        using var recorder = new LatencyRecorder(Micro with { HighestTrackableLatency = TimeSpan.FromSeconds(10) });
        var worker = recorder.CreateWorker();

        worker.RecordResponse(Read, 0, 0, 60_000_000, ResponseCode.Success);
        worker.RecordResponse(Read, 100, 100, 50, ResponseCode.Success);
        worker.RecordResponse(Read, 0, 0, 1_000, ResponseCode.Success);

        var snapshot = recorder.Snapshot(Start);
        var corrected = snapshot.GetCorrected(0);
        Assert.Equal(3, corrected.TotalCount);

        // Two values out of range, each counted for both corrected and uncorrected.
        Assert.Equal(4, snapshot.GetClamped(0));
        AssertWithinPrecision(10_000_000, LatencyStatistics.Percentiles(corrected).Max);
        AssertWithinPrecision(1_000, LatencyStatistics.Percentiles(corrected).P50);
        Assert.Equal(1, corrected.GetCountAtValue(0));
    }

    [Fact]
    public void Counts_by_response_code_and_alert_code_per_key()
    {
        using var recorder = new LatencyRecorder(Micro);
        var worker = recorder.CreateWorker();
        var alertKey = new LatencyKey(new LatencyCategory(9), default, CspRegion.South, 3);

        worker.RecordResponse(Read, 0, 0, 10, ResponseCode.Success);
        worker.RecordResponse(Read, 0, 0, 10, ResponseCode.Parse("E21"));
        worker.RecordResponse(Read, 0, 0, 10, ResponseCode.Parse("E21"));
        worker.RecordAlert(alertKey, DeviceAlertCode.Parse("8F35"), 0, 2_000_000);
        worker.RecordAlert(alertKey, DccAlertCode.Parse("N24"), 0, 3_000_000);

        var snapshot = recorder.Snapshot(Start);
        Assert.Equal(2, snapshot.KeyCount);
        var codes = new Dictionary<string, long>();
        for (var c = 0; c < snapshot.ResponseCodeCount; c++)
        {
            codes[snapshot.GetResponseCode(c).ToString()] = snapshot.GetResponseCount(0, c);
        }

        Assert.Equal(new Dictionary<string, long> { ["I0"] = 1, ["E21"] = 2 }, codes);
        Assert.True(recorder.Keys.TryGetIndex(alertKey, out var alertIndex));
        var alerts = new Dictionary<string, long>();
        for (var c = 0; c < snapshot.AlertCodeCount; c++)
        {
            alerts[snapshot.GetAlertCodeText(c)] = snapshot.GetAlertCount(alertIndex, c);
        }

        Assert.Equal(new Dictionary<string, long> { ["8F35"] = 1, ["N24"] = 1 }, alerts);
        AssertWithinPrecision(3_000_000, LatencyStatistics.Percentiles(snapshot.GetCorrected(alertIndex)).Max);
    }

    [Fact]
    public void Full_key_space_counts_what_it_cannot_record()
    {
        using var recorder = new LatencyRecorder(Micro with { KeyCapacity = 2 });
        var worker = recorder.CreateWorker();
        for (ushort dmc = 0; dmc < 5; dmc++)
        {
            worker.RecordResponse(Read with { Dmc = dmc }, 0, 0, 10, ResponseCode.Success);
        }

        var snapshot = recorder.Snapshot(Start);
        Assert.Equal(2, snapshot.KeyCount);
        Assert.Equal(3, snapshot.KeyOverflow);
        Assert.Equal(Read with { Dmc = 0 }, snapshot.GetKey(0));
        Assert.Equal(Read with { Dmc = 1 }, snapshot.GetKey(1));
    }

    [Fact]
    public void Key_packs_and_unpacks_every_field()
    {
        var key = new LatencyKey(new LatencyCategory(255), ServiceReferenceVariant.Parse("14.12.3"), CspRegion.Central, 65_535);
        Assert.Equal(key, LatencyKey.Unpack(key.Pack()));
    }

    [Fact]
    public void Snapshots_lose_nothing_across_swaps_under_concurrent_recording()
    {
        using var recorder = new LatencyRecorder(Micro);
        const int Workers = 4;
        const int PerWorker = 200_000;
        var go = new ManualResetEventSlim();
        var done = 0;
        var threads = new Thread[Workers];
        for (var w = 0; w < Workers; w++)
        {
            var worker = recorder.CreateWorker();
            var key = Read with { Dmc = (ushort)(w % 2) };
            threads[w] = new Thread(() =>
            {
                go.Wait();
                for (var i = 0; i < PerWorker; i++)
                {
                    worker.RecordResponse(key, 0, 0, 1 + (i % 5000), ResponseCode.Success);
                }

                Interlocked.Increment(ref done);
            });
            threads[w].Start();
        }

        go.Set();
        long intervalTotal = 0;
        var snapshots = 0;
        var at = Start;
        while (Volatile.Read(ref done) < Workers)
        {
            at = at.AddSeconds(1);
            intervalTotal += recorder.Snapshot(at).GetCategory(OnDemand)?.IntervalCorrected.TotalCount ?? 0;
            snapshots++;
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var last = recorder.Snapshot(at.AddSeconds(1));
        intervalTotal += last.GetCategory(OnDemand)!.IntervalCorrected.TotalCount;
        Assert.True(snapshots > 0);
        Assert.Equal(Workers * PerWorker, intervalTotal);
        Assert.Equal(Workers * PerWorker, last.GetCategory(OnDemand)!.CumulativeCorrected.TotalCount);
        Assert.Equal(Workers * PerWorker, last.GetCorrected(0).TotalCount + last.GetCorrected(1).TotalCount);
        Assert.Equal(Workers * PerWorker, last.GetResponseCount(0, 0) + last.GetResponseCount(1, 0));
    }

    [Fact]
    public void Interval_histograms_carry_the_interval_and_hold_only_its_values()
    {
        using var recorder = new LatencyRecorder(Micro);
        var worker = recorder.CreateWorker();
        worker.RecordResponse(Read, 0, 0, 1_000, ResponseCode.Success);
        recorder.Snapshot(Start.AddSeconds(1));
        worker.RecordResponse(Read, 0, 0, 2_000, ResponseCode.Success);
        worker.RecordResponse(Read, 0, 0, 3_000, ResponseCode.Success);

        var second = recorder.Snapshot(Start.AddSeconds(2)).GetCategory(OnDemand)!;
        Assert.Equal(2, second.IntervalCorrected.TotalCount);
        Assert.Equal(3, second.CumulativeCorrected.TotalCount);
        Assert.Equal(Start.AddSeconds(1).ToUnixTimeMilliseconds(), second.IntervalCorrected.StartTimeStamp);
        Assert.Equal(Start.AddSeconds(2).ToUnixTimeMilliseconds(), second.IntervalCorrected.EndTimeStamp);
    }

    [Fact]
    public void Warm_up_is_discarded()
    {
        using var recorder = new LatencyRecorder(Micro);
        var worker = recorder.CreateWorker();
        worker.RecordResponse(Read, 0, 0, 900_000, ResponseCode.Parse("E20"));
        recorder.DiscardWarmUp(Start.AddSeconds(5));
        worker.RecordResponse(Read, 0, 0, 1_000, ResponseCode.Success);

        var snapshot = recorder.Snapshot(Start.AddSeconds(10));
        Assert.Equal(1, snapshot.GetCorrected(0).TotalCount);
        Assert.Equal(1, snapshot.GetCategory(OnDemand)!.CumulativeCorrected.TotalCount);
        long responses = 0;
        for (var c = 0; c < snapshot.ResponseCodeCount; c++)
        {
            responses += snapshot.GetResponseCount(0, c);
            Assert.Equal(snapshot.GetResponseCode(c) == ResponseCode.Success ? 1 : 0, snapshot.GetResponseCount(0, c));
        }

        Assert.Equal(1, responses);
    }

    [Fact]
    public void Options_report_every_problem_at_once()
    {
        var errors = new LatencyRecorderOptions { KeyCapacity = 0, SignificantDigits = 7, TimestampFrequency = 0 }.Validate();
        Assert.Equal(3, errors.Count);
        Assert.Throws<ArgumentException>(() => new LatencyRecorder(new LatencyRecorderOptions { KeyCapacity = 0 }));
    }

    [Fact]
    public void Ticks_convert_to_microseconds_at_any_frequency_without_overflow()
    {
        using var recorder = new LatencyRecorder(new LatencyRecorderOptions { TimestampFrequency = 1_000_000_000 });
        Assert.Equal(1_500, recorder.TicksToMicroseconds(1_500_000));
        Assert.Equal(100L * 24 * 3600 * 1_000_000, recorder.TicksToMicroseconds(100L * 24 * 3600 * 1_000_000_000));
    }

    internal static void AssertWithinPrecision(long expected, long actual, int digits = 3)
    {
        // HdrHistogram keeps values to `digits` significant digits: equivalent values differ by under 10^-digits.
        var tolerance = Math.Max(1, (long)(expected / Math.Pow(10, digits - 1) / 2));
        Assert.InRange(actual, expected - tolerance, expected + tolerance);
    }
}
