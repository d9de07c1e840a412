using CapacitySim.Load.Results;

namespace CapacitySim.Reporting.Tests.Gate;

/// <summary>Run summaries shaped like the engine's: a 60 s measured window at ×10 compression and two categories.</summary>
internal static class GateSummaries
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A run of <paramref name="responded"/> final responses in 60 s of wall time (600 s of scenario time at ×10),
    /// with the given On-Demand p99 and share within TRT.
    /// </summary>
    public static RunSummary Run(
        long responded = 60_000,
        double onDemandP99 = 12_000,
        double onDemandWithinTrt = 0.995,
        long errors = 60,
        bool withNonDevice = true,
        GateTolerances? gate = null)
    {
        var categories = new List<CategorySummary>
        {
            Category(2, "On-Demand (ESME/CHF)", 30_000, responded - 10_000, onDemandP99, onDemandWithinTrt),
        };
        if (withNonDevice)
        {
            categories.Add(Category(1, "Non-Device", 5_000, 10_000, 900, 1.0));
        }

        return new RunSummary
        {
            Scenario = "gate-test",
            StartedAt = Start,
            EndedAt = Start.AddSeconds(60),
            Compression = 10,
            Counts = new SummaryCounts { Sent = responded, Responded = responded, Errors = errors },
            Categories = categories,
            ServiceReferenceVariants = [],
            Alerts = new AlertSummary(),
            Gate = gate ?? new GateTolerances(),
        };
    }

    public static CategorySummary Category(int id, string name, double trtMs, long count, double p99, double withinTrt) => new()
    {
        Id = id,
        Name = name,
        TrtMs = trtMs,
        Count = count,
        WithinTrt = withinTrt,
        Corrected = new LatencySummary { P50 = p99 / 3, P90 = p99 / 2, P99 = p99, P999 = p99 * 1.2, Max = p99 * 1.5 },
        Uncorrected = new LatencySummary { P50 = p99 / 3, P90 = p99 / 2, P99 = p99, P999 = p99 * 1.2, Max = p99 * 1.5 },
    };
}
