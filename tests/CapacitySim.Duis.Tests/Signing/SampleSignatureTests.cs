using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Duis.Tests.Signing;

/// <summary>The DCC Boxed signed samples against the general and fast paths.</summary>
public sealed partial class SampleSignatureTests
{
    private const string ResponseSample = "11.2_READ_FIRMWARE_VERSION_I0_signed.xml";
    private const string MutatedSample = "ECS17b_4.1.1_REQUEST_DUIS-signed.xml";

    public static TheoryData<string> SignedSamples()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(SharedDuis.SignedSamples, "*.xml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Fact]
    public void There_are_five_signed_sample_requests() => Assert.Equal(5, SignedSamples().Count);

    [Theory]
    [MemberData(nameof(SignedSamples))]
    public void Signed_sample_request_verifies_with_its_originators_certificate(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(SharedDuis.SignedSamples, name));
        var (issuer, serial) = IssuerSerial(bytes);
        Assert.True(SigningFixture.Store.TryFind(issuer, serial, out var certificate));
        Assert.Equal(SigningFixture.SupplierStem, certificate.Stem);
        Assert.Equal(SignatureVerificationResult.Valid, new DuisSignatureVerifier(SigningFixture.Store).Verify(bytes));
        Assert.True(SigningFixture.SignedXmlVerifies(bytes, certificate.PublicKey));
    }

    [Fact]
    public void Signed_sample_response_verifies_with_the_dsp_pre_1_4_1_certificate()
    {
        var bytes = File.ReadAllBytes(Path.Combine(SharedDuis.ResponseSamples, ResponseSample));
        var (issuer, serial) = IssuerSerial(bytes);
        Assert.True(SigningFixture.Store.TryFind(issuer, serial, out var certificate));
        Assert.Equal(SigningFixture.DspPreStem, certificate.Stem);
        Assert.Equal(SignatureVerificationResult.Valid, new DuisSignatureVerifier(SigningFixture.Store).Verify(bytes));
    }

    [Theory]
    [MemberData(nameof(SignedSamples))]
    public void Fast_verifier_hands_java_signed_samples_to_the_general_path(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(SharedDuis.SignedSamples, name));
        using var fast = new FastEnvelopedVerifier(SigningFixture.Store);
        Assert.Equal(SignatureVerificationResult.NotCanonical, fast.Verify(bytes));
        Assert.Equal(SignatureVerificationResult.Valid, fast.VerifyOrFallBack(bytes));
    }

    [Theory]
    [MemberData(nameof(SignedSamples))]
    public void Canonical_signed_info_template_is_what_dcc_boxed_signed(string name)
    {
        // The fast path hashes its own pre-encoded canonical SignedInfo: with the sample's digest patched in, the
        // Java tool's signature must verify over it, byte for byte.
        var bytes = File.ReadAllBytes(Path.Combine(SharedDuis.SignedSamples, name));
        var text = Encoding.UTF8.GetString(bytes);
        var digest = DigestValueRegex().Match(text).Groups[1].Value;
        var signatureValue = SignatureValueRegex().Match(text).Groups[1].Value.Replace("&#13;", string.Empty, StringComparison.Ordinal);
        var signedInfo = SignedInfoTemplate(digest);
        var identity = SigningFixture.Store.Identity(SigningFixture.SupplierStem);
        Assert.True(identity.PrivateKey.VerifyHash(SHA256.HashData(signedInfo), Convert.FromBase64String(signatureValue.Trim())));
        Assert.False(identity.PrivateKey.VerifyHash(SHA256.HashData(SignedInfoTemplate(digest.Replace(digest[..4], "AAAA", StringComparison.Ordinal))), Convert.FromBase64String(signatureValue.Trim())));
    }

    [Theory]
    [MemberData(nameof(SignedSamples))]
    public void Sample_reference_digest_is_inclusive_c14n_of_the_document_without_signature(string name)
    {
        // What DCC Boxed digests: after the enveloped transform, XMLDSig's default inclusive c14n (the root keeps its
        // unused xmlns:ds and xmlns:xsi). Exclusive c14n would drop them and give another digest.
        var bytes = File.ReadAllBytes(Path.Combine(SharedDuis.SignedSamples, name));
        var doc = DuisSignatureVerifier.LoadDocument(bytes);
        var signature = doc.GetElementsByTagName("Signature", DuisNamespaces.XmlDsig)[0]!;
        signature.ParentNode!.RemoveChild(signature);
        var claimed = DigestValueRegex().Match(Encoding.UTF8.GetString(bytes)).Groups[1].Value;

        var inclusive = new System.Security.Cryptography.Xml.XmlDsigC14NTransform();
        inclusive.LoadInput(doc);
        using var inclusiveStream = (Stream)inclusive.GetOutput(typeof(Stream));
        Assert.Equal(claimed, Convert.ToBase64String(SHA256.HashData(inclusiveStream)));

        var exclusive = new System.Security.Cryptography.Xml.XmlDsigExcC14NTransform();
        exclusive.LoadInput(doc);
        using var exclusiveStream = (Stream)exclusive.GetOutput(typeof(Stream));
        Assert.NotEqual(claimed, Convert.ToBase64String(SHA256.HashData(exclusiveStream)));
    }

    [Fact]
    public void Every_byte_of_the_request_id_and_service_reference_variant_is_signed()
    {
        var bytes = File.ReadAllBytes(Path.Combine(SharedDuis.SignedSamples, MutatedSample));
        var verifier = new DuisSignatureVerifier(SigningFixture.Store);
        var positions = TextPositions(bytes, "<sr:RequestID>", "</sr:RequestID>")
            .Concat(TextPositions(bytes, "<sr:ServiceReferenceVariant>", "</sr:ServiceReferenceVariant>"))
            .Concat(TextPositions(bytes, "schemaVersion=\"", "\""))
            .ToList();
        Assert.True(positions.Count > 60);
        foreach (var at in positions)
        {
            var mutated = (byte[])bytes.Clone();
            mutated[at] = Mutate(mutated[at]);
            Assert.Equal(SignatureVerificationResult.DigestMismatch, verifier.Verify(mutated));
        }
    }

    [Fact]
    public void Every_character_of_digest_and_signature_values_is_signed()
    {
        var bytes = File.ReadAllBytes(Path.Combine(SharedDuis.SignedSamples, MutatedSample));
        var verifier = new DuisSignatureVerifier(SigningFixture.Store);
        foreach (var at in TextPositions(bytes, "<ds:DigestValue>", "</ds:DigestValue>").Where(i => bytes[i] != (byte)'='))
        {
            var mutated = (byte[])bytes.Clone();
            mutated[at] = MutateBase64(mutated[at]);
            Assert.Equal(SignatureVerificationResult.DigestMismatch, verifier.Verify(mutated));
        }

        var signaturePositions = TextPositions(bytes, "<ds:SignatureValue>", "</ds:SignatureValue>")
            .Where(i => IsBase64Char(bytes[i]) && !InsideCharacterReference(bytes, i)).ToList();
        Assert.Equal(86, signaturePositions.Count);
        foreach (var at in signaturePositions)
        {
            var mutated = (byte[])bytes.Clone();
            mutated[at] = MutateBase64(mutated[at]);
            Assert.Equal(SignatureVerificationResult.SignatureInvalid, verifier.Verify(mutated));
        }
    }

    [Fact]
    public void Body_and_key_info_changes_fail()
    {
        var bytes = File.ReadAllBytes(Path.Combine(SharedDuis.SignedSamples, "8.3_DECOMMISSION_DEVICE_REQUEST_DUIS-signed.xml"));
        var verifier = new DuisSignatureVerifier(SigningFixture.Store);
        foreach (var at in TextPositions(bytes, "<sr:DeviceID>", "</sr:DeviceID>"))
        {
            var mutated = (byte[])bytes.Clone();
            mutated[at] = Mutate(mutated[at]);
            Assert.Equal(SignatureVerificationResult.DigestMismatch, verifier.Verify(mutated));
        }

        var serial = TextPositions(bytes, "<ds:X509SerialNumber>", "</ds:X509SerialNumber>").First();
        var otherCertificate = (byte[])bytes.Clone();
        otherCertificate[serial] = Mutate(otherCertificate[serial]);
        Assert.Equal(SignatureVerificationResult.UnknownCertificate, verifier.Verify(otherCertificate));

        var text = Encoding.UTF8.GetString(bytes);
        var unsigned = SignatureRegex().Replace(text, string.Empty);
        Assert.Equal(SignatureVerificationResult.NoSignature, verifier.Verify(Encoding.UTF8.GetBytes(unsigned)));
        Assert.Equal(SignatureVerificationResult.Malformed, verifier.Verify(bytes.AsSpan(0, bytes.Length - 3)));
        var sha1 = text.Replace(XmlDsigAlgorithms.Sha256, "http://www.w3.org/2000/09/xmldsig#sha1", StringComparison.Ordinal);
        Assert.Equal(SignatureVerificationResult.Malformed, verifier.Verify(Encoding.UTF8.GetBytes(sha1)));
    }

    internal static byte[] SignedInfoTemplate(string digest) => Encoding.UTF8.GetBytes(
        "<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></ds:CanonicalizationMethod>"
        + "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"></ds:SignatureMethod><ds:Reference URI=\"\"><ds:Transforms>"
        + "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"></ds:Transform></ds:Transforms>"
        + "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"></ds:DigestMethod><ds:DigestValue>" + digest
        + "</ds:DigestValue></ds:Reference></ds:SignedInfo>");

    internal static (string Issuer, string Serial) IssuerSerial(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return (IssuerRegex().Match(text).Groups[1].Value, SerialRegex().Match(text).Groups[1].Value);
    }

    /// <summary>Offsets of the text between the first <paramref name="start"/> and the following <paramref name="end"/>.</summary>
    internal static IEnumerable<int> TextPositions(byte[] bytes, string start, string end)
    {
        var from = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(start)) + start.Length;
        var length = bytes.AsSpan(from).IndexOf(Encoding.UTF8.GetBytes(end));
        return Enumerable.Range(from, length);
    }

    /// <summary>Another character of the same kind (digit for digit, letter for letter), so the XML stays well-formed.</summary>
    internal static byte Mutate(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'8' => (byte)(b + 1),
        (byte)'9' => (byte)'0',
        >= (byte)'A' and <= (byte)'Y' or >= (byte)'a' and <= (byte)'y' => (byte)(b + 1),
        (byte)'Z' => (byte)'A',
        (byte)'z' => (byte)'a',
        (byte)'-' => (byte)'_',
        (byte)':' => (byte)';',
        (byte)'.' => (byte)',',
        _ => throw new ArgumentOutOfRangeException(nameof(b), (char)b, "no mutation for this character"),
    };

    /// <summary>Another base64 character whose 6-bit value differs in its top bit, so the decoded bytes change even at the padded end.</summary>
    internal static byte MutateBase64(byte b)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        if (b == (byte)'=')
        {
            return b;
        }

        return (byte)Alphabet[Alphabet.IndexOf((char)b, StringComparison.Ordinal) ^ 32];
    }

    private static bool IsBase64Char(byte b) => b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z'
        or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/';

    private static bool InsideCharacterReference(byte[] bytes, int at)
    {
        var amp = Array.LastIndexOf(bytes, (byte)'&', at);
        return amp >= 0 && at - amp < 5 && bytes.AsSpan(amp, 5).SequenceEqual("&#13;"u8);
    }

    [GeneratedRegex("<ds:DigestValue>([^<]*)</ds:DigestValue>")]
    private static partial Regex DigestValueRegex();

    [GeneratedRegex("<ds:SignatureValue>([^<]*)</ds:SignatureValue>", RegexOptions.Singleline)]
    private static partial Regex SignatureValueRegex();

    [GeneratedRegex("<ds:X509IssuerName>([^<]*)</ds:X509IssuerName>")]
    private static partial Regex IssuerRegex();

    [GeneratedRegex("<ds:X509SerialNumber>([^<]*)</ds:X509SerialNumber>")]
    private static partial Regex SerialRegex();

    [GeneratedRegex("<ds:Signature>.*</ds:Signature>", RegexOptions.Singleline)]
    private static partial Regex SignatureRegex();
}
