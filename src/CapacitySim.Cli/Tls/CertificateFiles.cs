using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CapacitySim.Cli.Tls;

/// <summary>
/// A file the user named for TLS, and where they named it: an option (<c>--client-cert</c>) or a scenario key with
/// its position (<c>peak.yaml:31:17: target.tls.clientCert</c>), so that every message points at the right place.
/// </summary>
internal sealed record TlsFile(string Path, string Origin);

/// <summary>The options (or scenario keys) of one certificate-and-key setting, named in messages that ask for one of them.</summary>
internal sealed record CertificateOptionNames(string Certificate, string Key, string CertificatePassword, string KeyPassword);

/// <summary>
/// One TLS identity as the user gave it: a certificate with its private key, either one PKCS#12 file (<c>.pfx</c>,
/// <c>.p12</c>, with <paramref name="CertificatePassword"/>) or PEM (the certificate, and the key in the same file or
/// in <paramref name="Key"/>, encrypted PKCS#8 with <paramref name="KeyPassword"/>).
/// </summary>
internal sealed record CertificateFileSet(TlsFile Certificate, TlsFile? Key, string? CertificatePassword, string? KeyPassword, CertificateOptionNames Names);

/// <summary>
/// Reads the certificates a TLS setting names — identities (certificate and private key, PEM or PKCS#12) and CA
/// bundles (PEM) — for every command, and says exactly what is wrong with a file: missing, no private key, wrong
/// password, a key of another certificate, expired or not yet valid, a bundle with no certificate in it.
/// </summary>
internal static class CertificateFiles
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    private static readonly string[] KeyLabels = ["PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

    /// <summary>Loads a certificate with its private key; throws <see cref="CliException"/> saying what is wrong.</summary>
    public static X509Certificate2 LoadIdentity(CertificateFileSet files, TimeProvider? time = null)
    {
        var (certificate, key, certificatePassword, keyPassword, names) = files;
        var bytes = Read(certificate);

        // A command with one password option for both forms (capacitysim dcc's) cannot give the wrong one.
        var onePassword = names.CertificatePassword == names.KeyPassword;
        X509Certificate2 loaded;
        if (!IsPem(bytes))
        {
            if (key is not null)
            {
                throw new CliException($"{key.Origin} {key.Path}: a key file is for a PEM certificate, but {certificate.Origin} {certificate.Path} is PKCS#12, which holds its own key.");
            }

            if (keyPassword is not null && !onePassword)
            {
                throw new CliException($"{names.KeyPassword} is the password of a PEM key, but {certificate.Origin} {certificate.Path} is PKCS#12: give its password as {names.CertificatePassword}.");
            }

            loaded = LoadPkcs12(bytes, certificate, certificatePassword, names);
        }
        else
        {
            if (certificatePassword is not null && keyPassword is null && !onePassword)
            {
                throw new CliException($"{names.CertificatePassword} is the password of a PKCS#12 file, but {certificate.Origin} {certificate.Path} is PEM: give the password of its encrypted key as {names.KeyPassword}.");
            }

            loaded = LoadPem(bytes, certificate, key, keyPassword, names);
        }

        try
        {
            CheckValidity(loaded, certificate, time ?? TimeProvider.System);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }

        return loaded;
    }

    /// <summary>Loads a CA bundle (PEM, one or more certificates; or one DER certificate) the peer's certificate must chain to.</summary>
    public static X509Certificate2Collection LoadCaBundle(TlsFile file, TimeProvider? time = null)
    {
        var bytes = Read(file);
        var bundle = new X509Certificate2Collection();
        try
        {
            if (IsPem(bytes))
            {
                bundle.ImportFromPem(System.Text.Encoding.ASCII.GetString(bytes));
            }
            else if (bytes.Length > 0 && bytes[0] == 0x30)
            {
                // One DER certificate (an ASN.1 SEQUENCE), as some CAs hand theirs out.
                bundle.Add(X509CertificateLoader.LoadCertificate(bytes));
            }
        }
        catch (CryptographicException ex)
        {
            throw new CliException($"{file.Origin} {file.Path}: not a CA bundle: expected PEM certificates (-----BEGIN CERTIFICATE-----): {ex.Message}", ex);
        }

        if (bundle.Count == 0)
        {
            throw new CliException($"{file.Origin} {file.Path}: the CA bundle holds no certificate: expected one or more PEM blocks -----BEGIN CERTIFICATE-----.");
        }

        // A bundle may keep a retired CA beside its successor; only a bundle with nothing current in it cannot work.
        var now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        if (bundle.All(c => c.NotAfter.ToUniversalTime() < now))
        {
            var latest = bundle.Max(c => c.NotAfter.ToUniversalTime());
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{file.Origin} {file.Path}: every certificate in the CA bundle has expired (the latest on {latest:yyyy-MM-dd HH:mm:ss}Z)."));
        }

        return bundle;
    }

    private static byte[] Read(TlsFile file)
    {
        try
        {
            return File.ReadAllBytes(file.Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"{file.Origin} {file.Path}: file not found.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{file.Origin} {file.Path}: cannot read it: {ex.Message}", ex);
        }
    }

    private static bool IsPem(ReadOnlySpan<byte> bytes) => bytes.IndexOf("-----BEGIN "u8) >= 0;

    private static X509Certificate2 LoadPkcs12(byte[] bytes, TlsFile file, string? password, CertificateOptionNames names)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(bytes, password);
        }
        catch (CryptographicException ex)
        {
            var why = password is null
                ? $"it is protected by a password (give {names.CertificatePassword}) or it is not PKCS#12 (.pfx, .p12) nor PEM"
                : $"wrong {names.CertificatePassword}, or it is not PKCS#12 (.pfx, .p12) nor PEM";
            throw new CliException($"{file.Origin} {file.Path}: cannot open it: {why} ({ex.Message.TrimEnd('.')}).", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CliException($"{file.Origin} {file.Path}: the PKCS#12 file holds no private key for its certificate; TLS needs both.");
        }

        return certificate;
    }

    private static X509Certificate2 LoadPem(byte[] bytes, TlsFile file, TlsFile? keyFile, string? password, CertificateOptionNames names)
    {
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (FindBlock(text, static label => label == "CERTIFICATE") is not ({ } certificateBlock, _))
        {
            throw new CliException($"{file.Origin} {file.Path}: no certificate in it: expected PEM (-----BEGIN CERTIFICATE-----) or PKCS#12 (.pfx, .p12).");
        }

        using var certificate = X509Certificate2.CreateFromPem(certificateBlock);
        var keySource = keyFile ?? file;
        var keyText = keyFile is null ? text : System.Text.Encoding.ASCII.GetString(Read(keyFile));
        if (keyText.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new CliException($"{keySource.Origin} {keySource.Path}: the key is encrypted in OpenSSL's legacy form, which is not supported: convert it to PKCS#8 (openssl pkcs8 -topk8 -in OLD -out NEW).");
        }

        if (FindBlock(keyText, static l => KeyLabels.Contains(l)) is not ({ } keyBlock, { } label))
        {
            throw new CliException(keyFile is null
                ? $"{file.Origin} {file.Path}: the PEM file holds a certificate but no private key; TLS needs both: give the key as {names.Key} FILE (or put it in the same file)."
                : $"{keyFile.Origin} {keyFile.Path}: no private key in it: expected PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY-----).");
        }

        var encrypted = label == "ENCRYPTED PRIVATE KEY";
        if (encrypted && password is null)
        {
            throw new CliException($"{keySource.Origin} {keySource.Path}: the private key is encrypted: give its password as {names.KeyPassword}.");
        }

        if (!encrypted && password is not null)
        {
            throw new CliException($"{names.KeyPassword} was given, but the private key in {keySource.Path} is not encrypted.");
        }

        X509Certificate2 withKey;
        try
        {
            withKey = certificate.GetKeyAlgorithm() switch
            {
                RsaOid => WithKey(certificate, RSA.Create(), keyBlock, password, static (c, k) => c.CopyWithPrivateKey(k)),
                EcOid => WithKey(certificate, ECDsa.Create(), keyBlock, password, static (c, k) => c.CopyWithPrivateKey(k)),
                var oid => throw new CliException($"{file.Origin} {file.Path}: the certificate's key algorithm ({oid}) is neither RSA nor EC, which TLS here needs."),
            };
        }
        catch (CryptographicException ex) when (encrypted)
        {
            throw new CliException($"{keySource.Origin} {keySource.Path}: cannot decrypt the private key: wrong {names.KeyPassword}.", ex);
        }
        catch (CryptographicException ex)
        {
            throw new CliException($"{keySource.Origin} {keySource.Path}: cannot read the private key: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"{keySource.Origin} {keySource.Path}: the private key does not belong to the certificate in {file.Path} ({certificate.Subject}).", ex);
        }

        if (!OperatingSystem.IsWindows())
        {
            return withKey;
        }

        // Windows' TLS cannot use a key that exists only in memory: one round trip through PKCS#12 gives it a stored one.
        using (withKey)
        {
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
    }

    private static X509Certificate2 WithKey<TKey>(X509Certificate2 certificate, TKey key, string pem, string? password, Func<X509Certificate2, TKey, X509Certificate2> attach)
        where TKey : AsymmetricAlgorithm
    {
        using (key)
        {
            if (password is null)
            {
                key.ImportFromPem(pem);
            }
            else
            {
                key.ImportFromEncryptedPem(pem, password);
            }

            return attach(certificate, key);
        }
    }

    /// <summary>The first PEM block whose label passes <paramref name="wanted"/>, with its label; or null.</summary>
    private static (string Block, string Label)? FindBlock(string text, Func<string, bool> wanted)
    {
        var rest = text.AsSpan();
        var offset = 0;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            if (wanted(label))
            {
                return (text.Substring(offset + fields.Location.Start.Value, fields.Location.End.Value - fields.Location.Start.Value), label);
            }

            offset += fields.Location.End.Value;
            rest = rest[fields.Location.End.Value..];
        }

        return null;
    }

    private static void CheckValidity(X509Certificate2 certificate, TlsFile file, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (certificate.NotAfter.ToUniversalTime() < now)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{file.Origin} {file.Path}: the certificate {certificate.Subject} expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z."));
        }

        if (certificate.NotBefore.ToUniversalTime() > now)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{file.Origin} {file.Path}: the certificate {certificate.Subject} is not valid until {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z."));
        }
    }
}
