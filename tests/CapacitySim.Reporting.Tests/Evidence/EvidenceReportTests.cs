using System.Text;
using System.Xml;
using System.Xml.Linq;
using CapacitySim.Load.Results;
using CapacitySim.Reporting.Evidence;

namespace CapacitySim.Reporting.Tests.Evidence;

public sealed class EvidenceReportTests : IDisposable
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace SvgNs = "http://www.w3.org/2000/svg";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "capacitysim-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was written.
        }
    }

    [Fact]
    public void The_fixture_is_the_sample_summary_as_written()
    {
        using var written = new MemoryStream();
        RunSummaryJson.Write(SampleRun.Summary(), written);
        var expected = Encoding.UTF8.GetString(written.ToArray());
        if (Environment.GetEnvironmentVariable("CAPACITYSIM_UPDATE_FIXTURES") == "1")
        {
            File.WriteAllText(SampleRun.FixturePath, expected);
        }

        Assert.True(
            expected == File.ReadAllText(SampleRun.FixturePath),
            $"{SampleRun.FixturePath} differs from SampleRun.Summary(); rerun with CAPACITYSIM_UPDATE_FIXTURES=1 to rewrite it.");
    }

    [Fact]
    public void Regenerate_reads_the_fixture_and_writes_the_three_files_into_the_folder()
    {
        Directory.CreateDirectory(_folder);
        File.Copy(SampleRun.FixturePath, Path.Combine(_folder, RunSummaryJson.FileName));

        var files = EvidenceReport.Regenerate(_folder);

        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "report.html"), files.Html);
        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "report.md"), files.Markdown);
        Assert.Equal(Path.Combine(Path.GetFullPath(_folder), "junit.xml"), files.JUnit);
        Assert.Equal(File.ReadAllText(files.Html), File.ReadAllText(EvidenceReport.WriteAll(SampleRun.Summary(), _folder).Html));
    }

    [Fact]
    public void Junit_has_one_testcase_per_check_and_the_failed_one_carries_its_measured_value_and_threshold()
    {
        var summary = SampleRun.Summary();
        var junit = XDocument.Load(EvidenceReport.WriteAll(summary, _folder).JUnit);

        var suites = junit.Root!;
        Assert.Equal("testsuites", suites.Name.LocalName);
        var suite = Assert.Single(suites.Elements("testsuite"));
        Assert.Equal(summary.Scenario, (string?)suite.Attribute("name"));
        Assert.Equal("7", (string?)suite.Attribute("tests"));
        Assert.Equal("1", (string?)suite.Attribute("failures"));
        Assert.Equal("1800", (string?)suite.Attribute("time"));
        var cases = suite.Elements("testcase").ToList();
        Assert.Equal(summary.Checks.Select(c => c.Check), cases.Select(c => (string?)c.Attribute("name")));

        var failed = Assert.Single(cases, c => c.Element("failure") is not null);
        Assert.Equal("within_trt(smets1_on_demand_esme_chf) >= 96%", (string?)failed.Attribute("name"));
        var failure = failed.Element("failure")!;
        Assert.Equal("measured 95.73% (0.9573) against threshold 96% (0.96): severity 3 testing issue", (string?)failure.Attribute("message"));
        Assert.Equal("severity-3", (string?)failure.Attribute("type"));
        Assert.Contains("Measured: 95.73% (value 0.9573)", failure.Value, StringComparison.Ordinal);
        Assert.Contains("Scenario line: 63:5", failure.Value, StringComparison.Ordinal);
        Assert.All(cases.Where(c => c != failed), c => Assert.Null(c.Element("failure")));
    }

    [Fact]
    public void Html_is_well_formed_self_contained_and_every_chart_holds_a_drawing()
    {
        var summary = SampleRun.Summary();
        var html = File.ReadAllText(EvidenceReport.WriteAll(summary, _folder).Html);
        var document = ParseXhtml(html);

        var body = document.Root!.Element(Xhtml + "body")!;
        var charts = document.Descendants(Xhtml + "figure").Where(f => (string?)f.Attribute("class") == "chart").ToList();
        Assert.Equal(charts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)body.Attribute("data-chart-count"));
        Assert.All(charts, chart =>
        {
            var svg = Assert.Single(chart.Elements(SvgNs + "svg"));
            Assert.True(svg.Elements().Count() > 5, $"chart {chart.Attribute("data-chart")} is empty");
        });
        var ids = charts.Select(c => (string)c.Attribute("data-chart")!).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);

        // One latency chart per category with latencies (dcc_scheduled has none), plus phases, service levels, two
        // heatmaps, three alert breakdowns and the accounting identity.
        string[] expected =
            [
                "phases", "service-levels",
                "latency-transform", "latency-non-device", "latency-on-demand-esme-chf", "latency-on-demand-gsme-gpf", "latency-future-dated-esme-chf",
                "latency-smets1-on-demand-esme-chf", "latency-device-alert", "latency-dcc-alert",
                "heatmap-dmc-srv", "heatmap-region-srv", "alerts-by-code", "alerts-by-region", "alerts-by-dmc", "accounting",
            ];
        Assert.Equal(expected, ids);
        Assert.Contains("No latencies recorded for: dcc_scheduled.", html, StringComparison.Ordinal);

        // Offline: no script, no external stylesheet, font or image.
        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName is "script" or "link" or "img" or "iframe");
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain(document.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href");
    }

    [Fact]
    public void Each_latency_chart_draws_its_categorys_trt_as_a_line_above_the_points_within_it()
    {
        var summary = SampleRun.Summary();
        var document = ParseXhtml(File.ReadAllText(EvidenceReport.WriteAll(summary, _folder).Html));

        foreach (var category in summary.Categories.Where(c => c.Count > 0))
        {
            var id = "latency-" + category.Name.Replace('_', '-');
            var chart = Assert.Single(document.Descendants(Xhtml + "figure"), f => (string?)f.Attribute("data-chart") == id);
            var trt = Assert.Single(chart.Descendants(SvgNs + "line"), l => (string?)l.Attribute("class") == "trt-line");
            Assert.Equal(category.TrtMs!.Value, double.Parse((string)trt.Attribute("data-trt-ms")!, System.Globalization.CultureInfo.InvariantCulture));

            // SVG y grows downwards: a corrected percentile over the TRT is drawn above the line, and in red.
            var trtY = double.Parse((string)trt.Attribute("y1")!, System.Globalization.CultureInfo.InvariantCulture);
            var points = chart.Descendants(SvgNs + "circle").Where(c => ((string?)c.Element(SvgNs + "title"))?.StartsWith("corrected", StringComparison.Ordinal) == true).ToList();
            double[] values = [category.Corrected.P50, category.Corrected.P90, category.Corrected.P99, category.Corrected.P999, category.Corrected.Max];
            Assert.Equal(5, points.Count);
            for (var i = 0; i < 5; i++)
            {
                var y = double.Parse((string)points[i].Attribute("cy")!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(values[i] > category.TrtMs, y < trtY);
                Assert.Equal(values[i] > category.TrtMs ? "#c53030" : "#1f3a5f", (string?)points[i].Attribute("fill"));
            }
        }
    }

    [Fact]
    public void One_severity_3_failure_meets_the_exit_criteria()
    {
        var html = File.ReadAllText(EvidenceReport.WriteAll(SampleRun.Summary(), _folder).Html);
        var body = ParseXhtml(html).Root!.Element(Xhtml + "body")!;

        Assert.Equal("met", (string?)body.Attribute("data-verdict"));
        Assert.Contains("Exit criteria MET: 1 testing issue open, within the threshold of every severity.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_severity_2_failure_fails_the_exit_criteria_in_every_file()
    {
        var sample = SampleRun.Summary();
        var summary = sample with
        {
            Checks = [.. sample.Checks, new CheckOutcome { Check = "p99(non_device) < 2s", Passed = false, Measured = 2_700, MeasuredText = "2.7 s", Threshold = 2_000, Severity = 2 }],
        };
        var files = EvidenceReport.WriteAll(summary, _folder);

        var html = File.ReadAllText(files.Html);
        Assert.Equal("not-met", (string?)ParseXhtml(html).Root!.Element(Xhtml + "body")!.Attribute("data-verdict"));
        const string statement = "Exit criteria NOT MET: 1 severity 2 testing issue open, at most 0 allowed.";
        Assert.Contains(statement, html, StringComparison.Ordinal);
        Assert.Contains("**" + statement + "**", File.ReadAllText(files.Markdown), StringComparison.Ordinal);
        var junit = XDocument.Load(files.JUnit);
        Assert.Equal("NotMet", junit.Descendants("property").Single(p => (string?)p.Attribute("name") == "exitCriteria").Attribute("value")!.Value);
        Assert.Equal("2", (string?)junit.Root!.Attribute("failures"));
    }

    [Theory]
    [InlineData(new[] { 3, 3, 3 }, ExitVerdict.Met, new[] { 0, 0, 3, 0, 0 })]
    [InlineData(new[] { 1 }, ExitVerdict.NotMet, new[] { 1, 0, 0, 0, 0 })]
    [InlineData(new[] { 2, 5 }, ExitVerdict.NotMet, new[] { 0, 1, 0, 0, 1 })]
    [InlineData(new[] { 9, 0 }, ExitVerdict.NotMet, new[] { 1, 0, 0, 0, 1 })]
    public void Failed_checks_raise_issues_of_their_severity(int[] severities, ExitVerdict verdict, int[] open)
    {
        var checks = severities.Select(s => new CheckOutcome { Check = "c", Passed = false, MeasuredText = "1", Severity = s }).Append(new CheckOutcome { Check = "ok", Passed = true, MeasuredText = "0", Severity = 1 }).ToList();

        var exit = ExitCriteria.Evaluate(checks);

        Assert.Equal(verdict, exit.Verdict);
        Assert.Equal(open, exit.OpenIssues);
        Assert.Equal(severities.Length + 1, exit.Checks);
    }

    [Theory]
    [InlineData(3, 15, ExitVerdict.Met)]
    [InlineData(3, 16, ExitVerdict.NotMet)]
    [InlineData(4, 30, ExitVerdict.Met)]
    [InlineData(4, 31, ExitVerdict.NotMet)]
    [InlineData(5, 60, ExitVerdict.Met)]
    [InlineData(5, 61, ExitVerdict.NotMet)]
    public void The_sct_thresholds_are_0_0_15_30_60_open_issues(int severity, int failures, ExitVerdict verdict)
    {
        var checks = Enumerable.Range(0, failures).Select(i => new CheckOutcome { Check = $"c{i}", Passed = false, MeasuredText = "1", Severity = severity }).ToList();

        Assert.Equal(verdict, ExitCriteria.Evaluate(checks).Verdict);
        Assert.Equal([0, 0, 15, 30, 60], ExitCriteria.SctThresholds);
    }

    [Fact]
    public void Markdown_has_the_checks_table_and_the_issue_raised()
    {
        var markdown = File.ReadAllText(EvidenceReport.WriteAll(SampleRun.Summary(), _folder).Markdown).ReplaceLineEndings("\n");

        Assert.Contains(
            """
            ## Checks

            | # | Check | Result | Measured | Threshold | Severity |
            |---:|---|---|---:|---:|---:|
            | 1 | p99(on\_demand\_esme\_chf) &lt; 30s | PASS | 27.4 s | 30 s | 2 |
            | 2 | within\_trt(on\_demand\_esme\_chf) &gt;= 99% | PASS | 99.42% | 99% | 2 |
            | 3 | within\_trt(smets1\_on\_demand\_esme\_chf) &gt;= 96% | **FAIL** | 95.73% | 96% | 3 |
            | 4 | errors &lt; 0.5% | PASS | 0.25% | 0.5% | 2 |
            | 5 | dropped &lt; 5000 | PASS | 3,500 | 5,000 | 4 |
            | 6 | throughput &gt;= 45/s | PASS | 48.3/s | 45/s | 2 |
            | 7 | p50(transform) &lt;= 2s | PASS | 640 ms | 2 s | 3 |
            """,
            markdown,
            StringComparison.Ordinal);
        Assert.Contains("| TI-01 | 3 | within\\_trt(smets1\\_on\\_demand\\_esme\\_chf) &gt;= 96% | 95.73% | 96% |", markdown, StringComparison.Ordinal);
        Assert.Contains("869,450 = 866,750 + 2,150 + 410 + 140: **balances**.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostile_scenario_name_is_text_in_every_file()
    {
        const string hostile = "<script>alert('x')</script> & \"q\" ]]> | *bold* \u0001 <!-- -->";
        var sample = SampleRun.Summary();
        var summary = sample with
        {
            Scenario = hostile,
            Checks = [.. sample.Checks, new CheckOutcome { Check = "<marquee>x</marquee> & y", Passed = false, MeasuredText = "<blink>1</blink>", Severity = 4 }],
            Alerts = sample.Alerts with { ByCode = new Dictionary<string, long> { ["<svg onload=alert(1)>"] = 3 } },
        };
        var files = EvidenceReport.WriteAll(summary, _folder);

        var html = File.ReadAllText(files.Html);
        var document = ParseXhtml(html);
        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName is "script" or "marquee" or "blink");
        Assert.Single(document.Descendants(SvgNs + "svg"), s => s.Parent?.Name.LocalName == "figure" && (string?)s.Parent.Attribute("data-chart") == "alerts-by-code");
        Assert.Equal(16, document.Descendants(SvgNs + "svg").Count());
        Assert.Equal("<script>alert('x')</script> & \"q\" ]]> | *bold* \uFFFD <!-- -->", document.Descendants(Xhtml + "h1").Single().Value);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; ]]&gt;", html, StringComparison.Ordinal);

        var junit = XDocument.Load(files.JUnit);
        Assert.Equal("<script>alert('x')</script> & \"q\" ]]> | *bold* \uFFFD <!-- -->", (string?)junit.Root!.Element("testsuite")!.Attribute("name"));

        var markdown = File.ReadAllText(files.Markdown);
        Assert.StartsWith("# SCT evidence report: &lt;script&gt;alert('x')&lt;/script&gt; &amp; \"q\" \\]\\]&gt; \\| \\*bold\\* \uFFFD &lt;\\!-- --&gt;\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| 8 | &lt;marquee&gt;x&lt;/marquee&gt; &amp; y | **FAIL** | &lt;blink&gt;1&lt;/blink&gt; |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_summary_without_the_newer_properties_says_what_was_not_recorded()
    {
        // The engine does not yet fill environment, phases, checks, breakdown, dcc or the alert breakdowns; a summary
        // read from JSON may even hold null where a list is promised.
        var json = File.ReadAllText(SampleRun.FixturePath);
        var stripped = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        stripped["environment"] = null;
        stripped["phases"] = null;
        stripped["checks"] = new System.Text.Json.Nodes.JsonArray();
        stripped["breakdown"] = null;
        stripped["dcc"] = null;
        stripped["alerts"]!["byRegion"] = null;
        stripped["alerts"]!["byDmc"] = new System.Text.Json.Nodes.JsonObject();
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, RunSummaryJson.FileName), stripped.ToJsonString());

        var files = EvidenceReport.Regenerate(_folder);

        var html = File.ReadAllText(files.Html);
        var document = ParseXhtml(html);
        Assert.Equal("not-assessed", (string?)document.Root!.Element(Xhtml + "body")!.Attribute("data-verdict"));
        foreach (var note in new[]
        {
            "Environment not recorded in this summary",
            "Phases not recorded",
            "Checks not recorded",
            "Breakdown not recorded",
            "Alerts by region: not recorded in this summary.",
            "Alerts by device model combination: not recorded in this summary.",
            "DCC counts not recorded",
            "Exit criteria NOT ASSESSED",
        })
        {
            Assert.Contains(note, html, StringComparison.Ordinal);
        }

        var ids = document.Descendants(Xhtml + "figure").Select(f => (string?)f.Attribute("data-chart")).ToList();
        Assert.DoesNotContain("phases", ids);
        Assert.DoesNotContain("heatmap-dmc-srv", ids);
        Assert.Contains("alerts-by-code", ids);
        Assert.Equal(ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)document.Root!.Element(Xhtml + "body")!.Attribute("data-chart-count"));
        Assert.Equal("0", (string?)XDocument.Load(files.JUnit).Root!.Attribute("tests"));
        Assert.Contains("_Phases not recorded._", File.ReadAllText(files.Markdown), StringComparison.Ordinal);
    }

    [Fact]
    public void The_accounting_identity_shows_its_terms_and_whether_it_balances_beside_the_dccs_counts()
    {
        var sample = SampleRun.Summary();
        var html = File.ReadAllText(EvidenceReport.WriteAll(sample, _folder).Html);
        var identity = ParseXhtml(html).Descendants(Xhtml + "p").Single(p => (string?)p.Attribute("id") == "identity");
        Assert.Equal("869,450 = 866,750 + 2,150 + 410 + 140 = 869,450 \u00a0 BALANCES", identity.Value);

        var lost = sample with { Counts = sample.Counts with { Sent = sample.Counts.Sent + 25 } };
        html = File.ReadAllText(EvidenceReport.WriteAll(lost, _folder).Html);
        var document = ParseXhtml(html);
        identity = document.Descendants(Xhtml + "p").Single(p => (string?)p.Attribute("id") == "identity");
        Assert.EndsWith("DOES NOT BALANCE: missing 25", identity.Value, StringComparison.Ordinal);

        // The users' 869,475 sent against the DCC's 869,450 received: a highlighted row.
        var row = document.Descendants(Xhtml + "table").Single(t => (string?)t.Attribute("class") == "dcc").Descendants(Xhtml + "tr")
            .Single(r => r.Value.StartsWith("Requests sent / received", StringComparison.Ordinal));
        Assert.Equal("fail", (string?)row.Attribute("class"));
        Assert.Equal(["Requests sent / received", "869,475", "869,450", "25"], row.Elements(Xhtml + "td").Select(td => td.Value));
    }

    [Fact]
    public void Reading_a_folder_without_a_valid_summary_names_the_file()
    {
        var missing = Path.Combine(_folder, "nowhere");
        Assert.Equal($"result folder '{missing}' not found.", Assert.Throws<EvidenceReportException>(() => EvidenceReport.ReadSummary(missing)).Message);

        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, RunSummaryJson.FileName);
        Assert.StartsWith($"{path} not found", Assert.Throws<EvidenceReportException>(() => EvidenceReport.Regenerate(_folder)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, "{ \"scenario\": \"x\",\n  \"counts\": [ }");
        var invalid = Assert.Throws<EvidenceReportException>(() => EvidenceReport.Regenerate(_folder));
        Assert.StartsWith($"{path} is not a valid run summary (line 2", invalid.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, EvidenceReport.HtmlFileName)));
    }

    /// <summary>Parses the report as XML: it is written in XHTML syntax, so any unbalanced or unescaped markup fails here.</summary>
    private static XDocument ParseXhtml(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }
}

public sealed class LatencyAxisTests
{
    [Theory]
    [InlineData(0.4, 3.2)]
    [InlineData(310, 7_900)]
    [InlineData(16_650, 118_000)]
    [InlineData(420, 60_000)]
    [InlineData(1_900, 3_600_000)]
    [InlineData(1, 1)]
    public void Latency_ticks_cover_the_values_and_read_as_whole_durations(double lowest, double highest)
    {
        var ticks = Charts.TimeTicks(lowest, highest);

        Assert.True(ticks[0] <= lowest, $"first tick {ticks[0]} above {lowest}");
        Assert.True(ticks[^1] >= highest, $"last tick {ticks[^1]} below {highest}");
        Assert.InRange(ticks.Length, 2, 9);
        Assert.Equal(ticks.Order(), ticks);
        Assert.All(ticks, t => Assert.Matches(@"^(0\.\d+|\d+) (ms|s|min|h)$", ReportText.Milliseconds(t)));
    }
}
