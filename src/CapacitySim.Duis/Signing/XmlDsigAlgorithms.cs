using System.Security.Cryptography;

namespace CapacitySim.Duis.Signing;

/// <summary>
/// The XMLDSig algorithm identifiers DUIS uses, and the registration that teaches <c>SignedXml</c> ECDSA-SHA256.
/// </summary>
public static class XmlDsigAlgorithms
{
    /// <summary>Exclusive XML canonicalization without comments: the canonicalization method of <c>SignedInfo</c>.</summary>
    public const string ExclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#";

    /// <summary>ECDSA over SHA-256 (RFC 4051): the DUIS signature method.</summary>
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    /// <summary>The enveloped-signature transform: the only transform of the DUIS reference.</summary>
    public const string EnvelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    /// <summary>SHA-256 digest method.</summary>
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";

    private static int registered;

    /// <summary>
    /// Registers <see cref="EcdsaSha256SignatureDescription"/> for <see cref="EcdsaSha256"/> with
    /// <see cref="CryptoConfig"/>, which is where <c>SignedXml</c> looks signature methods up. Idempotent and thread-safe.
    /// </summary>
    public static void RegisterWithSignedXml()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            CryptoConfig.AddAlgorithm(typeof(EcdsaSha256SignatureDescription), EcdsaSha256);
        }
    }
}

/// <summary>
/// ECDSA-SHA256 for <c>SignedXml</c>: the XMLDSig signature value is r‖s (IEEE P1363), which is the format
/// <see cref="ECDsa.SignHash(byte[])"/> and <see cref="ECDsa.VerifyHash(byte[], byte[])"/> use by default.
/// </summary>
public sealed class EcdsaSha256SignatureDescription : SignatureDescription
{
    /// <summary>Creates the description (called by <see cref="CryptoConfig"/>).</summary>
    public EcdsaSha256SignatureDescription()
    {
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = typeof(SHA256).AssemblyQualifiedName;
    }

    /// <inheritdoc />
    public override HashAlgorithm CreateDigest() => SHA256.Create();

    /// <inheritdoc />
    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => new Formatter(AsEcdsa(key));

    /// <inheritdoc />
    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new Deformatter(AsEcdsa(key));

    private static ECDsa AsEcdsa(AsymmetricAlgorithm key) =>
        key as ECDsa ?? throw new CryptographicException($"ECDSA-SHA256 needs an ECDsa key, not {key?.GetType().Name ?? "null"}.");

    private sealed class Formatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        private ECDsa key = key;

        public override byte[] CreateSignature(byte[] rgbHash) =>
            key.SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        public override void SetHashAlgorithm(string strName)
        {
            // SHA-256 is fixed by the signature method.
        }

        public override void SetKey(AsymmetricAlgorithm key) => this.key = AsEcdsa(key);
    }

    private sealed class Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        private ECDsa key = key;

        public override void SetHashAlgorithm(string strName)
        {
            // SHA-256 is fixed by the signature method.
        }

        public override void SetKey(AsymmetricAlgorithm key) => this.key = AsEcdsa(key);

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) =>
            key.VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
