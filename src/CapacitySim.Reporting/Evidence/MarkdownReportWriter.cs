using System.Globalization;
using System.Text;
using static CapacitySim.Reporting.Evidence.ReportText;

namespace CapacitySim.Reporting.Evidence;

/// <summary>Writes <c>report.md</c>: the report's figures and tables as GitHub-flavoured Markdown (no charts).</summary>
internal static class MarkdownReportWriter
{
    public static string Render(ReportModel model)
    {
        var s = model.Summary;
        var md = new StringBuilder();
        md.Append("# SCT evidence report: ").Append(Markdown(model.Scenario)).Append("\n\n")
            .Append("Measured ").Append(Timestamp(s.StartedAt)).Append(" to ").Append(Timestamp(s.EndedAt)).Append(" (").Append(Span(model.Window))
            .Append(" wall clock, time compression \u00d7").Append(Number(s.Compression)).Append(").\n\n")
            .Append("**").Append(Markdown(model.ExitCriteria.Statement)).Append("**\n\n");

        md.Append("## Scenario and environment\n\n| | |\n|---|---|\n");
        Row(md, "Scenario", Markdown(model.Scenario));
        Row(md, "Scenario file", Markdown(s.ScenarioFile ?? "not recorded"));
        Row(md, "Time compression", "\u00d7" + Number(s.Compression) + (s.Compression == 1 ? " (real time)" : string.Empty));
        Row(md, "Seed", s.Seed.ToString(CultureInfo.InvariantCulture));
        if (model.Environment is { } e)
        {
            Row(md, "Target", Markdown(e.Target));
            Row(md, "Signing", e.Signing ? "requests signed" : "requests not signed");
            Row(md, "Tool version", "CapacitySim " + Markdown(e.ToolVersion));
            Row(md, "Runtime", Markdown(e.Runtime));
            Row(md, "Operating system", Markdown(e.Os));
            Row(md, "Machine", $"{Markdown(e.Machine)}, {e.ProcessorCount} logical processors");
            Row(md, "Estate", Count(e.Devices) + " devices");
            Row(md, "Connections", Count(e.Connections));
            if (e.PerformanceLevels is not null)
            {
                Row(md, "Performance levels", Markdown(e.PerformanceLevels));
            }

            if (ReportModel.TimeoutsText(e) is { } timeouts)
            {
                Row(md, "Response time-outs", Markdown(timeouts));
            }
        }
        else
        {
            Row(md, "Environment", "not recorded");
        }

        md.Append("\n## Testing issues and exit criteria\n\nThe SCT exit criteria allow at most 0, 0, 15, 30 and 60 open testing issues of severities 1 to 5; every failed check raises one issue of its severity.\n\n")
            .Append("| Severity | Open issues | Allowed | Within threshold |\n|---|---:|---:|---|\n");
        for (var i = 0; i < 5; i++)
        {
            var open = model.ExitCriteria.OpenIssues[i];
            var allowed = model.ExitCriteria.Thresholds[i];
            md.Append("| ").Append(i + 1).Append(" | ").Append(open).Append(" | ").Append(allowed).Append(" | ").Append(open <= allowed ? "yes" : "**no**").Append(" |\n");
        }

        var issues = model.Issues.ToList();
        md.Append('\n');
        if (issues.Count > 0)
        {
            md.Append("| Issue | Severity | Check | Measured | Threshold |\n|---|---:|---|---:|---:|\n");
            for (var i = 0; i < issues.Count; i++)
            {
                md.Append("| TI-").Append((i + 1).ToString("00", CultureInfo.InvariantCulture)).Append(" | ").Append(ExitCriteria.SeverityOf(issues[i])).Append(" | ")
                    .Append(Markdown(issues[i].Check)).Append(" | ").Append(Markdown(issues[i].MeasuredText)).Append(" | ").Append(Markdown(Threshold(issues[i]))).Append(" |\n");
            }

            md.Append('\n');
        }

        md.Append("## Checks\n\n");
        if (model.Checks.Count == 0)
        {
            md.Append("_Checks not recorded._\n\n");
        }
        else
        {
            md.Append("| # | Check | Result | Measured | Threshold | Severity |\n|---:|---|---|---:|---:|---:|\n");
            for (var i = 0; i < model.Checks.Count; i++)
            {
                var c = model.Checks[i];
                md.Append("| ").Append(i + 1).Append(" | ").Append(Markdown(c.Check)).Append(" | ").Append(c.Passed ? "PASS" : "**FAIL**").Append(" | ")
                    .Append(Markdown(c.MeasuredText)).Append(" | ").Append(Markdown(Threshold(c))).Append(" | ").Append(ExitCriteria.SeverityOf(c)).Append(" |\n");
            }

            md.Append('\n');
        }

        md.Append("## Planned against executed\n\n");
        if (model.Phases.Count == 0)
        {
            md.Append("_Phases not recorded._\n\n");
        }
        else
        {
            md.Append("| # | Phase | Shape | Scheduled | Sent | Dropped | Late | Target rate | Achieved rate |\n|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
            foreach (var p in model.Phases)
            {
                md.Append("| ").Append(p.Index).Append(" | ").Append(Markdown(p.Name)).Append(" | ").Append(Markdown(p.Kind)).Append(" | ").Append(Count(p.Scheduled)).Append(" | ")
                    .Append(Count(p.Sent)).Append(" | ").Append(Count(p.Dropped)).Append(" | ").Append(Count(p.Late)).Append(" | ").Append(Rate(p.TargetRate)).Append(" | ").Append(Rate(p.AchievedRate)).Append(" |\n");
            }

            md.Append('\n');
        }

        md.Append("## Service levels and latency\n\nLatencies are of scenario time; corrected latency runs from the intended send time.\n\n")
            .Append("| Category | TRT | Latencies | Within TRT | Target | Minimum | Service level | p50 | p90 | p99 | p99.9 | max |\n|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
        foreach (var c in model.Categories)
        {
            md.Append("| ").Append(Markdown(c.Name)).Append(" | ").Append(Milliseconds(c.TrtMs)).Append(" | ").Append(Count(c.Count)).Append(" | ").Append(Percent(c.WithinTrt)).Append(" | ")
                .Append(Percent(c.ServiceLevelTarget)).Append(" | ").Append(Percent(c.ServiceLevelMinimum)).Append(" | ").Append(HtmlReportWriter.ServiceLevelState(c).Label).Append(" | ")
                .Append(Milliseconds(c.Corrected.P50)).Append(" | ").Append(Milliseconds(c.Corrected.P90)).Append(" | ").Append(Milliseconds(c.Corrected.P99)).Append(" | ")
                .Append(Milliseconds(c.Corrected.P999)).Append(" | ").Append(Milliseconds(c.Corrected.Max)).Append(" |\n");
        }

        md.Append("\n## Success rates by device model combination and SRV\n\n");
        if (model.Breakdown.Count == 0)
        {
            md.Append("_Breakdown not recorded._\n\n");
        }
        else
        {
            var map = model.HeatmapBy(b => b.Dmc);
            md.Append("| DMC | ").Append(string.Join(" | ", map.Columns.Select(Markdown))).Append(" | all |\n|---|").Append(string.Concat(Enumerable.Repeat("---:|", map.Columns.Count + 1))).Append('\n');
            foreach (var row in map.Rows)
            {
                md.Append("| ").Append(Markdown(ReportModel.DmcLabel(row))).Append(" | ")
                    .Append(string.Join(" | ", map.Columns.Select(col => Percent(map[row, col].SuccessRate)))).Append(" | ").Append(Percent(map.RowTotal(row).SuccessRate)).Append(" |\n");
            }

            md.Append("| **all** | ").Append(string.Join(" | ", map.Columns.Select(col => Percent(map.ColumnTotal(col).SuccessRate)))).Append(" | |\n\n");
        }

        md.Append("## Alerts\n\n").Append(Count(model.Alerts.Received)).Append(" alerts received; ").Append(Count(model.Alerts.Throttled)).Append(" throttled, reporting ")
            .Append(Count(model.Alerts.Suppressed)).Append(" repeats suppressed.\n\n");
        AlertTable(md, "Code", model.Alerts.ByCode);
        AlertTable(md, "Region", model.Alerts.ByRegion);
        AlertTable(md, "DMC", model.Alerts.ByDmc);

        var a = model.Accounting;
        md.Append("## Accounting identity\n\nsent = responded + errors + timed out + in flight\n\n")
            .Append(Count(a.Sent)).Append(" = ").Append(Count(a.Answered)).Append(" + ").Append(Count(a.Errors)).Append(" + ").Append(Count(a.TimedOut)).Append(" + ").Append(Count(a.InFlight))
            .Append(": ").Append(a.Balances ? "**balances**" : $"**does not balance** (difference {Count(a.Difference)})").Append(".\n\n");
        if (model.Dcc is { } dcc)
        {
            md.Append("| Measure | Users' count | DCC's count | Difference |\n|---|---:|---:|---:|\n");
            foreach (var row in HtmlReportWriter.Reconciliation(model, dcc))
            {
                md.Append("| ").Append(row.Measure).Append(" | ").Append(Count(row.Users)).Append(" | ").Append(Count(row.Dcc)).Append(" | ").Append(Count(row.Users - row.Dcc)).Append(" |\n");
            }

            md.Append('\n');
        }
        else
        {
            md.Append("_DCC counts not recorded._\n\n");
        }

        md.Append("---\nGenerated by CapacitySim ").Append(Markdown(ReportModel.GeneratorVersion)).Append(" from summary.json (schema version ").Append(s.SchemaVersion).Append(").\n");
        return md.ToString();
    }

    private static void Row(StringBuilder md, string term, string value) => md.Append("| ").Append(term).Append(" | ").Append(value).Append(" |\n");

    private static void AlertTable(StringBuilder md, string title, IReadOnlyDictionary<string, long> counts)
    {
        if (counts.Count == 0)
        {
            md.Append("_Alerts by ").Append(title).Append(": not recorded._\n\n");
            return;
        }

        md.Append("| ").Append(title).Append(" | Alerts |\n|---|---:|\n");
        foreach (var (key, value) in counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            md.Append("| ").Append(Markdown(key)).Append(" | ").Append(Count(value)).Append(" |\n");
        }

        md.Append('\n');
    }
}
