using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Duis.Tests.Writing;

/// <summary>
/// A SMETS1 service provider signer for tests: ECDSA P-256 over SHA-256, enveloped signature, exclusive c14n, KeyInfo by
/// issuer and serial, built by hand from the <see cref="IEnvelopedSigner"/> contract (the digest is the SHA-256 of the
/// canonical bytes handed in). Tests check its output with <see cref="SignedXml"/>, which rebuilds everything itself.
/// The shared material holds no SMETS1 service provider key, so it borrows the ZAZ1 DSP test key.
/// </summary>
internal sealed class TestS1spSigner : IEnvelopedSigner, IDisposable
{
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    private readonly ECDsa _key;

    // The library's registration (signing and verifying): a verification-only registration here would break the
    // SignedXml signing tests that run in the same process.
    static TestS1spSigner() => XmlDsigAlgorithms.RegisterWithSignedXml();

    public TestS1spSigner()
    {
        var baseName = Path.Combine(SharedDuis.Keys, "dsp-xml-sign-90B3D51F30000002-ds");
        _key = ECDsa.Create();
        _key.ImportPkcs8PrivateKey(File.ReadAllBytes(baseName + ".key"), out _);
        Certificate = X509Certificate2.CreateFromPem(File.ReadAllText(baseName + ".pem"));
    }

    public X509Certificate2 Certificate { get; }

    public byte[] LastUnsigned { get; private set; } = [];

    public byte[] LastSigned { get; private set; } = [];

    public int Calls { get; private set; }

    public void WriteSigned(ReadOnlySpan<byte> unsignedCanonical, IBufferWriter<byte> output)
    {
        Calls++;
        var text = Encoding.UTF8.GetString(unsignedCanonical);
        var endTagStart = text.LastIndexOf("</", StringComparison.Ordinal);
        var digest = Convert.ToBase64String(SHA256.HashData(unsignedCanonical));
        const string Ns = " xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"";
        var signedInfoBody = "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></ds:CanonicalizationMethod>"
            + $"<ds:SignatureMethod Algorithm=\"{EcdsaSha256}\"></ds:SignatureMethod>"
            + "<ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"></ds:Transform></ds:Transforms>"
            + "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"></ds:DigestMethod>"
            + $"<ds:DigestValue>{digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>";
        // Exclusive c14n of SignedInfo on its own declares ds on it; in place, the ds:Signature parent declares it.
        var signature = _key.SignData(Encoding.UTF8.GetBytes("<ds:SignedInfo" + Ns + ">" + signedInfoBody), HashAlgorithmName.SHA256);
        var serial = new BigInteger(Certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true);
        var signed = text[..endTagStart]
            + "<ds:Signature" + Ns + "><ds:SignedInfo>" + signedInfoBody
            + $"<ds:SignatureValue>{Convert.ToBase64String(signature)}</ds:SignatureValue>"
            + $"<ds:KeyInfo><ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>{Certificate.Issuer}</ds:X509IssuerName><ds:X509SerialNumber>{serial}</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data></ds:KeyInfo>"
            + "</ds:Signature>" + text[endTagStart..];
        var bytes = Encoding.UTF8.GetBytes(signed);
        LastUnsigned = unsignedCanonical.ToArray();
        LastSigned = bytes;
        output.Write(bytes);
    }

    /// <summary>Verifies the signature of a standalone signed document with <see cref="SignedXml"/>.</summary>
    public bool Verify(XmlDocument standalone)
    {
        var signatureElement = (XmlElement)standalone.GetElementsByTagName("Signature", "http://www.w3.org/2000/09/xmldsig#")[0]!;
        var signedXml = new SignedXml(standalone);
        signedXml.LoadXml(signatureElement);
        using var publicKey = Certificate.GetECDsaPublicKey()!;
        return signedXml.CheckSignature(publicKey);
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
