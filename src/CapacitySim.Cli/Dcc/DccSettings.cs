using System.Net;

namespace CapacitySim.Cli.Dcc;

/// <summary>What <c>capacitysim dcc</c> was asked to run, checked and parsed from its options.</summary>
internal sealed record DccSettings
{
    /// <summary>Port to listen on (0 picks a free one; the banner prints the real one).</summary>
    public int Port { get; init; } = 8079;

    /// <summary>Address to bind.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>Population spec file, or null for the built-in default estate.</summary>
    public string? EstatePath { get; init; }

    /// <summary>Behaviour file, or null for the built-in default behaviour.</summary>
    public string? BehaviourPath { get; init; }

    /// <summary>Users file, or null for the built-in default users.</summary>
    public string? UsersPath { get; init; }

    /// <summary>One endpoint for every user's responses and alerts, or null for each user's own.</summary>
    public Uri? ResponseUrl { get; init; }

    /// <summary>Check request signatures.</summary>
    public bool VerifySignatures { get; init; } = true;

    /// <summary>Sign responses and alerts.</summary>
    public bool SignMessages { get; init; } = true;

    /// <summary>The replay check's reorder window in counter values (0 = strict).</summary>
    public int ReplayWindow { get; init; }

    /// <summary>Scenario seconds per real second.</summary>
    public double TimeCompression { get; init; } = 1;

    /// <summary>Seed of device behaviour.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The HTTPS server certificate (PKCS#12, or PEM with its key in it or in <see cref="TlsKeyPath"/>), or null for plain HTTP.</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>Password of <see cref="TlsCertificatePath"/> (PKCS#12) or of its encrypted PEM key.</summary>
    public string? TlsPassword { get; init; }

    /// <summary>Require a client certificate.</summary>
    public bool MutualTls { get; init; }

    /// <summary>Generate background alerts and scheduled events.</summary>
    public bool Alerts { get; init; } = true;

    /// <summary>Run this long (real time) and then stop as on Ctrl-C; null runs until stopped.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Longest wait (real time) for the lanes and delivery to empty when stopping.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Validate one request in this many against the schema; null: every request when the schema is available.</summary>
    public int? SchemaSample { get; init; }

    /// <summary>The folder of the generated test PKI (null: the default).</summary>
    public string? PkiDirectory { get; init; }

    /// <summary>PEM private key of a PEM <see cref="TlsCertificatePath"/>, when not in the same file.</summary>
    public string? TlsKeyPath { get; init; }

    /// <summary>The client certificate the DCC presents when it delivers to users' https endpoints (PKCS#12 or PEM), or null.</summary>
    public string? DeliveryClientCertificatePath { get; init; }

    /// <summary>PEM private key of a PEM <see cref="DeliveryClientCertificatePath"/>, when not in the same file.</summary>
    public string? DeliveryClientKeyPath { get; init; }

    /// <summary>Password of <see cref="DeliveryClientCertificatePath"/> (PKCS#12) or of its encrypted PEM key.</summary>
    public string? DeliveryClientPassword { get; init; }

    /// <summary>CA bundle (PEM) that users' client certificates must chain to under mutual TLS; null: any certificate.</summary>
    public string? ClientCaPath { get; init; }

    /// <summary>CA bundle (PEM) that users' https endpoints' certificates must chain to; null: the machine's trust store.</summary>
    public string? DeliveryCaPath { get; init; }

    /// <summary>The settings file (<c>--settings</c>), or null.</summary>
    public string? SettingsPath { get; init; }

    /// <summary>Delivery to users' endpoints: defaults, then the settings file, then options.</summary>
    public DccDeliverySettings Delivery { get; init; } = DccDeliverySettings.Defaults;
}
