using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CapacitySim.Duis;
using CapacitySim.Duis.Signing;

namespace CapacitySim.Benchmarks;

/// <summary>
/// Signing and verifying a ~1.2 KB canonical I0 response: the DOM-free path against SignedXml, same key, same
/// message. Keys come from the DUIS material named by CAPACITYSIM_DUIS_DIR, else from a test PKI generated in
/// the user's cache folder.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SigningBenchmarks
{
    // The sample 93-byte GBCS payload five times over (a larger read response): about 1.2 KB unsigned.
    private const string Payload = "3QAAAAAAAFURAAAAAN8JAgAAAYKse1oHCIhzhFcAL5YeCJCz1R8wAAACABIAWZCz1R8wAQAAAAABgqx7WN8R2iB7WgcAAAEJBAwjAAABAQAAnbt9CWxcgwworYef";

    private static readonly byte[] Response = Encoding.UTF8.GetBytes(
        "<sr:Response xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\"><sr:Header>"
        + "<sr:RequestID>90-B3-D5-1F-30-01-00-00:88-73-84-57-00-2F-96-1E:1660751141087</sr:RequestID>"
        + "<sr:ResponseID>88-73-84-57-00-2F-96-1E:90-B3-D5-1F-30-01-00-00:1660751141087</sr:ResponseID>"
        + "<sr:ResponseCode>I0</sr:ResponseCode><sr:ResponseDateTime>2022-08-17T15:45:42.790Z</sr:ResponseDateTime>"
        + "</sr:Header><sr:Body><sr:ResponseMessage><sr:ServiceReference>11.2</sr:ServiceReference>"
        + "<sr:ServiceReferenceVariant>11.2</sr:ServiceReferenceVariant>"
        + "<sr:GBCSPayload>" + Payload + Payload + Payload + Payload + Payload + "</sr:GBCSPayload>"
        + "</sr:ResponseMessage></sr:Body></sr:Response>");

    private FastEnvelopedSigner fastSigner = null!;
    private DuisSignedXmlSigner signedXmlSigner = null!;
    private FastEnvelopedVerifier fastVerifier = null!;
    private DuisSignatureVerifier signedXmlVerifier = null!;
    private byte[] buffer = null!;
    private byte[] signed = null!;

    [GlobalSetup]
    public void Setup()
    {
        DuisKeyStore store;
        SigningIdentity identity;
        var material = DuisMaterial.Locate(null);
        if (material is { HasKeys: true })
        {
            store = DuisKeyStore.Load(material.KeysDirectory);
            identity = store.IdentityFor(TestPki.DspEui);
        }
        else
        {
            var pki = TestPki.Ensure(null, []);
            store = pki.Store;
            identity = pki.Dsp;
        }

        fastSigner = new FastEnvelopedSigner(identity);
        signedXmlSigner = new DuisSignedXmlSigner(identity);
        fastVerifier = new FastEnvelopedVerifier(store);
        signedXmlVerifier = new DuisSignatureVerifier(store);
        buffer = new byte[Response.Length + fastSigner.SignatureLength];
        var length = fastSigner.WriteSigned(Response, buffer);
        signed = buffer.AsSpan(0, length).ToArray();
        if (fastVerifier.Verify(signed) != SignatureVerificationResult.Valid || signedXmlVerifier.Verify(signed) != SignatureVerificationResult.Valid)
        {
            throw new InvalidOperationException("The signed benchmark message does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => fastVerifier.Dispose();

    [Benchmark, BenchmarkCategory("sign")]
    public int FastSign() => fastSigner.WriteSigned(Response, buffer);

    [Benchmark(Baseline = true), BenchmarkCategory("sign")]
    public int SignedXmlSign() => signedXmlSigner.Sign(Response).Length;

    [Benchmark, BenchmarkCategory("verify")]
    public SignatureVerificationResult FastVerify() => fastVerifier.Verify(signed);

    [Benchmark(Baseline = true), BenchmarkCategory("verify")]
    public SignatureVerificationResult SignedXmlVerify() => signedXmlVerifier.Verify(signed);
}
