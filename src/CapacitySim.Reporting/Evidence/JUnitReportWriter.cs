using System.Globalization;
using System.Text;
using System.Xml;
using static CapacitySim.Reporting.Evidence.ReportText;

namespace CapacitySim.Reporting.Evidence;

/// <summary>
/// Writes <c>junit.xml</c>: one <c>testsuite</c> named after the scenario with one <c>testcase</c> per check, a failed
/// check carrying a <c>failure</c> with its measured value and threshold, in the JUnit XML CI systems read (Jenkins,
/// GitLab, GitHub test reporters).
/// </summary>
internal static class JUnitReportWriter
{
    public static string Render(ReportModel model)
    {
        var s = model.Summary;
        var failures = model.Checks.Count(c => !c.Passed);
        var seconds = Math.Max(0, model.Window.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture);
        var suite = XmlSafe(model.Scenario);
        var output = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = new UTF8Encoding(false) };
        using (var stringWriter = new Utf8StringWriter(output))
        using (var xml = XmlWriter.Create(stringWriter, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "CapacitySim SCT checks");
            xml.WriteAttributeString("tests", Int(model.Checks.Count));
            xml.WriteAttributeString("failures", Int(failures));
            xml.WriteAttributeString("errors", "0");
            xml.WriteAttributeString("time", seconds);

            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", suite);
            xml.WriteAttributeString("tests", Int(model.Checks.Count));
            xml.WriteAttributeString("failures", Int(failures));
            xml.WriteAttributeString("errors", "0");
            xml.WriteAttributeString("skipped", "0");
            xml.WriteAttributeString("time", seconds);
            xml.WriteAttributeString("timestamp", s.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("hostname", XmlSafe(model.Environment?.Machine ?? "unknown"));

            xml.WriteStartElement("properties");
            Property(xml, "scenarioFile", s.ScenarioFile ?? string.Empty);
            Property(xml, "compression", Number(s.Compression));
            Property(xml, "seed", s.Seed.ToString(CultureInfo.InvariantCulture));
            Property(xml, "exitCriteria", model.ExitCriteria.Verdict.ToString());
            if (model.Environment is { } e)
            {
                Property(xml, "toolVersion", e.ToolVersion);
                Property(xml, "runtime", e.Runtime);
                Property(xml, "target", e.Target);
                Property(xml, "signing", e.Signing ? "true" : "false");
            }

            xml.WriteEndElement();

            var className = "capacitysim." + (Slug(model.Scenario) is { Length: > 0 } slug ? slug : "scenario");
            foreach (var check in model.Checks)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("name", XmlSafe(check.Check));
                xml.WriteAttributeString("classname", className);
                xml.WriteAttributeString("time", "0");
                if (check.Line > 0)
                {
                    xml.WriteAttributeString("line", Int(check.Line));
                }

                if (!check.Passed)
                {
                    var severity = ExitCriteria.SeverityOf(check);
                    var measured = check.Measured is { } m ? Number(m) : "nothing measured";
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", XmlSafe($"measured {check.MeasuredText} ({measured}) against threshold {Threshold(check)} ({Number(check.Threshold)}): severity {severity} testing issue"));
                    xml.WriteAttributeString("type", $"severity-{severity}");
                    xml.WriteString(XmlSafe(
                        $"Check: {check.Check}\nMeasured: {check.MeasuredText} (value {measured})\nThreshold: {Threshold(check)} (value {Number(check.Threshold)})\nSeverity: {severity}\n"
                        + (check.Line > 0 ? $"Scenario line: {check.Line}:{check.Column}\n" : string.Empty)));
                    xml.WriteEndElement();
                }
                else
                {
                    xml.WriteElementString("system-out", XmlSafe($"measured {check.MeasuredText} against threshold {Threshold(check)}"));
                }

                xml.WriteEndElement();
            }

            xml.WriteElementString("system-out", XmlSafe(model.ExitCriteria.Statement));
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return output.Append('\n').ToString();
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", XmlSafe(value));
        xml.WriteEndElement();
    }

    /// <summary>A string writer that declares UTF-8, so the XML declaration matches the file's encoding.</summary>
    private sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
