using System.Reflection;
using CapacitySim.Load.Results;

namespace CapacitySim.Reporting.Evidence;

/// <summary>
/// A summary as the writers read it: every collection present (a summary read from JSON may carry nulls where the
/// schema promises lists), names never null, and the figures derived from it (exit criteria, accounting, heatmaps).
/// </summary>
internal sealed class ReportModel
{
    private static readonly IReadOnlyDictionary<string, long> NoCounts = new Dictionary<string, long>();

    /// <summary>The run's response time-outs and drain in one line, or null when the summary does not record them.</summary>
    public static string? TimeoutsText(RunEnvironment environment)
    {
        if (environment.ResponseTimeoutsMs is not { Count: > 0 } timeouts)
        {
            return null;
        }

        var parts = timeouts.Select(t => $"{t.Key} {ReportText.Milliseconds(t.Value)}");
        var drain = environment.DrainSeconds is { } seconds ? $"; drain {ReportText.Milliseconds(seconds * 1000)} of real time" : string.Empty;
        return "scenario time from the send: " + string.Join(", ", parts) + drain;
    }

    public ReportModel(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Summary = summary;
        Scenario = summary.Scenario ?? string.Empty;
        Counts = Normalise(summary.Counts ?? new SummaryCounts());
        Categories = [.. (summary.Categories ?? []).Where(c => c is not null).Select(Normalise)];
        Srvs = [.. (summary.ServiceReferenceVariants ?? []).Where(s => s is not null).Select(Normalise)];
        var alerts = summary.Alerts ?? new AlertSummary();
        Alerts = alerts with
        {
            ByCode = alerts.ByCode ?? NoCounts,
            ByRegion = alerts.ByRegion ?? NoCounts,
            ByDmc = alerts.ByDmc ?? NoCounts,
        };
        Phases = [.. (summary.Phases ?? []).Where(p => p is not null).Select(p => p with { Kind = p.Kind ?? string.Empty, Name = p.Name ?? string.Empty })];
        Checks = [.. (summary.Checks ?? []).Where(c => c is not null).Select(c => c with { Check = c.Check ?? string.Empty, MeasuredText = c.MeasuredText ?? string.Empty })];
        Breakdown = [.. (summary.Breakdown ?? []).Where(b => b is not null).Select(b => b with { Srv = b.Srv ?? string.Empty, Dmc = b.Dmc ?? string.Empty, Region = b.Region ?? string.Empty })];
        Dcc = summary.Dcc is { } dcc ? dcc with { RejectedByCode = dcc.RejectedByCode ?? NoCounts } : null;
        Environment = summary.Environment;
        ExitCriteria = ExitCriteria.Evaluate(Checks);
        Accounting = AccountingIdentity.Of(Counts);
    }

    /// <summary>The CapacitySim version that writes the report.</summary>
    public static string GeneratorVersion { get; } =
        typeof(ReportModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ReportModel).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public RunSummary Summary { get; }

    public string Scenario { get; }

    public SummaryCounts Counts { get; }

    public IReadOnlyList<CategorySummary> Categories { get; }

    public IReadOnlyList<SrvSummary> Srvs { get; }

    public AlertSummary Alerts { get; }

    public IReadOnlyList<PhaseSummary> Phases { get; }

    public IReadOnlyList<CheckOutcome> Checks { get; }

    public IReadOnlyList<BreakdownCell> Breakdown { get; }

    public DccCounts? Dcc { get; }

    public RunEnvironment? Environment { get; }

    public ExitCriteria ExitCriteria { get; }

    public AccountingIdentity Accounting { get; }

    /// <summary>Wall-clock length of the measured window.</summary>
    public TimeSpan Window => Summary.EndedAt - Summary.StartedAt;

    /// <summary>Failed checks in file order: the testing issues the run raises.</summary>
    public IEnumerable<CheckOutcome> Issues => Checks.Where(c => !c.Passed);

    /// <summary>Requests sent per second of scenario time over the measured window, or null when the window is empty.</summary>
    public double? SendRate
    {
        get
        {
            var seconds = Window.TotalSeconds * (Summary.Compression > 0 ? Summary.Compression : 1);
            return seconds > 0 ? Counts.Sent / seconds : null;
        }
    }

    /// <summary>Share of final responses without an E code, or null without responses.</summary>
    public double? SuccessShare => Counts.Responded > 0 ? (double)(Counts.Responded - Counts.Errors) / Counts.Responded : null;

    /// <summary>The label a breakdown row shows for a DMC (non-device requests have none).</summary>
    public static string DmcLabel(string dmc) => dmc.Length == 0 ? "(non-device)" : dmc;

    /// <summary>The label a breakdown row shows for a region.</summary>
    public static string RegionLabel(string region) => region.Length == 0 ? "(none)" : region;

    /// <summary>Success rates per (row, SRV) with row and SRV totals, rows chosen by <paramref name="rowOf"/>.</summary>
    public Heatmap HeatmapBy(Func<BreakdownCell, string> rowOf)
    {
        var rows = Breakdown.Select(rowOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var columns = Breakdown.Select(b => b.Srv).Distinct(StringComparer.Ordinal).ToList();
        columns.Sort(ReportText.CompareSrv);
        var cells = new Dictionary<(string Row, string Column), HeatmapCell>();
        foreach (var cell in Breakdown)
        {
            var key = (rowOf(cell), cell.Srv);
            cells[key] = cells.GetValueOrDefault(key) + new HeatmapCell(cell.Responses, cell.Successes, cell.Errors);
        }

        return new Heatmap(rows, columns, cells);
    }

    /// <summary>The category a chart or table row refers to: its name, made unique by its id when two share one.</summary>
    public string ChartId(CategorySummary category)
    {
        var slug = ReportText.Slug(category.Name);
        var shared = Categories.Count(c => string.Equals(ReportText.Slug(c.Name), slug, StringComparison.Ordinal)) > 1;
        return "latency-" + (slug.Length == 0 || shared ? $"{slug}-{category.Id}".TrimStart('-') : slug);
    }

    private static SummaryCounts Normalise(SummaryCounts counts) => counts with
    {
        ResponsesByCode = counts.ResponsesByCode ?? NoCounts,
        ErrorsByCode = counts.ErrorsByCode ?? NoCounts,
    };

    private static CategorySummary Normalise(CategorySummary category) => category with
    {
        Name = string.IsNullOrEmpty(category.Name) ? $"category-{category.Id}" : category.Name,
        Corrected = category.Corrected ?? new LatencySummary(),
        Uncorrected = category.Uncorrected ?? new LatencySummary(),
        ResponsesByCode = category.ResponsesByCode ?? NoCounts,
        AlertsByCode = category.AlertsByCode ?? NoCounts,
    };

    private static SrvSummary Normalise(SrvSummary srv) => srv with
    {
        Srv = srv.Srv ?? string.Empty,
        Category = srv.Category ?? string.Empty,
        Corrected = srv.Corrected ?? new LatencySummary(),
        Uncorrected = srv.Uncorrected ?? new LatencySummary(),
        ResponsesByCode = srv.ResponsesByCode ?? NoCounts,
    };
}

/// <summary>Final responses of one heatmap cell.</summary>
internal readonly record struct HeatmapCell(long Responses, long Successes, long Errors)
{
    /// <summary>Share of responses with an I code, or null without responses.</summary>
    public double? SuccessRate => Responses > 0 ? (double)Successes / Responses : null;

    public static HeatmapCell operator +(HeatmapCell a, HeatmapCell b)
        => new(a.Responses + b.Responses, a.Successes + b.Successes, a.Errors + b.Errors);
}

/// <summary>Success rates of breakdown rows (DMCs or regions) by SRV column.</summary>
internal sealed record Heatmap(IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, IReadOnlyDictionary<(string Row, string Column), HeatmapCell> Cells)
{
    public HeatmapCell this[string row, string column] => Cells.GetValueOrDefault((row, column));

    public HeatmapCell RowTotal(string row) => Columns.Aggregate(default(HeatmapCell), (sum, column) => sum + this[row, column]);

    public HeatmapCell ColumnTotal(string column) => Rows.Aggregate(default(HeatmapCell), (sum, row) => sum + this[row, column]);
}
