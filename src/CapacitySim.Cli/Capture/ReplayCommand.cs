using System.CommandLine;
using System.Globalization;
using CapacitySim.Reporting.Capture;

namespace CapacitySim.Cli.Capture;

/// <summary>
/// <c>capacitysim replay FILE --target URL [--speed X] [--connections N]</c>: re-sends the requests of a capture
/// taken with bodies to a DUIS endpoint at the captured pacing (see <see cref="TrafficReplay"/>).
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("FILE") { Description = "Traffic capture taken with bodies." };
        var target = new Option<string>("--target")
        {
            Description = "Base URL of the DUIS endpoint (http://host:8079); requests go to /api/v1/serviceS, serviceD or serviceT under it by command variant.",
            Required = true,
        };
        var speed = new Option<double>("--speed")
        {
            Description = "Pacing factor: 2 replays twice as fast as captured, 0.5 half as fast.",
            DefaultValueFactory = _ => 1,
        };
        var connections = new Option<int>("--connections")
        {
            Description = "Keep-alive connections per DUIS web service; a request due when none is free is dropped and counted.",
            DefaultValueFactory = _ => 8,
        };
        var command = new Command(
            "replay",
            "Re-send a captured run's requests to a DUIS endpoint at their original pacing (or scaled). The requests keep their OriginatorCounters: a DCC that has already seen them refuses them (E53), so replay against a fresh DCC or an endpoint under investigation.")
        {
            file, target, speed, connections,
        };
        command.SetAction((parse, cancellation) => RunAsync(parse.GetValue(file)!, parse.GetValue(target)!, parse.GetValue(speed), parse.GetValue(connections), console, cancellation));
        return command;
    }

    internal static async Task<int> RunAsync(string file, string target, double speed, int connections, CliConsole console, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"--target {target} is not an absolute http:// or https:// URL.");
        }

        if (!(speed > 0) || double.IsInfinity(speed))
        {
            throw new CliException($"--speed must be a positive number, not {speed.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (connections <= 0)
        {
            throw new CliException($"--connections must be positive, not {connections.ToString(CultureInfo.InvariantCulture)}.");
        }

        using var reader = CaptureFiles.Open(file);
        if (!reader.Header.IncludesBodies)
        {
            throw new CliException($"{file} holds message metadata only: replay needs the request bodies. Capture the run again with bodies included.");
        }

        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"replaying {file} (scenario {reader.Header.Scenario}) to {uri} at ×{speed:0.###} speed, {connections} connection(s) per web service"));
        TrafficReplayResult result;
        try
        {
            result = await TrafficReplay.RunAsync(
                reader,
                new TrafficReplayOptions { Target = uri, Speed = speed, Connections = connections },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TrafficCaptureFormatException e)
        {
            throw new CliException(e.Message, e);
        }

        result.Write(console.Out);
        return 0;
    }
}
