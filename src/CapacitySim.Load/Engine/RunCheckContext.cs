using CapacitySim.Load.Arrivals;
using CapacitySim.Load.Recording;
using CapacitySim.Load.Results;
using CapacitySim.Load.Scenarios;
using HdrHistogram;

namespace CapacitySim.Load.Engine;

/// <summary>
/// What the checks of a finished run read: latency from the final cumulative histograms (corrected, after warm-up),
/// shares within TRT and counts from the summary, the DCC's own counts where only it knows them.
/// </summary>
internal sealed class RunCheckContext(RunSummary summary, LatencySnapshot final, double compression, PacerPhaseCounters pacer, DccCounts? dcc) : ICheckContext
{
    public TimeSpan? Percentile(PerformanceCategorySet categories, double percentile)
    {
        LongHistogram? merged = null;
        for (var c = 0; c < PerformanceCategories.Count; c++)
        {
            if (!categories.Contains((PerformanceCategory)c) || final.GetCategory(new LatencyCategory((byte)c)) is not { } latency
                || latency.CumulativeCorrected.TotalCount == 0)
            {
                continue;
            }

            merged ??= new LongHistogram(latency.CumulativeCorrected.HighestTrackableValue, latency.CumulativeCorrected.NumberOfSignificantValueDigits);
            merged.Add(latency.CumulativeCorrected);
        }

        if (merged is null || merged.TotalCount == 0)
        {
            return null;
        }

        // Wall-clock microseconds × compression = scenario time.
        return TimeSpan.FromMicroseconds(merged.GetValueAtPercentile(percentile) * compression);
    }

    public double? WithinTrt(PerformanceCategorySet categories)
    {
        long within = 0, total = 0;
        foreach (var category in summary.Categories)
        {
            if (!categories.Contains((PerformanceCategory)category.Id) || category.WithinTrtCount is not { } n)
            {
                continue;
            }

            within += n;
            total += category.Count;
        }

        return total == 0 ? null : (double)within / total;
    }

    public long Count(CheckCounter counter)
    {
        var c = summary.Counts;
        return counter switch
        {
            CheckCounter.Arrivals => pacer.Released + pacer.Dropped,
            CheckCounter.Requests => c.Sent,
            CheckCounter.Responses => c.Responded + (c.Errors - ErrorsWithCode()),
            CheckCounter.Errors => c.Errors,
            CheckCounter.Dropped => c.Dropped,
            CheckCounter.Late => c.Late,
            CheckCounter.Timeouts => c.TimedOut + c.InFlightAtEnd,
            CheckCounter.LateDeviceSuccesses => dcc?.LateDeviceSuccesses ?? 0,
            CheckCounter.UnknownResponses => c.Unknown,
            CheckCounter.DuplicateResponses => c.Duplicates,
            CheckCounter.Alerts => summary.Alerts.Received,
            _ => 0,
        };
    }

    public double Throughput(PerformanceCategorySet categories)
    {
        var seconds = (summary.EndedAt - summary.StartedAt).TotalSeconds * compression;
        if (seconds <= 0)
        {
            return 0;
        }

        long responses = 0;
        foreach (var category in summary.Categories)
        {
            if (categories.Contains((PerformanceCategory)category.Id) && !IsAlertCategory((PerformanceCategory)category.Id))
            {
                responses += category.Count;
            }
        }

        return responses / seconds;
    }

    private static bool IsAlertCategory(PerformanceCategory category)
        => category is PerformanceCategory.DeviceAlert or PerformanceCategory.DccAlert or PerformanceCategory.Smets1DeviceAlert;

    // Errors that came as DUIS E codes (responses); the rest of Errors had no DUIS answer at all.
    private long ErrorsWithCode()
    {
        long n = 0;
        foreach (var (code, count) in summary.Counts.ErrorsByCode)
        {
            n += code.Length > 1 && code[0] == 'E' && char.IsAsciiDigit(code[1]) ? count : 0;
        }

        return n;
    }
}
