using System.Globalization;
using CapacitySim.Load.Results;

namespace CapacitySim.Reporting.Gate;

/// <summary>The outcome of one compared figure.</summary>
public enum GateVerdict
{
    /// <summary>Within the allowed change.</summary>
    Pass,

    /// <summary>Worse than the allowed change, or a category the baseline had is gone.</summary>
    Regression,

    /// <summary>Not comparable (the baseline has no value, or a zero one that a ratio cannot divide by); not a failure.</summary>
    NotApplicable,

    /// <summary>A category the baseline did not have: reported, not judged.</summary>
    New,
}

/// <summary>How a figure's change is measured.</summary>
public enum GateChangeKind
{
    /// <summary>Relative change, current ÷ baseline − 1 (throughput, p99).</summary>
    Ratio,

    /// <summary>Difference of two shares in percentage points (share within TRT, error share).</summary>
    Points,
}

/// <summary>One row of the gate's table: a figure of the baseline and of the current run, and the verdict.</summary>
/// <param name="Metric">What is compared (<c>throughput</c>, <c>p99 On-Demand (ESME/CHF)</c>…).</param>
/// <param name="Unit">Unit of <paramref name="Baseline"/> and <paramref name="Current"/>: <c>/s</c>, <c>ms</c> or <c>share</c> (0…1).</param>
/// <param name="Baseline">The baseline's value, or null when it has none.</param>
/// <param name="Current">The current run's value, or null when it has none.</param>
/// <param name="Kind">How the change is measured.</param>
/// <param name="Change">Ratio (0.05 = +5%) or difference of shares (−0.004 = −0.4 points); null when not comparable.</param>
/// <param name="Allowed">Largest allowed change in the bad direction, signed as <paramref name="Change"/> (−0.10 for a 10% drop).</param>
/// <param name="Verdict">The verdict.</param>
public sealed record GateRow(
    string Metric,
    string Unit,
    double? Baseline,
    double? Current,
    GateChangeKind Kind,
    double? Change,
    double Allowed,
    GateVerdict Verdict);

/// <summary>The gate's comparison of a run with its baseline.</summary>
/// <param name="Rows">Every compared figure, in table order.</param>
/// <param name="Tolerances">The tolerances applied (the current run's).</param>
public sealed record GateResult(IReadOnlyList<GateRow> Rows, GateTolerances Tolerances)
{
    /// <summary>True when no row is a regression.</summary>
    public bool Passed
    {
        get
        {
            foreach (var row in Rows)
            {
                if (row.Verdict == GateVerdict.Regression)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>How many rows are regressions.</summary>
    public int RegressionCount
    {
        get
        {
            var n = 0;
            foreach (var row in Rows)
            {
                n += row.Verdict == GateVerdict.Regression ? 1 : 0;
            }

            return n;
        }
    }
}

/// <summary>
/// The CI regression gate: compares a run's <c>summary.json</c> with a baseline summary. Every comparison is a ratio
/// or a difference of shares, never an absolute figure, so that a slower CI machine running the same scenario at the
/// same compression does not fail the gate by itself; the tolerances come from the current run's summary (the
/// scenario's <c>gate</c> section, which the engine copies into it).
/// </summary>
/// <remarks>
/// <para>Figures compared, and when each is a regression:</para>
/// <list type="bullet">
/// <item><b>throughput</b> (<see cref="AchievedThroughput"/>): current ÷ baseline − 1 below −<see cref="GateTolerances.ThroughputDrop"/>.</item>
/// <item><b>p99</b> of each category's corrected latency, for categories present in both: current ÷ baseline − 1 above <see cref="GateTolerances.P99Rise"/>.</item>
/// <item><b>within TRT</b> of each category: baseline − current (in points) above <see cref="GateTolerances.WithinTrtFall"/>.</item>
/// <item><b>error share</b> (final responses with an E code ÷ requests sent): current − baseline (in points) above <see cref="GateTolerances.ErrorRateRise"/>.</item>
/// </list>
/// <para>
/// A category the baseline recorded values for that the current run lacks (absent, or no values) is a regression:
/// traffic that used to be measured is no longer measured. A category new in the current run is reported, not
/// judged. A baseline value of zero or none gives no ratio: the row says n/a and does not fail. A change exactly at
/// the allowed limit passes.
/// </para>
/// </remarks>
public static class RegressionGate
{
    /// <summary>Fewest values a category needs in both runs for its p99 to be judged (fewer: shown as n/a).</summary>
    public const int MinimumSamples = 100;

    // Shares and ratios come from doubles written to JSON and read back; a change equal to the limit must pass.
    private const double Epsilon = 1e-9;

    /// <summary>
    /// Achieved throughput of a run, in final responses per second of scenario time over the measured window:
    /// <c>counts.responded ÷ ((endedAt − startedAt) in seconds × compression)</c>. Responses, not sends, because a
    /// DCC that accepts requests but answers fewer of them has lost capacity. Null when the window is empty.
    /// </summary>
    public static double? AchievedThroughput(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var seconds = (summary.EndedAt - summary.StartedAt).TotalSeconds * summary.Compression;
        return seconds > 0 ? summary.Counts.Responded / seconds : null;
    }

    /// <summary>Share of requests sent whose final response had an E code (0…1); null when nothing was sent.</summary>
    public static double? ErrorShare(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.Counts.Sent > 0 ? (double)summary.Counts.Errors / summary.Counts.Sent : null;
    }

    /// <summary>Compares <paramref name="current"/> with <paramref name="baseline"/> using the current run's tolerances.</summary>
    public static GateResult Compare(RunSummary baseline, RunSummary current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var tolerances = current.Gate ?? new GateTolerances();
        var rows = new List<GateRow>
        {
            RatioRow("throughput", "/s", AchievedThroughput(baseline), AchievedThroughput(current), -tolerances.ThroughputDrop),
            PointsRow("error share", ErrorShare(baseline), ErrorShare(current), tolerances.ErrorRateRise),
        };

        var currentByName = new Dictionary<string, CategorySummary>(StringComparer.Ordinal);
        foreach (var category in current.Categories)
        {
            currentByName[category.Name] = category;
        }

        var baselineNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var before in baseline.Categories)
        {
            baselineNames.Add(before.Name);
            if (before.Count == 0)
            {
                // Nothing was measured in the baseline: nothing to hold the run to.
                continue;
            }

            if (!currentByName.TryGetValue(before.Name, out var now) || now.Count == 0)
            {
                rows.Add(new GateRow(
                    $"category {before.Name}", "responses", before.Count, now?.Count, GateChangeKind.Ratio, null, 0, GateVerdict.Regression));
                continue;
            }

            // A p99 of a handful of values (a few alerts) moves by tens of percent between identical runs: it is shown,
            // not judged.
            rows.Add(before.Count < MinimumSamples || now.Count < MinimumSamples
                ? new GateRow($"p99 {before.Name}", "ms", before.Corrected.P99, now.Corrected.P99, GateChangeKind.Ratio, null, tolerances.P99Rise, GateVerdict.NotApplicable)
                : RatioRow($"p99 {before.Name}", "ms", before.Corrected.P99, now.Corrected.P99, tolerances.P99Rise));
            if (before.WithinTrt is not null || now.WithinTrt is not null)
            {
                rows.Add(PointsRow($"within TRT {before.Name}", before.WithinTrt, now.WithinTrt, -tolerances.WithinTrtFall));
            }
        }

        foreach (var category in current.Categories)
        {
            if (!baselineNames.Contains(category.Name) && category.Count > 0)
            {
                rows.Add(new GateRow(
                    $"category {category.Name}", "responses", null, category.Count, GateChangeKind.Ratio, null, 0, GateVerdict.New));
            }
        }

        return new GateResult(rows, tolerances);
    }

    // allowed < 0: a fall beyond it fails (throughput); allowed > 0: a rise beyond it fails (latency).
    private static GateRow RatioRow(string metric, string unit, double? baseline, double? current, double allowed)
    {
        if (baseline is not { } b || b <= 0 || current is not { } c)
        {
            return new GateRow(metric, unit, baseline, current, GateChangeKind.Ratio, null, allowed, GateVerdict.NotApplicable);
        }

        var change = (c / b) - 1;
        return new GateRow(metric, unit, b, c, GateChangeKind.Ratio, change, allowed, Judge(change, allowed));
    }

    private static GateRow PointsRow(string metric, double? baseline, double? current, double allowed)
    {
        if (baseline is not { } b || current is not { } c)
        {
            return new GateRow(metric, "share", baseline, current, GateChangeKind.Points, null, allowed, GateVerdict.NotApplicable);
        }

        var change = c - b;
        return new GateRow(metric, "share", b, c, GateChangeKind.Points, change, allowed, Judge(change, allowed));
    }

    private static GateVerdict Judge(double change, double allowed)
        => (allowed < 0 ? change < allowed - Epsilon : change > allowed + Epsilon) ? GateVerdict.Regression : GateVerdict.Pass;

    /// <summary>
    /// Writes the comparison as a fixed-width table (metric, baseline, current, change, allowed, verdict) and a final
    /// line <c>PASS</c> or <c>REGRESSION</c>, as a CI log shows it.
    /// </summary>
    public static void WriteTable(GateResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        string[] header = ["metric", "baseline", "current", "change", "allowed", "verdict"];
        var cells = new List<string[]> { header };
        foreach (var row in result.Rows)
        {
            cells.Add(
            [
                row.Metric,
                FormatValue(row.Baseline, row.Unit),
                FormatValue(row.Current, row.Unit),
                row.Change is { } change ? FormatChange(change, row.Kind) : "n/a",
                row.Verdict is GateVerdict.New || (row.Verdict is GateVerdict.Regression && row.Change is null) ? "-" : FormatChange(row.Allowed, row.Kind),
                VerdictText(row),
            ]);
        }

        var widths = new int[header.Length];
        foreach (var line in cells)
        {
            for (var i = 0; i < line.Length; i++)
            {
                widths[i] = Math.Max(widths[i], line[i].Length);
            }
        }

        foreach (var line in cells)
        {
            var text = new System.Text.StringBuilder();
            for (var i = 0; i < line.Length; i++)
            {
                // The metric column reads left-aligned; the figures right-aligned so that digits line up.
                text.Append(i == 0 ? line[i].PadRight(widths[i]) : line[i].PadLeft(widths[i]));
                if (i < line.Length - 1)
                {
                    text.Append("  ");
                }
            }

            output.WriteLine(text.ToString().TrimEnd());
        }

        output.WriteLine();
        output.WriteLine(result.Passed
            ? "PASS: no figure regressed beyond its tolerance"
            : string.Create(CultureInfo.InvariantCulture, $"REGRESSION: {result.RegressionCount} figure(s) regressed beyond their tolerance"));
    }

    private static string VerdictText(GateRow row) => row.Verdict switch
    {
        GateVerdict.Pass => "pass",
        GateVerdict.Regression when row.Change is null => "REGRESSION (missing)",
        GateVerdict.Regression => "REGRESSION",
        GateVerdict.New => "new",
        _ => "n/a",
    };

    private static string FormatValue(double? value, string unit)
    {
        if (value is not { } v)
        {
            return "-";
        }

        return unit switch
        {
            "/s" => string.Create(CultureInfo.InvariantCulture, $"{v:0.###}/s"),
            "ms" => string.Create(CultureInfo.InvariantCulture, $"{v:0.#} ms"),
            "share" => string.Create(CultureInfo.InvariantCulture, $"{v * 100:0.###}%"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{v:0.###}"),
        };
    }

    private static string FormatChange(double change, GateChangeKind kind) => kind == GateChangeKind.Ratio
        ? string.Create(CultureInfo.InvariantCulture, $"{change * 100:+0.0;-0.0;0.0}%")
        : string.Create(CultureInfo.InvariantCulture, $"{change * 100:+0.0##;-0.0##;0.0} pt");
}
