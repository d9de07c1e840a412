using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CapacitySim.Cli.Tls;

/// <summary>
/// Trust in exactly the CAs of one bundle (<c>--ca-cert</c>, <c>--listen-ca</c>, <c>--delivery-ca</c>) instead of the
/// machine's store: a DCC test environment's TLS certificates chain to its own CA, which the machine does not know,
/// and trusting that CA alone is what <c>--insecure</c> would otherwise be used for. The peer's certificate must chain
/// to one of the bundle's CAs, be valid now and be meant for its side (server or client authentication); a server's
/// must also carry the host name the client asked for, which .NET's TLS checks as usual. The check runs once per
/// handshake, never per request.
/// </summary>
internal sealed class CustomRootTrust(X509Certificate2Collection roots, string origin)
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private volatile string? lastRejection;

    /// <summary>Why the last certificate was refused, or null: for the message that explains a failed connection.</summary>
    public string? LastRejection => lastRejection;

    /// <summary>The client side's check of a server certificate (host name included).</summary>
    public RemoteCertificateValidationCallback ServerCertificateCallback
        => (_, certificate, _, errors) => Accepts(certificate, errors, ServerAuthentication);

    /// <summary>The server side's check of a client certificate (Kestrel's form).</summary>
    public Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool> ClientCertificateCallback
        => (certificate, _, errors) => Accepts(certificate, errors, ClientAuthentication);

    private bool Accepts(X509Certificate? certificate, SslPolicyErrors errors, Oid purpose)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            lastRejection = "the peer sent no certificate";
            return false;
        }

        using var owned = certificate is X509Certificate2 ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var peer = owned ?? (X509Certificate2)certificate;
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            lastRejection = $"the certificate {peer.Subject} is not for the host name asked for (its names: {Names(peer)})";
            return false;
        }

        // The chain errors .NET found were against the machine's store; they are replaced by the bundle's verdict.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(purpose);
        if (chain.Build(peer))
        {
            lastRejection = null;
            return true;
        }

        var statuses = chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").Distinct();
        lastRejection = $"the certificate {peer.Subject} (issued by {peer.Issuer}) does not chain to {origin}: {string.Join("; ", statuses)}";
        return false;
    }

    private static string Names(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null)
        {
            return certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        }

        return string.Join(", ", san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(a => a.ToString())));
    }
}
