using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Prometheus;

namespace CapacitySim.Dcc.Host;

/// <summary>Where and how the simulated DCC listens.</summary>
public sealed class DccHttpServerOptions
{
    /// <summary>The port DCC Boxed uses.</summary>
    public const int DefaultPort = 8079;

    /// <summary>Address to bind (default loopback).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port (0 picks a free one).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Server certificate for HTTPS; plain HTTP when null.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>Require and check a client certificate (mutual TLS); only with <see cref="ServerCertificate"/>.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>
    /// Decides whether a client certificate is trusted (for example: it chains to the test environment's CA); null
    /// accepts any, since the DCC checks who signed each request in DUIS itself.
    /// </summary>
    public Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? ClientCertificateValidation { get; init; }

    /// <summary>Largest request body accepted, in bytes (a firmware image request is the largest DUIS request).</summary>
    public long MaxRequestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Serve Prometheus metrics at <c>/metrics</c>.</summary>
    public bool ExposeMetrics { get; init; } = true;

    /// <summary>
    /// The registry <c>/metrics</c> serves (null: prometheus-net's default registry). Give each DCC its own when several
    /// run in one process, so that each one's <c>/metrics</c> shows its own counts.
    /// </summary>
    public CollectorRegistry? Registry { get; init; }

    /// <summary>More endpoints to serve beside DUIS (for example <see cref="EmergencyControlEndpoints"/>).</summary>
    public Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder>? MapAdditionalEndpoints { get; init; }
}
