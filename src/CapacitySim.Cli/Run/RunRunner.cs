using System.Globalization;
using CapacitySim.Devices.Configuration;
using CapacitySim.Load.Hosting;
using CapacitySim.Load.Results;
using CapacitySim.Load.Scenarios;
using CapacitySim.Reporting.Capture;
using CapacitySim.Reporting.Evidence;

namespace CapacitySim.Cli.Run;

/// <summary>
/// <c>capacitysim run</c>: loads the scenario and the files its options name, hands the run to <see cref="RunHost"/>
/// with a console that shows its progress, then writes the evidence report and prints the result. Everything that can
/// be wrong with the files is reported before anything listens.
/// </summary>
internal static class RunRunner
{
    /// <summary>Exit code when a check failed.</summary>
    public const int ChecksFailed = 1;

    public static async Task<int> RunAsync(RunSettings settings, DuisEnvironment environment, CliConsole console, CancellationToken cancellationToken)
    {
        var scenario = LoadScenario(settings.ScenarioPath);
        var request = new RunRequest
        {
            Scenario = scenario,
            ScenarioFile = settings.ScenarioPath,
            Target = settings.Target,
            Listen = settings.Listen,
            OutputFolder = settings.Output ?? Path.Combine("results", string.Create(CultureInfo.InvariantCulture, $"{ResultFileNames.Safe(Path.GetFileNameWithoutExtension(settings.ScenarioPath))}-{DateTime.Now:yyyyMMdd-HHmmss}")),
            Keys = environment.Keys,
            Signing = settings.Signing,
            Connections = settings.Connections,
            MaxConnectionWait = settings.MaxConnectionWait,
            TimeCompression = settings.TimeCompression,
            ResponseTimeouts = settings.ResponseTimeouts,
            Drain = settings.Drain,
            DccServesMetrics = settings.MetricsPort is null,
        };

        var plan = await Setup(() => Task.FromResult(request.Plan())).ConfigureAwait(false);
        using var tls = RunTls.Resolve(settings, plan.Scenario, plan.Target, plan.Listen);
        if (plan.Target is { } target)
        {
            await tls.CheckTargetAsync(target, cancellationToken).ConfigureAwait(false);
        }

        // The traffic capture sees every message; its writer never blocks the senders (a full buffer drops and counts).
        await using var capture = settings.Capture is { } capturePath
            ? new TrafficCaptureWriter(capturePath, new TrafficCaptureOptions { Scenario = plan.Scenario.Name, StartedAt = DateTimeOffset.UtcNow, Compression = plan.Scenario.TimeCompression, IncludeBodies = settings.CaptureBodies })
            : null;
        var display = new RunConsole(settings, console);
        await using (display.ConfigureAwait(false))
        {
            var outcome = await Setup(() => RunHost.RunAsync(request with { Tls = tls.Material(), Observer = capture }, display, cancellationToken)).ConfigureAwait(false);
            if (outcome.Result is not { } result)
            {
                console.Error.WriteLine("capacitysim: run cancelled");
                return 130;
            }

            if (capture is not null)
            {
                capture.Close();
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"capture: {settings.Capture} ({capture.Written:N0} messages{(settings.CaptureBodies ? " with bodies" : string.Empty)}{(capture.Dropped > 0 ? $", {capture.Dropped:N0} dropped: the capture buffer was full" : string.Empty)})"));
            }

            var report = EvidenceReport.WriteAll(result.Summary, request.OutputFolder);
            result = result with { Files = [.. result.Files, report.Html, report.Markdown, report.JUnit] };
            RunReport.Write(console.Out, result, request.OutputFolder);
            return result.Passed ? 0 : ChecksFailed;
        }
    }

    // What the host refuses is a mistake in the files or options: said as the command's error, without a stack trace.
    private static async Task<T> Setup<T>(Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (RunSetupException ex)
        {
            throw new CliException(ex.Message, ex);
        }
        catch (ConfigException ex)
        {
            throw new CliException(string.Join(Environment.NewLine, ex.Errors.Select(e => e.ToString())), ex);
        }
    }

    private static Scenario LoadScenario(string path)
    {
        try
        {
            return ScenarioLoader.Load(path);
        }
        catch (ConfigException ex)
        {
            throw new CliException(string.Join(Environment.NewLine, ex.Errors.Select(e => e.ToString())) + Environment.NewLine + $"{path}: {ex.Errors.Count} error(s); nothing was run.", ex);
        }
    }
}
