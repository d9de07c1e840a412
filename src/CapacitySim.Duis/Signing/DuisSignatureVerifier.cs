using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace CapacitySim.Duis.Signing;

/// <summary>
/// Verifies the signature of any incoming DUIS message with <see cref="SignedXml"/>: the <c>ds:Signature</c> child
/// of the root, DUIS algorithms only (exclusive c14n, ECDSA-SHA256, SHA-256, one reference to the whole document
/// with the enveloped-signature transform), and the certificate named by <c>X509IssuerSerial</c> in the key store.
/// Never throws on bad input. Thread-safe.
/// </summary>
public sealed class DuisSignatureVerifier
{
    private readonly DuisKeyStore store;

    /// <summary>Creates a verifier that finds certificates in <paramref name="store"/>.</summary>
    public DuisSignatureVerifier(DuisKeyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        this.store = store;
        XmlDsigAlgorithms.RegisterWithSignedXml();
    }

    /// <summary>
    /// Loads a message safely: whitespace preserved (it is signed), DTDs prohibited, no external resolution.
    /// </summary>
    /// <exception cref="XmlException">The bytes are not well-formed XML.</exception>
    public static XmlDocument LoadDocument(ReadOnlySpan<byte> document)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = false };
        using var stream = new MemoryStream(document.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, settings);
        doc.Load(reader);
        return doc;
    }

    /// <summary>Verifies a serialized message.</summary>
    public SignatureVerificationResult Verify(ReadOnlySpan<byte> document)
    {
        XmlDocument doc;
        try
        {
            doc = LoadDocument(document);
        }
        catch (XmlException)
        {
            return SignatureVerificationResult.Malformed;
        }

        return Verify(doc);
    }

    /// <summary>Verifies a loaded message (loaded with whitespace preserved, as <see cref="LoadDocument"/> does).</summary>
    public SignatureVerificationResult Verify(XmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.DocumentElement;
        if (root is null)
        {
            return SignatureVerificationResult.Malformed;
        }

        XmlElement? signature = null;
        foreach (XmlNode child in root.ChildNodes)
        {
            if (child is XmlElement e && e.LocalName == "Signature" && e.NamespaceURI == DuisNamespaces.XmlDsig)
            {
                if (signature is not null)
                {
                    return SignatureVerificationResult.Malformed;
                }

                signature = e;
            }
        }

        if (signature is null)
        {
            return SignatureVerificationResult.NoSignature;
        }

        try
        {
            return Check(document, signature);
        }
        catch (CryptographicException)
        {
            return SignatureVerificationResult.Malformed;
        }
        catch (XmlException)
        {
            return SignatureVerificationResult.Malformed;
        }
        catch (FormatException)
        {
            return SignatureVerificationResult.Malformed;
        }
        catch (InvalidDataException)
        {
            return SignatureVerificationResult.UnknownCertificate;
        }
    }

    /// <summary>
    /// Verifies an element that was signed on its own, as a standalone document with <c>URI=""</c> (the
    /// <c>SMETS1SignedResponse</c> inside a SMETS1 response): the element is imported into a new document as its root.
    /// Namespace prefixes the element uses but declares only on its ancestors are declared on the new root.
    /// </summary>
    public SignatureVerificationResult VerifyStandalone(XmlElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var imported = (XmlElement)doc.ImportNode(element, deep: true);
        doc.AppendChild(imported);
        DeclareInheritedPrefixes(element, imported);
        return Verify(doc);
    }

    private SignatureVerificationResult Check(XmlDocument document, XmlElement signature)
    {
        var signedXml = new SignedXml(document);
        signedXml.LoadXml(signature);
        var info = signedXml.SignedInfo;
        if (info is null || info.CanonicalizationMethod != XmlDsigAlgorithms.ExclusiveC14N
            || info.SignatureMethod != XmlDsigAlgorithms.EcdsaSha256 || info.References.Count != 1
            || info.References[0] is not Reference reference || reference.Uri != string.Empty
            || reference.DigestMethod != XmlDsigAlgorithms.Sha256 || !TransformsAllowed(reference))
        {
            return SignatureVerificationResult.Malformed;
        }

        var issuerSerial = signature.GetElementsByTagName("X509IssuerSerial", DuisNamespaces.XmlDsig);
        if (issuerSerial.Count != 1 || issuerSerial[0] is not XmlElement serialElement)
        {
            return SignatureVerificationResult.Malformed;
        }

        var issuer = serialElement["X509IssuerName", DuisNamespaces.XmlDsig]?.InnerText;
        var serial = serialElement["X509SerialNumber", DuisNamespaces.XmlDsig]?.InnerText;
        if (issuer is null || serial is null)
        {
            return SignatureVerificationResult.Malformed;
        }

        if (!store.TryFind(issuer, serial, out var certificate))
        {
            return SignatureVerificationResult.UnknownCertificate;
        }

        if (signedXml.CheckSignature(certificate.PublicKey))
        {
            return SignatureVerificationResult.Valid;
        }

        return DigestMatches(document, signature, reference) ? SignatureVerificationResult.SignatureInvalid : SignatureVerificationResult.DigestMismatch;
    }

    private static bool TransformsAllowed(Reference reference)
    {
        var enveloped = false;
        foreach (Transform t in reference.TransformChain)
        {
            if (t.Algorithm == XmlDsigAlgorithms.EnvelopedSignature)
            {
                enveloped = true;
            }
            else if (t.Algorithm != XmlDsigAlgorithms.ExclusiveC14N && t.Algorithm != SignedXml.XmlDsigC14NTransformUrl)
            {
                return false;
            }
        }

        return enveloped;
    }

    // Tells a changed document from a bad signature value after SignedXml has refused it: the reference digest is
    // recomputed over the document without this signature (inclusive c14n, as XMLDSig applies after the enveloped
    // transform; an exclusive c14n transform in the chain is honoured).
    private static bool DigestMatches(XmlDocument document, XmlElement signature, Reference reference)
    {
        var copy = (XmlDocument)document.Clone();
        var path = new List<int>();
        for (XmlNode node = signature; node.ParentNode is not null and not XmlDocument; node = node.ParentNode)
        {
            path.Add(IndexOf(node));
        }

        XmlNode target = copy.DocumentElement!;
        for (var i = path.Count - 1; i >= 0; i--)
        {
            target = target.ChildNodes[path[i]]!;
        }

        target.ParentNode!.RemoveChild(target);
        Transform c14n = new XmlDsigC14NTransform();
        foreach (Transform t in reference.TransformChain)
        {
            if (t.Algorithm == XmlDsigAlgorithms.ExclusiveC14N)
            {
                c14n = new XmlDsigExcC14NTransform();
            }
        }

        c14n.LoadInput(copy);
        using var stream = (Stream)c14n.GetOutput(typeof(Stream));
        var digest = SHA256.HashData(stream);
        return reference.DigestValue is { } claimed && CryptographicOperations.FixedTimeEquals(digest, claimed);
    }

    private static int IndexOf(XmlNode node)
    {
        var i = 0;
        for (var n = node.ParentNode!.FirstChild; n != node; n = n!.NextSibling)
        {
            i++;
        }

        return i;
    }

    private static void DeclareInheritedPrefixes(XmlElement original, XmlElement imported)
    {
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlNode node in original.SelectNodes("descendant-or-self::*")!)
        {
            prefixes.Add(node.Prefix);
            foreach (XmlAttribute a in node.Attributes!)
            {
                if (a.Prefix.Length > 0 && a.Prefix != "xmlns" && a.Prefix != "xml")
                {
                    prefixes.Add(a.Prefix);
                }
            }
        }

        foreach (var prefix in prefixes)
        {
            var attribute = prefix.Length == 0 ? "xmlns" : "xmlns:" + prefix;
            if (imported.HasAttribute(attribute))
            {
                continue;
            }

            var uri = original.GetNamespaceOfPrefix(prefix);
            if (uri.Length > 0)
            {
                imported.SetAttribute(attribute, uri);
            }
        }
    }
}
