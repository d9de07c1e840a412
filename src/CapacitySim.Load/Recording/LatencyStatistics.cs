using HdrHistogram;

namespace CapacitySim.Load.Recording;

/// <summary>Percentiles of one latency histogram, in the histogram's unit (microseconds for the recorder's).</summary>
/// <param name="Count">Values recorded.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">Largest value (highest equivalent value at the histogram's precision).</param>
public readonly record struct LatencyPercentiles(long Count, long P50, long P90, long P99, long P999, long Max);

/// <summary>Queries on latency histograms; recording stays in <see cref="LatencyWorker"/>.</summary>
public static class LatencyStatistics
{
    /// <summary>p50, p90, p99, p99.9 and max of a histogram; all zero when it is empty.</summary>
    public static LatencyPercentiles Percentiles(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var count = histogram.TotalCount;
        if (count == 0)
        {
            return default;
        }

        return new LatencyPercentiles(
            count,
            histogram.GetValueAtPercentile(50),
            histogram.GetValueAtPercentile(90),
            histogram.GetValueAtPercentile(99),
            histogram.GetValueAtPercentile(99.9),
            histogram.GetMaxValue());
    }

    /// <summary>
    /// Values at or under <paramref name="threshold"/> (a Target Response Time), as HdrHistogram's count between values
    /// counts them: a value counts when it falls in the same precision bucket as the threshold or a lower one, so a
    /// value within the histogram's precision of the threshold (1% at two significant digits) counts as within.
    /// </summary>
    public static long CountAtOrBelow(HistogramBase histogram, long threshold)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (threshold < 0 || histogram.TotalCount == 0)
        {
            return 0;
        }

        if (threshold >= histogram.HighestTrackableValue)
        {
            return histogram.TotalCount;
        }

        var limit = histogram.HighestEquivalentValue(threshold);
        long within = 0;
        foreach (var step in histogram.RecordedValues())
        {
            if (step.ValueIteratedTo > limit)
            {
                break;
            }

            within += step.CountAddedInThisIterationStep;
        }

        return within;
    }

    /// <summary>
    /// Share (0…1) of values at or under <paramref name="threshold"/>, as <see cref="CountAtOrBelow"/> counts them;
    /// null when the histogram is empty (no responses: no share to speak of).
    /// </summary>
    public static double? ShareWithin(HistogramBase histogram, long threshold)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.TotalCount == 0 ? null : (double)CountAtOrBelow(histogram, threshold) / histogram.TotalCount;
    }
}
