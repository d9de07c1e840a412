using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace CapacitySim.Duis.Signing;

/// <summary>
/// Signs DUIS documents with <see cref="SignedXml"/> (the general, DOM-based path), producing the same signature
/// shape as <see cref="FastEnvelopedSigner"/>: <c>ds</c>-prefixed elements, start and end tags, <c>KeyInfo</c> by
/// issuer and decimal serial. Used to cross-check the fast signer and as a baseline in benchmarks.
/// </summary>
public sealed class DuisSignedXmlSigner
{
    private readonly SigningIdentity identity;

    /// <summary>Creates a signer for one identity.</summary>
    public DuisSignedXmlSigner(SigningIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        this.identity = identity;
        XmlDsigAlgorithms.RegisterWithSignedXml();
    }

    /// <summary>Signs a serialized document and returns the signed bytes (UTF-8, no XML declaration).</summary>
    /// <exception cref="XmlException">The bytes are not well-formed XML.</exception>
    public byte[] Sign(ReadOnlySpan<byte> document)
    {
        var doc = DuisSignatureVerifier.LoadDocument(document);
        Sign(doc);
        return Encoding.UTF8.GetBytes(doc.DocumentElement!.OuterXml);
    }

    /// <summary>Appends a <c>ds:Signature</c> to the document's root element and returns it.</summary>
    public XmlElement Sign(XmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.DocumentElement ?? throw new ArgumentException("The document has no root element.", nameof(document));

        // SignedXml computes the reference digest (enveloped transform, then c14n) over the document.
        var signedXml = new SignedXml(document) { SigningKey = identity.PrivateKey };
        signedXml.SignedInfo!.CanonicalizationMethod = XmlDsigAlgorithms.ExclusiveC14N;
        signedXml.SignedInfo.SignatureMethod = XmlDsigAlgorithms.EcdsaSha256;
        var reference = new Reference(string.Empty) { DigestMethod = XmlDsigAlgorithms.Sha256 };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        signedXml.AddReference(reference);
        signedXml.ComputeSignature();

        // SignedXml writes the default namespace; DUIS messages use the ds prefix, which changes the canonical
        // SignedInfo, so the prefixed copy is canonicalized and signed again.
        var signature = (XmlElement)Prefixed(document, signedXml.GetXml());
        signature.SetAttribute("xmlns:ds", DuisNamespaces.XmlDsig);
        signature.AppendChild(KeyInfo(document));
        root.AppendChild(signature);

        var signedInfo = signature["SignedInfo", DuisNamespaces.XmlDsig]!;
        var standalone = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        standalone.LoadXml(signedInfo.OuterXml);
        var c14n = new XmlDsigExcC14NTransform();
        c14n.LoadInput(standalone);
        using var canonical = (Stream)c14n.GetOutput(typeof(Stream));
        var value = identity.PrivateKey.SignHash(SHA256.HashData(canonical), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        signature["SignatureValue", DuisNamespaces.XmlDsig]!.InnerText = Convert.ToBase64String(value);
        return signature;
    }

    private XmlElement KeyInfo(XmlDocument document)
    {
        var keyInfo = Element(document, "KeyInfo");
        var data = keyInfo.AppendChild(Element(document, "X509Data"))!;
        var issuerSerial = data.AppendChild(Element(document, "X509IssuerSerial"))!;
        issuerSerial.AppendChild(Element(document, "X509IssuerName"))!.InnerText = identity.IssuerName;
        issuerSerial.AppendChild(Element(document, "X509SerialNumber"))!.InnerText = identity.SerialNumber;
        return keyInfo;
    }

    private static XmlElement Element(XmlDocument document, string localName)
    {
        var e = document.CreateElement("ds", localName, DuisNamespaces.XmlDsig);
        e.IsEmpty = false;
        return e;
    }

    // A copy of SignedXml's Signature element with every element in the ds prefix and written with an end tag;
    // KeyInfo (which SignedXml leaves empty) is left out and written separately.
    private static XmlNode Prefixed(XmlDocument document, XmlNode node)
    {
        if (node is not XmlElement element)
        {
            return document.ImportNode(node, deep: false);
        }

        var copy = Element(document, element.LocalName);
        foreach (XmlAttribute a in element.Attributes)
        {
            if (a.Name != "xmlns")
            {
                copy.SetAttribute(a.LocalName, a.Value);
            }
        }

        foreach (XmlNode child in element.ChildNodes)
        {
            if (child is XmlElement { LocalName: "KeyInfo" })
            {
                continue;
            }

            copy.AppendChild(Prefixed(document, child));
        }

        return copy;
    }
}
