using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace CapacitySim.Duis.Reading;

/// <summary>The namespaces the DUIS header reader tells apart; every other URI is <see cref="Other"/>.</summary>
internal enum XmlNs : byte
{
    /// <summary>No namespace (an unprefixed name with no default namespace in scope).</summary>
    None = 0,

    /// <summary><see cref="DuisNamespaces.ServiceUserGateway"/>.</summary>
    ServiceUserGateway,

    /// <summary><see cref="DuisNamespaces.XmlDsig"/>.</summary>
    XmlDsig,

    /// <summary>Any other namespace.</summary>
    Other,
}

/// <summary>What <see cref="Utf8XmlTokenizer.Read"/> found.</summary>
internal enum XmlToken : byte
{
    /// <summary>The document is malformed: see <see cref="Utf8XmlTokenizer.Error"/>.</summary>
    Error = 0,

    /// <summary>A start tag (an empty-element tag gives a start then an end).</summary>
    StartElement,

    /// <summary>An end tag.</summary>
    EndElement,

    /// <summary>Character data between tags, raw (references not decoded; see <see cref="Utf8XmlTokenizer.ValueHasReferences"/>).</summary>
    Text,

    /// <summary>The content of a CDATA section (literal text).</summary>
    CData,

    /// <summary>The root element closed and only whitespace, comments or processing instructions followed.</summary>
    EndOfDocument,
}

/// <summary>
/// A forward-only, non-allocating tokenizer for UTF-8 XML 1.0 over one contiguous buffer, with namespace
/// resolution limited to what DUIS routing needs (ServiceUserGateway, XMLDSig, anything else).
/// </summary>
/// <remarks>
/// Hand-written rather than <see cref="System.Xml.XmlReader"/> because XmlReader decodes to UTF-16 and allocates
/// strings for names and values of every node, and it reads from a Stream or TextReader, so a
/// <see cref="ReadOnlySequence{T}"/> from a pipe would have to be copied and wrapped per message; DUIS routing
/// reads a handful of short values and must not allocate per message.
/// It checks well-formedness to the extent that a message System.Xml would reject is rejected here too
/// (tags, attributes, references, comments, DTDs, namespaces, UTF-8 and forbidden characters), with one
/// documented approximation: non-ASCII bytes are accepted as name characters without checking XML's Unicode
/// name classes. Names, prefixes and namespace bindings are kept as offsets into the buffer, in fixed-size
/// inline arrays, so a read costs no heap memory whatever the document.
/// </remarks>
internal ref struct Utf8XmlTokenizer
{
    public const int MaxDepth = 64;
    public const int MaxBindings = 64;
    public const int MaxAttributes = 32;

    // Stops a text scan: markup, a reference to check, or a ']' that may start the forbidden "]]>".
    private static readonly SearchValues<byte> TextStops = SearchValues.Create("<&]"u8);

    // C0 controls XML 1.0 forbids anywhere, even as literal characters (tab, LF and CR are allowed).
    private static readonly SearchValues<byte> ForbiddenControls = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    private readonly ReadOnlySpan<byte> _buf;
    private readonly int _docStart;
    private int _pos;
    private int _depth;
    private int _bindingCount;
    private bool _rootSeen;
    private bool _rootClosed;
    private bool _pendingEnd;
    private bool _failed;
    private FrameArray _frames;
    private BindingArray _bindings;
    private AttributeArray _attributes;

    public Utf8XmlTokenizer(ReadOnlySpan<byte> document)
    {
        _buf = document;
        _docStart = document.StartsWith("\uFEFF"u8) ? 3 : 0;
        _pos = _docStart;
    }

    /// <summary>The error found when <see cref="Read"/> returned <see cref="XmlToken.Error"/>.</summary>
    public DuisReadStatus Error { get; private set; }

    /// <summary>Byte offset of the error.</summary>
    public int ErrorOffset { get; private set; }

    /// <summary>
    /// For a start or end tag, the depth of that element (the root is 1); for text, the depth of the element holding it.
    /// </summary>
    public int Depth { get; private set; }

    /// <summary>Namespace of the current element.</summary>
    public XmlNs Namespace { get; private set; }

    /// <summary>Byte offset where the current token starts.</summary>
    public int TokenOffset { get; private set; }

    /// <summary>True when the current text holds character or entity references to decode.</summary>
    public bool ValueHasReferences { get; private set; }

    private int LocalNameStart { get; set; }

    private int LocalNameLength { get; set; }

    private int ValueStart { get; set; }

    private int ValueLength { get; set; }

    /// <summary>Local name of the current element.</summary>
    public readonly ReadOnlySpan<byte> LocalName => _buf.Slice(LocalNameStart, LocalNameLength);

    /// <summary>Raw bytes of the current text or CDATA token.</summary>
    public readonly ReadOnlySpan<byte> Value => _buf.Slice(ValueStart, ValueLength);

    /// <summary>
    /// Checks the whole buffer once for invalid UTF-8 and characters XML forbids, so the token scanners need
    /// not look at every byte. Both searches are vectorised.
    /// </summary>
    public static DuisReadStatus CheckCharacters(ReadOnlySpan<byte> document, out int offset)
    {
        offset = document.IndexOfAny(ForbiddenControls);
        if (offset >= 0)
        {
            return DuisReadStatus.InvalidCharacter;
        }

        if (!Utf8.IsValid(document))
        {
            offset = 0;
            while (Rune.DecodeFromUtf8(document[offset..], out _, out var consumed) == OperationStatus.Done)
            {
                offset += consumed;
            }

            return DuisReadStatus.InvalidUtf8;
        }

        // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are valid UTF-8 but not XML characters.
        var from = 0;
        while (true)
        {
            var i = document[from..].IndexOf((byte)0xEF);
            if (i < 0)
            {
                break;
            }

            i += from;
            if (i + 2 < document.Length && document[i + 1] == 0xBF && document[i + 2] >= 0xBE)
            {
                offset = i;
                return DuisReadStatus.InvalidCharacter;
            }

            from = i + 1;
        }

        offset = -1;
        return DuisReadStatus.Ok;
    }

    /// <summary>Moves to the next element, text or end of document; comments, PIs and the XML declaration are skipped.</summary>
    public XmlToken Read()
    {
        if (_failed)
        {
            return XmlToken.Error;
        }

        if (_pendingEnd)
        {
            _pendingEnd = false;
            return PopElement();
        }

        while (true)
        {
            if (_depth == 0)
            {
                _pos = SkipWhitespace(_pos);
                if (_pos >= _buf.Length)
                {
                    return _rootClosed ? XmlToken.EndOfDocument : Fail(DuisReadStatus.UnexpectedEnd, _pos);
                }

                if (_buf[_pos] != (byte)'<')
                {
                    return Fail(_rootSeen ? DuisReadStatus.ContentOutsideRoot : DuisReadStatus.NotXml, _pos);
                }
            }
            else
            {
                if (_pos >= _buf.Length)
                {
                    return Fail(DuisReadStatus.UnexpectedEnd, _pos);
                }

                if (_buf[_pos] != (byte)'<')
                {
                    return ReadText();
                }
            }

            // At '<'.
            var lt = _pos;
            if (lt + 1 >= _buf.Length)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            switch (_buf[lt + 1])
            {
                case (byte)'/':
                    return ReadEndTag(lt);
                case (byte)'?':
                    if (!SkipProcessingInstruction(lt))
                    {
                        return XmlToken.Error;
                    }

                    continue;
                case (byte)'!':
                    var token = ReadBang(lt);
                    if (token == XmlToken.Text)
                    {
                        // A comment: nothing to report.
                        continue;
                    }

                    return token;
                default:
                    if (_rootClosed)
                    {
                        return Fail(DuisReadStatus.ContentOutsideRoot, lt);
                    }

                    return ReadStartTag(lt);
            }
        }
    }

    /// <summary>Decodes validated raw text (references resolved) into <paramref name="sink"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> raw, ref ValueAccumulator sink)
    {
        Span<byte> utf8 = stackalloc byte[4];
        while (!raw.IsEmpty)
        {
            var amp = raw.IndexOf((byte)'&');
            if (amp < 0)
            {
                sink.Append(raw);
                return;
            }

            sink.Append(raw[..amp]);
            var semi = raw[amp..].IndexOf((byte)';') + amp;
            var reference = raw.Slice(amp + 1, semi - amp - 1);
            var codePoint = ResolveReference(reference);
            // A validated reference is a valid scalar value, so encoding cannot fail.
            new Rune(codePoint).TryEncodeToUtf8(utf8, out var n);
            sink.Append(utf8[..n]);
            raw = raw[(semi + 1)..];
        }
    }

    private static int ResolveReference(ReadOnlySpan<byte> reference)
    {
        if (reference[0] == (byte)'#')
        {
            var hex = reference.Length > 1 && reference[1] == (byte)'x';
            var value = 0;
            foreach (var c in reference[(hex ? 2 : 1)..])
            {
                value = hex ? (value << 4) | HexValue(c) : (value * 10) + (c - '0');
            }

            return value;
        }

        return reference switch
        {
            [(byte)'l', (byte)'t'] => '<',
            [(byte)'g', (byte)'t'] => '>',
            [(byte)'a', (byte)'m', (byte)'p'] => '&',
            [(byte)'q', (byte)'u', (byte)'o', (byte)'t'] => '"',
            _ => '\'',
        };
    }

    private XmlToken Fail(DuisReadStatus status, int offset)
    {
        _failed = true;
        Error = status;
        ErrorOffset = offset;
        return XmlToken.Error;
    }

    private bool FailBool(DuisReadStatus status, int offset)
    {
        Fail(status, offset);
        return false;
    }

    private XmlToken ReadText()
    {
        var start = _pos;
        var p = _pos;
        var hasReferences = false;
        while (true)
        {
            var i = _buf[p..].IndexOfAny(TextStops);
            if (i < 0)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            p += i;
            var c = _buf[p];
            if (c == (byte)'<')
            {
                break;
            }

            if (c == (byte)'&')
            {
                hasReferences = true;
                var end = CheckReference(p, _buf.Length, insideAttribute: false);
                if (end < 0)
                {
                    return XmlToken.Error;
                }

                p = end;
                continue;
            }

            // ']': "]]>" may not appear in text.
            if (_buf[p..].StartsWith("]]>"u8))
            {
                return Fail(DuisReadStatus.Malformed, p);
            }

            p++;
        }

        _pos = p;
        TokenOffset = start;
        ValueStart = start;
        ValueLength = p - start;
        ValueHasReferences = hasReferences;
        Depth = _depth;
        return XmlToken.Text;
    }

    /// <summary>
    /// Checks the reference starting at <paramref name="amp"/> and returns the offset just past its ';', or -1
    /// after recording the error. <paramref name="limit"/> is where the enclosing text or attribute value ends.
    /// </summary>
    private int CheckReference(int amp, int limit, bool insideAttribute)
    {
        var p = amp + 1;
        // Running out of buffer is truncation; running into an attribute's closing quote is a bad reference.
        var cut = insideAttribute ? DuisReadStatus.BadCharacterReference : DuisReadStatus.UnexpectedEnd;
        if (p >= limit)
        {
            return FailInt(cut, amp);
        }

        if (_buf[p] == (byte)'#')
        {
            p++;
            var hex = p < limit && _buf[p] == (byte)'x';
            if (hex)
            {
                p++;
            }

            var digitsStart = p;
            long value = 0;
            while (p < limit)
            {
                var c = _buf[p];
                var d = hex ? HexValue(c) : (c is >= (byte)'0' and <= (byte)'9' ? c - '0' : -1);
                if (d < 0)
                {
                    break;
                }

                value = Math.Min((value * (hex ? 16 : 10)) + d, 0x110000);
                p++;
            }

            if (p >= limit)
            {
                return FailInt(cut, amp);
            }

            if (p == digitsStart || _buf[p] != (byte)';' || !IsXmlChar(value))
            {
                return FailInt(DuisReadStatus.BadCharacterReference, amp);
            }

            return p + 1;
        }

        var nameEnd = ScanName(p, limit);
        if (nameEnd >= limit)
        {
            return FailInt(cut, amp);
        }

        if (nameEnd == p || _buf[nameEnd] != (byte)';')
        {
            return FailInt(DuisReadStatus.BadCharacterReference, amp);
        }

        var name = _buf[p..nameEnd];
        if (!(name.SequenceEqual("lt"u8) || name.SequenceEqual("gt"u8) || name.SequenceEqual("amp"u8)
            || name.SequenceEqual("quot"u8) || name.SequenceEqual("apos"u8)))
        {
            return FailInt(DuisReadStatus.UndefinedEntity, amp);
        }

        return nameEnd + 1;
    }

    private int FailInt(DuisReadStatus status, int offset)
    {
        Fail(status, offset);
        return -1;
    }

    private static bool IsXmlChar(long c)
        => c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    private bool SkipProcessingInstruction(int lt)
    {
        var p = lt + 2;
        var nameEnd = ScanName(p, _buf.Length);
        if (nameEnd >= _buf.Length)
        {
            return FailBool(DuisReadStatus.UnexpectedEnd, _buf.Length);
        }

        if (nameEnd == p)
        {
            return FailBool(DuisReadStatus.BadProcessingInstruction, p);
        }

        var target = _buf[p..nameEnd];
        var isDeclaration = target.Length == 3 && (target[0] | 0x20) == 'x' && (target[1] | 0x20) == 'm' && (target[2] | 0x20) == 'l';
        if (isDeclaration && (lt != _docStart || !target.SequenceEqual("xml"u8)))
        {
            // The XML declaration belongs at the very start; other targets named xml are reserved.
            return FailBool(DuisReadStatus.BadProcessingInstruction, lt);
        }

        var next = _buf[nameEnd];
        if (!IsWhitespace(next) && next != (byte)'?')
        {
            return FailBool(DuisReadStatus.BadProcessingInstruction, nameEnd);
        }

        var close = _buf[nameEnd..].IndexOf("?>"u8);
        if (close < 0)
        {
            return FailBool(DuisReadStatus.UnexpectedEnd, _buf.Length);
        }

        if (isDeclaration && !IsXmlDeclaration(_buf[nameEnd..(nameEnd + close)]))
        {
            return FailBool(DuisReadStatus.BadProcessingInstruction, lt);
        }

        _pos = nameEnd + close + 2;
        return true;
    }

    /// <summary>
    /// Checks the XML declaration after <c>&lt;?xml</c>: version 1.0, then optionally encoding and standalone, in
    /// that order. The encoding name is not acted on: DUIS is UTF-8 and the bytes were checked as UTF-8.
    /// </summary>
    private static bool IsXmlDeclaration(ReadOnlySpan<byte> rest)
    {
        // Only 1.0: System.Xml, which the DCC side validates DUIS with, refuses any other version.
        if (!PseudoAttribute(ref rest, "version"u8, out var version) || !version.SequenceEqual("1.0"u8))
        {
            return false;
        }

        var save = rest;
        if (PseudoAttribute(ref rest, "encoding"u8, out var encoding))
        {
            if (encoding.IsEmpty || !char.IsAsciiLetter((char)encoding[0]))
            {
                return false;
            }

            foreach (var c in encoding)
            {
                if (!(char.IsAsciiLetterOrDigit((char)c) || c is (byte)'.' or (byte)'_' or (byte)'-'))
                {
                    return false;
                }
            }
        }
        else
        {
            rest = save;
        }

        save = rest;
        if (PseudoAttribute(ref rest, "standalone"u8, out var standalone))
        {
            if (!standalone.SequenceEqual("yes"u8) && !standalone.SequenceEqual("no"u8))
            {
                return false;
            }
        }
        else
        {
            rest = save;
        }

        return rest.IndexOfAnyExcept(" \t\r\n"u8) < 0;
    }

    /// <summary>Reads <c>S name S? = S? quoted-value</c> from the front of <paramref name="rest"/>.</summary>
    private static bool PseudoAttribute(ref ReadOnlySpan<byte> rest, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        var trimmed = rest.TrimStart(" \t\r\n"u8);
        if (trimmed.Length == rest.Length || !trimmed.StartsWith(name))
        {
            return false;
        }

        trimmed = trimmed[name.Length..].TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'=')
        {
            return false;
        }

        trimmed = trimmed[1..].TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] is not ((byte)'"' or (byte)'\''))
        {
            return false;
        }

        var close = trimmed[1..].IndexOf(trimmed[0]);
        if (close < 0)
        {
            return false;
        }

        value = trimmed.Slice(1, close);
        rest = trimmed[(close + 2)..];
        return true;
    }

    /// <summary>Handles <c>&lt;!</c>: a comment (returns Text to mean "skipped"), CDATA, or a DTD construct.</summary>
    private XmlToken ReadBang(int lt)
    {
        var rest = _buf[lt..];
        if (rest.StartsWith("<!--"u8))
        {
            var body = lt + 4;
            var dashes = _buf[body..].IndexOf("--"u8);
            if (dashes < 0)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            var at = body + dashes;
            if (at + 2 >= _buf.Length)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            if (_buf[at + 2] != (byte)'>')
            {
                return Fail(DuisReadStatus.BadComment, at);
            }

            _pos = at + 3;
            return XmlToken.Text;
        }

        if (rest.StartsWith("<![CDATA["u8))
        {
            if (_depth == 0)
            {
                return Fail(DuisReadStatus.ContentOutsideRoot, lt);
            }

            var body = lt + 9;
            var close = _buf[body..].IndexOf("]]>"u8);
            if (close < 0)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            _pos = body + close + 3;
            TokenOffset = lt;
            ValueStart = body;
            ValueLength = close;
            ValueHasReferences = false;
            Depth = _depth;
            return XmlToken.CData;
        }

        if (rest.StartsWith("<!DOCTYPE"u8) || rest.StartsWith("<!ENTITY"u8) || rest.StartsWith("<!ELEMENT"u8)
            || rest.StartsWith("<!ATTLIST"u8) || rest.StartsWith("<!NOTATION"u8))
        {
            return Fail(DuisReadStatus.DtdNotAllowed, lt);
        }

        // A cut-off prefix of any of the above is truncation, not bad markup.
        if ("<!--"u8.StartsWith(rest) || "<![CDATA["u8.StartsWith(rest) || "<!DOCTYPE"u8.StartsWith(rest)
            || "<!ENTITY"u8.StartsWith(rest) || "<!ELEMENT"u8.StartsWith(rest) || "<!ATTLIST"u8.StartsWith(rest)
            || "<!NOTATION"u8.StartsWith(rest))
        {
            return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
        }

        return Fail(DuisReadStatus.Malformed, lt);
    }

    private XmlToken ReadStartTag(int lt)
    {
        var nameStart = lt + 1;
        var nameEnd = ScanName(nameStart, _buf.Length);
        if (nameEnd >= _buf.Length)
        {
            return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
        }

        if (nameEnd == nameStart)
        {
            return Fail(DuisReadStatus.Malformed, lt);
        }

        var elementColon = CheckQName(nameStart, nameEnd);
        if (elementColon == -2)
        {
            return Fail(DuisReadStatus.BadName, nameStart);
        }

        if (_depth == MaxDepth)
        {
            return Fail(DuisReadStatus.TooDeep, lt);
        }

        var bindingBase = _bindingCount;
        var attributeCount = 0;
        var p = nameEnd;
        bool empty;
        while (true)
        {
            if (p >= _buf.Length)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            var c = _buf[p];
            if (c == (byte)'>')
            {
                p++;
                empty = false;
                break;
            }

            if (c == (byte)'/')
            {
                if (p + 1 >= _buf.Length)
                {
                    return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
                }

                if (_buf[p + 1] != (byte)'>')
                {
                    return Fail(DuisReadStatus.BadAttribute, p);
                }

                p += 2;
                empty = true;
                break;
            }

            if (!IsWhitespace(c))
            {
                return Fail(DuisReadStatus.BadAttribute, p);
            }

            p = SkipWhitespace(p);
            if (p >= _buf.Length)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            c = _buf[p];
            if (c is (byte)'>' or (byte)'/')
            {
                continue;
            }

            // An attribute.
            var attrStart = p;
            var attrEnd = ScanName(p, _buf.Length);
            if (attrEnd >= _buf.Length)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            if (attrEnd == attrStart)
            {
                return Fail(DuisReadStatus.BadAttribute, p);
            }

            if (CheckQName(attrStart, attrEnd) == -2)
            {
                return Fail(DuisReadStatus.BadName, attrStart);
            }

            p = SkipWhitespace(attrEnd);
            if (p >= _buf.Length)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            if (_buf[p] != (byte)'=')
            {
                return Fail(DuisReadStatus.BadAttribute, p);
            }

            p = SkipWhitespace(p + 1);
            if (p >= _buf.Length)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            var quote = _buf[p];
            if (quote is not ((byte)'"' or (byte)'\''))
            {
                return Fail(DuisReadStatus.BadAttribute, p);
            }

            var valueStart = p + 1;
            var close = _buf[valueStart..].IndexOf(quote);
            if (close < 0)
            {
                return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
            }

            var valueEnd = valueStart + close;
            if (!CheckAttributeValue(valueStart, valueEnd, out var valueHasReferences))
            {
                return XmlToken.Error;
            }

            var attrName = _buf[attrStart..attrEnd];
            for (var i = 0; i < attributeCount; i++)
            {
                var previous = _attributes[i];
                if (_buf.Slice(previous.Start, previous.Length).SequenceEqual(attrName))
                {
                    return Fail(DuisReadStatus.DuplicateAttribute, attrStart);
                }
            }

            if (attributeCount == MaxAttributes)
            {
                return Fail(DuisReadStatus.TooManyAttributes, attrStart);
            }

            _attributes[attributeCount++] = new NameRef(attrStart, attrEnd - attrStart);

            if (attrName.StartsWith("xmlns"u8) && (attrName.Length == 5 || attrName[5] == (byte)':'))
            {
                if (!Declare(attrStart, attrName, valueStart, valueEnd, valueHasReferences))
                {
                    return XmlToken.Error;
                }
            }

            p = valueEnd + 1;
        }

        // Prefixes resolve against every declaration on this tag, wherever it stands among the attributes.
        if (!TryResolve(elementColon < 0 ? default : _buf[nameStart..elementColon], out var ns))
        {
            return Fail(DuisReadStatus.UndeclaredPrefix, nameStart);
        }

        for (var i = 0; i < attributeCount; i++)
        {
            var attribute = _attributes[i];
            var name = _buf.Slice(attribute.Start, attribute.Length);
            var colon = name.IndexOf((byte)':');
            if (colon > 0 && !name[..colon].SequenceEqual("xmlns"u8) && !TryResolve(name[..colon], out _))
            {
                return Fail(DuisReadStatus.UndeclaredPrefix, attribute.Start);
            }
        }

        _frames[_depth] = new Frame(nameStart, nameEnd - nameStart, bindingBase);
        _depth++;
        _rootSeen = true;
        _pos = p;
        _pendingEnd = empty;
        TokenOffset = lt;
        Depth = _depth;
        Namespace = ns;
        var localStart = elementColon < 0 ? nameStart : elementColon + 1;
        LocalNameStart = localStart;
        LocalNameLength = nameEnd - localStart;
        return XmlToken.StartElement;
    }

    private bool CheckAttributeValue(int start, int end, out bool hasReferences)
    {
        hasReferences = false;
        var p = start;
        while (p < end)
        {
            var i = _buf[p..end].IndexOfAny((byte)'<', (byte)'&');
            if (i < 0)
            {
                return true;
            }

            p += i;
            if (_buf[p] == (byte)'<')
            {
                return FailBool(DuisReadStatus.BadAttribute, p);
            }

            hasReferences = true;
            p = CheckReference(p, end, insideAttribute: true);
            if (p < 0)
            {
                return false;
            }
        }

        return true;
    }

    private bool Declare(int attrStart, ReadOnlySpan<byte> attrName, int valueStart, int valueEnd, bool valueHasReferences)
    {
        var isDefault = attrName.Length == 5;
        var prefix = isDefault ? default : attrName[6..];
        var ns = ClassifyNamespace(_buf[valueStart..valueEnd], valueHasReferences, out var isEmpty, out var isXmlNamespace);
        if (!isDefault)
        {
            if (prefix.SequenceEqual("xmlns"u8) || (prefix.SequenceEqual("xml"u8) != isXmlNamespace) || isEmpty)
            {
                return FailBool(DuisReadStatus.BadNamespaceDeclaration, attrStart);
            }

            if (isXmlNamespace)
            {
                // Declaring xml to its own namespace is allowed and changes nothing.
                return true;
            }
        }
        else if (isXmlNamespace)
        {
            return FailBool(DuisReadStatus.BadNamespaceDeclaration, attrStart);
        }

        if (_bindingCount == MaxBindings)
        {
            return FailBool(DuisReadStatus.TooManyNamespaceDeclarations, attrStart);
        }

        _bindings[_bindingCount++] = new Binding(isDefault ? attrStart : attrStart + 6, prefix.Length, isEmpty ? XmlNs.None : ns);
        return true;
    }

    private static XmlNs ClassifyNamespace(ReadOnlySpan<byte> raw, bool hasReferences, out bool isEmpty, out bool isXmlNamespace)
    {
        if (!hasReferences)
        {
            return ClassifyUri(raw, out isEmpty, out isXmlNamespace);
        }

        var accumulator = default(ValueAccumulator);
        accumulator.KeepAll = true;
        Decode(raw, ref accumulator);
        if (accumulator.Overflowed)
        {
            // Longer than any namespace this reader tells apart.
            isEmpty = false;
            isXmlNamespace = false;
            return XmlNs.Other;
        }

        return ClassifyUri(accumulator.Bytes, out isEmpty, out isXmlNamespace);
    }

    private static XmlNs ClassifyUri(ReadOnlySpan<byte> uri, out bool isEmpty, out bool isXmlNamespace)
    {
        isEmpty = uri.IsEmpty;
        isXmlNamespace = uri.SequenceEqual("http://www.w3.org/XML/1998/namespace"u8);
        if (uri.SequenceEqual(DuisNamespaces.ServiceUserGatewayUtf8))
        {
            return XmlNs.ServiceUserGateway;
        }

        return uri.SequenceEqual(DuisNamespaces.XmlDsigUtf8) ? XmlNs.XmlDsig : XmlNs.Other;
    }

    private readonly bool TryResolve(ReadOnlySpan<byte> prefix, out XmlNs ns)
    {
        for (var i = _bindingCount - 1; i >= 0; i--)
        {
            var binding = _bindings[i];
            if (binding.PrefixLength == prefix.Length && _buf.Slice(binding.PrefixStart, binding.PrefixLength).SequenceEqual(prefix))
            {
                ns = binding.Namespace;
                return true;
            }
        }

        ns = XmlNs.None;
        if (prefix.IsEmpty)
        {
            return true;
        }

        if (prefix.SequenceEqual("xml"u8))
        {
            ns = XmlNs.Other;
            return true;
        }

        return false;
    }

    private XmlToken ReadEndTag(int lt)
    {
        var nameStart = lt + 2;
        var nameEnd = ScanName(nameStart, _buf.Length);
        if (nameEnd >= _buf.Length)
        {
            return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
        }

        if (_depth == 0)
        {
            return Fail(DuisReadStatus.MismatchedEndTag, lt);
        }

        var frame = _frames[_depth - 1];
        if (!_buf[nameStart..nameEnd].SequenceEqual(_buf.Slice(frame.NameStart, frame.NameLength)))
        {
            return Fail(DuisReadStatus.MismatchedEndTag, lt);
        }

        var p = SkipWhitespace(nameEnd);
        if (p >= _buf.Length)
        {
            return Fail(DuisReadStatus.UnexpectedEnd, _buf.Length);
        }

        if (_buf[p] != (byte)'>')
        {
            return Fail(DuisReadStatus.Malformed, p);
        }

        _pos = p + 1;
        TokenOffset = lt;
        return PopElement();
    }

    private XmlToken PopElement()
    {
        var frame = _frames[_depth - 1];
        Depth = _depth;
        _depth--;
        _bindingCount = frame.BindingBase;
        if (_depth == 0)
        {
            _rootClosed = true;
        }

        return XmlToken.EndElement;
    }

    /// <summary>Returns the index of the colon of a QName [start, end), -1 when it has none, -2 when it is not a QName.</summary>
    private readonly int CheckQName(int start, int end)
    {
        var name = _buf[start..end];
        if (!IsNameStart(name[0]))
        {
            return -2;
        }

        var colon = name.IndexOf((byte)':');
        if (colon < 0)
        {
            return -1;
        }

        if (colon == 0 || colon == name.Length - 1 || name[(colon + 1)..].Contains((byte)':') || !IsNameStart(name[colon + 1]))
        {
            return -2;
        }

        return start + colon;
    }

    /// <summary>Returns the end of the run of name characters at <paramref name="start"/> (the limit if it runs there).</summary>
    private readonly int ScanName(int start, int limit)
    {
        var p = start;
        while (p < limit && IsNameChar(_buf[p]))
        {
            p++;
        }

        return p;
    }

    private readonly int SkipWhitespace(int p)
    {
        while (p < _buf.Length && IsWhitespace(_buf[p]))
        {
            p++;
        }

        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWhitespace(byte c) => c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';

    // Non-ASCII bytes count as name characters: XML's Unicode name classes are not checked (see remarks).
    private static bool IsNameStart(byte c)
        => c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_' or (byte)':' or >= 0x80;

    private static bool IsNameChar(byte c)
        => IsNameStart(c) || c is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.';

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private readonly record struct Frame(int NameStart, int NameLength, int BindingBase);

    private readonly record struct Binding(int PrefixStart, int PrefixLength, XmlNs Namespace);

    private readonly record struct NameRef(int Start, int Length);

    [InlineArray(MaxDepth)]
    private struct FrameArray
    {
        private Frame _element;
    }

    [InlineArray(MaxBindings)]
    private struct BindingArray
    {
        private Binding _element;
    }

    [InlineArray(MaxAttributes)]
    private struct AttributeArray
    {
        private NameRef _element;
    }
}

/// <summary>
/// A short text value collected from one or more text pieces into a fixed buffer. By default it trims XML
/// whitespace around the value and treats whitespace inside it as an error, since every DUIS header value is a
/// token without spaces; <see cref="KeepAll"/> keeps every byte (namespace URIs).
/// </summary>
internal struct ValueAccumulator
{
    public const int Capacity = 96;

    private ValueBuffer _buffer;
    private int _length;
    private bool _afterTrailingWhitespace;

    /// <summary>Keep whitespace rather than trimming it.</summary>
    public bool KeepAll { get; set; }

    /// <summary>The value is unusable: too long, or whitespace inside it.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The bytes collected.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => ((ReadOnlySpan<byte>)_buffer)[.._length];

    public void Reset()
    {
        _length = 0;
        _afterTrailingWhitespace = false;
        Overflowed = false;
        KeepAll = false;
    }

    public void Invalidate() => Overflowed = true;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (Overflowed)
        {
            return;
        }

        if (KeepAll)
        {
            if (_length + bytes.Length > Capacity)
            {
                Overflowed = true;
                return;
            }

            bytes.CopyTo(((Span<byte>)_buffer)[_length..]);
            _length += bytes.Length;
            return;
        }

        foreach (var b in bytes)
        {
            if (Utf8XmlTokenizer.IsWhitespace(b))
            {
                _afterTrailingWhitespace = _length > 0;
                continue;
            }

            if (_afterTrailingWhitespace || _length == Capacity)
            {
                Overflowed = true;
                return;
            }

            _buffer[_length++] = b;
        }
    }

    [InlineArray(Capacity)]
    private struct ValueBuffer
    {
        private byte _element;
    }
}
