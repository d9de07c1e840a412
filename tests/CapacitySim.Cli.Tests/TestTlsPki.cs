using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Cli.Tests;

/// <summary>
/// A DCC test environment's TLS PKI, made for the tests: a CA, the server certificate of whatever listens on this
/// machine (localhost, 127.0.0.1), the users' and the DCC's client certificates, and for the negative cases a second,
/// unrelated CA, an expired certificate and an empty bundle. Written as the files an engineer would be handed: PEM
/// certificates with separate keys (one encrypted), and PKCS#12.
/// </summary>
public sealed class TestTlsPki : IDisposable
{
    public const string Password = "test-password";

    private readonly TempFolder folder = new("capacitysim-tls");

    public TestTlsPki()
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CreateCa("CN=CapacitySim test DCC CA", now);
        using var otherCa = CreateCa("CN=Some other CA", now);
        WritePem(CaPem, ca);
        WritePem(OtherCaPem, otherCa);
        File.WriteAllText(EmptyBundle, "# no certificates here\n");

        Write(ca, "CN=localhost", server: true, now.AddDays(-1), now.AddDays(30), ServerPem, ServerKey, ServerPfx);
        Write(ca, "CN=CapacitySim test supplier", server: false, now.AddDays(-1), now.AddDays(30), UserPem, UserKey, UserPfx);
        Write(ca, "CN=CapacitySim test DCC delivery", server: false, now.AddDays(-1), now.AddDays(30), DccPem, DccKeyEncrypted, encryptKey: true);
        Write(ca, "CN=CapacitySim expired supplier", server: false, now.AddHours(-20), now.AddHours(-1), ExpiredPem, ExpiredKey);
    }

    public string CaPem => folder.File("ca.pem");

    public string OtherCaPem => folder.File("other-ca.pem");

    public string EmptyBundle => folder.File("empty-bundle.pem");

    public string ServerPfx => folder.File("server.pfx");

    public string ServerPem => folder.File("server.pem");

    public string ServerKey => folder.File("server.key");

    public string UserPfx => folder.File("user.p12");

    public string UserPem => folder.File("user.pem");

    public string UserKey => folder.File("user.key");

    public string DccPem => folder.File("dcc.pem");

    public string DccKeyEncrypted => folder.File("dcc.key");

    public string ExpiredPem => folder.File("expired.pem");

    public string ExpiredKey => folder.File("expired.key");

    public string Folder => folder.Path;

    public void Dispose() => folder.Dispose();

    private static X509Certificate2 CreateCa(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-2), now.AddDays(60));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, bool server, DateTimeOffset notBefore, DateTimeOffset notAfter, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca, notBefore, notAfter, serial);
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>Issues a certificate and writes it as PEM, its key as PKCS#8 PEM (encrypted or not) and, if asked, both as PKCS#12.</summary>
    private static void Write(X509Certificate2 ca, string subject, bool server, DateTimeOffset notBefore, DateTimeOffset notAfter, string pem, string keyFile, string? pfx = null, bool encryptKey = false)
    {
        using var certificate = Issue(ca, subject, server, notBefore, notAfter, out var key);
        using (key)
        {
            WritePem(pem, certificate);
            File.WriteAllText(keyFile, encryptKey
                ? key.ExportEncryptedPkcs8PrivateKeyPem(Password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000))
                : key.ExportPkcs8PrivateKeyPem());
            if (pfx is not null)
            {
                File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, Password));
            }
        }
    }

    private static void WritePem(string path, X509Certificate2 certificate) => File.WriteAllText(path, certificate.ExportCertificatePem());
}
