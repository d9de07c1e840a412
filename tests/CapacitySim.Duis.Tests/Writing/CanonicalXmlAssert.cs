using System.Security.Cryptography.Xml;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Duis.Tests.Validation;

namespace CapacitySim.Duis.Tests.Writing;

/// <summary>Checks written messages against the shared schema and against an independent exclusive c14n.</summary>
internal static partial class CanonicalXmlAssert
{
    /// <summary>Parses a message the way a DUIS receiver must: DTDs prohibited, whitespace kept.</summary>
    public static XmlDocument Load(ReadOnlySpan<byte> xml, bool preserveWhitespace = true)
    {
        var doc = new XmlDocument { PreserveWhitespace = preserveWhitespace, XmlResolver = null };
        using var stream = new MemoryStream(xml.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        doc.Load(reader);
        return doc;
    }

    /// <summary>Exclusive c14n without comments of a whole document, by the framework's XMLDSig transform.</summary>
    public static byte[] Canonicalize(XmlDocument doc)
    {
        var transform = new XmlDsigExcC14NTransform(includeComments: false);
        transform.LoadInput(doc);
        using var stream = (Stream)transform.GetOutput(typeof(Stream));
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A copy of <paramref name="element"/> as the root of a document of its own.</summary>
    public static XmlDocument Standalone(XmlElement element)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        doc.AppendChild(doc.ImportNode(element, deep: true));
        return doc;
    }

    /// <summary>The message validates against the DUIS schema and is byte for byte its own exclusive canonical form.</summary>
    public static void ValidAndCanonical(ReadOnlySpan<byte> xml)
    {
        var text = Encoding.UTF8.GetString(xml);
        var findings = DuisSchemaTests.Shared.Validate(xml);
        Assert.True(findings.Count == 0, $"Schema findings: {string.Join("; ", findings)}\n{text}");
        var canonical = Encoding.UTF8.GetString(Canonicalize(Load(xml)));
        Assert.Equal(canonical, text);
    }

    /// <summary>Every Service Reference Variant named in the shared sample request file names.</summary>
    public static TheoryData<string> SampleServiceReferenceVariants()
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(SharedDuis.RequestSamples))
        {
            var match = SrvInFileName().Match(Path.GetFileName(file));
            Assert.True(match.Success, $"No SRV in sample name {file}");
            seen.Add(match.Groups[1].Value);
        }

        var data = new TheoryData<string>();
        foreach (var srv in seen)
        {
            Assert.True(ServiceReferenceVariant.TryParse(srv.AsSpan(), out _), srv);
            data.Add(srv);
        }

        return data;
    }

    // Names such as ECS17b_4.1.1_TWIN_SUCCESS_REQUEST_DUIS.XML or 8.3_DECOMMISSION...; one sample writes "5.1._".
    [GeneratedRegex(@"(?:^|_)(\d+\.\d+(?:\.\d+)?)\.?_")]
    private static partial Regex SrvInFileName();
}
