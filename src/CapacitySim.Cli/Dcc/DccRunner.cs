using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using CapacitySim.Cli.Tls;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Dcc.Host;
using CapacitySim.Dcc.Metrics;
using CapacitySim.Dcc.Simulation;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Devices.Time;
using Prometheus;

namespace CapacitySim.Cli.Dcc;

/// <summary>Builds the simulated DCC from the settings, serves it until stopped, drains it and prints its books.</summary>
internal static class DccRunner
{
    /// <summary>How often the status line is rewritten on a terminal.</summary>
    private static readonly TimeSpan TerminalStatusInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often a status line is printed when the output goes to a file or a pipe (a log, not a display).</summary>
    private static readonly TimeSpan LogStatusInterval = TimeSpan.FromSeconds(10);

    private static readonly CertificateOptionNames TlsCertificateNames = new("--tls-cert", "--tls-key", "--tls-password", "--tls-password");

    private static readonly CertificateOptionNames DeliveryCertificateNames = new("--delivery-client-cert", "--delivery-client-key", "--delivery-client-password", "--delivery-client-password");

    /// <summary>How long requests already being answered get when the server stops accepting.</summary>
    private static readonly TimeSpan ServerStopGrace = TimeSpan.FromSeconds(5);

    /// <summary>How often draining looks at what is left.</summary>
    private static readonly TimeSpan DrainStep = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(DccSettings settings, DuisEnvironment environment, CliConsole console, CancellationToken cancellationToken)
    {
        // Everything that can be wrong with the user's files is found before anything listens.
        var estate = LoadEstate(settings.EstatePath);
        var behaviour = LoadBehaviour(settings.BehaviourPath);
        using var certificate = LoadCertificate(settings);
        var deliveryTls = DeliveryTls(settings);
        TimeProvider clock = settings.TimeCompression == 1
            ? TimeProvider.System
            : new CompressedTimeProvider(settings.TimeCompression, DateTimeOffset.UtcNow);
        var schemaSample = environment.Material is { HasSchema: true } ? settings.SchemaSample ?? 1 : 0;
        var dcc = CreateDcc(settings, environment, estate, behaviour, clock, schemaSample, deliveryTls);
        DccMetrics? metrics = null;
        DccHttpServer? server = null;
        try
        {
            metrics = new DccMetrics(dcc);

            // The process's own figures (GC, memory, threads, CPU) beside the DCC's, as an operator expects at /metrics.
            DotNetStats.Register(metrics.Registry);
            server = await StartServerAsync(settings, certificate, dcc, metrics, cancellationToken).ConfigureAwait(false);
            metrics.Start();
            dcc.Start();
            DccReport.WriteBanner(console.Out, new DccBannerFacts(settings, environment, dcc, server, schemaSample));

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var signal = new SignalStop(stop);
            using (signal.Register())
            {
                if (settings.Duration is { } duration)
                {
                    stop.CancelAfter(duration);
                }

                await ShowStatusUntilStoppedAsync(dcc, console, stop.Token).ConfigureAwait(false);
                var why = signal.Signal is { } s ? $"{s} received"
                    : settings.Duration is { } d ? $"--duration {d.TotalSeconds:0.###} s reached"
                    : "stopped";
                console.Out.WriteLine($"stopping ({why}): no longer accepting requests; draining lanes and deliveries (at most {settings.Drain.TotalSeconds:0.###} s)...");
                console.Out.Flush();

                await server.StopAsync(ServerStopGrace).ConfigureAwait(false);
                var (drained, whyNot) = await DrainAsync(dcc, settings.Drain).ConfigureAwait(false);
                var final = metrics.Update();
                DccReport.WriteFinal(console.Out, final, drained, whyNot);
                console.Out.Flush();
            }

            return 0;
        }
        finally
        {
            metrics?.Dispose();
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            await dcc.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the DCC's alert generation and waits for the lanes and deliveries to finish, up to <paramref name="bound"/>.
    /// It stops waiting early when all that is left sits on the failed queues of endpoints that are down: those are
    /// only re-posted once a probe finds the endpoint back, which waiting here does not bring about.
    /// </summary>
    private static async Task<(bool Drained, string? WhyNot)> DrainAsync(SimulatedDcc dcc, TimeSpan bound)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var remaining = bound - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return (false, string.Create(CultureInfo.InvariantCulture, $"not drained within {bound.TotalSeconds:0.###} s (--drain)"));
            }

            if (await dcc.StopAsync(remaining < DrainStep ? remaining : DrainStep).ConfigureAwait(false))
            {
                return (true, null);
            }

            var snapshot = dcc.Snapshot();
            if (snapshot.Capacity.InFlight == 0 && snapshot.Capacity.AlertsInFlight == 0 && OnlyDownEndpointsHoldMessages(snapshot.Delivery))
            {
                return (false, "not drained: what is left waits on the failed queue of endpoints that are down");
            }
        }
    }

    private static bool OnlyDownEndpointsHoldMessages(DeliverySnapshot delivery)
    {
        foreach (var endpoint in delivery.Endpoints)
        {
            var c = endpoint.Counters;
            if (c.Pending > 0 && (endpoint.State != DeliveryEndpointState.Down || c.Pending != c.FailedQueue))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task ShowStatusUntilStoppedAsync(SimulatedDcc dcc, CliConsole console, CancellationToken stop)
    {
        // On a terminal the one status line is rewritten in place every second; into a file or a pipe a line every
        // ten seconds makes a readable log instead of a wall of carriage returns.
        var interactive = ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected;
        var printEvery = interactive ? TerminalStatusInterval : LogStatusInterval;
        var started = Stopwatch.GetTimestamp();
        var lastTick = started;
        var lastPrinted = started;
        long lastReceived = 0;
        var lastLength = 0;
        using var ticks = new PeriodicTimer(TerminalStatusInterval);
        try
        {
            while (await ticks.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                var snapshot = dcc.Snapshot();
                var seconds = Stopwatch.GetElapsedTime(lastTick, now).TotalSeconds;
                var rate = seconds > 0 ? (snapshot.Received - lastReceived) / seconds : 0;
                lastTick = now;
                lastReceived = snapshot.Received;
                if (Stopwatch.GetElapsedTime(lastPrinted, now) < printEvery - TimeSpan.FromMilliseconds(100))
                {
                    continue;
                }

                lastPrinted = now;
                var line = DccReport.StatusLine(snapshot, rate, Stopwatch.GetElapsedTime(started, now));
                if (interactive)
                {
                    // A line longer than the terminal wraps, and \r then rewrites only its last part.
                    line = FitTerminal(line);
                    console.Out.Write('\r' + line.PadRight(lastLength));
                    lastLength = line.Length;
                }
                else
                {
                    console.Out.WriteLine(line);
                }

                console.Out.Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C, SIGTERM or --duration: the caller stops the DCC.
        }

        if (interactive && lastLength > 0)
        {
            console.Out.WriteLine();
        }
    }

    private static string FitTerminal(string line)
    {
        try
        {
            var width = Console.WindowWidth;
            return width > 20 && line.Length >= width ? line[..(width - 1)] : line;
        }
        catch (IOException)
        {
            return line;
        }
    }

    private static Population LoadEstate(string? path)
    {
        if (path is null)
        {
            return Population.Default();
        }

        try
        {
            return Population.Load(path);
        }
        catch (ConfigException ex)
        {
            throw new CliException($"--estate: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--estate {path}: {ex.Message}", ex);
        }
    }

    private static BehaviourConfig? LoadBehaviour(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            return BehaviourConfig.Load(path);
        }
        catch (ConfigException ex) when (ex.Errors.Count > 0)
        {
            // Written as file:line:column like the other loaders, so that editors can jump to each one.
            var lines = ex.Errors.Select(e => e.ToString());
            throw new CliException($"--behaviour: {ex.Errors.Count} error(s) in {path}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}", ex);
        }
        catch (ConfigException ex)
        {
            throw new CliException($"--behaviour {path}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--behaviour {path}: {ex.Message}", ex);
        }
    }

    private static X509Certificate2? LoadCertificate(DccSettings settings)
        => LoadIdentity(settings.TlsCertificatePath, settings.TlsKeyPath, settings.TlsPassword, TlsCertificateNames);

    /// <summary>A certificate and key as the dcc command takes them: one password for a PKCS#12 file or an encrypted PEM key.</summary>
    private static X509Certificate2? LoadIdentity(string? path, string? keyPath, string? password, CertificateOptionNames names)
        => path is null
            ? null
            : CertificateFiles.LoadIdentity(new CertificateFileSet(
                new TlsFile(path, names.Certificate), keyPath is null ? null : new TlsFile(keyPath, names.Key), password, password, names));

    /// <summary>
    /// How the DCC's deliveries speak TLS to users' https endpoints: the DCC's own client certificate for endpoints
    /// that require one, and the CA bundle their server certificates must chain to. Read before anything listens.
    /// </summary>
    private static Action<SocketsHttpHandler>? DeliveryTls(DccSettings settings)
    {
        var certificate = LoadIdentity(settings.DeliveryClientCertificatePath, settings.DeliveryClientKeyPath, settings.DeliveryClientPassword, DeliveryCertificateNames);
        var trust = settings.DeliveryCaPath is { } ca
            ? new CustomRootTrust(CertificateFiles.LoadCaBundle(new TlsFile(ca, "--delivery-ca")), $"--delivery-ca {ca}")
            : null;
        return certificate is null && trust is null ? null : handler => TlsClient.Configure(handler.SslOptions, certificate, trust?.ServerCertificateCallback);
    }

    private static SimulatedDcc CreateDcc(DccSettings settings, DuisEnvironment environment, Population estate, BehaviourConfig? behaviour, TimeProvider clock, int schemaSample, Action<SocketsHttpHandler>? deliveryTls)
    {
        var options = new SimulatedDccOptions
        {
            Estate = estate,
            Behaviour = behaviour,
            UsersFile = settings.UsersPath,
            ResponseUrl = settings.ResponseUrl,
            KeyMaterial = environment.Keys,
            VerifySignatures = settings.VerifySignatures,
            SignMessages = settings.SignMessages,
            ReplayWindow = settings.ReplayWindow,
            SchemaSampleInterval = schemaSample,
            Clock = clock,
            Seed = settings.Seed,
            GenerateAlerts = settings.Alerts,
            Delivery = settings.Delivery.ToOptions(),
        };
        if (deliveryTls is not null)
        {
            options.Delivery.ConfigureHandler = deliveryTls;
        }

        try
        {
            return new SimulatedDcc(options);
        }
        catch (ConfigException ex)
        {
            throw new CliException($"--users: {ex.Message}", ex);
        }
        catch (FileNotFoundException ex) when (settings.UsersPath is not null && ex.FileName == settings.UsersPath)
        {
            throw new CliException($"--users {settings.UsersPath}: file not found.", ex);
        }
    }

    private static async Task<DccHttpServer> StartServerAsync(DccSettings settings, X509Certificate2? certificate, SimulatedDcc dcc, DccMetrics metrics, CancellationToken cancellationToken)
    {
        var options = new DccHttpServerOptions
        {
            Address = settings.Bind,
            Port = settings.Port,
            ServerCertificate = certificate,
            RequireClientCertificate = settings.MutualTls,
            ClientCertificateValidation = settings.ClientCaPath is { } ca
                ? new CustomRootTrust(CertificateFiles.LoadCaBundle(new TlsFile(ca, "--client-ca")), $"--client-ca {ca}").ClientCertificateCallback
                : null,
            Registry = metrics.Registry,
            MapAdditionalEndpoints = endpoints => EmergencyControlEndpoints.Map(endpoints, dcc.Capacity),
        };
        try
        {
            return await DccHttpServer.StartAsync(options, dcc, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // Kestrel reports a port in use as an IOException (AddressInUseException) and a foreign address as a socket error.
            throw new CliException($"cannot listen on {new IPEndPoint(settings.Bind, settings.Port)}: {ex.Message} (choose another --port or --bind)", ex);
        }
    }

    /// <summary>The first Ctrl-C (SIGINT) or SIGTERM stops the DCC cleanly; a second one ends the process at once.</summary>
    private sealed class SignalStop(CancellationTokenSource stop)
    {
        private int signalled;

        /// <summary>The signal that asked to stop, or null.</summary>
        public string? Signal { get; private set; }

        public IDisposable Register()
        {
            var registrations = new List<PosixSignalRegistration>();
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            {
                try
                {
                    registrations.Add(PosixSignalRegistration.Create(signal, Handle));
                }
                catch (PlatformNotSupportedException)
                {
                    // SIGTERM has no meaning on some platforms; Ctrl-C still stops the DCC cleanly.
                }
            }

            return new Registrations(registrations);
        }

        private void Handle(PosixSignalContext context)
        {
            if (Interlocked.Exchange(ref signalled, 1) == 0)
            {
                context.Cancel = true;
                Signal = context.Signal == PosixSignal.SIGINT ? "Ctrl-C" : context.Signal.ToString();
                stop.Cancel();
            }
        }

        private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
        {
            public void Dispose()
            {
                foreach (var r in registrations)
                {
                    r.Dispose();
                }
            }
        }
    }
}
