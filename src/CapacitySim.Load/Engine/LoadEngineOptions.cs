using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CapacitySim.Duis.Signing;
using CapacitySim.Load.Results;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Engine;

/// <summary>How a <see cref="LoadEngine"/> runs a scenario.</summary>
public sealed record LoadEngineOptions
{
    /// <summary>Base address of the DUIS endpoint (its three web services are under it).</summary>
    public required Uri Target { get; init; }

    /// <summary>Where the users' receiver listens for delivered responses and alerts (port 0: any free port).</summary>
    public required Uri Listen { get; init; }

    /// <summary>One signing identity per scenario user (in scenario order), or null entries when requests go unsigned.</summary>
    public required IReadOnlyList<SigningIdentity?> Signers { get; init; }

    /// <summary>HTTP connections to the endpoint: the most requests awaiting their synchronous answer at once. Default 128.</summary>
    public int Connections { get; init; } = 128;

    /// <summary>
    /// How long an arrival that finds every connection busy may wait for one (real time) before it is dropped; it is
    /// then sent late, and counted late. Whatever this is, an arrival may wait <see cref="LoadEngine.HandOverWindow"/>
    /// (2 ms, two of the pacer's batch intervals) after its release: a connection that comes back within it takes the
    /// arrival instead of idling until the pacer's next batch. Zero (the default) drops an arrival that is still
    /// waiting after that. Latency is still measured from the intended
    /// time (corrected) as well as from the actual send (uncorrected), so a stalled endpoint shows in the corrected
    /// figures only: the coordinated omission a closed-loop generator would hide.
    /// </summary>
    public TimeSpan MaxConnectionWait { get; init; }

    /// <summary>Most requests in flight (awaiting a final response) at once: the correlation table's size, a power of two. 0 sizes it from the scenario.</summary>
    public int InFlightCapacity { get; init; }

    /// <summary>
    /// Response time-outs set on the command line; they replace the scenario's and the derived ones for the categories
    /// they name (<see cref="Scenarios.ResponseTimeouts"/>).
    /// </summary>
    public IReadOnlyList<ResponseTimeoutSetting> ResponseTimeouts { get; init; } = [];

    /// <summary>
    /// The DCC's deadline for each category that reaches a device (after which it answers E21 or E30), from which the
    /// default response time-outs are derived; null, or null for a category: the DCC answers it itself.
    /// </summary>
    public Func<PerformanceCategory, TimeSpan?>? DeviceDeadlines { get; init; }

    /// <summary>
    /// Wall-clock time the run waits at the end for requests in flight; null: the scenario's <c>drain</c>, else the
    /// longest response time-out at the run's compression (at least <see cref="LoadEngine.MinimumWallTimeout"/>) plus 2 s.
    /// </summary>
    public TimeSpan? Drain { get; init; }

    /// <summary>Wall-clock time between progress snapshots. Default 1 s.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Folder for summary.json and the .hlog files, or null to write nothing.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>Sees every message (a traffic capture), or null.</summary>
    public ITrafficObserver? Observer { get; init; }

    /// <summary>When set, every delivered message's signature is checked against these certificates and failures counted.</summary>
    public DuisKeyStore? VerifyDeliveriesWith { get; init; }

    /// <summary>Client certificate for a mutual-TLS endpoint.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Accepts the endpoint's server certificate (for a test endpoint's self-signed one); null: the system's rules.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>Server certificate of an https receiver.</summary>
    public X509Certificate2? ReceiverCertificate { get; init; }

    /// <summary>Set, the https receiver requires the DCC's client certificate and accepts only those this approves (mutual TLS).</summary>
    public Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? ReceiverClientCertificateValidation { get; init; }

    /// <summary>The embedded DCC's clock (compressed by the scenario's factor), which stamps its alerts; null: alerts carry wall time.</summary>
    public TimeProvider? DccClock { get; init; }

    /// <summary>
    /// Runs once every request is answered and before the final figures are taken: the embedded DCC stops raising
    /// alerts and drains its deliveries here, so that what it delivered and what the users received are the same
    /// cut. Null against an external DCC.
    /// </summary>
    public Func<Task>? BeforeFinalSnapshot { get; init; }

    /// <summary>The embedded DCC's own counts, read at the end (null against an external DCC).</summary>
    public Func<DccCounts>? DccCounts { get; init; }

    /// <summary>What goes into summary.json's environment (the engine fills the connection count and device count).</summary>
    public RunEnvironment? Environment { get; init; }

    /// <summary>The scenario file as given on the command line, for the summary.</summary>
    public string? ScenarioFile { get; init; }
}
