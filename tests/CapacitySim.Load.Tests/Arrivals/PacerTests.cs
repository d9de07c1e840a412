using CapacitySim.Load.Arrivals;
using Microsoft.Extensions.Time.Testing;

namespace CapacitySim.Load.Tests.Arrivals;

public sealed class PacerTests
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Records what it is given; refuses arrivals the test says have no free slot; can stall the clock.</summary>
    private sealed class RecordingSink(FakeTimeProvider clock) : IArrivalSink
    {
        public List<(Arrival Arrival, long Intended, long Actual)> Calls { get; } = [];

        public Func<Arrival, bool> HasFreeSlot { get; init; } = _ => true;

        public long StallAtIndex { get; init; } = -1;

        public TimeSpan Stall { get; init; }

        public bool OnArrival(in Arrival arrival, long intendedTimestamp, long actualTimestamp)
        {
            Calls.Add((arrival, intendedTimestamp, actualTimestamp));
            if (arrival.Index == StallAtIndex)
            {
                // The system under test holds the sender: time passes while this arrival is being sent.
                clock.Advance(Stall);
            }

            return HasFreeSlot(arrival);
        }
    }

    /// <summary>Accepts everything and allocates nothing, for measuring the pacer's own allocations.</summary>
    private sealed class CountingSink : IArrivalSink
    {
        public long Count;

        public bool OnArrival(in Arrival arrival, long intendedTimestamp, long actualTimestamp)
        {
            Count++;
            return true;
        }
    }

    private static FakeTimeProvider NewClock() => new(Epoch);

    private static long Ticks(FakeTimeProvider clock, TimeSpan real) => (long)Math.Round(real.TotalSeconds * clock.TimestampFrequency);

    [Fact]
    public void Releases_exactly_the_arrivals_due_by_each_step_and_counts_them_per_phase()
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule([new ConstantRatePhase(10, TimeSpan.FromSeconds(3)), new PausePhase(TimeSpan.FromSeconds(1)), new RampingRatePhase(0, 20, TimeSpan.FromSeconds(1))]);
        var sink = new RecordingSink(clock);
        using var pacer = new Pacer(schedule, sink, clock);
        pacer.Begin(clock.GetTimestamp());

        // Arrivals at 0, 0.1, …, 1.0 s are due by 1.0 s: 11 of them.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(11, pacer.RunUntil(clock.GetTimestamp()));
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(19 + 10, pacer.RunUntil(clock.GetTimestamp()));

        Assert.True(pacer.IsComplete);
        Assert.Equal(long.MaxValue, pacer.NextIntendedTimestamp);
        // Phase 0: arrivals at 0 … 0.9 s went out at 1 s and 1.1 … 2.9 s at 5 s, all late; the one at 1.0 s was on time.
        Assert.Equal(new PacerPhaseCounters(30, 30, 0, 29, TimeSpan.FromSeconds(3.9)), pacer.GetCounters(0));
        Assert.Equal(0, pacer.GetCounters(1).Scheduled);
        Assert.Equal(10, pacer.GetCounters(2).Released);
        Assert.Equal(40, pacer.GetTotals().Released);
        Assert.Equal(0, pacer.GetTotals().Pending);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), sink.Calls.Select(c => c.Arrival.Index));
    }

    [Fact]
    public void A_stalled_sink_does_not_shift_later_intended_times_and_what_it_delays_is_late()
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule([new ConstantRatePhase(1000, TimeSpan.FromSeconds(3))]);
        var sink = new RecordingSink(clock) { StallAtIndex = 10, Stall = TimeSpan.FromSeconds(1) };
        using var pacer = new Pacer(schedule, sink, clock, new PacerOptions { LatenessThreshold = TimeSpan.FromMilliseconds(1) });
        var start = clock.GetTimestamp();
        pacer.Begin(start);

        // Drive as the pacing thread would: release what is due, then move to the next intended time.
        while (!pacer.IsComplete)
        {
            var next = pacer.NextIntendedTimestamp;
            if (next > clock.GetTimestamp())
            {
                clock.Advance(TimeSpan.FromTicks((next - clock.GetTimestamp()) * TimeSpan.TicksPerSecond / clock.TimestampFrequency));
            }

            pacer.RunUntil(clock.GetTimestamp());
        }

        Assert.Equal(3000, sink.Calls.Count);
        var millisecond = clock.TimestampFrequency / 1000;
        for (var i = 0; i < sink.Calls.Count; i++)
        {
            Assert.Equal(start + (i * millisecond), sink.Calls[i].Intended);
        }

        // Arrivals 11 to 1010 were due during the 1 s stall and went out together when it ended, each late by the
        // rest of the stall; 1010 itself was due exactly as it ended. The schedule then carries on from its own times.
        Assert.Equal(start + (1010 * millisecond), sink.Calls[11].Actual);
        Assert.Equal(start + (1010 * millisecond), sink.Calls[1010].Actual);
        Assert.Equal(sink.Calls[1011].Intended, sink.Calls[1011].Actual);
        var counters = pacer.GetCounters(0);
        Assert.Equal(998, counters.Late); // lateness 999 ms down to 2 ms; 1 ms is not more than the threshold
        Assert.Equal(TimeSpan.FromMilliseconds(999), counters.MaxLateness);
        Assert.Equal(3000, counters.Released);
    }

    [Fact]
    public void Arrivals_the_sink_has_no_slot_for_are_dropped_not_queued()
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule([new ConstantRatePhase(100, TimeSpan.FromSeconds(1)), new ConstantRatePhase(50, TimeSpan.FromSeconds(1))]);
        var sink = new RecordingSink(clock) { HasFreeSlot = a => a.Index % 3 != 0 };
        using var pacer = new Pacer(schedule, sink, clock);
        pacer.Begin(clock.GetTimestamp());

        clock.Advance(TimeSpan.FromSeconds(2));
        pacer.RunUntil(clock.GetTimestamp());

        // Each arrival is offered once: a refused one is never offered again.
        Assert.Equal(150, sink.Calls.Count);
        Assert.Equal(150, sink.Calls.Select(c => c.Arrival.Index).Distinct().Count());
        Assert.Equal(34, pacer.GetCounters(0).Dropped); // indices 0, 3, …, 99
        Assert.Equal(66, pacer.GetCounters(0).Released);
        Assert.Equal(16, pacer.GetCounters(1).Dropped); // indices 102, 105, …, 147
        Assert.Equal(34, pacer.GetCounters(1).Released);
        Assert.Equal(0, pacer.GetTotals().Pending);
    }

    [Fact]
    public void Arrivals_released_within_the_threshold_are_on_time_and_beyond_it_late()
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule([new ConstantRatePhase(1000, TimeSpan.FromSeconds(1))]);
        var sink = new RecordingSink(clock);
        using var pacer = new Pacer(schedule, sink, clock, new PacerOptions { LatenessThreshold = TimeSpan.FromMilliseconds(1) });
        pacer.Begin(clock.GetTimestamp());

        // Steps of 0.75 ms: an arrival (one per millisecond) waits at most 0.5 ms for the step that releases it.
        for (var i = 0; i < 100; i++)
        {
            pacer.RunUntil(clock.GetTimestamp());
            clock.Advance(TimeSpan.FromMicroseconds(750));
        }

        Assert.Equal(75, pacer.GetCounters(0).Released);
        Assert.Equal(0, pacer.GetCounters(0).Late);
        Assert.Equal(TimeSpan.FromMicroseconds(500), pacer.GetCounters(0).MaxLateness);

        // From 75 ms to 109 ms in one step: arrivals 75 … 109 go out at 109 ms, 34 ms down to 0 ms late; those more
        // than 1 ms late (75 … 107) count as late, and all are still released.
        clock.Advance(TimeSpan.FromMilliseconds(34));
        Assert.Equal(35, pacer.RunUntil(clock.GetTimestamp()));
        Assert.Equal(110, pacer.GetCounters(0).Released);
        Assert.Equal(33, pacer.GetCounters(0).Late);
        Assert.Equal(TimeSpan.FromMilliseconds(34), pacer.GetCounters(0).MaxLateness);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(100.0)]
    [InlineData(3600.0)]
    public void The_compression_factor_divides_scenario_offsets_exactly(double factor)
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule([new PausePhase(TimeSpan.FromSeconds(36)), new ConstantRatePhase(10, TimeSpan.FromSeconds(360))]);
        var sink = new RecordingSink(clock);
        using var pacer = new Pacer(schedule, sink, clock, new PacerOptions { CompressionFactor = factor });
        var start = clock.GetTimestamp();
        pacer.Begin(start);

        // Real time for the first half of the constant phase (36 s + 180 s of scenario time) releases its first half
        // and the arrival due exactly at that instant.
        var half = TimeSpan.FromSeconds(216 / factor);
        clock.Advance(half);
        Assert.Equal(1801, pacer.RunUntil(clock.GetTimestamp()));
        clock.Advance(half);
        pacer.RunUntil(clock.GetTimestamp());

        Assert.Equal(3600, sink.Calls.Count);
        for (var i = 0; i < sink.Calls.Count; i++)
        {
            var scenarioTicks = TimeSpan.FromSeconds(36).Ticks + (i * TimeSpan.TicksPerSecond / 10);
            Assert.Equal(scenarioTicks, sink.Calls[i].Arrival.IntendedOffsetTicks);
            Assert.Equal(start + (long)Math.Round(scenarioTicks / factor), sink.Calls[i].Intended);
        }

        // The fake clock counts in 100 ns ticks, as scenario offsets do: 100 ms of scenario time is 10⁶ ticks ÷ factor.
        Assert.Equal(TimeSpan.TicksPerSecond, clock.TimestampFrequency);
        Assert.Equal(start + (long)Math.Round(1_000_000 / factor), pacer.ToTimestamp(TimeSpan.FromMilliseconds(100).Ticks));
    }

    [Fact]
    public void Releasing_arrivals_allocates_nothing()
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule(
        [
            new ConstantRatePhase(20_000, TimeSpan.FromSeconds(2)),
            new RampingRatePhase(20_000, 60_000, TimeSpan.FromSeconds(1)),
            new StepPhase([10_000, 30_000], TimeSpan.FromSeconds(1)),
            new PausePhase(TimeSpan.FromSeconds(1)),
            new ConstantRatePhase(10_000, TimeSpan.FromSeconds(2)),
        ]);
        var sink = new CountingSink();
        using var pacer = new Pacer(schedule, sink, clock);
        var start = clock.GetTimestamp();
        pacer.Begin(start);
        var step = clock.TimestampFrequency / 10_000;
        clock.Advance(TimeSpan.FromSeconds(10));

        // The first steps run the code once, so what follows is steady state.
        var t = start;
        for (var i = 0; i < 100; i++)
        {
            pacer.RunUntil(t += step);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var releasedBefore = sink.Count;
        while (!pacer.IsComplete)
        {
            pacer.RunUntil(t += step);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(sink.Count - releasedBefore >= 100_000, $"only {sink.Count - releasedBefore} arrivals measured");
        Assert.Equal(0, allocated);
        Assert.Equal(schedule.TotalArrivals, sink.Count);
    }

    [Fact]
    public async Task The_pacing_thread_releases_everything_overdue_and_completes()
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule([new ConstantRatePhase(100, TimeSpan.FromSeconds(5))]);
        var sink = new RecordingSink(clock);
        using var pacer = new Pacer(schedule, sink, clock);
        var start = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(10));

        pacer.Start(start);

        await pacer.Completion.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(pacer.IsComplete);
        Assert.Equal(500, pacer.GetCounters(0).Released);
        Assert.Equal(500, pacer.GetCounters(0).Late);
    }

    [Fact]
    public void Stop_ends_a_pacer_waiting_for_its_next_arrival_and_leaves_the_rest_pending()
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule([new ConstantRatePhase(1, TimeSpan.FromSeconds(2)), new PausePhase(TimeSpan.FromDays(1)), new ConstantRatePhase(1, TimeSpan.FromSeconds(5))]);
        var sink = new RecordingSink(clock);
        using var pacer = new Pacer(schedule, sink, clock);
        clock.Advance(TimeSpan.FromSeconds(1));
        pacer.Start(clock.GetTimestamp() - Ticks(clock, TimeSpan.FromSeconds(1)));

        // The first two arrivals are due; then the pacer waits a (fake) day for the third.
        SpinWait.SpinUntil(() => pacer.GetCounters(0).Released == 2, TimeSpan.FromMinutes(1));
        pacer.Stop();

        Assert.True(pacer.Completion.IsCompleted);
        Assert.False(pacer.IsComplete);
        Assert.Equal(2, pacer.GetTotals().Released);
        Assert.Equal(5, pacer.GetTotals().Pending);
    }

    [Fact]
    public async Task Cancelling_the_run_stops_the_pacer()
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule([new PausePhase(TimeSpan.FromHours(1)), new ConstantRatePhase(1, TimeSpan.FromSeconds(5))]);
        using var pacer = new Pacer(schedule, new RecordingSink(clock), clock);
        using var cancellation = new CancellationTokenSource();

        pacer.Start(cancellation.Token);
        cancellation.Cancel();

        await pacer.Completion.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(5, pacer.GetTotals().Pending);
    }

    [Fact]
    public async Task A_sink_that_throws_faults_the_run()
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule([new ConstantRatePhase(10, TimeSpan.FromSeconds(1))]);
        using var pacer = new Pacer(schedule, new RecordingSink(clock) { HasFreeSlot = _ => throw new InvalidOperationException("no route") }, clock);

        pacer.Start();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pacer.Completion.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("no route", error.Message);
    }

    [Fact]
    public void Options_report_every_error_and_a_pacer_paces_one_run()
    {
        var clock = NewClock();
        var schedule = new ArrivalSchedule([new ConstantRatePhase(10, TimeSpan.FromSeconds(1))]);
        var error = Assert.Throws<ArgumentException>(() => new Pacer(schedule, new CountingSink(), clock, new PacerOptions { CompressionFactor = 0, SpinWindow = TimeSpan.FromSeconds(1) }));
        Assert.Contains("compression factor", error.Message, StringComparison.Ordinal);
        Assert.Contains("spin window", error.Message, StringComparison.Ordinal);

        using var pacer = new Pacer(schedule, new CountingSink(), clock);
        Assert.Throws<InvalidOperationException>(() => pacer.RunUntil(0));
        pacer.Begin(0);
        Assert.Throws<InvalidOperationException>(() => pacer.Begin(0));
    }
}
