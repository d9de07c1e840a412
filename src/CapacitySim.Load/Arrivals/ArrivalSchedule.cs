using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace CapacitySim.Load.Arrivals;

/// <summary>
/// The open-model arrival schedule of a run: from a load profile (an ordered list of <see cref="LoadPhase"/>s), the
/// intended send time of every arrival as an absolute offset from the run start in scenario time.
/// </summary>
/// <remarks>
/// <para>
/// Within a phase with rate r(t), arrival k (from 0) is intended at the time t where the integral of r from the phase's
/// start reaches k: for a constant rate that is <c>phaseStart + k / rate</c>; for a linear ramp the quadratic is solved
/// in closed form; step and diurnal phases are piecewise-constant. Each time is computed from the arrival's own index,
/// never by adding intervals, so rounding and lateness never accumulate.
/// </para>
/// <para>
/// A phase holds exactly <c>floor(∫ r dt)</c> arrivals over its duration; the fractional remainder is dropped per
/// phase, not carried into the next, so each phase's count depends on that phase alone. An integral within one part
/// in 10⁹ of a whole number counts as that number, so decimal rates that binary floating point cannot hold exactly
/// (0.29/s for 100 s) give the count a person would compute (29, not 28).
/// </para>
/// <para>
/// Offsets are rounded to the nearest 100 ns tick. <see cref="TryGetNext"/> allocates nothing; the schedule is a
/// cursor, read by one thread (the pacer).
/// </para>
/// </remarks>
public sealed class ArrivalSchedule
{
    private const double TicksPerSecond = TimeSpan.TicksPerSecond;
    private const long TicksPerHour = TimeSpan.TicksPerHour;

    private readonly CompiledPhase[] phases;
    private readonly RateSegment[] segments;

    private int phaseCursor;
    private int segmentCursor;
    private long indexInPhase;
    private long nextIndex;

    /// <summary>Builds the schedule of a load profile.</summary>
    /// <exception cref="ArgumentException">A phase is invalid; the message lists every error of every phase.</exception>
    public ArrivalSchedule(IReadOnlyList<LoadPhase> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var errors = Validate(phases);
        if (errors.Count > 0)
        {
            ThrowInvalid(errors, nameof(phases));
        }

        this.phases = new CompiledPhase[phases.Count];
        var segmentList = new List<RateSegment>();
        long start = 0;
        long total = 0;
        for (var p = 0; p < phases.Count; p++)
        {
            var phase = phases[p];
            var first = segmentList.Count;
            AddSegments(segmentList, phase, start);
            var arrivalsInPhase = 0.0;
            for (var s = first; s < segmentList.Count; s++)
            {
                var segment = segmentList[s];
                segmentList[s] = segment with { ArrivalsBefore = arrivalsInPhase };
                arrivalsInPhase += segment.Arrivals;
            }

            var count = CountArrivals(arrivalsInPhase);
            var end = start + phase.Duration.Ticks;
            this.phases[p] = new CompiledPhase(phase.Kind, start, end, first, segmentList.Count - first, count, total);
            total += count;
            start = end;
        }

        segments = [.. segmentList];
        TotalArrivals = total;
        Duration = new TimeSpan(start);
        Reset();
    }

    /// <summary>Number of phases in the profile.</summary>
    public int PhaseCount => phases.Length;

    /// <summary>Arrivals in the whole run.</summary>
    public long TotalArrivals { get; }

    /// <summary>Scenario time from the run start to the end of the last phase.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Arrivals not yet returned by <see cref="TryGetNext"/>.</summary>
    public long Remaining => TotalArrivals - nextIndex;

    /// <summary>Every reason the profile cannot be scheduled, each prefixed with its phase number (from 1); empty when valid.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<LoadPhase> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var errors = new List<string>();
        if (phases.Count == 0)
        {
            errors.Add("the load profile has no phases");
        }

        for (var p = 0; p < phases.Count; p++)
        {
            foreach (var error in phases[p].Validate())
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"phase {p + 1} ({phases[p].Kind}): {error}"));
            }
        }

        return errors;
    }

    /// <summary>The shape of phase <paramref name="phaseIndex"/>.</summary>
    public LoadPhaseKind GetPhaseKind(int phaseIndex) => phases[phaseIndex].Kind;

    /// <summary>Exact number of arrivals phase <paramref name="phaseIndex"/> holds.</summary>
    public long GetPhaseArrivalCount(int phaseIndex) => phases[phaseIndex].ArrivalCount;

    /// <summary>Scenario-time offset from the run start at which phase <paramref name="phaseIndex"/> begins.</summary>
    public TimeSpan GetPhaseStart(int phaseIndex) => new(phases[phaseIndex].StartTicks);

    /// <summary>Scenario-time offset from the run start at which phase <paramref name="phaseIndex"/> ends.</summary>
    public TimeSpan GetPhaseEnd(int phaseIndex) => new(phases[phaseIndex].EndTicks);

    /// <summary>
    /// The target arrival rate (per scenario second) at a scenario-time offset from the run start, for showing target
    /// against achieved rate; zero before the start and after the end.
    /// </summary>
    public double GetTargetRate(TimeSpan offset)
    {
        var ticks = offset.Ticks;
        foreach (ref readonly var segment in segments.AsSpan())
        {
            if (ticks >= segment.StartTicks && ticks < segment.EndTicks)
            {
                return segment.StartRate + (segment.Slope * ((ticks - segment.StartTicks) / TicksPerSecond));
            }
        }

        return 0;
    }

    /// <summary>Rewinds the cursor to the first arrival.</summary>
    public void Reset()
    {
        phaseCursor = 0;
        indexInPhase = 0;
        nextIndex = 0;
        segmentCursor = phases.Length > 0 ? phases[0].FirstSegment : 0;
    }

    /// <summary>The next arrival in intended-time order; false when the schedule is exhausted. Allocates nothing.</summary>
    public bool TryGetNext(out Arrival arrival)
    {
        while (phaseCursor < phases.Length)
        {
            ref readonly var phase = ref phases[phaseCursor];
            if (indexInPhase < phase.ArrivalCount)
            {
                double k = indexInPhase;
                var lastSegment = phase.FirstSegment + phase.SegmentCount - 1;
                while (segmentCursor < lastSegment && k >= segments[segmentCursor].ArrivalsBefore + segments[segmentCursor].Arrivals)
                {
                    segmentCursor++;
                }

                arrival = new Arrival(nextIndex, phaseCursor, segments[segmentCursor].OffsetOf(k));
                indexInPhase++;
                nextIndex++;
                return true;
            }

            phaseCursor++;
            indexInPhase = 0;
            if (phaseCursor < phases.Length)
            {
                segmentCursor = phases[phaseCursor].FirstSegment;
            }
        }

        arrival = default;
        return false;
    }

    /// <summary>floor(integral), taking an integral within one part in 10⁹ of a whole number as that number.</summary>
    internal static long CountArrivals(double integral)
    {
        var nearest = Math.Round(integral);
        if (Math.Abs(integral - nearest) <= 1e-9 * Math.Max(1.0, nearest))
        {
            return (long)nearest;
        }

        return (long)Math.Floor(integral);
    }

    private static void AddSegments(List<RateSegment> list, LoadPhase phase, long start)
    {
        switch (phase.Kind)
        {
            case LoadPhaseKind.ConstantRate:
                list.Add(RateSegment.Linear(start, start + phase.GivenDuration.Ticks, phase.First, phase.First));
                break;
            case LoadPhaseKind.RampingRate:
                list.Add(RateSegment.Linear(start, start + phase.GivenDuration.Ticks, phase.First, phase.Second));
                break;
            case LoadPhaseKind.Step:
                var stepTicks = phase.GivenDuration.Ticks;
                foreach (var rate in phase.Rates)
                {
                    list.Add(RateSegment.Linear(start, start + stepTicks, rate, rate));
                    start += stepTicks;
                }

                break;
            case LoadPhaseKind.Diurnal:
                var end = start + phase.GivenDuration.Ticks;
                for (var hour = 0; start < end; hour++)
                {
                    var hourEnd = Math.Min(end, start + TicksPerHour);
                    var rate = phase.Rates[hour % LoadPhase.HoursPerDay] * phase.First;
                    list.Add(RateSegment.Linear(start, hourEnd, rate, rate));
                    start = hourEnd;
                }

                break;
            default:
                list.Add(RateSegment.Linear(start, start + phase.GivenDuration.Ticks, 0, 0));
                break;
        }
    }

    [DoesNotReturn]
    private static void ThrowInvalid(IReadOnlyList<string> errors, string paramName)
    {
        var message = new StringBuilder("The load profile cannot be scheduled:");
        foreach (var error in errors)
        {
            message.Append('\n').Append("  - ").Append(error);
        }

        throw new ArgumentException(message.ToString(), paramName);
    }

    private readonly record struct CompiledPhase(
        LoadPhaseKind Kind, long StartTicks, long EndTicks, int FirstSegment, int SegmentCount, long ArrivalCount, long FirstArrivalIndex);

    /// <summary>A stretch of scenario time over which the rate is linear: r(τ) = StartRate + Slope·τ, τ in seconds.</summary>
    private readonly record struct RateSegment(long StartTicks, long EndTicks, double StartRate, double Slope, double Arrivals, double ArrivalsBefore)
    {
        public static RateSegment Linear(long startTicks, long endTicks, double fromRate, double toRate)
        {
            var seconds = (endTicks - startTicks) / TicksPerSecond;
            var slope = seconds > 0 ? (toRate - fromRate) / seconds : 0;
            return new RateSegment(startTicks, endTicks, fromRate, slope, (fromRate + toRate) / 2 * seconds, 0);
        }

        /// <summary>
        /// The offset of the phase's arrival k, which falls in this segment: the τ at which ∫₀^τ r = k − ArrivalsBefore,
        /// from r₀τ + aτ²/2 = L, written as τ = 2L / (r₀ + √(r₀² + 2aL)) so that it is exact for a = 0 (where it is L/r₀)
        /// and free of cancellation for ramps up and down.
        /// </summary>
        public long OffsetOf(double k)
        {
            var arrivalsInto = k - ArrivalsBefore;
            if (arrivalsInto <= 0)
            {
                return StartTicks;
            }

            var root = Math.Sqrt(Math.Max(0, (StartRate * StartRate) + (2 * Slope * arrivalsInto)));
            var denominator = StartRate + root;
            var lastTick = Math.Max(StartTicks, EndTicks - 1);
            if (!(denominator > 0))
            {
                return lastTick;
            }

            var ticks = StartTicks + (long)Math.Round(2 * arrivalsInto / denominator * TicksPerSecond);
            return Math.Min(ticks, lastTick);
        }
    }
}
