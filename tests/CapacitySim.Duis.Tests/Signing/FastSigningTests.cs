using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using CapacitySim.Duis.Signing;

namespace CapacitySim.Duis.Tests.Signing;

/// <summary>The DOM-free signer and verifier, cross-checked with SignedXml.</summary>
public sealed partial class FastSigningTests
{
    public static TheoryData<string> Messages() => new() { "request", "response" };

    private static byte[] Message(string name) => name == "request" ? SigningFixture.CanonicalRequest : SigningFixture.CanonicalResponse;

    private static byte[] FastSign(byte[] unsigned, string stem = SigningFixture.SupplierStem)
    {
        var signer = new FastEnvelopedSigner(SigningFixture.Store.Identity(stem));
        var output = new ArrayBufferWriter<byte>();
        signer.WriteSigned(unsigned, output);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Hand_written_messages_are_canonical(string name)
    {
        var message = Message(name);
        Assert.Equal(Encoding.UTF8.GetString(message), Encoding.UTF8.GetString(SigningFixture.ExclusiveC14N(message)));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Fast_signed_message_verifies_with_signed_xml_and_both_verifiers(string name)
    {
        var signed = FastSign(Message(name));
        var certificate = SigningFixture.Store.Identity(SigningFixture.SupplierStem).Certificate;
        Assert.True(SigningFixture.SignedXmlVerifies(signed, certificate.GetECDsaPublicKey()!));
        Assert.Equal(SignatureVerificationResult.Valid, new DuisSignatureVerifier(SigningFixture.Store).Verify(signed));
        using var fast = new FastEnvelopedVerifier(SigningFixture.Store);
        Assert.Equal(SignatureVerificationResult.Valid, fast.Verify(signed));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Fast_signed_message_is_itself_canonical_and_shaped_like_dcc_boxed_signatures(string name)
    {
        var signed = FastSign(Message(name));
        var text = Encoding.UTF8.GetString(signed);
        Assert.Equal(text, Encoding.UTF8.GetString(SigningFixture.ExclusiveC14N(signed)));
        Assert.Contains("<ds:X509IssuerName>CN=Z1,OU=07</ds:X509IssuerName><ds:X509SerialNumber>27572613927499351639968579586655397031</ds:X509SerialNumber>", text, StringComparison.Ordinal);
        Assert.EndsWith("</ds:Signature></sr:" + (name == "request" ? "Request>" : "Response>"), text, StringComparison.Ordinal);
        Assert.StartsWith(Encoding.UTF8.GetString(Message(name)[..^(name == "request" ? 13 : 14)]), text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Signed_xml_signer_writes_the_same_bytes_but_for_the_random_signature_value(string name)
    {
        var identity = SigningFixture.Store.Identity(SigningFixture.SupplierStem);
        var bySignedXml = new DuisSignedXmlSigner(identity).Sign(Message(name));
        var fast = FastSign(Message(name));
        Assert.Equal(MaskSignatureValue(fast), MaskSignatureValue(bySignedXml));
        using var verifier = new FastEnvelopedVerifier(SigningFixture.Store);
        Assert.Equal(SignatureVerificationResult.Valid, verifier.Verify(bySignedXml));
        Assert.True(SigningFixture.SignedXmlVerifies(bySignedXml, identity.Certificate.GetECDsaPublicKey()!));
    }

    [Fact]
    public void Signed_xml_signer_output_of_a_non_canonical_document_falls_back_to_the_general_path()
    {
        var identity = SigningFixture.Store.Identity(SigningFixture.SupplierStem);
        var indented = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(SigningFixture.CanonicalRequest)
            .Replace("<sr:Header>", "\n  <sr:Header>", StringComparison.Ordinal)
            .Replace("></sr:ReadInstantaneousImportRegisters>", "/>", StringComparison.Ordinal));
        var signed = new DuisSignedXmlSigner(identity).Sign(indented);
        using var verifier = new FastEnvelopedVerifier(SigningFixture.Store);
        Assert.Equal(SignatureVerificationResult.NotCanonical, verifier.Verify(signed));
        Assert.Equal(SignatureVerificationResult.Valid, verifier.VerifyOrFallBack(signed));
    }

    [Fact]
    public void Fast_verifier_rejects_every_change_to_signed_content()
    {
        var signed = FastSign(SigningFixture.CanonicalResponse);
        using var verifier = new FastEnvelopedVerifier(SigningFixture.Store);
        Assert.Equal(SignatureVerificationResult.Valid, verifier.Verify(signed));
        foreach (var (start, end) in new[] { ("<sr:RequestID>", "</sr:RequestID>"), ("<sr:ResponseCode>", "</sr:ResponseCode>"), ("<sr:GBCSPayload>", "</sr:GBCSPayload>") })
        {
            foreach (var at in SampleSignatureTests.TextPositions(signed, start, end))
            {
                var mutated = (byte[])signed.Clone();
                mutated[at] = SampleSignatureTests.Mutate(mutated[at] is (byte)'+' or (byte)'/' ? (byte)'A' : mutated[at]);
                Assert.Equal(SignatureVerificationResult.DigestMismatch, verifier.Verify(mutated));
                Assert.Equal(SignatureVerificationResult.DigestMismatch, verifier.VerifyOrFallBack(mutated));
            }
        }

        foreach (var at in SampleSignatureTests.TextPositions(signed, "<ds:DigestValue>", "</ds:DigestValue>").Where(i => signed[i] != (byte)'='))
        {
            var mutated = (byte[])signed.Clone();
            mutated[at] = SampleSignatureTests.MutateBase64(mutated[at]);
            Assert.NotEqual(SignatureVerificationResult.Valid, verifier.Verify(mutated));
        }

        foreach (var at in SampleSignatureTests.TextPositions(signed, "<ds:SignatureValue>", "</ds:SignatureValue>"))
        {
            var mutated = (byte[])signed.Clone();
            mutated[at] = SampleSignatureTests.MutateBase64(mutated[at]);
            var expected = mutated[at] == (byte)'=' ? SignatureVerificationResult.Valid : SignatureVerificationResult.SignatureInvalid;
            Assert.Equal(expected, verifier.Verify(mutated));
        }
    }

    [Fact]
    public void Fast_verifier_reports_unknown_certificates_missing_signatures_and_garbage()
    {
        var signed = FastSign(SigningFixture.CanonicalRequest);
        using var verifier = new FastEnvelopedVerifier(SigningFixture.Store);
        var serial = SampleSignatureTests.TextPositions(signed, "<ds:X509SerialNumber>", "</ds:X509SerialNumber>").First();
        var unknown = (byte[])signed.Clone();
        unknown[serial] = SampleSignatureTests.Mutate(unknown[serial]);
        Assert.Equal(SignatureVerificationResult.UnknownCertificate, verifier.Verify(unknown));
        Assert.Equal(SignatureVerificationResult.NoSignature, verifier.Verify(SigningFixture.CanonicalRequest));
        Assert.Equal(SignatureVerificationResult.NoSignature, verifier.Verify("not xml"u8));
        Assert.Equal(SignatureVerificationResult.NoSignature, verifier.Verify([]));
        Assert.Equal(SignatureVerificationResult.NotCanonical, verifier.Verify(signed.AsSpan(0, signed.Length - 20)));
        var spaced = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace("</ds:SignatureValue>", "&#13;\n</ds:SignatureValue>", StringComparison.Ordinal));
        Assert.Equal(SignatureVerificationResult.Valid, verifier.Verify(spaced));
        var bad = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace("</ds:SignatureValue>", "&amp;</ds:SignatureValue>", StringComparison.Ordinal));
        Assert.Equal(SignatureVerificationResult.Malformed, verifier.Verify(bad));
    }

    [Fact]
    public void Signing_a_document_without_an_end_tag_is_refused()
    {
        var signer = new FastEnvelopedSigner(SigningFixture.Store.Identity(SigningFixture.SupplierStem));
        Assert.Throws<ArgumentException>(() => signer.WriteSigned("<sr:Request/>"u8, new ArrayBufferWriter<byte>()));
        Assert.Equal(-1, signer.WriteSigned(SigningFixture.CanonicalRequest, new byte[100]));
    }

    [Fact]
    public void Fast_signing_allocates_nothing_per_message()
    {
        var signer = new FastEnvelopedSigner(SigningFixture.Store.Identity(SigningFixture.SupplierStem));
        var message = SigningFixture.CanonicalResponse;
        var buffer = new byte[message.Length + signer.SignatureLength];
        for (var i = 0; i < 50; i++)
        {
            signer.WriteSigned(message, buffer);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            signer.WriteSigned(message, buffer);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Fast_verification_allocates_nothing_per_message_once_the_certificate_is_known()
    {
        var signed = FastSign(SigningFixture.CanonicalResponse);
        using var verifier = new FastEnvelopedVerifier(SigningFixture.Store);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(SignatureVerificationResult.Valid, verifier.Verify(signed));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            verifier.Verify(signed);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", "FF00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("007F000000000000000000000000000000000000000000000000000000000000", "0080000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    public void Signature_values_are_converted_to_der_as_an_asn1_encoder_does(string r, string s)
    {
        // The fast verifier hands OpenSSL DER: minimal INTEGERs, a zero byte before a set high bit.
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new System.Numerics.BigInteger(Convert.FromHexString(r), isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new System.Numerics.BigInteger(Convert.FromHexString(s), isUnsigned: true, isBigEndian: true));
        }

        var der = new byte[72];
        var length = FastEnvelopedVerifier.ToDer(Convert.FromHexString(r + s), der);
        Assert.Equal(Convert.ToHexString(writer.Encode()), Convert.ToHexString(der, 0, length));
    }

    private static string MaskSignatureValue(byte[] signed) =>
        SignatureValueRegex().Replace(Encoding.UTF8.GetString(signed), "<ds:SignatureValue>*</ds:SignatureValue>");

    [GeneratedRegex("<ds:SignatureValue>[^<]*</ds:SignatureValue>")]
    private static partial Regex SignatureValueRegex();
}
