using System.Collections.Immutable;
using System.Globalization;

namespace CapacitySim.Load.Arrivals;

/// <summary>Which of the closed set of load-profile shapes a <see cref="LoadPhase"/> is.</summary>
public enum LoadPhaseKind
{
    /// <summary>A fixed arrival rate (<see cref="ConstantRatePhase"/>).</summary>
    ConstantRate,

    /// <summary>A rate that changes linearly from one value to another (<see cref="RampingRatePhase"/>).</summary>
    RampingRate,

    /// <summary>A staircase of fixed rates held for equal steps (<see cref="StepPhase"/>).</summary>
    Step,

    /// <summary>A daily curve from a table of 24 hourly rates (<see cref="DiurnalPhase"/>).</summary>
    Diurnal,

    /// <summary>No arrivals for a while (<see cref="PausePhase"/>).</summary>
    Pause,
}

/// <summary>Arrivals at a fixed rate per second of scenario time.</summary>
/// <param name="RatePerSecond">Arrivals per scenario second; zero or more.</param>
/// <param name="Duration">Scenario time the phase lasts.</param>
public readonly record struct ConstantRatePhase(double RatePerSecond, TimeSpan Duration);

/// <summary>An arrival rate that moves linearly from <paramref name="FromRatePerSecond"/> to <paramref name="ToRatePerSecond"/>.</summary>
/// <param name="FromRatePerSecond">Rate at the start of the phase, arrivals per scenario second.</param>
/// <param name="ToRatePerSecond">Rate at the end of the phase, arrivals per scenario second.</param>
/// <param name="Duration">Scenario time the ramp takes.</param>
public readonly record struct RampingRatePhase(double FromRatePerSecond, double ToRatePerSecond, TimeSpan Duration);

/// <summary>A staircase: each rate is held for <paramref name="StepDuration"/>, in order.</summary>
/// <param name="RatesPerSecond">The rate of each step, arrivals per scenario second.</param>
/// <param name="StepDuration">Scenario time each step lasts; the phase lasts this times the number of steps.</param>
public readonly record struct StepPhase(ImmutableArray<double> RatesPerSecond, TimeSpan StepDuration);

/// <summary>
/// A daily curve: hour <c>h</c> of the phase (scenario time, from the phase's start) runs at
/// <c>HourlyRatesPerSecond[h mod 24] × Scale</c> arrivals per scenario second. The curve is piecewise-constant: each
/// table entry is the average rate of its hour, so the arrivals in an hour are the entry × 3,600 × scale, which is what
/// a table of hourly volumes (a national daily curve) means; interpolating between entries would move volume between
/// neighbouring hours. A phase longer than 24 hours repeats the day; a shorter one ends part-way through it.
/// </summary>
/// <param name="HourlyRatesPerSecond">Exactly 24 rates, arrivals per scenario second, for hours 00 to 23.</param>
/// <param name="Scale">Multiplier applied to every entry (scales a national curve down to the simulated estate).</param>
/// <param name="Duration">Scenario time the phase lasts.</param>
public readonly record struct DiurnalPhase(ImmutableArray<double> HourlyRatesPerSecond, double Scale, TimeSpan Duration);

/// <summary>No arrivals for <paramref name="Duration"/> of scenario time (for example between a night batch and the day).</summary>
/// <param name="Duration">Scenario time the pause lasts.</param>
public readonly record struct PausePhase(TimeSpan Duration);

/// <summary>
/// One phase of a load profile: exactly one of the closed set <see cref="ConstantRatePhase"/>,
/// <see cref="RampingRatePhase"/>, <see cref="StepPhase"/>, <see cref="DiurnalPhase"/> and <see cref="PausePhase"/>,
/// each of which converts to it implicitly. Rates are arrivals per second of scenario time.
/// </summary>
public readonly struct LoadPhase : IEquatable<LoadPhase>
{
    private readonly double first;
    private readonly double second;
    private readonly ImmutableArray<double> rates;

    private LoadPhase(LoadPhaseKind kind, double first, double second, ImmutableArray<double> rates, TimeSpan givenDuration)
    {
        Kind = kind;
        this.first = first;
        this.second = second;
        this.rates = rates;
        GivenDuration = givenDuration;
    }

    /// <summary>Which shape this phase is.</summary>
    public LoadPhaseKind Kind { get; }

    /// <summary>The duration given for the phase; for a step phase, the duration of one step.</summary>
    internal TimeSpan GivenDuration { get; }

    /// <summary>Scenario time the whole phase lasts (for a step phase, the step duration times the number of steps).</summary>
    public TimeSpan Duration => Kind == LoadPhaseKind.Step && !rates.IsDefault ? GivenDuration * rates.Length : GivenDuration;

    /// <summary>The phase as a constant rate, when it is one.</summary>
    public bool TryGetConstantRate(out ConstantRatePhase phase)
    {
        phase = Kind == LoadPhaseKind.ConstantRate ? new ConstantRatePhase(first, GivenDuration) : default;
        return Kind == LoadPhaseKind.ConstantRate;
    }

    /// <summary>The phase as a ramp, when it is one.</summary>
    public bool TryGetRampingRate(out RampingRatePhase phase)
    {
        phase = Kind == LoadPhaseKind.RampingRate ? new RampingRatePhase(first, second, GivenDuration) : default;
        return Kind == LoadPhaseKind.RampingRate;
    }

    /// <summary>The phase as a staircase, when it is one.</summary>
    public bool TryGetStep(out StepPhase phase)
    {
        phase = Kind == LoadPhaseKind.Step ? new StepPhase(rates, GivenDuration) : default;
        return Kind == LoadPhaseKind.Step;
    }

    /// <summary>The phase as a daily curve, when it is one.</summary>
    public bool TryGetDiurnal(out DiurnalPhase phase)
    {
        phase = Kind == LoadPhaseKind.Diurnal ? new DiurnalPhase(rates, first, GivenDuration) : default;
        return Kind == LoadPhaseKind.Diurnal;
    }

    /// <summary>The phase as a pause, when it is one.</summary>
    public bool TryGetPause(out PausePhase phase)
    {
        phase = Kind == LoadPhaseKind.Pause ? new PausePhase(GivenDuration) : default;
        return Kind == LoadPhaseKind.Pause;
    }

    internal double First => first;

    internal double Second => second;

    internal ImmutableArray<double> Rates => rates;

    /// <summary>Wraps a constant-rate phase.</summary>
    public static implicit operator LoadPhase(ConstantRatePhase phase)
        => new(LoadPhaseKind.ConstantRate, phase.RatePerSecond, 0, default, phase.Duration);

    /// <summary>Wraps a ramp.</summary>
    public static implicit operator LoadPhase(RampingRatePhase phase)
        => new(LoadPhaseKind.RampingRate, phase.FromRatePerSecond, phase.ToRatePerSecond, default, phase.Duration);

    /// <summary>Wraps a staircase.</summary>
    public static implicit operator LoadPhase(StepPhase phase)
        => new(LoadPhaseKind.Step, 0, 0, phase.RatesPerSecond, phase.StepDuration);

    /// <summary>Wraps a daily curve.</summary>
    public static implicit operator LoadPhase(DiurnalPhase phase)
        => new(LoadPhaseKind.Diurnal, phase.Scale, 0, phase.HourlyRatesPerSecond, phase.Duration);

    /// <summary>Wraps a pause.</summary>
    public static implicit operator LoadPhase(PausePhase phase)
        => new(LoadPhaseKind.Pause, 0, 0, default, phase.Duration);

    /// <summary>
    /// Every reason this phase cannot be scheduled, all at once (empty when it is valid), so that a scenario file's
    /// author sees all mistakes in one pass.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (GivenDuration <= TimeSpan.Zero)
        {
            errors.Add(Kind == LoadPhaseKind.Step
                ? $"step duration must be positive (was {GivenDuration})"
                : $"duration must be positive (was {GivenDuration})");
        }

        switch (Kind)
        {
            case LoadPhaseKind.ConstantRate:
                CheckRate(errors, "rate", first);
                break;
            case LoadPhaseKind.RampingRate:
                CheckRate(errors, "from rate", first);
                CheckRate(errors, "to rate", second);
                break;
            case LoadPhaseKind.Step:
                if (rates.IsDefaultOrEmpty)
                {
                    errors.Add("a step phase needs at least one rate");
                }
                else
                {
                    for (var i = 0; i < rates.Length; i++)
                    {
                        CheckRate(errors, string.Create(CultureInfo.InvariantCulture, $"step {i + 1} rate"), rates[i]);
                    }
                }

                break;
            case LoadPhaseKind.Diurnal:
                if (rates.IsDefault || rates.Length != HoursPerDay)
                {
                    errors.Add($"a diurnal phase needs exactly 24 hourly rates (had {(rates.IsDefault ? 0 : rates.Length)})");
                }
                else
                {
                    for (var i = 0; i < rates.Length; i++)
                    {
                        CheckRate(errors, string.Create(CultureInfo.InvariantCulture, $"hour {i:00} rate"), rates[i]);
                    }
                }

                if (!double.IsFinite(first) || first < 0)
                {
                    errors.Add($"scale must be a finite number of zero or more (was {first})");
                }

                break;
            case LoadPhaseKind.Pause:
                break;
            default:
                errors.Add($"unknown phase kind {Kind}");
                break;
        }

        return errors;
    }

    /// <inheritdoc/>
    public bool Equals(LoadPhase other)
        => Kind == other.Kind && first.Equals(other.first) && second.Equals(other.second) && GivenDuration == other.GivenDuration
           && (rates.IsDefault ? other.rates.IsDefault : !other.rates.IsDefault && rates.AsSpan().SequenceEqual(other.rates.AsSpan()));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LoadPhase other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, first, second, GivenDuration, rates.IsDefault ? 0 : rates.Length);

    /// <summary>Whether two phases describe the same load.</summary>
    public static bool operator ==(LoadPhase left, LoadPhase right) => left.Equals(right);

    /// <summary>Whether two phases describe different loads.</summary>
    public static bool operator !=(LoadPhase left, LoadPhase right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        LoadPhaseKind.ConstantRate => string.Create(CultureInfo.InvariantCulture, $"constant {first}/s for {GivenDuration}"),
        LoadPhaseKind.RampingRate => string.Create(CultureInfo.InvariantCulture, $"ramp {first}/s to {second}/s over {GivenDuration}"),
        LoadPhaseKind.Step => string.Create(CultureInfo.InvariantCulture, $"{(rates.IsDefault ? 0 : rates.Length)} steps of {GivenDuration}"),
        LoadPhaseKind.Diurnal => string.Create(CultureInfo.InvariantCulture, $"diurnal ×{first} for {GivenDuration}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"pause for {GivenDuration}"),
    };

    internal const int HoursPerDay = 24;

    private static void CheckRate(List<string> errors, string name, double rate)
    {
        if (!double.IsFinite(rate) || rate < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be a finite number of arrivals per second, zero or more (was {rate})"));
        }
    }
}
