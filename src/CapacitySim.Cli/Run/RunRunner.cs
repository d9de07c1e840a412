using System.Globalization;
using System.Net;
using CapacitySim.Dcc.Capacity;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Dcc.Host;
using CapacitySim.Dcc.Metrics;
using CapacitySim.Dcc.Simulation;
using CapacitySim.Dcc.Users;
using CapacitySim.Dcc.Validation;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Devices.Time;
using CapacitySim.Duis.Signing;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Results;
using CapacitySim.Load.Scenarios;
using CapacitySim.Reporting.Capture;
using CapacitySim.Reporting.Evidence;
using CapacitySim.Reporting.Metrics;

namespace CapacitySim.Cli.Run;

/// <summary>
/// Composes a run: loads the scenario, builds the estate, starts the users' receiver, then the embedded DCC (which
/// delivers to that receiver) unless the run targets an external one, runs the engine with progress, and prints the
/// result. Everything that can be wrong with the files is reported before anything listens.
/// </summary>
internal static class RunRunner
{
    /// <summary>Exit code when a check failed.</summary>
    public const int ChecksFailed = 1;

    public static async Task<int> RunAsync(RunSettings settings, DuisEnvironment environment, CliConsole console, CancellationToken cancellationToken)
    {
        var scenario = LoadScenario(settings.ScenarioPath);
        var targetUrl = settings.Target ?? scenario.Target?.Url;
        var embedded = targetUrl is null;

        // Against an external endpoint the scenario runs in real time unless told otherwise: compressing its schedule
        // would send a real DCC many times the scenario's rates, and its latencies, which do not shrink, would be
        // reported many times too long.
        string compressionOrigin;
        if (settings.TimeCompression is { } forced)
        {
            scenario = scenario.WithTimeCompression(forced);
            compressionOrigin = "--time-compression";
        }
        else if (scenario.TimeCompressionGiven)
        {
            compressionOrigin = "the scenario's timeCompression";
        }
        else if (embedded)
        {
            compressionOrigin = "the default with the embedded DCC";
        }
        else
        {
            scenario = scenario.WithTimeCompression(1);
            compressionOrigin = "the default against an external target";
        }

        var compression = scenario.TimeCompression;
        if (embedded && scenario.Estate.Kind == EstateSourceKind.DevicesCsv)
        {
            throw new CliException($"{settings.ScenarioPath}: the estate is an external DCC's devices CSV, so the run needs --target (or target.url in the scenario).");
        }

        var signing = settings.Signing && (embedded ? scenario.Dcc?.Signing ?? true : scenario.Target?.Signing ?? true);
        var population = embedded || scenario.Estate.Kind != EstateSourceKind.DevicesCsv ? BuildPopulation(scenario) : null;
        var estate = population is not null ? TargetEstate.FromPopulation(population) : TargetEstate.FromDevices(scenario.Estate.Devices!);
        var signers = signing ? Signers(scenario, environment) : new SigningIdentity?[scenario.Users.Count];
        var listen = settings.Listen ?? scenario.Target?.Listen ?? (embedded ? new Uri("http://127.0.0.1:0/receive-response") : new Uri("http://0.0.0.0:8080/receive-response"));
        var output = settings.Output ?? Path.Combine("results", string.Create(CultureInfo.InvariantCulture, $"{ResultFileNames.Safe(Path.GetFileNameWithoutExtension(settings.ScenarioPath))}-{DateTime.Now:yyyyMMdd-HHmmss}"));
        using var tls = RunTls.Resolve(settings, scenario, targetUrl, listen);
        if (targetUrl is not null)
        {
            await tls.CheckTargetAsync(targetUrl, cancellationToken).ConfigureAwait(false);
        }

        SimulatedDcc? dcc = null;
        DccHttpServer? server = null;
        DccMetrics? dccMetrics = null;
        RunMetricsServer? metricsServer = null;
        // The traffic capture sees every message; its writer never blocks the senders (a full buffer drops and counts).
        await using var capture = settings.Capture is { } capturePath
            ? new TrafficCaptureWriter(capturePath, new TrafficCaptureOptions { Scenario = scenario.Name, StartedAt = DateTimeOffset.UtcNow, Compression = compression, IncludeBodies = settings.CaptureBodies })
            : null;
        var engineOptions = new LoadEngineOptions
        {
            Observer = capture,
            Target = targetUrl ?? new Uri("http://127.0.0.1/"),
            Listen = listen,
            Signers = signers,
            Connections = settings.Connections,
            MaxConnectionWait = settings.MaxConnectionWait,
            OutputFolder = output,
            ScenarioFile = settings.ScenarioPath,
            ResponseTimeouts = settings.ResponseTimeouts,
            Drain = settings.Drain,
            DeviceDeadlines = DeviceDeadlines(DccCapacityOptions.WithDefaultLanes()),
            ServerCertificateValidation = tls.ServerCertificateCheck,
            ClientCertificate = tls.ClientCertificate,
            ReceiverCertificate = tls.ReceiverCertificate,
            ReceiverClientCertificateValidation = tls.ReceiverClientCertificateCheck,
            VerifyDeliveriesWith = null,
        };

        LoadEngine engine;
        try
        {
            engine = new LoadEngine(scenario, estate, engineOptions);
        }
        catch (ConfigException ex)
        {
            throw new CliException(string.Join(Environment.NewLine, ex.Errors.Select(e => e.ToString())), ex);
        }

        await using (engine.ConfigureAwait(false))
        {
            try
            {
                await engine.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                throw new CliException($"cannot listen for responses at {listen}: {ex.Message} (choose another --listen)", ex);
            }

            try
            {
                if (embedded)
                {
                    var dccClock = new CompressedTimeProvider(scenario.TimeCompression, DateTimeOffset.UtcNow);
                    dcc = CreateDcc(scenario, population!, engine.DeliveryAddress, environment, signing, settings.Connections, dccClock, tls.EmbeddedDeliveryTls());
                    dccMetrics = new DccMetrics(dcc);
                    server = await DccHttpServer.StartAsync(
                        new DccHttpServerOptions { Address = IPAddress.Loopback, Port = 0, Registry = dccMetrics.Registry, ExposeMetrics = settings.MetricsPort is null },
                        dcc,
                        cancellationToken).ConfigureAwait(false);
                    dccMetrics.Start();
                    dcc.Start();
                    var dccRef = dcc;
                    // At the end the DCC stops raising alerts and drains its deliveries before the final figures, so
                    // that its counts and the users' are one cut.
                    engine.Retarget(server.BaseAddress, () => CountsOf(dccRef.Snapshot()), dccClock, () => dccRef.StopAsync(TimeSpan.FromSeconds(10)));
                }

                var where = embedded ? $"the embedded simulated DCC at {server!.BaseAddress}" : targetUrl!.ToString();
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"capacitysim run {scenario.Name}: {engine.Schedule.TotalArrivals:N0} requests over {DurationText.Format(scenario.Duration)} of scenario time at x{compression:0.###} ({(scenario.Duration / compression).TotalSeconds:0.#} s), {estate.Count:N0} devices, {scenario.Users.Count} user(s), signing {(signing ? "on" : "off")}"));
                console.Out.WriteLine($"  target {where}; responses and alerts to {engine.DeliveryAddress}");
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  time compression x{compression:0.###}{(compression == 1 ? " (real time)" : string.Empty)}: {compressionOrigin}"));
                console.Out.WriteLine($"  performance levels: {scenario.PerformanceLevels.Path}");
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  response time-outs (scenario time): {engine.Timeouts.Describe()}; drain at the end up to {DurationText.Format(engine.Drain)} (real time)"));
                console.Out.Flush();

                // The run's figures (and the embedded DCC's) at /metrics, updated from the same interval snapshots as
                // the progress display, never per message.
                var runRegistry = Prometheus.Metrics.NewCustomRegistry();
                var runMetrics = new RunMetrics(runRegistry, engine.Levels, compression, population?.Dmcs);
                if (settings.MetricsPort is { } metricsPort)
                {
                    Prometheus.CollectorRegistry[] registries = dccMetrics is null ? [runRegistry] : [runRegistry, dccMetrics.Registry];
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

                using var display = RunProgress.Create(console, settings.Progress);
                LoadRunResult result;
                try
                {
                    result = await display.RunAsync(show => engine.RunAsync(
                        (status, snapshot) =>
                        {
                            runMetrics.Update(status, snapshot);
                            show(status, snapshot);
                        },
                        cancellationToken)).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    console.Error.WriteLine("capacitysim: run cancelled");
                    return 130;
                }

                dccMetrics?.Update();
                if (capture is not null)
                {
                    capture.Close();
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"capture: {settings.Capture} ({capture.Written:N0} messages{(settings.CaptureBodies ? " with bodies" : string.Empty)}{(capture.Dropped > 0 ? $", {capture.Dropped:N0} dropped: the capture buffer was full" : string.Empty)})"));
                }

                var report = EvidenceReport.WriteAll(result.Summary, output);
                result = result with { Files = [.. result.Files, report.Html, report.Markdown, report.JUnit] };
                RunReport.Write(console.Out, result, output);
                return result.Passed ? 0 : ChecksFailed;
            }
            finally
            {
                if (metricsServer is not null)
                {
                    await metricsServer.DisposeAsync().ConfigureAwait(false);
                }

                if (server is not null)
                {
                    await server.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                    await server.DisposeAsync().ConfigureAwait(false);
                }

                if (dcc is not null)
                {
                    await dcc.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                    await dcc.DisposeAsync().ConfigureAwait(false);
                }

                dccMetrics?.Dispose();
            }
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

    private static Population BuildPopulation(Scenario scenario)
        => PopulationBuilder.Build(scenario.Estate.Spec ?? throw new CliException("The scenario's estate has no population spec."));

    private static SigningIdentity?[] Signers(Scenario scenario, DuisEnvironment environment)
    {
        var signers = new SigningIdentity?[scenario.Users.Count];
        for (var i = 0; i < signers.Length; i++)
        {
            var user = scenario.Users[i];
            if (user.Key is { } key)
            {
                if (user.KeyIsPath)
                {
                    signers[i] = SigningIdentity.Load(Path.GetDirectoryName(key)!, Path.GetFileNameWithoutExtension(key));
                    continue;
                }

                if (MaterialStem(user, environment) is { } stem)
                {
                    signers[i] = environment.MaterialKeys!.Identity(stem);
                    continue;
                }
            }

            signers[i] = environment.UserIdentity(user.Eui);
        }

        return signers;
    }

    private static SimulatedDcc CreateDcc(Scenario scenario, Population population, Uri delivery, DuisEnvironment environment, bool signing, int connections, TimeProvider clock, Action<SocketsHttpHandler>? deliveryTls)
    {
        BehaviourConfig? behaviour = scenario.Dcc?.BehaviourPath is { } path ? BehaviourConfig.Load(path) : null;
        IReadOnlyList<DuisUser>? users = null;
        if (scenario.Dcc?.UsersPath is null)
        {
            users = [.. scenario.Users.Select(u => new DuisUser(u.Name, u.Eui, u.Roles, UserStatus.Active, delivery, MaterialStem(u, environment), u.AdditionalServices))];
        }

        return new SimulatedDcc(new SimulatedDccOptions
        {
            Estate = population,
            Behaviour = behaviour,
            Users = users,
            UsersFile = scenario.Dcc?.UsersPath,
            ResponseUrl = delivery,
            Material = environment.Material,
            PkiDirectory = environment.PkiDirectory,
            VerifySignatures = signing,
            SignMessages = signing,

            // The engine sends each user's requests over many connections at once: the DCC may read a later counter
            // first. The window covers every request that can be on its way at once, and then some.
            ReplayWindow = Math.Max(4096, connections * 64),
            Clock = clock,
            Seed = scenario.Seed == 0 ? 1 : scenario.Seed,
            Delivery = new DeliveryOptions { ConfigureHandler = deliveryTls },
        });
    }

    // The DCC's deadline for the categories that reach a device (it answers E21 on-demand, E30 future-dated, when the
    // device has not answered by then): the embedded DCC's own, and the defaults assumed of an external one.
    private static Func<PerformanceCategory, TimeSpan?> DeviceDeadlines(DccCapacityOptions dcc) => category => category switch
    {
        PerformanceCategory.OnDemandEsmeChf or PerformanceCategory.Smets1OnDemandEsmeChf => dcc.OnDemandDeadline,
        PerformanceCategory.OnDemandGsmeGpf or PerformanceCategory.Smets1OnDemandGsmeGpf => dcc.OnDemandGasDeadline,
        PerformanceCategory.FutureDatedEsmeChf or PerformanceCategory.Smets1FutureDatedEsmeChf => dcc.FutureDatedDeadline,

        // DCC-scheduled traffic has no fuel in its category: the longer (gas) deadline covers both.
        PerformanceCategory.FutureDatedGsmeGpf or PerformanceCategory.Smets1FutureDatedGsmeGpf
            or PerformanceCategory.DccScheduled or PerformanceCategory.Smets1DccScheduled => dcc.FutureDatedGasDeadline,
        _ => null,
    };

    // The user's key when it names a stem of the DUIS material's key store (so the DCC knows its certificate); else null.
    private static string? MaterialStem(ScenarioUser user, DuisEnvironment environment)
        => user.Key is { } stem && !user.KeyIsPath && environment.MaterialKeys is { } keys && keys.TryFindByStem(stem, out _) ? stem : null;

    private static DccCounts CountsOf(DccAccountingSnapshot s)
    {
        var rejected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in s.Validation.NonZero())
        {
            if (reason != ValidationReason.Accepted)
            {
                var code = DccErrorCodes.For(reason).ToString();
                rejected[code] = rejected.GetValueOrDefault(code) + count;
            }
        }

        var storm = s.AlertStorm.Totals;
        return new DccCounts
        {
            Received = s.Received,
            Accepted = s.AnsweredSynchronously + s.AcceptedForDevice,
            AnsweredSynchronously = s.AnsweredSynchronously,
            RejectedSynchronously = s.RejectedSynchronously + s.NotDuis,
            RejectedByCode = rejected,
            ResponsesDelivered = s.Responses + s.Errors + s.TimedOut,
            AlertsGenerated = s.AlertsRaised,
            AlertsThrottled = storm.Suppressed,
            AlertsDelivered = s.AlertMessages,
            DeliveryRetries = s.Delivery.Totals.FailedAttempts,
            FailedQueue = s.Delivery.Totals.FailedQueue,
            LateDeviceSuccesses = s.LateDeviceSuccesses,
            InFlight = s.Capacity.InFlight + s.Delivery.Totals.Pending,
        };
    }
}
