using System.Buffers;
using System.Text;
using System.Xml;
using CapacitySim.Duis.Signing;

namespace CapacitySim.Duis.Tests.Signing;

/// <summary>A SMETS1 response: an inner SMETS1SignedResponse signed on its own, inside a DSP-signed response.</summary>
public sealed class NestedSignatureTests
{
    private const string Sr = "http://www.dccinterface.co.uk/ServiceUserGateway";

    [Fact]
    public void Inner_smets1_signed_response_verifies_as_a_standalone_document_inside_the_signed_outer_response()
    {
        var store = SigningFixture.Store;
        var inner = Sign(store.Identity("xml-sign-00DB123456780004-ds"),
            "<sr:SMETS1SignedResponse xmlns:sr=\"" + Sr + "\"><sr:SMETS1Response><sr:SMETS1Data>AQID</sr:SMETS1Data></sr:SMETS1Response></sr:SMETS1SignedResponse>");

        // Embedded in canonical form: the inner root's sr declaration is already in scope, so it is not repeated.
        var embedded = Encoding.UTF8.GetString(inner).Replace(" xmlns:sr=\"" + Sr + "\"", string.Empty, StringComparison.Ordinal);
        var outerUnsigned = "<sr:Response xmlns:sr=\"" + Sr + "\" schemaVersion=\"5.4\"><sr:Header><sr:ResponseCode>I0</sr:ResponseCode></sr:Header>"
            + "<sr:Body><sr:SMETS1ResponseMessage>" + embedded + "</sr:SMETS1ResponseMessage></sr:Body></sr:Response>";
        Assert.Equal(outerUnsigned, Encoding.UTF8.GetString(SigningFixture.ExclusiveC14N(Encoding.UTF8.GetBytes(outerUnsigned))));
        var outer = Sign(store.Identity(SigningFixture.DspStem), outerUnsigned);

        var verifier = new DuisSignatureVerifier(store);
        using var fast = new FastEnvelopedVerifier(store);
        Assert.Equal(SignatureVerificationResult.Valid, fast.Verify(outer));
        Assert.Equal(SignatureVerificationResult.Valid, verifier.Verify(outer));

        var doc = DuisSignatureVerifier.LoadDocument(outer);
        var signedResponse = (XmlElement)doc.GetElementsByTagName("SMETS1SignedResponse", Sr)[0]!;
        Assert.Equal(SignatureVerificationResult.Valid, verifier.VerifyStandalone(signedResponse));

        // A change inside the inner response breaks both signatures.
        signedResponse.GetElementsByTagName("SMETS1Data", Sr)[0]!.InnerText = "AQIE";
        Assert.Equal(SignatureVerificationResult.DigestMismatch, verifier.VerifyStandalone(signedResponse));
        Assert.Equal(SignatureVerificationResult.DigestMismatch, verifier.Verify(doc));
    }

    private static byte[] Sign(SigningIdentity identity, string canonical)
    {
        var output = new ArrayBufferWriter<byte>();
        new FastEnvelopedSigner(identity).WriteSigned(Encoding.UTF8.GetBytes(canonical), output);
        return output.WrittenSpan.ToArray();
    }
}
