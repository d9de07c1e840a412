using System.Collections.Immutable;
using System.Globalization;
using CapacitySim.Load.Arrivals;
using ScenarioPhase = CapacitySim.Load.Scenarios.LoadPhase;

namespace CapacitySim.Load.Engine;

/// <summary>Turns a scenario's load profile (as read, with names and positions) into the pacer's phases.</summary>
public static class PhasePlan
{
    /// <summary>The arrival phases of <paramref name="phases"/>, in order.</summary>
    public static IReadOnlyList<LoadPhase> ToArrivalPhases(IReadOnlyList<ScenarioPhase> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var result = new List<LoadPhase>(phases.Count);
        foreach (var phase in phases)
        {
            result.Add(phase switch
            {
                Scenarios.ConstantPhase c => new ConstantRatePhase(c.Rate, c.Duration),
                Scenarios.RampingPhase r => new RampingRatePhase(r.From, r.To, r.Duration),
                Scenarios.StepPhase s => new StepPhase([.. s.Rates], s.StepDuration),
                Scenarios.DiurnalPhase d => new DiurnalPhase(Rotate(d.HourlyRates, d.StartHour), d.Scale, d.Duration),
                Scenarios.PausePhase p => new PausePhase(p.Duration),
                _ => throw new ArgumentException($"Unknown phase shape {phase.Shape}.", nameof(phases)),
            });
        }

        return result;
    }

    /// <summary>The phase's name, or its shape and position in the profile.</summary>
    public static string NameOf(ScenarioPhase phase, int index)
    {
        ArgumentNullException.ThrowIfNull(phase);
        return phase.Name ?? string.Create(CultureInfo.InvariantCulture, $"{phase.Shape.ToString().ToLowerInvariant()} #{index + 1}");
    }

    // The pacer's daily curve starts at hour 0; a scenario's may start at any hour.
    private static ImmutableArray<double> Rotate(IReadOnlyList<double> hourly, int startHour)
    {
        var rotated = new double[hourly.Count];
        for (var h = 0; h < rotated.Length; h++)
        {
            rotated[h] = hourly[(startHour + h) % hourly.Count];
        }

        return [.. rotated];
    }
}
