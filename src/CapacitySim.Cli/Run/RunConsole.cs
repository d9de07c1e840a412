using System.Globalization;
using System.Net;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Hosting;
using CapacitySim.Load.Recording;
using CapacitySim.Devices.Time;
using CapacitySim.Reporting.Metrics;

namespace CapacitySim.Cli.Run;

/// <summary>
/// What <c>capacitysim run</c> shows of a run: its header once everything listens, the run's (and the embedded DCC's)
/// figures at /metrics when asked, and the progress display, each updated from the same interval snapshots.
/// </summary>
internal sealed class RunConsole(RunSettings settings, CliConsole console) : IRunProgress, IAsyncDisposable
{
    private RunMetrics? runMetrics;
    private RunMetricsServer? metricsServer;

    public async Task StartedAsync(RunStarted run, CancellationToken cancellationToken)
    {
        var scenario = run.Plan.Scenario;
        var compression = scenario.TimeCompression;
        var where = run.Plan.Embedded ? $"the embedded simulated DCC at {run.Target}" : run.Target.ToString();
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"capacitysim run {scenario.Name}: {run.TotalArrivals:N0} requests over {DurationText.Format(scenario.Duration)} of scenario time at x{compression:0.###} ({(scenario.Duration / compression).TotalSeconds:0.#} s), {run.Devices:N0} devices, {scenario.Users.Count} user(s), signing {(run.Plan.Signing ? "on" : "off")}"));
        console.Out.WriteLine($"  target {where}; responses and alerts to {run.DeliveryAddress}");
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  time compression x{compression:0.###}{(compression == 1 ? " (real time)" : string.Empty)}: {run.Plan.CompressionOrigin}"));
        console.Out.WriteLine($"  performance levels: {scenario.PerformanceLevels.Path}");
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  response time-outs (scenario time): {run.Timeouts.Describe()}; drain at the end up to {DurationText.Format(run.Drain)} (real time)"));
        console.Out.Flush();

        // The run's figures (and the embedded DCC's) at /metrics, updated from the same interval snapshots as the
        // progress display, never per message.
        var runRegistry = Prometheus.Metrics.NewCustomRegistry();
        runMetrics = new RunMetrics(runRegistry, run.Levels, compression, run.Dmcs);
        if (settings.MetricsPort is { } metricsPort)
        {
            Prometheus.CollectorRegistry[] registries = run.DccMetrics is null ? [runRegistry] : [runRegistry, run.DccMetrics];
            try
            {
                metricsServer = await RunMetricsServer.StartAsync(metricsPort, registries, IPAddress.Loopback, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                throw new CliException($"cannot serve metrics on port {metricsPort}: {ex.Message} (choose another --metrics-port)", ex);
            }

            console.Out.WriteLine($"  metrics at {metricsServer.MetricsUrl}");
        }
    }

    public async Task<LoadRunResult> RunAsync(Func<Action<RunStatus, LatencySnapshot>, Task<LoadRunResult>> run)
    {
        using var display = RunProgress.Create(console, settings.Progress);
        return await display.RunAsync(show => run((status, snapshot) =>
        {
            runMetrics?.Update(status, snapshot);
            show(status, snapshot);
        })).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (metricsServer is not null)
        {
            await metricsServer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
