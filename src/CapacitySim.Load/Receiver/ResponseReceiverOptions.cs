using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CapacitySim.Load.Receiver;

/// <summary>
/// Where and how the users' response receiver listens: loopback on a free port by default, HTTP unless a server
/// certificate is given. The DCC delivers responses and alerts by POST to <see cref="Path"/> or any path under it.
/// </summary>
public sealed record ResponseReceiverOptions
{
    /// <summary>The path DCC Boxed delivers to when none is configured.</summary>
    public const string DefaultPath = "/receive-response";

    /// <summary>The address to listen on (loopback by default: the embedded DCC delivers on the same machine).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port to listen on; 0 picks a free one (read it back from <see cref="ResponseReceiver.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>The delivery path; POSTs to it or to any path under it are accepted.</summary>
    public string Path { get; init; } = DefaultPath;

    /// <summary>Serves HTTPS with this certificate when set.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>
    /// Set, an https receiver requires the DCC's client certificate (mutual TLS) and accepts the connection only when
    /// this says yes; a DCC without an accepted certificate cannot deliver, and counts and retries the failure.
    /// </summary>
    public Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? ClientCertificateValidation { get; init; }

    /// <summary>Largest body accepted; larger deliveries are answered 413 and counted as too large.</summary>
    public long MaxRequestBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Options for a listen URL such as <c>http://0.0.0.0:8080/receive-response</c> (the run's <c>--listen</c>):
    /// host <c>localhost</c>, <c>*</c>, <c>+</c> or an IP address; the URL's path, or <see cref="DefaultPath"/> when it
    /// has none. An <c>https</c> URL needs <paramref name="certificate"/>.
    /// </summary>
    public static ResponseReceiverOptions FromUrl(Uri url, X509Certificate2? certificate = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            ThrowUrl(url, "it must be an absolute http or https URL");
        }

        if (url.Scheme == Uri.UriSchemeHttps && certificate is null)
        {
            ThrowUrl(url, "an https listener needs a server certificate");
        }

        var host = url.Host;
        IPAddress address;
        if (host is "*" or "+" or "0.0.0.0")
        {
            address = IPAddress.Any;
        }
        else if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host.Trim('[', ']'), out address!))
        {
            ThrowUrl(url, "the host must be localhost, * or an IP address");
        }

        var path = url.AbsolutePath.TrimEnd('/');
        return new ResponseReceiverOptions
        {
            Address = address,
            Port = url.Port,
            Path = path.Length == 0 ? DefaultPath : path,
            ServerCertificate = url.Scheme == Uri.UriSchemeHttps ? certificate : null,
        };
    }

    [DoesNotReturn]
    private static void ThrowUrl(Uri url, string why)
        => throw new ArgumentException($"Listen URL '{url}': {why}.", nameof(url));
}
