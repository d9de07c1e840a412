using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CapacitySim.Dcc.Simulation;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Hosting;

/// <summary>Everything a run is made of, resolved: the scenario, where it is sent, and the keys and TLS it uses.</summary>
public sealed record RunRequest
{
    /// <summary>The scenario as loaded (its time compression is settled by <see cref="Plan"/>).</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>The scenario's file, for messages and the summary.</summary>
    public required string ScenarioFile { get; init; }

    /// <summary>External DUIS endpoint; null: the scenario's <c>target.url</c>, else the embedded simulated DCC.</summary>
    public Uri? Target { get; init; }

    /// <summary>Where the users' receiver listens; null: the scenario's, else a default.</summary>
    public Uri? Listen { get; init; }

    /// <summary>The result folder.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The keys, chosen once, that the users sign with and the embedded DCC checks against and signs with.</summary>
    public required DuisKeyMaterial Keys { get; init; }

    /// <summary>False turns request signing off whatever the scenario says.</summary>
    public bool Signing { get; init; } = true;

    /// <summary>The users' connections to the target.</summary>
    public int Connections { get; init; } = 128;

    /// <summary>How long an arrival may wait for a busy connection before it is dropped (see <see cref="LoadEngineOptions.MaxConnectionWait"/>).</summary>
    public TimeSpan MaxConnectionWait { get; init; }

    /// <summary>Overrides the scenario's time compression.</summary>
    public double? TimeCompression { get; init; }

    /// <summary>Response time-outs by category, replacing the scenario's and the derived ones.</summary>
    public IReadOnlyList<ResponseTimeoutSetting> ResponseTimeouts { get; init; } = [];

    /// <summary>How long (real time) the run waits at the end for requests in flight; null: the scenario's or the derived one.</summary>
    public TimeSpan? Drain { get; init; }

    /// <summary>The run's TLS, both ways, already loaded.</summary>
    public RunTlsMaterial Tls { get; init; } = new();

    /// <summary>Sees every message sent and received (a traffic capture), or null.</summary>
    public ITrafficObserver? Observer { get; init; }

    /// <summary>Whether the embedded DCC serves its own /metrics (off when the run serves one endpoint for both).</summary>
    public bool DccServesMetrics { get; init; } = true;

    /// <summary>Settles the target, the receiver, the time compression and signing; throws <see cref="RunSetupException"/> for a run that cannot work.</summary>
    public RunPlan Plan() => RunPlan.Of(this);
}

/// <summary>A run's TLS as certificates and checks: what files they came from is the caller's business.</summary>
public sealed record RunTlsMaterial
{
    /// <summary>The certificate the users present to the target, or null.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The check of the target's server certificate, or null for the machine's trust store.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateCheck { get; init; }

    /// <summary>The receiver's server certificate, or null for plain HTTP.</summary>
    public X509Certificate2? ReceiverCertificate { get; init; }

    /// <summary>The receiver's check of the DCC's client certificate, or null when it requires none.</summary>
    public Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? ReceiverClientCertificateCheck { get; init; }

    /// <summary>How the embedded DCC's deliveries reach an https receiver, or null for plain HTTP.</summary>
    public Action<SocketsHttpHandler>? EmbeddedDeliveryTls { get; init; }
}

/// <summary>A run that cannot be set up as asked; the message says what to change.</summary>
public sealed class RunSetupException : Exception
{
    public RunSetupException()
    {
    }

    public RunSetupException(string message)
        : base(message)
    {
    }

    public RunSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
