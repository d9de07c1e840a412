using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace CapacitySim.Cli.Tls;

/// <summary>The client side of a TLS setting: how a connection presents its certificate and checks the server's.</summary>
internal static class TlsClient
{
    /// <summary>How long the probe waits after the handshake for a server to refuse the client certificate.</summary>
    private static readonly TimeSpan RefusalWait = TimeSpan.FromSeconds(1);

    /// <summary>How long the probe's connection and handshake may take.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Sets the client certificate and the server certificate check on a connection's TLS options.</summary>
    public static void Configure(SslClientAuthenticationOptions options, X509Certificate2? certificate, RemoteCertificateValidationCallback? serverCheck)
    {
        if (certificate is not null)
        {
            // A context rather than a list: the certificate is presented whatever CA names the server lists as acceptable.
            options.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        }

        if (serverCheck is not null)
        {
            options.RemoteCertificateValidationCallback = serverCheck;
        }
    }

    /// <summary>
    /// Opens one TLS connection to <paramref name="endpoint"/> as the run's connections will, before any load is sent,
    /// and says in one message why it fails: a server certificate that is not trusted or not for the host, or a server
    /// that refuses the client's certificate (or its absence). Under TLS 1.3 a server refuses a client certificate
    /// only after the client has finished its handshake, so the probe then waits a moment for that refusal.
    /// </summary>
    /// <returns>Null when the connection is accepted; otherwise what went wrong.</returns>
    public static async Task<string?> ProbeAsync(Uri endpoint, X509Certificate2? certificate, RemoteCertificateValidationCallback? serverCheck, Func<string?> whyRejected, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(endpoint.IdnHost, endpoint.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return $"cannot connect: {(ex is SocketException ? ex.Message : "no answer within " + ConnectTimeout.TotalSeconds + " s")}";
        }

        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions { TargetHost = endpoint.IdnHost };
        Configure(options, certificate, serverCheck);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            return whyRejected() is { } why ? $"the server's certificate is refused: {why}" : $"the TLS handshake failed: {Innermost(ex)}";
        }
        catch (IOException ex)
        {
            return Refused(certificate, Innermost(ex));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the TLS handshake did not complete within {ConnectTimeout.TotalSeconds} s";
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(RefusalWait);
        try
        {
            var buffer = new byte[1];
            return await ssl.ReadAsync(buffer, wait.Token).ConfigureAwait(false) == 0 ? Refused(certificate, "it closed the connection") : null;
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException)
        {
            return Refused(certificate, Innermost(ex));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The server holds the connection open and waits for a request: it accepted the client.
            return null;
        }
    }

    private static string Refused(X509Certificate2? certificate, string detail) => certificate is null
        ? $"the server ended the TLS connection ({detail}): it probably requires a client certificate (mutual TLS)"
        : $"the server ended the TLS connection ({detail}): it did not accept the client certificate {certificate.Subject}";

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex.Message.TrimEnd('.');
    }
}
