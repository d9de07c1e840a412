using System.Diagnostics;

namespace CapacitySim.Load.Recording;

/// <summary>Sizes and precision of a <see cref="LatencyRecorder"/>, all fixed when the run starts.</summary>
public sealed record LatencyRecorderOptions
{
    /// <summary>Most (category, SRV, region, DMC) keys; latencies for further keys are counted, not recorded.</summary>
    public int KeyCapacity { get; init; } = 1024;

    /// <summary>Most distinct response codes counted per key; further codes are counted together as "other".</summary>
    public int ResponseCodeCapacity { get; init; } = 64;

    /// <summary>Most distinct alert codes counted per key; further codes are counted together as "other".</summary>
    public int AlertCodeCapacity { get; init; } = 128;

    /// <summary>Longest latency kept exactly (wall clock); longer ones are recorded as this value and counted as clamped.</summary>
    public TimeSpan HighestTrackableLatency { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Significant decimal digits of the histograms. Two digits (1% resolution) by default: every key on every worker
    /// holds four histograms, and three digits would cost about seven times the memory (94 KB per histogram).
    /// </summary>
    public int SignificantDigits { get; init; } = 2;

    /// <summary>Ticks per second of the timestamps handed to the recorder.</summary>
    public long TimestampFrequency { get; init; } = Stopwatch.Frequency;

    /// <summary>Every problem with these options (empty when they are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (KeyCapacity < 1)
        {
            errors.Add($"KeyCapacity must be at least 1 (was {KeyCapacity}).");
        }

        if (ResponseCodeCapacity < 1)
        {
            errors.Add($"ResponseCodeCapacity must be at least 1 (was {ResponseCodeCapacity}).");
        }

        if (AlertCodeCapacity < 1)
        {
            errors.Add($"AlertCodeCapacity must be at least 1 (was {AlertCodeCapacity}).");
        }

        if (HighestTrackableLatency < TimeSpan.FromMilliseconds(1))
        {
            errors.Add($"HighestTrackableLatency must be at least 1 ms (was {HighestTrackableLatency}).");
        }

        if (SignificantDigits is < 1 or > 5)
        {
            errors.Add($"SignificantDigits must be between 1 and 5 (was {SignificantDigits}).");
        }

        if (TimestampFrequency < 1)
        {
            errors.Add($"TimestampFrequency must be positive (was {TimestampFrequency}).");
        }

        return errors;
    }
}
