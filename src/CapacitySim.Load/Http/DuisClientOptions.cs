using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CapacitySim.Load.Http;

/// <summary>
/// Where and how a <see cref="DuisConnection"/> sends DUIS requests: one endpoint URL (http or https), time-outs,
/// TLS identity and the limits a response must respect.
/// </summary>
public sealed class DuisClientOptions
{
    /// <summary>The endpoint every request is POSTed to, for example <c>https://dcc.example:8443/services</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>How long opening the TCP connection (and the TLS handshake) may take. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long sending a request and receiving its whole response may take, or <see cref="Timeout.InfiniteTimeSpan"/>.
    /// Default 30 s, the longest on-demand target response time.
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The client certificate (with private key) presented in the TLS handshake, if the endpoint asks for one.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// Decides whether the server certificate is accepted; null uses the system's trust store. A test PKI's server
    /// certificate is usually accepted by comparing it to the PKI's own certificate here.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>The TLS server name (SNI) and the name the certificate is checked against; defaults to the endpoint's host.</summary>
    public string? TlsTargetHost { get; init; }

    /// <summary>The media type sent in Content-Type. Default <c>application/xml</c>, as DUIS requires.</summary>
    public string ContentType { get; init; } = "application/xml";

    /// <summary>
    /// Further paths on the same server that a request may be posted to instead of the endpoint's own (a DUIS
    /// endpoint has three web services, <c>/api/v1/serviceS</c>, <c>serviceD</c> and <c>serviceT</c>, on one
    /// connection); <see cref="DuisConnection.SendAsync{TBody, THandler}(TBody, THandler, int, CancellationToken)"/>
    /// picks one by index, 1 for the first. Absolute paths with any query, already percent-encoded.
    /// </summary>
    public IReadOnlyList<string> AlternatePaths { get; init; } = [];

    /// <summary>The largest response head (status line and headers) accepted. Default 64 KiB.</summary>
    public int MaxResponseHeadBytes { get; init; } = 64 * 1024;

    /// <summary>The largest response body accepted. Default 4 MiB.</summary>
    public int MaxResponseBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Whether a plain-HTTP connection's socket is served by the project's own epoll loop (<see cref="SocketLoop"/>)
    /// rather than .NET's socket engine (TLS connections always use .NET's): on by default where supported (Linux on
    /// x86-64 or arm64), which saves the client a receive and an engine hand-over per request; the environment
    /// variable <c>CAPACITYSIM_SOCKET_LOOP=0</c> turns it off, and <c>CAPACITYSIM_SOCKET_LOOPS=N</c> sets the number
    /// of loop threads (default one per core).
    /// </summary>
    internal bool UseSocketLoop { get; init; } = Environment.GetEnvironmentVariable("CAPACITYSIM_SOCKET_LOOP") != "0";

    /// <summary>Throws when a setting cannot work, naming the setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Endpoint is null || !Endpoint.IsAbsoluteUri
            || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("Endpoint must be an absolute http:// or https:// URL.", nameof(Endpoint));
        }

        if (ConnectTimeout <= TimeSpan.Zero && ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("ConnectTimeout must be positive or infinite.", nameof(ConnectTimeout));
        }

        if (ResponseTimeout <= TimeSpan.Zero && ResponseTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("ResponseTimeout must be positive or infinite.", nameof(ResponseTimeout));
        }

        if (MaxResponseHeadBytes < 256)
        {
            throw new ArgumentException("MaxResponseHeadBytes must be at least 256.", nameof(MaxResponseHeadBytes));
        }

        if (MaxResponseBodyBytes < 0)
        {
            throw new ArgumentException("MaxResponseBodyBytes must not be negative.", nameof(MaxResponseBodyBytes));
        }

        foreach (var path in AlternatePaths)
        {
            if (string.IsNullOrEmpty(path) || path[0] != '/' || path.AsSpan().ContainsAny(" \r\n"))
            {
                throw new ArgumentException($"Alternate path '{path}' must be an absolute path without spaces or line breaks.", nameof(AlternatePaths));
            }
        }

        if (string.IsNullOrWhiteSpace(ContentType) || ContentType.AsSpan().ContainsAny('\r', '\n'))
        {
            throw new ArgumentException("ContentType must be a single-line media type.", nameof(ContentType));
        }
    }
}
