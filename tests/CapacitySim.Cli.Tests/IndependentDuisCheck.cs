using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace CapacitySim.Cli.Tests;

/// <summary>
/// Verifies DUIS signatures with .NET's SignedXml, an implementation CapacitySim did not write: the certificate is
/// found by reading the signature's X509SerialNumber and matching it among the <c>.pem</c> files of a keys folder.
/// </summary>
internal static class IndependentDuisCheck
{
    private const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    static IndependentDuisCheck() => CryptoConfig.AddAlgorithm(typeof(Sha256EcdsaForSignedXml), EcdsaSha256);

    /// <summary>Verifies the signature that is a child of <paramref name="signedRoot"/>; returns the certificate file used.</summary>
    public static string VerifySignatureOf(XmlElement signedRoot, params string[] keyFolders)
    {
        var doc = signedRoot == signedRoot.OwnerDocument.DocumentElement ? signedRoot.OwnerDocument : Standalone(signedRoot);
        var root = doc.DocumentElement!;
        var ns = new XmlNamespaceManager(doc.NameTable);
        ns.AddNamespace("ds", "http://www.w3.org/2000/09/xmldsig#");
        var signature = (XmlElement?)root.SelectSingleNode("ds:Signature", ns) ?? throw new InvalidOperationException("no ds:Signature child of the root");
        var serial = System.Numerics.BigInteger.Parse(signature.SelectSingleNode(".//ds:X509SerialNumber", ns)!.InnerText.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var (path, certificate) = FindBySerial(serial, keyFolders);
        var signedXml = new SignedXml(doc);
        signedXml.LoadXml(signature);
        using var key = certificate.GetECDsaPublicKey()!;
        if (!signedXml.CheckSignature(key))
        {
            throw new CryptographicException($"SignedXml rejects the signature (certificate {path}).");
        }

        return path;
    }

    public static XmlDocument Load(byte[] bytes)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        doc.Load(reader);
        return doc;
    }

    private static XmlDocument Standalone(XmlElement element)
    {
        var doc = new XmlDocument { PreserveWhitespace = true };
        doc.AppendChild(doc.ImportNode(element, deep: true));
        return doc;
    }

    private static (string Path, X509Certificate2 Certificate) FindBySerial(System.Numerics.BigInteger serial, string[] keyFolders)
    {
        foreach (var folder in keyFolders)
        {
            foreach (var pem in Directory.GetFiles(folder, "*.pem"))
            {
                if (pem.EndsWith(".key.pem", StringComparison.Ordinal))
                {
                    continue;
                }

                var cert = X509Certificate2.CreateFromPem(File.ReadAllText(pem));
                var bytes = cert.GetSerialNumber(); // little-endian
                var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: false);
                if (value == serial)
                {
                    return (pem, cert);
                }

                cert.Dispose();
            }
        }

        throw new InvalidOperationException($"no certificate with serial {serial} in {string.Join(", ", keyFolders)}");
    }
}

/// <summary>ECDSA P-256 with SHA-256, signature value r‖s: the glue SignedXml needs for DUIS's algorithm.</summary>
public sealed class Sha256EcdsaForSignedXml : SignatureDescription
{
    public Sha256EcdsaForSignedXml()
    {
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = typeof(SHA256).AssemblyQualifiedName;
    }

    public override HashAlgorithm CreateDigest() => SHA256.Create();

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new Deformatter((ECDsa)key);

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => throw new NotSupportedException("verification only");

    private sealed class Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        public override void SetHashAlgorithm(string strName)
        {
        }

        public override void SetKey(AsymmetricAlgorithm key)
        {
        }

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) => key.VerifyHash(rgbHash, rgbSignature);
    }
}
