using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Templates;

/// <summary>
/// A DUIS request compiled once into its exclusive-c14n canonical form (without comments and without any
/// <c>ds:Signature</c>), split into pre-encoded UTF-8 segments around typed slots: the header RequestID and, for
/// future-dated requests, the body's ExecutionDateTime. Rendering writes the segments and the slot values straight
/// into an <see cref="IBufferWriter{T}"/> without allocating, and the result keeps the
/// <see cref="Signing.IEnvelopedSigner"/> contract: it is canonical and ends with the root end tag.
/// </summary>
/// <remarks>
/// <para>Only the header RequestID carries the target device. Body fields that name devices (DeviceID,
/// DeviceIDList, OtherDeviceID, HCALCS, OriginalRequestID) name a device other than the target (non-device
/// requests target the DCC and name their subject device in the body; pairing requests name the other device),
/// so they stay as written in the source and are not slots.</para>
/// <para>Rendering the original slot values gives back <see cref="OriginalCanonicalForm"/>, which is the exclusive
/// canonical form of the source request without its signature, byte for byte, whenever the source writes the
/// RequestID in upper-case hex and the ExecutionDateTime in UTC with a <c>Z</c>; otherwise those two texts appear
/// in the form the template renders (upper case, UTC), which is the same value.</para>
/// Instances are immutable and safe to render from many threads at once.
/// </remarks>
public sealed class RequestTemplate
{
    /// <summary>Characters of <c>yyyy-MM-ddTHH:mm:ss</c>, before any fraction and the zone.</summary>
    private const int DateTimeSecondsLength = 19;

    /// <summary>Length of the round-trip ('O') form of a UTC <see cref="DateTime"/>: seconds, '.', 7 digits, 'Z'.</summary>
    private const int RoundTripLength = 28;

    private const int MaxFractionDigits = 7;

    private const string DefaultSourceName = "(in-memory request)";

    /// <summary>The characters XML counts as whitespace, which xs:token and xs:dateTime values may be padded with.</summary>
    private static readonly char[] XmlWhitespace = [' ', '\t', '\r', '\n'];

    private readonly byte[] _canonical;
    private readonly Slot[] _slots;
    private readonly DateTimeOffset _originalExecution;

    private RequestTemplate(
        string sourceName,
        byte[] canonical,
        Slot[] slots,
        in Header header,
        string bodyElementName,
        DateTimeOffset? originalExecution,
        int fractionDigits)
    {
        SourceName = sourceName;
        _canonical = canonical;
        _slots = slots;
        OriginalRequestId = header.RequestId;
        CommandVariant = header.CommandVariant;
        ServiceReference = header.ServiceReference;
        ServiceReferenceVariant = header.ServiceReferenceVariant;
        BodyElementName = bodyElementName;
        HasExecutionDateTime = originalExecution.HasValue;
        _originalExecution = originalExecution.GetValueOrDefault();
        ExecutionDateTimeFractionDigits = fractionDigits;

        var fixedLength = canonical.Length;
        foreach (var slot in slots)
        {
            fixedLength -= slot.Length;
        }

        RenderedLengthUpperBound = fixedLength + RequestId.MaxFormattedLength
            + (HasExecutionDateTime ? DateTimeLength(fractionDigits) : 0);
    }

    private enum SlotKind : byte
    {
        RequestId,
        ExecutionDateTime,
    }

    /// <summary>The file path or caller-given name the template was compiled from.</summary>
    public string SourceName { get; }

    /// <summary>The header CommandVariant.</summary>
    public CommandVariant CommandVariant { get; }

    /// <summary>The header ServiceReference.</summary>
    public ServiceReference ServiceReference { get; }

    /// <summary>The header ServiceReferenceVariant.</summary>
    public ServiceReferenceVariant ServiceReferenceVariant { get; }

    /// <summary>Local name of the request element inside <c>Body</c>, such as <c>ReadInstantaneousImportRegisters</c>.</summary>
    public string BodyElementName { get; }

    /// <summary>True when the request carries an ExecutionDateTime (a future-dated command), which is then a slot.</summary>
    public bool HasExecutionDateTime { get; }

    /// <summary>The RequestID written in the source.</summary>
    public RequestId OriginalRequestId { get; }

    /// <summary>The ExecutionDateTime written in the source (offset zero), or null when there is none.</summary>
    public DateTimeOffset? OriginalExecutionDateTime => HasExecutionDateTime ? _originalExecution : null;

    /// <summary>
    /// Digits after the seconds' decimal point in the source's ExecutionDateTime (0 to 7; the DCC samples use 2).
    /// Rendered execution times keep this precision, truncating finer ones. 0 when there is no ExecutionDateTime.
    /// </summary>
    public int ExecutionDateTimeFractionDigits { get; }

    /// <summary>The slot values of the source: rendering them gives <see cref="OriginalCanonicalForm"/>.</summary>
    public RequestSlots OriginalSlots => new(OriginalRequestId, OriginalExecutionDateTime);

    /// <summary>The unsigned canonical document with the original slot values.</summary>
    public ReadOnlyMemory<byte> OriginalCanonicalForm => _canonical;

    /// <summary>Most bytes one render can write (the longest RequestID counter is 20 digits).</summary>
    public int RenderedLengthUpperBound { get; }

    /// <summary>Compiles a template from the file at <paramref name="path"/>; errors name the file.</summary>
    /// <exception cref="DuisTemplateException">The file is not a DUIS request that can be templated.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RequestTemplate CompileFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Compile(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Compiles a template from a DUIS request document (any encoding XML allows; DTDs are refused).
    /// Not for hot paths: it builds a DOM and canonicalizes it.
    /// </summary>
    /// <param name="xml">The request document, signed or not.</param>
    /// <param name="sourceName">Name used in error messages and <see cref="SourceName"/>, such as the file name.</param>
    /// <exception cref="DuisTemplateException">The document is not a DUIS request that can be templated.</exception>
    public static RequestTemplate Compile(ReadOnlySpan<byte> xml, string? sourceName = null)
    {
        var source = string.IsNullOrEmpty(sourceName) ? DefaultSourceName : sourceName;
        var document = Load(xml.ToArray(), source);
        var root = document.DocumentElement!;
        if (root.LocalName != "Request" || root.NamespaceURI != DuisNamespaces.ServiceUserGateway)
        {
            throw DuisTemplateException.For(source,
                $"the root element is <{root.Name}> in namespace '{root.NamespaceURI}', not a DUIS Request (<Request> in namespace '{DuisNamespaces.ServiceUserGateway}').");
        }

        RemoveSignatures(root);

        var headerElement = Child(root, "Header")
            ?? throw DuisTemplateException.For(source, "the Request has no Header element.");
        var requestIdElement = Child(headerElement, "RequestID")
            ?? throw DuisTemplateException.For(source, "the Header has no RequestID element.");
        var header = ReadHeader(headerElement, requestIdElement, source);

        var body = Child(root, "Body")
            ?? throw DuisTemplateException.For(source, "the Request has no Body element.");
        var bodyElement = FirstChildElement(body)
            ?? throw DuisTemplateException.For(source, "the Body holds no request element.");
        var executionElement = Child(bodyElement, "ExecutionDateTime");
        DateTimeOffset? originalExecution = null;
        var fractionDigits = 0;
        if (executionElement is not null)
        {
            var text = TextOf(executionElement, source).Trim(XmlWhitespace);
            if (!TryParseExecutionDateTime(text, out var value, out fractionDigits))
            {
                throw DuisTemplateException.For(source,
                    $"ExecutionDateTime '{text}' is not an xs:dateTime with a 4-digit year, at most {MaxFractionDigits} fraction digits and a time zone (such as 2030-01-15T09:00:00.00Z).");
            }

            originalExecution = value;
        }

        // Each slot's text is swapped for a marker that cannot occur in a DUIS document, so its position in the
        // canonical bytes is found by search rather than by re-implementing canonicalization.
        var nonce = Guid.NewGuid().ToString("N");
        var requestIdMarker = $"\uE000{nonce}R\uE001";
        var executionMarker = $"\uE000{nonce}X\uE001";
        ReplaceText(requestIdElement, requestIdMarker);
        if (executionElement is not null)
        {
            ReplaceText(executionElement, executionMarker);
        }

        var marked = Canonicalize(document);
        var found = new List<(int At, int Length, SlotKind Kind)>(2) { Locate(marked, requestIdMarker, SlotKind.RequestId) };
        if (executionElement is not null)
        {
            found.Add(Locate(marked, executionMarker, SlotKind.ExecutionDateTime));
        }

        found.Sort((a, b) => a.At.CompareTo(b.At));

        // The template holds the original values in the form rendering writes them, so that rendering the
        // original slots reproduces it exactly.
        var writer = new ArrayBufferWriter<byte>(marked.Length + RequestId.MaxFormattedLength);
        var slots = new Slot[found.Count];
        var copied = 0;
        for (var i = 0; i < found.Count; i++)
        {
            writer.Write(marked.AsSpan(copied, found[i].At - copied));
            var start = writer.WrittenCount;
            var span = writer.GetSpan(RequestId.MaxFormattedLength);
            var length = found[i].Kind == SlotKind.RequestId
                ? WriteRequestId(header.RequestId, span)
                : WriteDateTime(originalExecution.GetValueOrDefault(), fractionDigits, span);
            writer.Advance(length);
            slots[i] = new Slot(start, length, found[i].Kind);
            copied = found[i].At + found[i].Length;
        }

        writer.Write(marked.AsSpan(copied));
        return new RequestTemplate(source, writer.WrittenSpan.ToArray(), slots, header, bodyElement.LocalName, originalExecution, fractionDigits);
    }

    /// <summary>
    /// Writes the canonical unsigned request with <paramref name="slots"/> filled in to <paramref name="output"/>
    /// and returns the number of bytes written. Allocates nothing beyond what <paramref name="output"/> needs to grow.
    /// </summary>
    /// <exception cref="ArgumentException">An execution time is given but the template has no ExecutionDateTime.</exception>
    public int Render(in RequestSlots slots, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (slots.ExecutionDateTime.HasValue && !HasExecutionDateTime)
        {
            ThrowNoExecutionDateTime();
        }

        var destination = output.GetSpan(RenderedLengthUpperBound);
        ReadOnlySpan<byte> canonical = _canonical;
        var written = 0;
        var copied = 0;
        foreach (var slot in _slots)
        {
            var literal = canonical[copied..slot.Start];
            literal.CopyTo(destination[written..]);
            written += literal.Length;
            written += slot.Kind == SlotKind.RequestId
                ? WriteRequestId(slots.RequestId, destination[written..])
                : WriteDateTime(slots.ExecutionDateTime ?? _originalExecution, ExecutionDateTimeFractionDigits, destination[written..]);
            copied = slot.Start + slot.Length;
        }

        var tail = canonical[copied..];
        tail.CopyTo(destination[written..]);
        written += tail.Length;
        output.Advance(written);
        return written;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{SourceName} (SRV {ServiceReferenceVariant}, CV {(byte)CommandVariant}, {BodyElementName})";

    private static int DateTimeLength(int fractionDigits) => DateTimeSecondsLength + (fractionDigits > 0 ? fractionDigits + 1 : 0) + 1;

    private static int WriteRequestId(in RequestId requestId, Span<byte> destination)
    {
        if (!requestId.TryFormat(destination, out var written))
        {
            ThrowDestinationTooSmall();
        }

        return written;
    }

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ss[.f…]Z</c> in UTC with <paramref name="fractionDigits"/> digits (truncated).</summary>
    private static int WriteDateTime(DateTimeOffset value, int fractionDigits, Span<byte> destination)
    {
        Span<byte> roundTrip = stackalloc byte[RoundTripLength];
        if (!Utf8Formatter.TryFormat(value.UtcDateTime, roundTrip, out _, new StandardFormat('O')))
        {
            ThrowDestinationTooSmall();
        }

        // The round-trip form of a UTC DateTime is yyyy-MM-ddTHH:mm:ss.fffffffZ: keep the seconds and the leading
        // fraction digits, then the zone.
        var keep = fractionDigits > 0 ? DateTimeSecondsLength + 1 + fractionDigits : DateTimeSecondsLength;
        roundTrip[..keep].CopyTo(destination);
        destination[keep] = (byte)'Z';
        return keep + 1;
    }

    private static XmlDocument Load(byte[] xml, string source)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), ReaderSettings(DtdProcessing.Prohibit));
            document.Load(reader);
            return document;
        }
        catch (XmlException ex)
        {
            if (DeclaresDtd(xml))
            {
                throw DuisTemplateException.For(source, "the document has a DTD (<!DOCTYPE ...>); DUIS messages are read with DTDs prohibited.", ex);
            }

            throw DuisTemplateException.For(source, $"not well-formed XML: {ex.Message}", ex);
        }
    }

    private static XmlReaderSettings ReaderSettings(DtdProcessing dtd) => new()
    {
        DtdProcessing = dtd,
        XmlResolver = null,
        IgnoreComments = false,
        IgnoreWhitespace = false,
    };

    /// <summary>
    /// The two readers differ only in DTD handling, so a prolog that reads to the root element with DTDs ignored
    /// but fails with DTDs prohibited declares a DTD. (The ignoring reader does not report the DOCTYPE node itself.)
    /// </summary>
    private static bool DeclaresDtd(byte[] xml) => !ReachesRootElement(xml, DtdProcessing.Prohibit) && ReachesRootElement(xml, DtdProcessing.Ignore);

    private static bool ReachesRootElement(byte[] xml, DtdProcessing dtd)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), ReaderSettings(dtd));
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    return true;
                }
            }

            return false;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    /// <summary>Drops the enveloped signature(s): the template is the unsigned document a signer starts from.</summary>
    private static void RemoveSignatures(XmlElement root)
    {
        var node = root.FirstChild;
        while (node is not null)
        {
            var next = node.NextSibling;
            if (node is XmlElement { LocalName: "Signature", NamespaceURI: DuisNamespaces.XmlDsig })
            {
                root.RemoveChild(node);
            }

            node = next;
        }
    }

    private static Header ReadHeader(XmlElement header, XmlElement requestIdElement, string source)
    {
        var requestIdText = TextOf(requestIdElement, source).Trim(XmlWhitespace);
        if (!RequestId.TryParse(requestIdText, out var requestId))
        {
            throw DuisTemplateException.For(source,
                $"RequestID '{requestIdText}' is not originator EUI:target EUI:counter (such as 90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000).");
        }

        var commandVariantText = RequiredText(header, "CommandVariant", source);
        if (!byte.TryParse(commandVariantText, NumberStyles.None, CultureInfo.InvariantCulture, out var cv)
            || cv is < (byte)CommandVariant.NonCriticalToDevice or > (byte)CommandVariant.NonDevice)
        {
            throw DuisTemplateException.For(source, $"CommandVariant '{commandVariantText}' is not a DUIS command variant (1 to 8).");
        }

        var serviceReferenceText = RequiredText(header, "ServiceReference", source);
        if (!ServiceReference.TryParse(Encoding.UTF8.GetBytes(serviceReferenceText), out var serviceReference))
        {
            throw DuisTemplateException.For(source, $"ServiceReference '{serviceReferenceText}' is not a DUIS Service Reference (such as 4.1).");
        }

        var variantText = RequiredText(header, "ServiceReferenceVariant", source);
        if (!ServiceReferenceVariant.TryParse(variantText, out var variant))
        {
            throw DuisTemplateException.For(source, $"ServiceReferenceVariant '{variantText}' is not a DUIS Service Reference Variant (such as 4.1.1).");
        }

        return new Header(requestId, (CommandVariant)cv, serviceReference, variant);
    }

    private static string RequiredText(XmlElement parent, string localName, string source)
    {
        var element = Child(parent, localName)
            ?? throw DuisTemplateException.For(source, $"the Header has no {localName} element.");
        return TextOf(element, source).Trim(XmlWhitespace);
    }

    private static XmlElement? Child(XmlElement parent, string localName)
    {
        for (var node = parent.FirstChild; node is not null; node = node.NextSibling)
        {
            if (node is XmlElement element && element.LocalName == localName && element.NamespaceURI == DuisNamespaces.ServiceUserGateway)
            {
                return element;
            }
        }

        return null;
    }

    private static XmlElement? FirstChildElement(XmlElement parent)
    {
        for (var node = parent.FirstChild; node is not null; node = node.NextSibling)
        {
            if (node is XmlElement element)
            {
                return element;
            }
        }

        return null;
    }

    /// <summary>The text of an element that must hold text only (comments, dropped by canonicalization, are skipped).</summary>
    private static string TextOf(XmlElement element, string source)
    {
        var text = new StringBuilder();
        for (var node = element.FirstChild; node is not null; node = node.NextSibling)
        {
            switch (node.NodeType)
            {
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    text.Append(node.Value);
                    break;
                case XmlNodeType.Comment:
                    break;
                default:
                    throw DuisTemplateException.For(source, $"{element.LocalName} holds markup ({node.NodeType} '{node.Name}') where text is expected.");
            }
        }

        return text.ToString();
    }

    /// <summary>Replaces the element's trimmed text by <paramref name="marker"/>, keeping surrounding whitespace.</summary>
    private static void ReplaceText(XmlElement element, string marker)
    {
        var text = TextOf(element, string.Empty);
        var trimmedStart = text.AsSpan().TrimStart(XmlWhitespace);
        var lead = text[..(text.Length - trimmedStart.Length)];
        var trail = text[(lead.Length + trimmedStart.TrimEnd(XmlWhitespace).Length)..];
        while (element.FirstChild is { } child)
        {
            element.RemoveChild(child);
        }

        element.AppendChild(element.OwnerDocument.CreateTextNode(lead + marker + trail));
    }

    private static byte[] Canonicalize(XmlDocument document)
    {
        var transform = new XmlDsigExcC14NTransform(includeComments: false);
        transform.LoadInput(document);
        using var canonical = (Stream)transform.GetOutput(typeof(Stream));
        using var copy = new MemoryStream();
        canonical.CopyTo(copy);
        return copy.ToArray();
    }

    private static (int At, int Length, SlotKind Kind) Locate(byte[] canonical, string marker, SlotKind kind)
    {
        var utf8 = Encoding.UTF8.GetBytes(marker);
        var at = canonical.AsSpan().IndexOf(utf8);
        if (at < 0 || canonical.AsSpan(at + utf8.Length).IndexOf(utf8) >= 0)
        {
            throw new InvalidOperationException($"The {kind} slot marker appears {(at < 0 ? "nowhere" : "more than once")} in the canonical form.");
        }

        return (at, utf8.Length, kind);
    }

    /// <summary>
    /// Parses <c>yyyy-MM-ddTHH:mm:ss[.f{1,7}](Z|±hh:mm)</c>, the xs:dateTime forms a <see cref="DateTimeOffset"/>
    /// can hold, into a UTC value and the number of fraction digits written.
    /// </summary>
    private static bool TryParseExecutionDateTime(string text, out DateTimeOffset value, out int fractionDigits)
    {
        value = default;
        fractionDigits = 0;
        if (text.Length <= DateTimeSecondsLength)
        {
            return false;
        }

        var at = DateTimeSecondsLength;
        if (text[at] == '.')
        {
            at++;
            while (at < text.Length && char.IsAsciiDigit(text[at]))
            {
                at++;
                fractionDigits++;
            }

            if (fractionDigits is 0 or > MaxFractionDigits)
            {
                return false;
            }
        }

        var zone = text.AsSpan(at);
        var format = new StringBuilder("yyyy-MM-dd'T'HH:mm:ss");
        if (fractionDigits > 0)
        {
            format.Append('.').Append('f', fractionDigits);
        }

        DateTimeStyles styles;
        if (zone is "Z")
        {
            format.Append("'Z'");
            styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        }
        else if (zone.Length == 6 && zone[0] is '+' or '-')
        {
            format.Append("zzz");
            styles = DateTimeStyles.AdjustToUniversal;
        }
        else
        {
            return false;
        }

        if (!DateTimeOffset.TryParseExact(text, format.ToString(), CultureInfo.InvariantCulture, styles, out value))
        {
            return false;
        }

        value = value.ToUniversalTime();
        return true;
    }

    [DoesNotReturn]
    private static void ThrowNoExecutionDateTime()
        => throw new ArgumentException("This request template has no ExecutionDateTime; render it without an execution time.", "slots");

    [DoesNotReturn]
    private static void ThrowDestinationTooSmall()
        => throw new InvalidOperationException("The output buffer is smaller than the size it was asked for.");

    private readonly record struct Slot(int Start, int Length, SlotKind Kind);

    private readonly record struct Header(RequestId RequestId, CommandVariant CommandVariant, ServiceReference ServiceReference, ServiceReferenceVariant ServiceReferenceVariant);
}
