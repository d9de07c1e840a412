using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Duis.Tests.Signing;

/// <summary>Shared DUIS keys and small canonical messages for the signing tests.</summary>
public static class SigningFixture
{
    public const string SupplierStem = "xml-sign-90B3D51F30010000-ds";
    public const string DspPreStem = "dsp-xml-sign-90B3D51F30000002-ds-pre-1.4.1";
    public const string DspStem = "dsp-xml-sign-90B3D51F30000002-ds";

    private static readonly Lazy<DuisKeyStore> LazyStore = new(() => DuisKeyStore.Load(SharedDuis.Keys));

    public static DuisKeyStore Store => LazyStore.Value;

    /// <summary>A non-device read request in exclusive canonical form.</summary>
    public static byte[] CanonicalRequest => Encoding.UTF8.GetBytes(
        "<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\"><sr:Header>"
        + "<sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1795381714608</sr:RequestID>"
        + "<sr:CommandVariant>2</sr:CommandVariant><sr:ServiceReference>4.1</sr:ServiceReference>"
        + "<sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant></sr:Header><sr:Body>"
        + "<sr:ReadInstantaneousImportRegisters></sr:ReadInstantaneousImportRegisters></sr:Body></sr:Request>");

    /// <summary>An I0 response of about 1.2 KB signed, in exclusive canonical form.</summary>
    public static byte[] CanonicalResponse => Encoding.UTF8.GetBytes(
        "<sr:Response xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\"><sr:Header>"
        + "<sr:RequestID>90-B3-D5-1F-30-01-00-00:88-73-84-57-00-2F-96-1E:1660751141087</sr:RequestID>"
        + "<sr:ResponseID>88-73-84-57-00-2F-96-1E:90-B3-D5-1F-30-01-00-00:1660751141087</sr:ResponseID>"
        + "<sr:ResponseCode>I0</sr:ResponseCode><sr:ResponseDateTime>2022-08-17T15:45:42.790Z</sr:ResponseDateTime>"
        + "</sr:Header><sr:Body><sr:ResponseMessage><sr:ServiceReference>11.2</sr:ServiceReference>"
        + "<sr:ServiceReferenceVariant>11.2</sr:ServiceReferenceVariant>"
        + "<sr:GBCSPayload>3QAAAAAAAFURAAAAAN8JAgAAAYKse1oHCIhzhFcAL5YeCJCz1R8wAAACABIAWZCz1R8wAQAAAAABgqx7WN8R2iB7WgcAAAEJBAwjAAABAQAAnbt9CWxcgwworYef</sr:GBCSPayload>"
        + "</sr:ResponseMessage></sr:Body></sr:Response>");

    /// <summary>Exclusive c14n of a document, as SignedXml's transform writes it.</summary>
    public static byte[] ExclusiveC14N(byte[] document)
    {
        var doc = DuisSignatureVerifier.LoadDocument(document);
        var t = new XmlDsigExcC14NTransform();
        t.LoadInput(doc);
        using var s = (Stream)t.GetOutput(typeof(Stream));
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    /// <summary>Verification by SignedXml alone, independently of the library's verifier.</summary>
    public static bool SignedXmlVerifies(byte[] document, System.Security.Cryptography.ECDsa key)
    {
        XmlDsigAlgorithms.RegisterWithSignedXml();
        var doc = DuisSignatureVerifier.LoadDocument(document);
        var signature = (XmlElement)doc.GetElementsByTagName("Signature", DuisNamespaces.XmlDsig)[0]!;
        var signedXml = new SignedXml(doc);
        signedXml.LoadXml(signature);
        return signedXml.CheckSignature(key);
    }
}
