using System.Collections.Immutable;
using CapacitySim.Load.Arrivals;

namespace CapacitySim.Load.Tests.Arrivals;

public sealed class ArrivalScheduleTests
{
    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    private static List<Arrival> Drain(ArrivalSchedule schedule)
    {
        var arrivals = new List<Arrival>();
        while (schedule.TryGetNext(out var arrival))
        {
            arrivals.Add(arrival);
        }

        return arrivals;
    }

    private static long[] CountPerPhase(ArrivalSchedule schedule)
    {
        var counts = new long[schedule.PhaseCount];
        foreach (var arrival in Drain(schedule))
        {
            counts[arrival.PhaseIndex]++;
        }

        return counts;
    }

    [Theory]
    [InlineData(10.0, 30.0, 300)]
    [InlineData(2.5, 3.0, 7)] // 7.5 arrivals' worth: the fraction is dropped, never rounded up
    [InlineData(0.29, 100.0, 29)] // 0.29 × 100 is 28.999… in binary; the count a person computes is 29
    [InlineData(0.1, 30.0, 3)]
    [InlineData(0.0, 10.0, 0)]
    public void Constant_rate_holds_floor_of_rate_times_duration(double rate, double seconds, long expected)
    {
        var schedule = new ArrivalSchedule([new ConstantRatePhase(rate, Seconds(seconds))]);

        Assert.Equal(expected, schedule.GetPhaseArrivalCount(0));
        Assert.Equal(expected, schedule.TotalArrivals);
        Assert.Equal([expected], CountPerPhase(schedule));
    }

    [Fact]
    public void Constant_rate_arrival_i_is_intended_at_phase_start_plus_i_over_rate()
    {
        var schedule = new ArrivalSchedule([new PausePhase(Seconds(2)), new ConstantRatePhase(3, Seconds(10))]);

        var arrivals = Drain(schedule);

        Assert.Equal(30, arrivals.Count);
        for (var i = 0; i < arrivals.Count; i++)
        {
            // 2 s + i/3 s, to the nearest 100 ns tick
            Assert.Equal(20_000_000 + (long)Math.Round(i * 10_000_000 / 3.0), arrivals[i].IntendedOffsetTicks);
            Assert.Equal(i, arrivals[i].Index);
            Assert.Equal(1, arrivals[i].PhaseIndex);
        }
    }

    [Theory]
    [InlineData(0.0, 100.0, 10.0, 500)]
    [InlineData(10.0, 0.0, 5.0, 25)]
    [InlineData(3.0, 50.0, 7.0, 185)] // 185.5
    [InlineData(7.0, 7.0, 4.0, 28)]
    public void Ramp_holds_floor_of_the_trapezium(double from, double to, double seconds, long expected)
    {
        var schedule = new ArrivalSchedule([new RampingRatePhase(from, to, Seconds(seconds))]);

        Assert.Equal(expected, schedule.GetPhaseArrivalCount(0));
        Assert.Equal([expected], CountPerPhase(schedule));
    }

    [Theory]
    [InlineData(3.0, 50.0, 7)]
    [InlineData(0.0, 100.0, 10)]
    [InlineData(80.0, 5.0, 9)]
    public void Ramp_arrivals_per_second_follow_the_linear_rate_within_one(double from, double to, int seconds)
    {
        var schedule = new ArrivalSchedule([new RampingRatePhase(from, to, Seconds(seconds))]);
        var buckets = new int[seconds];
        foreach (var arrival in Drain(schedule))
        {
            buckets[arrival.IntendedOffsetTicks / TimeSpan.TicksPerSecond]++;
        }

        var slope = (to - from) / seconds;
        double Integral(double t) => Math.Min((from * t) + (slope * t * t / 2), schedule.GetPhaseArrivalCount(0));
        for (var s = 0; s < seconds; s++)
        {
            // The arrivals due in [s, s+1) are the integral of the rate over it, less the fraction the phase drops at
            // its very end.
            var expected = Integral(s + 1) - Integral(s);
            Assert.InRange(buckets[s], expected - 1, expected + 1);
            if (s > 0)
            {
                Assert.True(to > from ? buckets[s] >= buckets[s - 1] - 1 : buckets[s] <= buckets[s - 1] + 1);
            }
        }
    }

    [Fact]
    public void Ramp_arrival_times_invert_the_integral_of_the_rate()
    {
        // r(t) = 2t: the integral to t is t², so arrival k is at √k seconds.
        var schedule = new ArrivalSchedule([new RampingRatePhase(0, 20, Seconds(10))]);

        var arrivals = Drain(schedule);

        Assert.Equal(100, arrivals.Count);
        for (var k = 0; k < arrivals.Count; k++)
        {
            Assert.Equal((long)Math.Round(Math.Sqrt(k) * TimeSpan.TicksPerSecond), arrivals[k].IntendedOffsetTicks);
        }
    }

    [Fact]
    public void Step_holds_each_rate_for_its_step_and_the_floor_of_the_whole_phase()
    {
        var schedule = new ArrivalSchedule([new StepPhase([5, 10, 2.5, 0, 1], Seconds(2))]);

        Assert.Equal(TimeSpan.FromSeconds(10), schedule.Duration);
        Assert.Equal(37, schedule.GetPhaseArrivalCount(0));
        var perStep = new int[5];
        foreach (var arrival in Drain(schedule))
        {
            perStep[arrival.IntendedOffsetTicks / (2 * TimeSpan.TicksPerSecond)]++;
        }

        Assert.Equal([10, 20, 5, 0, 2], perStep);
    }

    [Fact]
    public void Step_fractions_add_up_over_the_phase_rather_than_being_lost_per_step()
    {
        var schedule = new ArrivalSchedule([new StepPhase([1.5, 1.5], Seconds(1))]);

        Assert.Equal(3, schedule.GetPhaseArrivalCount(0));
        Assert.Equal(3, Drain(schedule).Count);
    }

    [Fact]
    public void Diurnal_is_piecewise_constant_by_scenario_hour()
    {
        // Hour h runs at (h + 1) × 0.001 per second: 3.6 × (h + 1) arrivals in the hour, 1,080 in the day.
        var hourly = Enumerable.Range(1, 24).Select(h => (double)h).ToImmutableArray();
        var schedule = new ArrivalSchedule([new DiurnalPhase(hourly, 0.001, TimeSpan.FromHours(24))]);

        Assert.Equal(1080, schedule.GetPhaseArrivalCount(0));
        var perHour = new int[24];
        foreach (var arrival in Drain(schedule))
        {
            perHour[arrival.IntendedOffsetTicks / TimeSpan.TicksPerHour]++;
        }

        for (var h = 0; h < 24; h++)
        {
            Assert.InRange(perHour[h], (3.6 * (h + 1)) - 1, (3.6 * (h + 1)) + 1);
        }

        Assert.Equal(0.005, schedule.GetTargetRate(TimeSpan.FromHours(4.5)), 12);
        Assert.Equal(0.005, schedule.GetTargetRate(TimeSpan.FromHours(4.99)), 12);
    }

    [Fact]
    public void Diurnal_longer_than_a_day_repeats_it_and_shorter_ends_part_way()
    {
        var hourly = Enumerable.Repeat(0.01, 24).ToImmutableArray().SetItem(0, 0.02);

        var day = new ArrivalSchedule([new DiurnalPhase(hourly, 1, TimeSpan.FromHours(24))]);
        var dayAndHalf = new ArrivalSchedule([new DiurnalPhase(hourly, 1, TimeSpan.FromHours(36))]);
        var halfHour = new ArrivalSchedule([new DiurnalPhase(hourly, 1, TimeSpan.FromMinutes(30))]);

        Assert.Equal(900, day.GetPhaseArrivalCount(0)); // 72 + 23 × 36
        Assert.Equal(900 + 72 + (11 * 36), dayAndHalf.GetPhaseArrivalCount(0));
        Assert.Equal(36, halfHour.GetPhaseArrivalCount(0));
        Assert.Equal(0.02, dayAndHalf.GetTargetRate(TimeSpan.FromHours(24.5)), 12);
    }

    [Fact]
    public void Pause_holds_no_arrivals_and_shifts_the_next_phase()
    {
        var schedule = new ArrivalSchedule(
        [
            new ConstantRatePhase(10, Seconds(3)),
            new PausePhase(Seconds(2)),
            new RampingRatePhase(0, 10, Seconds(2)),
        ]);

        Assert.Equal([30L, 0L, 10L], CountPerPhase(schedule));
        schedule.Reset();
        var arrivals = Drain(schedule);
        Assert.Equal(TimeSpan.FromSeconds(5), schedule.GetPhaseStart(2));
        Assert.Equal(TimeSpan.FromSeconds(5), arrivals[30].IntendedOffset);
        Assert.Equal(2, arrivals[30].PhaseIndex);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), arrivals.Select(a => a.Index));
        Assert.Equal(0, schedule.GetTargetRate(TimeSpan.FromSeconds(4)));
    }

    [Fact]
    public void Intended_times_never_go_backwards_and_stay_inside_their_phase()
    {
        var schedule = new ArrivalSchedule(
        [
            new RampingRatePhase(1, 333.3, Seconds(3.7)),
            new StepPhase([17.1, 0.3, 99.9], Seconds(1.3)),
            new RampingRatePhase(250, 0, Seconds(2.1)),
            new ConstantRatePhase(1 / 3.0, Seconds(9)),
        ]);

        var previous = -1L;
        foreach (var arrival in Drain(schedule))
        {
            Assert.True(arrival.IntendedOffsetTicks >= previous);
            Assert.InRange(arrival.IntendedOffset, schedule.GetPhaseStart(arrival.PhaseIndex), schedule.GetPhaseEnd(arrival.PhaseIndex) - TimeSpan.FromTicks(1));
            previous = arrival.IntendedOffsetTicks;
        }
    }

    [Fact]
    public void Every_error_of_every_phase_is_reported_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => new ArrivalSchedule(
        [
            new ConstantRatePhase(-1, TimeSpan.Zero),
            new DiurnalPhase([1, 2, 3], double.NaN, Seconds(1)),
            new StepPhase([], Seconds(1)),
        ]));

        Assert.Contains("phase 1 (ConstantRate): duration must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("phase 1 (ConstantRate): rate must be", error.Message, StringComparison.Ordinal);
        Assert.Contains("phase 2 (Diurnal): a diurnal phase needs exactly 24 hourly rates (had 3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("phase 2 (Diurnal): scale must be", error.Message, StringComparison.Ordinal);
        Assert.Contains("phase 3 (Step): a step phase needs at least one rate", error.Message, StringComparison.Ordinal);
        Assert.Single(ArrivalSchedule.Validate([]));
    }

    [Fact]
    public void Phases_round_trip_through_the_closed_set()
    {
        LoadPhase ramp = new RampingRatePhase(1, 2, Seconds(3));
        LoadPhase step = new StepPhase([1, 2], Seconds(3));

        Assert.True(ramp.TryGetRampingRate(out var back));
        Assert.Equal(new RampingRatePhase(1, 2, Seconds(3)), back);
        Assert.False(ramp.TryGetConstantRate(out _));
        Assert.Equal(LoadPhaseKind.Step, step.Kind);
        Assert.Equal(Seconds(6), step.Duration);
        Assert.Equal(step, (LoadPhase)new StepPhase([1, 2], Seconds(3)));
    }
}
