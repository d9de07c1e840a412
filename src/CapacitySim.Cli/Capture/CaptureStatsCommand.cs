using System.CommandLine;
using CapacitySim.Reporting.Capture;

namespace CapacitySim.Cli.Capture;

/// <summary><c>capacitysim capture-stats FILE</c>: summarises one traffic capture.</summary>
internal static class CaptureStatsCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("FILE") { Description = "Traffic capture written by a run's --capture." };
        var command = new Command("capture-stats", "Summarise a traffic capture: time span, messages by kind, SRV and response code, latency percentiles per SRV, bytes, dropped records.")
        {
            file,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, console));
        return command;
    }

    internal static int Run(string file, CliConsole console)
    {
        using var reader = CaptureFiles.Open(file);
        CaptureStatistics statistics;
        try
        {
            statistics = CaptureStatistics.Compute(reader);
        }
        catch (TrafficCaptureFormatException e)
        {
            throw new CliException(e.Message, e);
        }

        statistics.Write(console.Out, file);
        return 0;
    }
}

/// <summary>Opening a capture file with the CLI's errors.</summary>
internal static class CaptureFiles
{
    public static TrafficCaptureReader Open(string file)
    {
        try
        {
            return TrafficCaptureReader.Open(file);
        }
        catch (TrafficCaptureFormatException e)
        {
            throw new CliException(e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the capture {file}: {e.Message}", e);
        }
    }
}
