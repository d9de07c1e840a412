using System.Text;
using System.Text.Json;
using CapacitySim.Load.Results;

namespace CapacitySim.Reporting.Evidence;

/// <summary>The three files of the evidence report, by full path.</summary>
/// <param name="Html">The self-contained HTML report (<c>report.html</c>).</param>
/// <param name="Markdown">The Markdown report (<c>report.md</c>).</param>
/// <param name="JUnit">The JUnit XML with one test case per check (<c>junit.xml</c>).</param>
public sealed record EvidenceReportFiles(string Html, string Markdown, string JUnit);

/// <summary>
/// The SCT evidence report of a run: <c>report.html</c>, <c>report.md</c> and <c>junit.xml</c>, written into the run's
/// result folder from its summary. The run calls <see cref="WriteAll"/> at its end; <c>capacitysim report</c> calls
/// <see cref="Regenerate"/> on a folder that already holds a <c>summary.json</c>.
/// </summary>
public static class EvidenceReport
{
    /// <summary>The HTML report's file name.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>The Markdown report's file name.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>The JUnit XML's file name.</summary>
    public const string JUnitFileName = "junit.xml";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the three report files for <paramref name="summary"/> into <paramref name="folder"/> (created if missing) and returns their paths.</summary>
    public static EvidenceReportFiles WriteAll(RunSummary summary, string folder)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var model = new ReportModel(summary);
        Directory.CreateDirectory(folder);
        var files = new EvidenceReportFiles(
            Path.GetFullPath(Path.Combine(folder, HtmlFileName)),
            Path.GetFullPath(Path.Combine(folder, MarkdownFileName)),
            Path.GetFullPath(Path.Combine(folder, JUnitFileName)));
        File.WriteAllText(files.Html, HtmlReportWriter.Render(model), Utf8);
        File.WriteAllText(files.Markdown, MarkdownReportWriter.Render(model), Utf8);
        File.WriteAllText(files.JUnit, JUnitReportWriter.Render(model), Utf8);
        return files;
    }

    /// <summary>Reads <c>summary.json</c> from <paramref name="folder"/> and writes the report files beside it.</summary>
    /// <exception cref="EvidenceReportException">The folder or its summary is missing, or the summary is not valid.</exception>
    public static EvidenceReportFiles Regenerate(string folder) => WriteAll(ReadSummary(folder), folder);

    /// <summary>Reads <c>summary.json</c> from a result folder.</summary>
    /// <exception cref="EvidenceReportException">The folder or its summary is missing, or the summary is not valid.</exception>
    public static RunSummary ReadSummary(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new EvidenceReportException($"result folder '{folder}' not found.");
        }

        var path = Path.Combine(folder, RunSummaryJson.FileName);
        if (!File.Exists(path))
        {
            throw new EvidenceReportException($"{path} not found: a result folder holds the summary.json a run writes.");
        }

        try
        {
            using var file = File.OpenRead(path);
            return RunSummaryJson.Read(file);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
            throw new EvidenceReportException($"{path} is not a valid run summary{where}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new EvidenceReportException($"{path} could not be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new EvidenceReportException($"{path} could not be read: {ex.Message}", ex);
        }
    }
}

/// <summary>A result folder or summary the report cannot be written from; the message names the file.</summary>
public sealed class EvidenceReportException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public EvidenceReportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public EvidenceReportException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public EvidenceReportException()
    {
    }
}
