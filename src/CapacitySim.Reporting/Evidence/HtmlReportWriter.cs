using System.Text;
using CapacitySim.Load.Results;
using static CapacitySim.Reporting.Evidence.ReportText;

namespace CapacitySim.Reporting.Evidence;

/// <summary>
/// Writes <c>report.html</c>: one self-contained file (inline CSS, charts as inline SVG, no script, font or image
/// fetched from anywhere) that opens offline. The markup is also well-formed XML (XHTML syntax), so tools can parse it.
/// Every chart is a <c>figure.chart</c> with a <c>data-chart</c> id holding an <c>svg</c>; <c>body</c> carries
/// <c>data-chart-count</c>, the number of charts, so a checker can tell a missing chart from an absent one.
/// </summary>
internal static class HtmlReportWriter
{
    private const string Css = """
        :root { --ink: #1a202c; --muted: #4a5568; --line: #e2e8f0; --navy: #1f3a5f; --pass: #2f855a; --fail: #c53030; --warn: #c05621; --paper: #f7f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--paper); color: var(--ink); font: 14px/1.5 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
        header.cover { background: var(--navy); color: #fff; padding: 28px 48px 24px; }
        header.cover .kicker { text-transform: uppercase; letter-spacing: .12em; font-size: 12px; opacity: .8; margin: 0; }
        header.cover h1 { margin: 4px 0 6px; font-size: 28px; font-weight: 600; }
        header.cover .meta { margin: 0; opacity: .9; }
        main { max-width: 1120px; margin: 0 auto; padding: 8px 32px 48px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 18px 24px 20px; margin: 20px 0; }
        h2 { font-size: 19px; margin: 0 0 12px; color: var(--navy); border-bottom: 2px solid var(--line); padding-bottom: 6px; }
        h2 .num { color: var(--muted); font-weight: 400; margin-right: 8px; }
        h3 { font-size: 15px; margin: 18px 0 8px; color: var(--ink); }
        p.note { color: var(--muted); font-style: italic; margin: 6px 0; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 13px; }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #edf2f7; color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.fail td { background: #fff5f5; }
        code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 12.5px; background: #edf2f7; padding: 1px 5px; border-radius: 3px; }
        .pill { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 12px; font-weight: 700; color: #fff; }
        .pill.pass { background: var(--pass); } .pill.fail { background: var(--fail); } .pill.warn { background: var(--warn); } .pill.na { background: #718096; }
        .verdict { border-radius: 6px; padding: 14px 18px; font-size: 16px; font-weight: 600; margin: 4px 0 12px; border-left: 8px solid; }
        .verdict.met { background: #f0fff4; border-color: var(--pass); color: #22543d; }
        .verdict.not-met { background: #fff5f5; border-color: var(--fail); color: #742a2a; }
        .verdict.not-assessed { background: #fffaf0; border-color: var(--warn); color: #7b341e; }
        .tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; margin: 20px 0 0; }
        .tile { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; }
        .tile .label { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
        .tile .value { font-size: 22px; font-weight: 600; color: var(--navy); }
        .tile .value.bad { color: var(--fail); } .tile .value.good { color: var(--pass); }
        dl.env { display: grid; grid-template-columns: 200px 1fr 200px 1fr; gap: 4px 16px; margin: 0; }
        dl.env dt { color: var(--muted); } dl.env dd { margin: 0; font-weight: 500; word-break: break-word; }
        figure.chart { margin: 10px 0; padding: 8px; border: 1px solid var(--line); border-radius: 4px; background: #fff; overflow-x: auto; }
        figure.chart figcaption { color: var(--muted); font-size: 12.5px; padding: 4px 4px 0; }
        figure.chart svg { display: block; max-width: 100%; height: auto; }
        .grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
        .equation { font-size: 16px; margin: 8px 0; }
        .equation b { color: var(--navy); }
        svg text { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; fill: var(--ink); }
        svg text.tick { font-size: 11px; fill: #718096; } svg text.axis { font-size: 11px; fill: var(--muted); }
        svg text.label { font-size: 12px; } svg text.label-strong { font-size: 12px; font-weight: 700; }
        svg text.value { font-size: 11.5px; font-weight: 700; } svg text.value-small { font-size: 11px; }
        svg text.legend { font-size: 11.5px; fill: var(--muted); } svg text.cell { font-size: 11px; font-weight: 600; }
        svg text.trt-label { font-size: 12px; font-weight: 700; }
        footer { color: var(--muted); font-size: 12px; text-align: center; padding: 12px; }
        @media print { body { background: #fff; } section { break-inside: avoid; border: none; } }
        """;

    public static string Render(ReportModel model)
    {
        var charts = new List<Chart>();
        var body = new StringBuilder();
        var number = 0;
        string Heading(string title, string anchor) => $"<h2 id=\"{anchor}\"><span class=\"num\">{++number}</span>{Html(title)}</h2>";

        Environment(body, model, Heading("Scenario and environment", "environment"));
        ExitCriteriaSection(body, model, Heading("Testing issues and exit criteria", "exit-criteria"));
        ChecksSection(body, model, Heading("Checks", "checks"));
        PhasesSection(body, model, charts, Heading("Planned against executed", "phases"));
        ServiceLevelSection(body, model, charts, Heading("Service levels achieved", "service-levels"));
        LatencySection(body, model, charts, Heading("Latency distribution per category", "latency"));
        HeatmapSection(body, model, charts, Heading("Success rates by device model combination, region and SRV", "success-rates"));
        SrvSection(body, model, Heading("Service Reference Variants", "srvs"));
        AlertsSection(body, model, charts, Heading("Alerts", "alerts"));
        AccountingSection(body, model, charts, Heading("Accounting identity", "accounting"));

        var s = model.Summary;
        var html = new StringBuilder(body.Length + 16_384);
        html.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append("<meta name=\"generator\" content=\"CapacitySim ").Append(Html(ReportModel.GeneratorVersion)).Append("\"/>\n")
            .Append("<title>SCT evidence report: ").Append(Html(model.Scenario)).Append("</title>\n<style>\n").Append(Css).Append("\n</style>\n</head>\n")
            .Append("<body data-chart-count=\"").Append(charts.Count).Append("\" data-verdict=\"").Append(VerdictId(model.ExitCriteria.Verdict)).Append("\">\n")
            .Append("<header class=\"cover\"><p class=\"kicker\">System Capacity Testing \u00b7 evidence report</p>")
            .Append("<h1>").Append(Html(model.Scenario)).Append("</h1>")
            .Append("<p class=\"meta\">Measured ").Append(Html(Timestamp(s.StartedAt))).Append(" to ").Append(Html(Timestamp(s.EndedAt)))
            .Append(" (").Append(Html(Span(model.Window))).Append(" wall clock, time compression \u00d7").Append(Html(Number(s.Compression))).Append(")</p></header>\n<main>\n");
        Tiles(html, model);
        html.Append(body).Append("</main>\n<footer>Generated by CapacitySim ").Append(Html(ReportModel.GeneratorVersion))
            .Append(" from <code>summary.json</code> (schema version ").Append(s.SchemaVersion)
            .Append("). Latencies are milliseconds of scenario time; corrected latency runs from the intended send time.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string VerdictId(ExitVerdict verdict) => verdict switch
    {
        ExitVerdict.Met => "met",
        ExitVerdict.NotMet => "not-met",
        _ => "not-assessed",
    };

    private static void Tiles(StringBuilder html, ReportModel model)
    {
        var passed = model.Checks.Count(c => c.Passed);
        var open = model.ExitCriteria.OpenIssues.Sum();
        html.Append("<div class=\"tiles\">");
        Tile(html, "Exit criteria", model.ExitCriteria.Verdict switch { ExitVerdict.Met => "MET", ExitVerdict.NotMet => "NOT MET", _ => "NOT ASSESSED" }, model.ExitCriteria.Verdict == ExitVerdict.Met ? "good" : "bad");
        Tile(html, "Checks passed", model.Checks.Count == 0 ? "none" : $"{passed} / {model.Checks.Count}", passed == model.Checks.Count && model.Checks.Count > 0 ? "good" : "bad");
        Tile(html, "Open issues", Count(open), open == 0 ? "good" : "bad");
        Tile(html, "Requests sent", Count(model.Counts.Sent), null);
        Tile(html, "Success share", model.SuccessShare is { } share ? Percent(share) : "n/a", null);
        Tile(html, "Alerts received", Count(model.Alerts.Received), null);
        html.Append("</div>\n");
    }

    private static void Tile(StringBuilder html, string label, string value, string? state)
        => html.Append("<div class=\"tile\"><div class=\"label\">").Append(Html(label)).Append("</div><div class=\"value")
            .Append(state is null ? string.Empty : " " + state).Append("\">").Append(Html(value)).Append("</div></div>");

    private static void Environment(StringBuilder html, ReportModel model, string heading)
    {
        var s = model.Summary;
        var e = model.Environment;
        html.Append("<section>").Append(heading).Append("<dl class=\"env\">");
        Term(html, "Scenario", model.Scenario);
        Term(html, "Scenario file", s.ScenarioFile ?? "not recorded");
        Term(html, "Measured from", Timestamp(s.StartedAt));
        Term(html, "Measured to", Timestamp(s.EndedAt));
        Term(html, "Wall-clock window", Span(model.Window));
        Term(html, "Scenario time", Span(model.Window * (s.Compression > 0 ? s.Compression : 1)));
        Term(html, "Time compression", "\u00d7" + Number(s.Compression) + (s.Compression == 1 ? " (real time)" : string.Empty));
        Term(html, "Seed", s.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (e is not null)
        {
            Term(html, "Target", e.Target);
            Term(html, "Signing", e.Signing ? "requests signed (XMLDSig, ECDSA P-256)" : "requests not signed");
            Term(html, "Tool version", "CapacitySim " + e.ToolVersion);
            Term(html, "Runtime", e.Runtime);
            Term(html, "Operating system", e.Os);
            Term(html, "Machine", $"{e.Machine}, {e.ProcessorCount} logical processors");
            Term(html, "Estate", Count(e.Devices) + " devices");
            Term(html, "Connections", Count(e.Connections));
            Term(html, "Warm-up discarded", Milliseconds(e.WarmUpSeconds * 1000) + " of scenario time");
            if (e.PerformanceLevels is not null)
            {
                Term(html, "Performance levels", e.PerformanceLevels);
            }

            if (ReportModel.TimeoutsText(e) is { } timeouts)
            {
                Term(html, "Response time-outs", timeouts);
            }
        }

        html.Append("</dl>");
        if (e is null)
        {
            html.Append("<p class=\"note\">Environment not recorded in this summary (tool version, runtime, machine, target and signing are unknown).</p>");
        }

        html.Append("</section>\n");
    }

    private static void Term(StringBuilder html, string term, string? value)
        => html.Append("<dt>").Append(Html(term)).Append("</dt><dd>").Append(Html(value)).Append("</dd>");

    private static void ExitCriteriaSection(StringBuilder html, ReportModel model, string heading)
    {
        var exit = model.ExitCriteria;
        html.Append("<section>").Append(heading)
            .Append("<div class=\"verdict ").Append(VerdictId(exit.Verdict)).Append("\" id=\"verdict\">").Append(Html(exit.Statement)).Append("</div>")
            .Append("<p>Every failed check raises one testing issue of the check's severity (1 highest, 5 lowest). The SCT exit criteria allow at most 0, 0, 15, 30 and 60 open issues of severities 1 to 5.</p>")
            .Append("<table class=\"severities\"><thead><tr><th>Severity</th><th class=\"num\">Open issues</th><th class=\"num\">Allowed</th><th>Within threshold</th></tr></thead><tbody>");
        for (var i = 0; i < 5; i++)
        {
            var ok = exit.OpenIssues[i] <= exit.Thresholds[i];
            html.Append("<tr").Append(ok ? string.Empty : " class=\"fail\"").Append("><td>Severity ").Append(i + 1).Append(i == 0 ? " (highest)" : i == 4 ? " (lowest)" : string.Empty)
                .Append("</td><td class=\"num\">").Append(exit.OpenIssues[i]).Append("</td><td class=\"num\">").Append(exit.Thresholds[i])
                .Append("</td><td>").Append(ok ? "<span class=\"pill pass\">yes</span>" : "<span class=\"pill fail\">no</span>").Append("</td></tr>");
        }

        html.Append("</tbody></table><h3>Testing issues raised</h3>");
        var issues = model.Issues.ToList();
        if (issues.Count == 0)
        {
            html.Append(model.Checks.Count == 0 ? "<p class=\"note\">No checks recorded, so no issue can be raised.</p>" : "<p class=\"note\">None: every check passed.</p>");
        }
        else
        {
            html.Append("<table class=\"issues\"><thead><tr><th>Issue</th><th>Severity</th><th>Check</th><th class=\"num\">Measured</th><th class=\"num\">Threshold</th><th>Scenario line</th></tr></thead><tbody>");
            for (var i = 0; i < issues.Count; i++)
            {
                var c = issues[i];
                html.Append("<tr class=\"fail\"><td>TI-").Append((i + 1).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append("</td><td>")
                    .Append(ExitCriteria.SeverityOf(c)).Append("</td><td><code>").Append(Html(c.Check)).Append("</code></td><td class=\"num\">")
                    .Append(Html(c.MeasuredText)).Append("</td><td class=\"num\">").Append(Html(Threshold(c))).Append("</td><td>")
                    .Append(c.Line > 0 ? $"{c.Line}:{c.Column}" : "\u2013").Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section>\n");
    }

    private static void ChecksSection(StringBuilder html, ReportModel model, string heading)
    {
        html.Append("<section>").Append(heading);
        if (model.Checks.Count == 0)
        {
            html.Append("<p class=\"note\">Checks not recorded: the summary holds no check outcomes.</p></section>\n");
            return;
        }

        html.Append("<table class=\"checks\"><thead><tr><th>#</th><th>Check</th><th>Result</th><th class=\"num\">Measured</th><th class=\"num\">Threshold</th><th class=\"num\">Severity if failed</th><th>Line</th></tr></thead><tbody>");
        for (var i = 0; i < model.Checks.Count; i++)
        {
            var c = model.Checks[i];
            html.Append(c.Passed ? "<tr>" : "<tr class=\"fail\">").Append("<td>").Append(i + 1).Append("</td><td><code>").Append(Html(c.Check)).Append("</code></td><td>")
                .Append(c.Passed ? "<span class=\"pill pass\">PASS</span>" : "<span class=\"pill fail\">FAIL</span>")
                .Append("</td><td class=\"num\">").Append(Html(c.MeasuredText)).Append("</td><td class=\"num\">").Append(Html(Threshold(c)))
                .Append("</td><td class=\"num\">").Append(ExitCriteria.SeverityOf(c)).Append("</td><td>").Append(c.Line > 0 ? $"{c.Line}:{c.Column}" : "\u2013").Append("</td></tr>");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void PhasesSection(StringBuilder html, ReportModel model, List<Chart> charts, string heading)
    {
        html.Append("<section>").Append(heading);
        var c = model.Counts;
        html.Append("<p>Run totals: ").Append(Count(c.Sent)).Append(" requests sent, ").Append(Count(c.Dropped)).Append(" arrivals dropped, ")
            .Append(Count(c.Late)).Append(" sent late")
            .Append(model.SendRate is { } rate ? $"; mean send rate {Html(Rate(rate))} of scenario time" : string.Empty).Append(".</p>");
        if (model.Phases.Count == 0)
        {
            html.Append("<p class=\"note\">Phases not recorded: the summary holds no planned-against-executed figures per phase.</p></section>\n");
            return;
        }

        Figure(html, charts, Charts.Phases(model.Phases));
        html.Append("<table class=\"phases\"><thead><tr><th>#</th><th>Phase</th><th>Shape</th><th class=\"num\">From</th><th class=\"num\">To</th><th class=\"num\">Scheduled</th><th class=\"num\">Sent</th><th class=\"num\">Dropped</th><th class=\"num\">Late</th><th class=\"num\">Target rate</th><th class=\"num\">Achieved rate</th></tr></thead><tbody>");
        foreach (var p in model.Phases)
        {
            var shortfall = p.Dropped > 0 || (p.TargetRate > 0 && p.AchievedRate < p.TargetRate * 0.98);
            html.Append(shortfall ? "<tr class=\"fail\">" : "<tr>").Append("<td>").Append(p.Index).Append("</td><td>").Append(Html(p.Name)).Append("</td><td>").Append(Html(p.Kind))
                .Append("</td><td class=\"num\">").Append(Html(Span(TimeSpan.FromSeconds(p.StartSeconds)))).Append("</td><td class=\"num\">").Append(Html(Span(TimeSpan.FromSeconds(p.EndSeconds))))
                .Append("</td><td class=\"num\">").Append(Count(p.Scheduled)).Append("</td><td class=\"num\">").Append(Count(p.Sent))
                .Append("</td><td class=\"num\">").Append(Count(p.Dropped)).Append("</td><td class=\"num\">").Append(Count(p.Late))
                .Append("</td><td class=\"num\">").Append(Html(Rate(p.TargetRate))).Append("</td><td class=\"num\">").Append(Html(Rate(p.AchievedRate))).Append("</td></tr>");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void ServiceLevelSection(StringBuilder html, ReportModel model, List<Chart> charts, string heading)
    {
        html.Append("<section>").Append(heading);
        var judged = model.Categories.Where(c => c.WithinTrt is not null).ToList();
        if (judged.Count == 0)
        {
            html.Append("<p class=\"note\">No category recorded a share within TRT (no TRT configured, or no latencies).</p>");
        }
        else
        {
            Figure(html, charts, Charts.ServiceLevels(judged));
        }

        html.Append("<table class=\"service-levels\"><thead><tr><th>Category</th><th class=\"num\">TRT</th><th class=\"num\">Latencies</th><th class=\"num\">Within TRT</th><th class=\"num\">Target</th><th class=\"num\">Minimum</th><th>Service level</th></tr></thead><tbody>");
        foreach (var c in model.Categories)
        {
            var (label, pill) = ServiceLevelState(c);
            html.Append("<tr><td>").Append(Html(c.Name)).Append("</td><td class=\"num\">").Append(Html(Milliseconds(c.TrtMs))).Append("</td><td class=\"num\">").Append(Count(c.Count))
                .Append("</td><td class=\"num\">").Append(Html(Percent(c.WithinTrt))).Append("</td><td class=\"num\">").Append(Html(Percent(c.ServiceLevelTarget)))
                .Append("</td><td class=\"num\">").Append(Html(Percent(c.ServiceLevelMinimum))).Append("</td><td><span class=\"pill ").Append(pill).Append("\">").Append(Html(label)).Append("</span></td></tr>");
        }

        html.Append("</tbody></table></section>\n");
    }

    internal static (string Label, string Pill) ServiceLevelState(CategorySummary c)
        => c.WithinTrt switch
        {
            null => ("not measured", "na"),
            { } s when c.ServiceLevelMinimum is { } min && s < min => ("below minimum", "fail"),
            { } s when c.ServiceLevelTarget is { } target && s < target => ("below target", "warn"),
            _ when c.ServiceLevelTarget is null && c.ServiceLevelMinimum is null => ("no service level", "na"),
            _ => ("target met", "pass"),
        };

    private static void LatencySection(StringBuilder html, ReportModel model, List<Chart> charts, string heading)
    {
        html.Append("<section>").Append(heading)
            .Append("<p>Percentiles per category, corrected (from the intended send time, so waits caused by the sender falling behind are counted) and uncorrected (from the actual send), on a logarithmic scale; the red dashed line is the category's Target Response Time.</p>");
        var recorded = model.Categories.Where(c => c.Count > 0).ToList();
        if (recorded.Count == 0)
        {
            html.Append("<p class=\"note\">No latencies recorded.</p>");
        }
        else
        {
            html.Append("<div class=\"grid2\">");
            foreach (var c in recorded)
            {
                Figure(html, charts, Charts.Latency(c, model.ChartId(c)));
            }

            html.Append("</div>");
        }

        var empty = model.Categories.Where(c => c.Count == 0).Select(c => c.Name).ToList();
        if (empty.Count > 0)
        {
            html.Append("<p class=\"note\">No latencies recorded for: ").Append(Html(string.Join(", ", empty))).Append(".</p>");
        }

        html.Append("<table class=\"latency\"><thead><tr><th>Category</th><th class=\"num\">TRT</th><th class=\"num\">p50</th><th class=\"num\">p90</th><th class=\"num\">p99</th><th class=\"num\">p99.9</th><th class=\"num\">max</th><th class=\"num\">p99 uncorrected</th></tr></thead><tbody>");
        foreach (var c in recorded)
        {
            html.Append("<tr><td>").Append(Html(c.Name)).Append("</td><td class=\"num\">").Append(Html(Milliseconds(c.TrtMs)));
            foreach (var v in new[] { c.Corrected.P50, c.Corrected.P90, c.Corrected.P99, c.Corrected.P999, c.Corrected.Max, c.Uncorrected.P99 })
            {
                html.Append("</td><td class=\"num\">").Append(Html(Milliseconds(v)));
            }

            html.Append("</td></tr>");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void HeatmapSection(StringBuilder html, ReportModel model, List<Chart> charts, string heading)
    {
        html.Append("<section>").Append(heading);
        if (model.Breakdown.Count == 0)
        {
            html.Append("<p class=\"note\">Breakdown not recorded: the summary holds no final responses per SRV, device model combination and region, so no heatmap can be drawn.</p></section>\n");
            return;
        }

        html.Append("<p>Each cell is the share of final responses with an I (success) code; the last row and column are the totals per SRV and per row.</p>");
        Figure(html, charts, Charts.Heatmap(model.HeatmapBy(b => b.Dmc), "heatmap-dmc-srv", "DMC", ReportModel.DmcLabel));
        Figure(html, charts, Charts.Heatmap(model.HeatmapBy(b => b.Region), "heatmap-region-srv", "region", ReportModel.RegionLabel));
        html.Append("</section>\n");
    }

    private static void SrvSection(StringBuilder html, ReportModel model, string heading)
    {
        html.Append("<section>").Append(heading);
        if (model.Srvs.Count == 0)
        {
            html.Append("<p class=\"note\">No Service Reference Variant recorded.</p></section>\n");
            return;
        }

        html.Append("<table class=\"srvs\"><thead><tr><th>SRV</th><th>Category</th><th class=\"num\">Responses</th><th class=\"num\">Within TRT</th><th class=\"num\">p50</th><th class=\"num\">p99</th><th class=\"num\">max</th><th>Responses by code</th></tr></thead><tbody>");
        foreach (var s in model.Srvs.OrderBy(s => s.Srv, Comparer<string>.Create(CompareSrv)).ThenBy(s => s.Category, StringComparer.Ordinal))
        {
            html.Append("<tr><td>").Append(Html(s.Srv)).Append("</td><td>").Append(Html(s.Category)).Append("</td><td class=\"num\">").Append(Count(s.Count))
                .Append("</td><td class=\"num\">").Append(Html(Percent(s.WithinTrt))).Append("</td><td class=\"num\">").Append(Html(Milliseconds(s.Corrected.P50)))
                .Append("</td><td class=\"num\">").Append(Html(Milliseconds(s.Corrected.P99))).Append("</td><td class=\"num\">").Append(Html(Milliseconds(s.Corrected.Max)))
                .Append("</td><td>").Append(Html(Codes(s.ResponsesByCode))).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        if (model.Counts.ResponsesByCode.Count > 0)
        {
            html.Append("<p>All final responses by code: ").Append(Html(Codes(model.Counts.ResponsesByCode))).Append(".</p>");
        }

        html.Append("</section>\n");
    }

    internal static string Codes(IReadOnlyDictionary<string, long> counts)
        => counts.Count == 0 ? "\u2013" : string.Join(", ", counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {Count(kv.Value)}"));

    private static void AlertsSection(StringBuilder html, ReportModel model, List<Chart> charts, string heading)
    {
        var a = model.Alerts;
        html.Append("<section>").Append(heading).Append("<p>").Append(Count(a.Received)).Append(" alerts received; ")
            .Append(Count(a.Throttled)).Append(" carried a throttled-alert count, reporting ").Append(Count(a.Suppressed))
            .Append(" repeats suppressed by the DCC's alert storm protection.</p>");
        if (a.Received == 0 && a.ByCode.Count == 0)
        {
            html.Append("<p class=\"note\">No alerts received.</p></section>\n");
            return;
        }

        html.Append("<div class=\"grid2\">");
        AlertBreakdown(html, charts, "alerts-by-code", "Alerts by code", a.ByCode, Charts.Blue);
        AlertBreakdown(html, charts, "alerts-by-region", "Alerts by region", a.ByRegion, Charts.Navy);
        AlertBreakdown(html, charts, "alerts-by-dmc", "Alerts by device model combination", a.ByDmc, Charts.Blue);
        html.Append("</div></section>\n");
    }

    private static void AlertBreakdown(StringBuilder html, List<Chart> charts, string id, string title, IReadOnlyDictionary<string, long> counts, string colour)
    {
        if (counts.Count == 0)
        {
            html.Append("<div><h3>").Append(Html(title)).Append("</h3><p class=\"note\">").Append(Html(title)).Append(": not recorded in this summary.</p></div>");
            return;
        }

        html.Append("<div><h3>").Append(Html(title)).Append("</h3>");
        Figure(html, charts, Charts.Bars(id, title, counts, colour));
        html.Append("</div>");
    }

    private static void AccountingSection(StringBuilder html, ReportModel model, List<Chart> charts, string heading)
    {
        var a = model.Accounting;
        var c = model.Counts;
        html.Append("<section>").Append(heading)
            .Append("<p class=\"equation\"><b>sent</b> = <b>responded</b> + <b>errors</b> + <b>timed out</b> + <b>in flight</b></p>")
            .Append("<p class=\"equation\" id=\"identity\">").Append(Count(a.Sent)).Append(" = ").Append(Count(a.Answered)).Append(" + ").Append(Count(a.Errors))
            .Append(" + ").Append(Count(a.TimedOut)).Append(" + ").Append(Count(a.InFlight)).Append(" = ").Append(Count(a.Accounted)).Append(" &#160; ")
            .Append(a.Balances ? "<span class=\"pill pass\">BALANCES</span>" : $"<span class=\"pill fail\">DOES NOT BALANCE: {(a.Difference > 0 ? "missing" : "excess")} {Count(Math.Abs(a.Difference))}</span>")
            .Append("</p><p class=\"note\">Responded counts final responses without an E code (").Append(Count(c.Responded)).Append(" final responses less ").Append(Count(c.Errors))
            .Append(" errors). Outside the identity: ").Append(Count(c.Abandoned)).Append(" withdrawn before leaving, ").Append(Count(c.RespondedAfterTimeOut))
            .Append(" responses after their time-out, ").Append(Count(c.Unknown)).Append(" unknown, ").Append(Count(c.Duplicates)).Append(" duplicates, ")
            .Append(Count(c.Dropped)).Append(" arrivals dropped before sending.</p>");
        Figure(html, charts, Charts.Accounting(a));
        html.Append("<h3>Reconciliation with the DCC</h3>");
        if (model.Dcc is not { } dcc)
        {
            html.Append("<p class=\"note\">DCC counts not recorded (an external DCC, or a summary written before they were): the users' counts stand alone.</p></section>\n");
            return;
        }

        html.Append("<table class=\"dcc\"><thead><tr><th>Measure</th><th class=\"num\">Users' count</th><th class=\"num\">DCC's count</th><th class=\"num\">Difference</th></tr></thead><tbody>");
        foreach (var row in Reconciliation(model, dcc))
        {
            html.Append(row.MustMatch && row.Users != row.Dcc ? "<tr class=\"fail\">" : "<tr>").Append("<td>").Append(Html(row.Measure)).Append("</td><td class=\"num\">").Append(Count(row.Users))
                .Append("</td><td class=\"num\">").Append(Count(row.Dcc)).Append("</td><td class=\"num\">").Append(Count(row.Users - row.Dcc)).Append("</td></tr>");
        }

        html.Append("</tbody></table><p>DCC only: ").Append(Count(dcc.AlertsGenerated)).Append(" alerts generated, ").Append(Count(dcc.AlertsThrottled))
            .Append(" throttled, ").Append(Count(dcc.DeliveryRetries)).Append(" delivery retries, ").Append(Count(dcc.FailedQueue)).Append(" on the failed-delivery queue at the end; rejected by code: ")
            .Append(Html(Codes(dcc.RejectedByCode))).Append(".</p><p class=\"note\">Acknowledgements count device requests only, and asynchronous deliveries exclude synchronous answers, and device errors are not validation rejections, so those rows may differ by design; a difference in requests or alerts (highlighted) is a loss to investigate.</p></section>\n");
    }

    /// <summary>The users' counts beside the DCC's; <c>MustMatch</c> rows are a loss when they differ, the others may differ by design.</summary>
    internal static IReadOnlyList<(string Measure, long Users, long Dcc, bool MustMatch)> Reconciliation(ReportModel model, DccCounts dcc) =>
        [
            ("Requests sent / received", model.Counts.Sent, dcc.Received, true),
            ("Acknowledged (I99) / accepted", model.Counts.Acknowledged, dcc.Accepted, false),
            ("Error responses / rejected at validation", model.Counts.Errors, dcc.RejectedByCode.Values.Sum(), false),
            ("Final responses received / delivered", model.Counts.Responded, dcc.ResponsesDelivered, false),
            ("In flight at the end", model.Counts.InFlightAtEnd, dcc.InFlight, false),
            ("Alerts received / delivered", model.Alerts.Received, dcc.AlertsDelivered, true),
        ];

    private static void Figure(StringBuilder html, List<Chart> charts, Chart chart)
    {
        charts.Add(chart);
        html.Append("<figure class=\"chart\" data-chart=\"").Append(Html(chart.Id)).Append("\">").Append(chart.Svg)
            .Append("<figcaption>").Append(Html(chart.Caption)).Append("</figcaption></figure>");
    }
}
