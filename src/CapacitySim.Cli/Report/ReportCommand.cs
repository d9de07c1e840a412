using System.CommandLine;
using CapacitySim.Reporting.Evidence;

namespace CapacitySim.Cli.Report;

/// <summary>
/// <c>capacitysim report RESULT_DIR</c>: regenerates the SCT evidence report (<c>report.html</c>, <c>report.md</c>,
/// <c>junit.xml</c>) from the folder's <c>summary.json</c>, for example after a fix to the report or to a summary
/// copied from another machine. Exit code 0 when written (whatever the verdict), 2 when the folder or summary is
/// missing or invalid.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var folder = new Argument<string>("RESULT_DIR")
        {
            Description = "Result folder of a run (holds summary.json); the report files are written into it.",
        };
        var command = new Command("report", "Regenerate the SCT evidence report (report.html, report.md, junit.xml) of a result folder from its summary.json.")
        {
            folder,
        };
        command.SetAction(parse => Run(parse.GetValue(folder)!, console));
        return command;
    }

    internal static int Run(string folder, CliConsole console)
    {
        var summary = Read(folder);
        var files = EvidenceReport.WriteAll(summary, folder);
        var exit = ExitCriteria.Evaluate(summary.Checks ?? []);
        console.Out.WriteLine($"wrote {files.Html}");
        console.Out.WriteLine($"wrote {files.Markdown}");
        console.Out.WriteLine($"wrote {files.JUnit}");
        console.Out.WriteLine(exit.Statement);
        return 0;
    }

    private static Load.Results.RunSummary Read(string folder)
    {
        try
        {
            return EvidenceReport.ReadSummary(folder);
        }
        catch (EvidenceReportException ex)
        {
            throw new CliException(ex.Message, ex);
        }
    }
}
