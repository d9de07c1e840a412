using System.Net;
using CapacitySim.Dcc.Capacity;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Dcc.Host;
using CapacitySim.Dcc.Metrics;
using CapacitySim.Dcc.Simulation;
using CapacitySim.Dcc.Users;
using CapacitySim.Dcc.Validation;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Devices.Time;
using CapacitySim.Load.Results;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Hosting;

/// <summary>
/// The simulated DCC a run hosts when it has no external target: its users are the scenario's, its keys the run's,
/// it delivers to the users' receiver, and its clock runs at the scenario's time compression.
/// </summary>
internal sealed class EmbeddedDcc : IAsyncDisposable
{
    private readonly SimulatedDcc dcc;
    private readonly DccMetrics metrics;
    private DccHttpServer? server;

    private EmbeddedDcc(SimulatedDcc dcc, CompressedTimeProvider clock)
    {
        this.dcc = dcc;
        Clock = clock;
        metrics = new DccMetrics(dcc);
    }

    /// <summary>The DCC's clock (scenario time).</summary>
    public CompressedTimeProvider Clock { get; }

    /// <summary>Where the DCC serves its web services.</summary>
    public Uri BaseAddress => server?.BaseAddress ?? throw new InvalidOperationException("The DCC has not started.");

    /// <summary>The DCC's metrics.</summary>
    public Prometheus.CollectorRegistry MetricsRegistry => metrics.Registry;

    /// <summary>The simulated DCC itself.</summary>
    public SimulatedDcc Dcc => dcc;

    public static async Task<EmbeddedDcc> StartAsync(RunRequest request, RunPlan plan, Population population, Uri delivery, CancellationToken cancellationToken)
    {
        var scenario = plan.Scenario;
        var clock = new CompressedTimeProvider(scenario.TimeCompression, DateTimeOffset.UtcNow);
        BehaviourConfig? behaviour = scenario.Dcc?.BehaviourPath is { } path ? BehaviourConfig.Load(path) : null;
        IReadOnlyList<DuisUser>? users = null;
        if (scenario.Dcc?.UsersPath is null)
        {
            users = [.. scenario.Users.Select(u => new DuisUser(u.Name, u.Eui, u.Roles, UserStatus.Active, delivery, RunSigners.MaterialStem(u, request.Keys), u.AdditionalServices))];
        }

        var dcc = new SimulatedDcc(new SimulatedDccOptions
        {
            Estate = population,
            Behaviour = behaviour,
            Users = users,
            UsersFile = scenario.Dcc?.UsersPath,
            ResponseUrl = delivery,
            KeyMaterial = request.Keys,
            VerifySignatures = plan.Signing,
            SignMessages = plan.Signing,

            // The engine sends each user's requests over many connections at once: the DCC may read a later counter
            // first. The window covers every request that can be on its way at once, and then some.
            ReplayWindow = Math.Max(4096, request.Connections * 64),
            Clock = clock,
            Seed = scenario.Seed == 0 ? 1 : scenario.Seed,
            Delivery = new DeliveryOptions { ConfigureHandler = request.Tls.EmbeddedDeliveryTls },
        });
        var embedded = new EmbeddedDcc(dcc, clock);
        try
        {
            embedded.server = await DccHttpServer.StartAsync(
                new DccHttpServerOptions { Address = IPAddress.Loopback, Port = 0, Registry = embedded.metrics.Registry, ExposeMetrics = request.DccServesMetrics },
                dcc,
                cancellationToken).ConfigureAwait(false);
            embedded.metrics.Start();
            dcc.Start();
            return embedded;
        }
        catch
        {
            await embedded.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The DCC's books as the users' summary counts them.</summary>
    public DccCounts Counts() => CountsOf(dcc.Snapshot());

    /// <summary>Stops raising alerts and drains deliveries, so that the DCC's counts and the users' are one cut.</summary>
    public Task StopForFinalCountsAsync() => dcc.StopAsync(TimeSpan.FromSeconds(10));

    /// <summary>Brings the metrics up to the end of the run.</summary>
    public void UpdateMetrics() => metrics.Update();

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
        }

        await dcc.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await dcc.DisposeAsync().ConfigureAwait(false);
        metrics.Dispose();
    }

    // The DCC's deadline for the categories that reach a device (it answers E21 on-demand, E30 future-dated, when the
    // device has not answered by then): the embedded DCC's own, and the defaults assumed of an external one.
    internal static Func<PerformanceCategory, TimeSpan?> DeviceDeadlines(DccCapacityOptions dcc) => category => category switch
    {
        PerformanceCategory.OnDemandEsmeChf or PerformanceCategory.Smets1OnDemandEsmeChf => dcc.OnDemandDeadline,
        PerformanceCategory.OnDemandGsmeGpf or PerformanceCategory.Smets1OnDemandGsmeGpf => dcc.OnDemandGasDeadline,
        PerformanceCategory.FutureDatedEsmeChf or PerformanceCategory.Smets1FutureDatedEsmeChf => dcc.FutureDatedDeadline,

        // DCC-scheduled traffic has no fuel in its category: the longer (gas) deadline covers both.
        PerformanceCategory.FutureDatedGsmeGpf or PerformanceCategory.Smets1FutureDatedGsmeGpf
            or PerformanceCategory.DccScheduled or PerformanceCategory.Smets1DccScheduled => dcc.FutureDatedGasDeadline,
        _ => null,
    };

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
