using CapacitySim.Duis.Catalogue;
using CapacitySim.Load.Recording;
using HdrHistogram;

namespace CapacitySim.Load.Results;

/// <summary>A category's performance level as the summary needs it; the scenario maps its performance levels onto these.</summary>
/// <param name="Category">The recorder's category id.</param>
/// <param name="Name">Name shown in the summary (a file-name-safe token such as <c>on-demand-esme</c>).</param>
/// <param name="Trt">Target Response Time in scenario time; null when none applies.</param>
/// <param name="ServiceLevelTarget">Target share within TRT (0…1), or null.</param>
/// <param name="ServiceLevelMinimum">Minimum share within TRT (0…1), or null.</param>
public sealed record CategoryLevel(LatencyCategory Category, string Name, TimeSpan? Trt, double? ServiceLevelTarget = null, double? ServiceLevelMinimum = null);

/// <summary>What the sender and pacer counted, which the recorder and correlation table cannot know.</summary>
/// <param name="Sent">Requests sent.</param>
/// <param name="Dropped">Arrivals dropped for lack of a connection or in-flight slot.</param>
/// <param name="Late">Arrivals sent late.</param>
public readonly record struct SenderCounts(long Sent, long Dropped, long Late);

/// <summary>Turns the final figures of a run into a <see cref="RunSummary"/>.</summary>
public static class RunSummaryBuilder
{
    /// <summary>
    /// Builds the summary. Histograms hold wall-clock microseconds; every latency in the summary is milliseconds of
    /// scenario time (× <paramref name="compression"/>), and a TRT in scenario time is compared with wall-clock latency
    /// divided by the compression.
    /// </summary>
    public static RunSummary Build(
        string scenario,
        DateTimeOffset startedAt,
        DateTimeOffset endedAt,
        double compression,
        IReadOnlyList<CategoryLevel> levels,
        SenderCounts sender,
        CorrelationCounts correlation,
        LatencySnapshot latency)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(latency);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(compression);

        var levelById = new Dictionary<byte, CategoryLevel>();
        foreach (var level in levels)
        {
            levelById[level.Category.Id] = level;
        }

        var responses = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var alerts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var categories = new SortedDictionary<byte, Accumulator>();
        var srvs = new SortedDictionary<(int Srv, byte Category), Accumulator>();
        long responded = 0, errorCount = 0, alertCount = 0, clamped = 0;

        for (var k = 0; k < latency.KeyCount; k++)
        {
            var key = latency.GetKey(k);
            var category = Get(categories, key.Category.Id, latency);
            category.Add(latency, k);
            var isRequestKey = key.Srv != default;
            var srv = isRequestKey ? Get(srvs, (key.Srv.Key, key.Category.Id), latency) : null;
            srv?.Add(latency, k);
            clamped += latency.GetClamped(k);

            for (var c = 0; c < latency.ResponseCodeCount; c++)
            {
                var count = latency.GetResponseCount(k, c);
                if (count == 0)
                {
                    continue;
                }

                var code = latency.GetResponseCode(c);
                var text = code.ToString();
                AddTo(responses, text, count);
                AddTo(category.Responses, text, count);
                if (srv is not null)
                {
                    AddTo(srv.Responses, text, count);
                }

                responded += count;
                if (code.IsError)
                {
                    errorCount += count;
                    AddTo(errors, text, count);
                }
            }

            var otherResponses = latency.GetOtherResponseCount(k);
            if (otherResponses > 0)
            {
                AddTo(responses, "other", otherResponses);
                AddTo(category.Responses, "other", otherResponses);
                responded += otherResponses;
            }

            for (var c = 0; c < latency.AlertCodeCount; c++)
            {
                var count = latency.GetAlertCount(k, c);
                if (count > 0)
                {
                    var text = latency.GetAlertCodeText(c);
                    AddTo(alerts, text, count);
                    AddTo(category.Alerts, text, count);
                    alertCount += count;
                }
            }

            var otherAlerts = latency.GetOtherAlertCount(k);
            if (otherAlerts > 0)
            {
                AddTo(alerts, "other", otherAlerts);
                AddTo(category.Alerts, "other", otherAlerts);
                alertCount += otherAlerts;
            }
        }

        var categorySummaries = new List<CategorySummary>();
        foreach (var (id, accumulator) in categories)
        {
            levelById.TryGetValue(id, out var level);
            var trtMicros = WallMicroseconds(level?.Trt, compression);
            long? within = trtMicros is { } t ? LatencyStatistics.CountAtOrBelow(accumulator.Corrected, t) : null;
            categorySummaries.Add(new CategorySummary
            {
                Id = id,
                Name = NameOf(level, id),
                TrtMs = level?.Trt?.TotalMilliseconds,
                ServiceLevelTarget = level?.ServiceLevelTarget,
                ServiceLevelMinimum = level?.ServiceLevelMinimum,
                Count = accumulator.Corrected.TotalCount,
                WithinTrt = within is { } w && accumulator.Corrected.TotalCount > 0 ? (double)w / accumulator.Corrected.TotalCount : null,
                WithinTrtCount = within,
                Corrected = Summarise(accumulator.Corrected, compression),
                Uncorrected = Summarise(accumulator.Uncorrected, compression),
                ResponsesByCode = accumulator.Responses,
                AlertsByCode = accumulator.Alerts,
            });
        }

        var srvSummaries = new List<SrvSummary>();
        foreach (var ((srvKey, categoryId), accumulator) in srvs)
        {
            levelById.TryGetValue(categoryId, out var level);
            var trtMicros = WallMicroseconds(level?.Trt, compression);
            var srv = new ServiceReferenceVariant((byte)(srvKey >> 16), (byte)(srvKey >> 8), (byte)srvKey);
            srvSummaries.Add(new SrvSummary
            {
                Srv = srv.ToString(),
                Category = NameOf(level, categoryId),
                TrtMs = level?.Trt?.TotalMilliseconds,
                Count = accumulator.Corrected.TotalCount,
                WithinTrt = trtMicros is { } t ? LatencyStatistics.ShareWithin(accumulator.Corrected, t) : null,
                Corrected = Summarise(accumulator.Corrected, compression),
                Uncorrected = Summarise(accumulator.Uncorrected, compression),
                ResponsesByCode = accumulator.Responses,
            });
        }

        return new RunSummary
        {
            Scenario = scenario,
            StartedAt = startedAt,
            EndedAt = endedAt,
            Compression = compression,
            Counts = new SummaryCounts
            {
                Sent = sender.Sent,
                Acknowledged = correlation.Acknowledged,
                Responded = responded,
                Errors = errorCount,
                ResponsesByCode = responses,
                ErrorsByCode = errors,
                TimedOut = correlation.TimedOut,
                RespondedAfterTimeOut = correlation.AfterTimeOut,
                Dropped = sender.Dropped,
                Late = sender.Late,
                Unknown = correlation.Unknown,
                Duplicates = correlation.Duplicates,
                Abandoned = correlation.Abandoned,
                InFlightAtEnd = correlation.InFlight,
                Clamped = clamped,
                Unrecorded = latency.KeyOverflow,
            },
            Categories = categorySummaries,
            ServiceReferenceVariants = srvSummaries,
            Alerts = new AlertSummary { Received = alertCount, ByCode = alerts },
        };
    }

    /// <summary>Percentiles of a wall-clock microsecond histogram as milliseconds of scenario time.</summary>
    public static LatencySummary Summarise(HistogramBase histogram, double compression)
    {
        var p = LatencyStatistics.Percentiles(histogram);
        var scale = compression / 1000.0;
        return new LatencySummary
        {
            P50 = p.P50 * scale,
            P90 = p.P90 * scale,
            P99 = p.P99 * scale,
            P999 = p.P999 * scale,
            Max = p.Max * scale,
        };
    }

    private static long? WallMicroseconds(TimeSpan? scenarioTime, double compression)
        => scenarioTime is { } t ? (long)Math.Floor(t.TotalMicroseconds / compression) : null;

    private static string NameOf(CategoryLevel? level, byte id) => level?.Name ?? $"category-{id}";

    private static Accumulator Get<TKey>(SortedDictionary<TKey, Accumulator> map, TKey key, LatencySnapshot latency)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var accumulator))
        {
            accumulator = new Accumulator(latency);
            map[key] = accumulator;
        }

        return accumulator;
    }

    private static void AddTo(SortedDictionary<string, long> counts, string code, long count)
        => counts[code] = counts.GetValueOrDefault(code) + count;

    private sealed class Accumulator(LatencySnapshot latency)
    {
        public readonly HistogramBase Corrected = Empty(latency);
        public readonly HistogramBase Uncorrected = Empty(latency);
        public readonly SortedDictionary<string, long> Responses = new(StringComparer.Ordinal);
        public readonly SortedDictionary<string, long> Alerts = new(StringComparer.Ordinal);

        public void Add(LatencySnapshot snapshot, int keyIndex)
        {
            Corrected.Add(snapshot.GetCorrected(keyIndex));
            Uncorrected.Add(snapshot.GetUncorrected(keyIndex));
        }

        private static LongHistogram Empty(LatencySnapshot latency)
        {
            var shape = latency.GetCorrected(0);
            return new LongHistogram(shape.LowestTrackableValue, shape.HighestTrackableValue, shape.NumberOfSignificantValueDigits);
        }
    }
}
