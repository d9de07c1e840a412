using CapacitySim.Devices.Configuration;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Tests.Scenarios;

public sealed class LoadPhaseTests
{
    private static readonly SourcePosition At = new(1, 1);

    [Fact]
    public void A_constant_phase_holds_its_rate()
    {
        var p = new ConstantPhase(null, 20, TimeSpan.FromSeconds(30), At);
        Assert.Equal(20, p.RateAt(TimeSpan.FromSeconds(12)));
        Assert.Equal(200, p.ArrivalsUntil(TimeSpan.FromSeconds(10)), 9);
        Assert.Equal(600, p.TotalArrivals, 9);
        Assert.Equal(600, p.ArrivalsUntil(TimeSpan.FromMinutes(5)), 9);
    }

    [Fact]
    public void A_ramp_is_linear_and_its_arrivals_are_the_area_under_it()
    {
        var p = new RampingPhase(null, 10, 50, TimeSpan.FromSeconds(40), At);
        Assert.Equal(10, p.RateAt(TimeSpan.Zero), 9);
        Assert.Equal(30, p.RateAt(TimeSpan.FromSeconds(20)), 9);
        Assert.Equal(50, p.RateAt(TimeSpan.FromSeconds(40)), 9);
        // Half way: 10·20 + (40/40)·20²/2 = 200 + 200.
        Assert.Equal(400, p.ArrivalsUntil(TimeSpan.FromSeconds(20)), 9);
        Assert.Equal((10 + 50) / 2.0 * 40, p.TotalArrivals, 9);

        var down = new RampingPhase(null, 50, 0, TimeSpan.FromSeconds(10), At);
        Assert.Equal(250, down.TotalArrivals, 9);
        Assert.Equal(0, down.RateAt(TimeSpan.FromSeconds(10)), 9);
    }

    [Fact]
    public void A_step_phase_holds_each_rate_for_its_step()
    {
        var p = new StepPhase(null, [10, 20, 40], TimeSpan.FromSeconds(10), At);
        Assert.Equal(TimeSpan.FromSeconds(30), p.Duration);
        Assert.Equal(10, p.RateAt(TimeSpan.FromSeconds(9.999)));
        Assert.Equal(20, p.RateAt(TimeSpan.FromSeconds(10)));
        Assert.Equal(40, p.RateAt(TimeSpan.FromSeconds(30)));
        Assert.Equal(100 + 100, p.ArrivalsUntil(TimeSpan.FromSeconds(15)), 9);
        Assert.Equal(700, p.TotalArrivals, 9);
    }

    [Fact]
    public void A_diurnal_phase_follows_the_hour_of_day_from_its_start_hour_and_wraps_at_midnight()
    {
        var hourly = Enumerable.Range(0, 24).Select(h => (double)h).ToArray();
        var p = new DiurnalPhase(null, hourly, 0.5, 22, TimeSpan.FromHours(3), At);
        Assert.Equal(11, p.RateAt(TimeSpan.Zero));                       // 22:00 → 22 × 0.5
        Assert.Equal(11.5, p.RateAt(TimeSpan.FromMinutes(90)));          // 23:30 → 23 × 0.5
        Assert.Equal(0, p.RateAt(TimeSpan.FromHours(2.5)));              // 00:30 → 0
        Assert.Equal(0.5 * ((22 * 3600) + (23 * 1800)), p.ArrivalsUntil(TimeSpan.FromMinutes(90)), 6);
        Assert.Equal(0.5 * ((22 + 23 + 0) * 3600), p.TotalArrivals, 6);
    }

    [Fact]
    public void A_pause_has_no_arrivals()
    {
        var p = new PausePhase("rest", TimeSpan.FromSeconds(5), At);
        Assert.Equal(0, p.RateAt(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, p.TotalArrivals);
        Assert.Equal(PhaseShape.Pause, p.Shape);
    }
}
