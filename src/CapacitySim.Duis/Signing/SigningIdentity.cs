using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CapacitySim.Duis.Signing;

/// <summary>
/// A DUIS signing identity: the EC P-256 private key, its certificate, and the certificate's issuer and serial as
/// <c>KeyInfo/X509Data/X509IssuerSerial</c> writes them (issuer in RFC 2253 form, serial in decimal).
/// </summary>
public sealed class SigningIdentity : IDisposable
{
    /// <summary>Creates an identity from a key and its certificate, checking that they belong together.</summary>
    /// <exception cref="ArgumentException">The key is not P-256 or does not match the certificate's public key.</exception>
    public SigningIdentity(ECDsa privateKey, X509Certificate2 certificate, string name)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(name);
        if (privateKey.KeySize != 256)
        {
            throw new ArgumentException($"{name}: the private key is EC {privateKey.KeySize}-bit; DUIS signing keys are P-256.", nameof(privateKey));
        }

        using var publicKey = certificate.GetECDsaPublicKey()
            ?? throw new ArgumentException($"{name}: the certificate holds no EC public key.", nameof(certificate));
        if (!publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(privateKey.ExportSubjectPublicKeyInfo()))
        {
            throw new ArgumentException($"{name}: the private key does not match the certificate's public key.", nameof(privateKey));
        }

        PrivateKey = privateKey;
        Certificate = certificate;
        Name = name;
        IssuerName = DistinguishedNames.FormatRfc2253(certificate.IssuerName);
        SerialNumber = DecimalSerial(certificate);
    }

    /// <summary>The file stem or other name the identity was loaded under (used in messages).</summary>
    public string Name { get; }

    /// <summary>The private signing key.</summary>
    public ECDsa PrivateKey { get; }

    /// <summary>The certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The issuer as <c>X509IssuerName</c> carries it, for example <c>CN=Z1,OU=07</c>.</summary>
    public string IssuerName { get; }

    /// <summary>The certificate serial number in decimal, as <c>X509SerialNumber</c> carries it.</summary>
    public string SerialNumber { get; }

    /// <summary>
    /// Loads <c>{stem}.key</c> (DER PKCS#8 EC private key) and <c>{stem}.pem</c> (certificate) from a DUIS keys folder.
    /// </summary>
    /// <exception cref="FileNotFoundException">One of the two files is missing.</exception>
    /// <exception cref="InvalidDataException">A file cannot be read as what it should be, or key and certificate differ.</exception>
    public static SigningIdentity Load(string keysDirectory, string stem)
    {
        ArgumentNullException.ThrowIfNull(keysDirectory);
        ArgumentNullException.ThrowIfNull(stem);
        var keyPath = Path.Combine(keysDirectory, stem + ".key");
        var certPath = Path.Combine(keysDirectory, stem + ".pem");
        var certificate = LoadCertificate(certPath);
        var key = LoadPrivateKey(keyPath);
        try
        {
            return new SigningIdentity(key, certificate, stem);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            certificate.Dispose();
            throw new InvalidDataException($"{keyPath}: {e.Message}", e);
        }
    }

    /// <summary>Reads a PEM certificate file, with the file and reason in any error.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file holds no readable certificate.</exception>
    public static X509Certificate2 LoadCertificate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Certificate file not found: {path}", path);
        }

        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"{path}: not a PEM certificate ({e.Message}).", e);
        }
    }

    /// <summary>Reads a DER PKCS#8 EC private key file, with the file and reason in any error.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file holds no readable EC private key.</exception>
    public static ECDsa LoadPrivateKey(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Private key file not found: {path}", path);
        }

        var der = File.ReadAllBytes(path);
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(der, out var read);
            if (read != der.Length)
            {
                throw new CryptographicException($"{der.Length - read} bytes follow the key");
            }

            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new InvalidDataException($"{path}: not a DER PKCS#8 EC private key ({e.Message}).", e);
        }
    }

    /// <summary>The certificate serial number in decimal (the DER INTEGER, as Java's <c>getSerialNumber()</c> reads it).</summary>
    public static string DecimalSerial(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: false, isBigEndian: true).ToString();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        PrivateKey.Dispose();
        Certificate.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({IssuerName}, {SerialNumber})";
}
