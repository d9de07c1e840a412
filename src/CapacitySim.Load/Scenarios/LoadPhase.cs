using CapacitySim.Devices.Configuration;

namespace CapacitySim.Load.Scenarios;

/// <summary>The shape of a load profile phase.</summary>
public enum PhaseShape : byte
{
    /// <summary>A constant arrival rate.</summary>
    Constant = 0,

    /// <summary>An arrival rate changing linearly from one value to another.</summary>
    Ramping,

    /// <summary>A series of constant rates, each held for the same time.</summary>
    Step,

    /// <summary>A daily curve from a table of 24 hourly rates.</summary>
    Diurnal,

    /// <summary>No arrivals.</summary>
    Pause,
}

/// <summary>
/// One phase of a scenario's load profile. Rates are requests per second of scenario time (the run divides time by the
/// compression factor, so at ×100 a phase of 20/s for 1m sends 2,000 requests/s for 0.6 s of wall time). The arrival
/// process is open: arrivals follow the rate whatever the system under test does.
/// </summary>
public abstract record LoadPhase(string? Name, TimeSpan Duration, SourcePosition Position)
{
    /// <summary>The shape.</summary>
    public abstract PhaseShape Shape { get; }

    /// <summary>The arrival rate (per second of scenario time) at <paramref name="offset"/> into the phase.</summary>
    public abstract double RateAt(TimeSpan offset);

    /// <summary>
    /// The expected number of arrivals from the start of the phase to <paramref name="offset"/> (the integral of the
    /// rate): a scheduler places arrival n where this reaches n, so arrival times are absolute and never drift.
    /// </summary>
    public abstract double ArrivalsUntil(TimeSpan offset);

    /// <summary>The expected number of arrivals over the whole phase.</summary>
    public double TotalArrivals => ArrivalsUntil(Duration);

    private protected TimeSpan Clamp(TimeSpan offset) => offset < TimeSpan.Zero ? TimeSpan.Zero : offset > Duration ? Duration : offset;
}

/// <summary>A constant arrival rate.</summary>
/// <param name="Name">Optional name shown in progress and reports.</param>
/// <param name="Rate">Arrivals per second of scenario time.</param>
/// <param name="Duration">Scenario time.</param>
/// <param name="Position">Where the phase is in the scenario file.</param>
public sealed record ConstantPhase(string? Name, double Rate, TimeSpan Duration, SourcePosition Position) : LoadPhase(Name, Duration, Position)
{
    /// <inheritdoc/>
    public override PhaseShape Shape => PhaseShape.Constant;

    /// <inheritdoc/>
    public override double RateAt(TimeSpan offset) => Rate;

    /// <inheritdoc/>
    public override double ArrivalsUntil(TimeSpan offset) => Rate * Clamp(offset).TotalSeconds;
}

/// <summary>An arrival rate changing linearly from <see cref="From"/> to <see cref="To"/> over the phase.</summary>
/// <param name="Name">Optional name.</param>
/// <param name="From">Rate at the start, per second.</param>
/// <param name="To">Rate at the end, per second.</param>
/// <param name="Duration">Scenario time.</param>
/// <param name="Position">Where the phase is in the scenario file.</param>
public sealed record RampingPhase(string? Name, double From, double To, TimeSpan Duration, SourcePosition Position) : LoadPhase(Name, Duration, Position)
{
    /// <inheritdoc/>
    public override PhaseShape Shape => PhaseShape.Ramping;

    /// <inheritdoc/>
    public override double RateAt(TimeSpan offset) => From + ((To - From) * Fraction(offset));

    /// <inheritdoc/>
    public override double ArrivalsUntil(TimeSpan offset)
    {
        var t = Clamp(offset).TotalSeconds;
        return (From * t) + ((To - From) * t * t / (2 * Duration.TotalSeconds));
    }

    private double Fraction(TimeSpan offset) => Clamp(offset).TotalSeconds / Duration.TotalSeconds;
}

/// <summary>A series of constant rates, each held for <see cref="StepDuration"/>.</summary>
/// <param name="Name">Optional name.</param>
/// <param name="Rates">The rates, per second, in order.</param>
/// <param name="StepDuration">Scenario time each rate is held.</param>
/// <param name="Position">Where the phase is in the scenario file.</param>
public sealed record StepPhase(string? Name, IReadOnlyList<double> Rates, TimeSpan StepDuration, SourcePosition Position)
    : LoadPhase(Name, StepDuration * Rates.Count, Position)
{
    /// <inheritdoc/>
    public override PhaseShape Shape => PhaseShape.Step;

    /// <inheritdoc/>
    public override double RateAt(TimeSpan offset) => Rates[StepIndex(offset)];

    /// <inheritdoc/>
    public override double ArrivalsUntil(TimeSpan offset)
    {
        var t = Clamp(offset);
        var step = StepIndex(t);
        var total = 0.0;
        for (var i = 0; i < step; i++)
        {
            total += Rates[i] * StepDuration.TotalSeconds;
        }

        return total + (Rates[step] * (t - (StepDuration * step)).TotalSeconds);
    }

    private int StepIndex(TimeSpan offset) => (int)Math.Min(Rates.Count - 1, Clamp(offset).Ticks / StepDuration.Ticks);
}

/// <summary>
/// A daily curve: the rate of each hour of the day from a table of 24 hourly rates times <see cref="Scale"/>,
/// starting at <see cref="StartHour"/>; the curve repeats when the phase is longer than a day.
/// </summary>
/// <param name="Name">Optional name.</param>
/// <param name="HourlyRates">24 rates, per second, for the hours 00:00–01:00 to 23:00–24:00.</param>
/// <param name="Scale">Factor applied to every rate (to scale a national curve down to a test estate).</param>
/// <param name="StartHour">The hour of day the phase starts at (0 to 23).</param>
/// <param name="Duration">Scenario time (24h for one day).</param>
/// <param name="Position">Where the phase is in the scenario file.</param>
public sealed record DiurnalPhase(string? Name, IReadOnlyList<double> HourlyRates, double Scale, int StartHour, TimeSpan Duration, SourcePosition Position)
    : LoadPhase(Name, Duration, Position)
{
    /// <inheritdoc/>
    public override PhaseShape Shape => PhaseShape.Diurnal;

    /// <inheritdoc/>
    public override double RateAt(TimeSpan offset)
        => Scale * HourlyRates[(int)((StartHour + (Clamp(offset).Ticks / TimeSpan.TicksPerHour)) % 24)];

    /// <inheritdoc/>
    public override double ArrivalsUntil(TimeSpan offset)
    {
        var t = Clamp(offset);
        var wholeHours = t.Ticks / TimeSpan.TicksPerHour;
        var total = 0.0;
        for (var h = 0L; h < wholeHours; h++)
        {
            total += HourlyRates[(int)((StartHour + h) % 24)] * 3600;
        }

        var rest = t - TimeSpan.FromHours(wholeHours);
        total += HourlyRates[(int)((StartHour + wholeHours) % 24)] * rest.TotalSeconds;
        return Scale * total;
    }
}

/// <summary>No arrivals for a while (requests already sent still complete).</summary>
/// <param name="Name">Optional name.</param>
/// <param name="Duration">Scenario time.</param>
/// <param name="Position">Where the phase is in the scenario file.</param>
public sealed record PausePhase(string? Name, TimeSpan Duration, SourcePosition Position) : LoadPhase(Name, Duration, Position)
{
    /// <inheritdoc/>
    public override PhaseShape Shape => PhaseShape.Pause;

    /// <inheritdoc/>
    public override double RateAt(TimeSpan offset) => 0;

    /// <inheritdoc/>
    public override double ArrivalsUntil(TimeSpan offset) => 0;
}
