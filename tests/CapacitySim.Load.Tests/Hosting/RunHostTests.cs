using CapacitySim.Dcc.Simulation;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Hosting;
using CapacitySim.Load.Recording;
using CapacitySim.Load.Tests.Engine;
using CapacitySim.Load.Tests.Scenarios;

namespace CapacitySim.Load.Tests.Hosting;

/// <summary>
/// The run host as a library caller uses it: one call runs a short scenario against the embedded simulated DCC
/// (the scenario tests' valid one, one supplier at 10 requests a second, run for 3 minutes of scenario time at x100, signed) and returns the result.
/// </summary>
[Collection(nameof(EngineRuns))]
public sealed class RunHostTests : IDisposable
{
    private static readonly Eui64 Supplier = new(0x90B3D51F30010000);

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task One_call_runs_an_embedded_DCC_scenario_and_every_request_is_accounted_for_in_the_users_and_the_DCCs_counts()
    {
        var keys = new DuisKeyMaterial(null, temp.File("pki"));
        var progress = new RecordingProgress();

        var outcome = await RunHost.RunAsync(Request(keys), progress, CancellationToken.None);

        Assert.False(outcome.Cancelled);
        var summary = outcome.Result!.Summary;
        var c = summary.Counts;
        var dcc = outcome.DccCounts!;
        Assert.Equal("the scenario's timeCompression", outcome.CompressionOrigin);
        Assert.True(outcome.Plan.Embedded);
        Assert.True(outcome.Plan.Signing);

        // Every request the users sent ends in exactly one place, and the DCC saw exactly what the users sent.
        Assert.True(c.Sent > 100, $"only {c.Sent} sent");
        Assert.Equal(c.Sent, c.Responded + c.Abandoned + c.TimedOut + c.InFlightAtEnd);
        Assert.Equal(0, c.InFlightAtEnd);
        Assert.Equal(dcc.Received, c.Sent);
        Assert.Equal(dcc.AnsweredSynchronously + dcc.RejectedSynchronously + dcc.ResponsesDelivered, c.Responded);
        Assert.Equal(dcc.AlertsDelivered, summary.Alerts.Received);
        Assert.Equal(summary.Phases.Sum(p => p.Sent), summary.Phases.Sum(p => p.Scheduled) - summary.Phases.Sum(p => p.Dropped));

        // The DCC checked every signature against the keys the users signed with: it refused none.
        Assert.Empty(dcc.RejectedByCode);
        Assert.Equal(0, c.Unknown);

        // The caller was told once everything listened, with the embedded DCC's address and metrics, then shown the run.
        var started = Assert.Single(progress.Started);
        Assert.NotNull(started.DccMetrics);
        Assert.Equal(Uri.UriSchemeHttp, started.Target.Scheme);
        Assert.True(started.TotalArrivals > 0);
        Assert.True(progress.Intervals > 0);
    }

    [Fact]
    public async Task The_DCC_and_the_users_share_the_one_key_store_chosen_for_the_run()
    {
        var keys = new DuisKeyMaterial(null, temp.File("pki"));
        var pki = keys.EnsureTestUsers([Supplier]);
        var signer = keys.UserIdentity(Supplier);

        var outcome = await RunHost.RunAsync(Request(keys), null, CancellationToken.None);

        // The DCC found every user's key in the store already read: it neither read the PKI again nor made another.
        Assert.Same(pki, keys.TestPki);
        Assert.Same(signer, keys.UserIdentity(Supplier));
        Assert.True(outcome.Result!.Summary.Counts.Responded > 0);
        Assert.Empty(outcome.DccCounts!.RejectedByCode);

        // A DCC built on the run's keys checks against that same store instance.
        var dcc = new SimulatedDcc(new SimulatedDccOptions { KeyMaterial = keys, GenerateAlerts = false });
        await using (dcc.ConfigureAwait(false))
        {
            Assert.Same(keys.TestPki, dcc.TestPki);
            Assert.Same(keys.TestPki.Store, dcc.Keys);
        }
    }

    [Fact]
    public void With_DUIS_material_the_DCC_checks_against_the_materials_key_store_read_once()
    {
        var keys = new DuisKeyMaterial(SharedDuis.Material, temp.File("pki"));

        var dcc = new SimulatedDcc(new SimulatedDccOptions { KeyMaterial = keys, GenerateAlerts = false });

        Assert.NotNull(keys.MaterialKeys);
        Assert.Same(keys.MaterialKeys, dcc.Keys);
        Assert.Null(dcc.TestPki);
    }

    private RunRequest Request(DuisKeyMaterial keys) => new()
    {
        Scenario = ScenarioText.Parse(ScenarioText.Valid.Replace("duration: 30s", "duration: 3m", StringComparison.Ordinal) + "\ntimeCompression: 100\n"),
        ScenarioFile = ScenarioText.Source,
        OutputFolder = temp.File("out-" + Guid.NewGuid().ToString("N")),
        Keys = keys,
        Connections = 16,
    };

    private sealed class RecordingProgress : IRunProgress
    {
        public List<RunStarted> Started { get; } = [];

        public int Intervals { get; private set; }

        public Task StartedAsync(RunStarted run, CancellationToken cancellationToken)
        {
            Started.Add(run);
            return Task.CompletedTask;
        }

        public Task<LoadRunResult> RunAsync(Func<Action<RunStatus, LatencySnapshot>, Task<LoadRunResult>> run)
            => run((_, _) => Intervals++);
    }
}
