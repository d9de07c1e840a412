using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace CapacitySim.Duis.Writing;

/// <summary>
/// Low-level pieces of exclusive-c14n canonical output written straight into an <see cref="IBufferWriter{T}"/>:
/// raw markup, escaped text, numbers, xs:dateTime and base64. Nothing here allocates.
/// </summary>
internal static class CanonicalOutput
{
    /// <summary>Input bytes base64-encoded per chunk: a multiple of 3, so chunks join without padding.</summary>
    private const int Base64InputChunk = 3 * 1024;

    /// <summary>xs:dateTime as written: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    private const int DateTimeLength = 24;

    public static void Raw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    public static void Formatted<T>(IBufferWriter<byte> output, T value, int maxLength)
        where T : IUtf8SpanFormattable
    {
        if (!value.TryFormat(output.GetSpan(maxLength), out var written, default, null))
        {
            WriterThrow.Format(typeof(T).Name);
        }

        output.Advance(written);
    }

    public static void UInt64(IBufferWriter<byte> output, ulong value)
    {
        Utf8Formatter.TryFormat(value, output.GetSpan(20), out var written);
        output.Advance(written);
    }

    public static void Int64(IBufferWriter<byte> output, long value)
    {
        Utf8Formatter.TryFormat(value, output.GetSpan(20), out var written);
        output.Advance(written);
    }

    /// <summary>xs:decimal: plain digits with an optional point, never an exponent.</summary>
    public static void Decimal(IBufferWriter<byte> output, decimal value)
    {
        var span = output.GetSpan(40);
        // Decimal's general format is always fixed-point (no exponent) and keeps the value's scale (12.500);
        // xs:decimal accepts that, but trailing zeros are noise on the wire.
        Utf8Formatter.TryFormat(value, span, out var written);
        var dot = span.IndexOf((byte)'.');
        if (dot >= 0)
        {
            while (span[written - 1] == (byte)'0')
            {
                written--;
            }

            if (written - 1 == dot)
            {
                written--;
            }
        }

        output.Advance(written);
    }

    /// <summary>Four upper-case hex digits, as xs:hexBinary of two bytes.</summary>
    public static void Hex16(IBufferWriter<byte> output, ushort value)
    {
        Utf8Formatter.TryFormat(value, output.GetSpan(4), out var written, new StandardFormat('X', 4));
        output.Advance(written);
    }

    /// <summary>xs:dateTime in UTC with milliseconds and <c>Z</c> (<c>2022-08-17T15:45:42.790Z</c>), as the DCC writes.</summary>
    public static void DateTime(IBufferWriter<byte> output, DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var s = output.GetSpan(DateTimeLength);
        Digits(s, utc.Year, 4);
        s[4] = (byte)'-';
        Digits(s[5..], utc.Month, 2);
        s[7] = (byte)'-';
        Digits(s[8..], utc.Day, 2);
        s[10] = (byte)'T';
        Digits(s[11..], utc.Hour, 2);
        s[13] = (byte)':';
        Digits(s[14..], utc.Minute, 2);
        s[16] = (byte)':';
        Digits(s[17..], utc.Second, 2);
        s[19] = (byte)'.';
        Digits(s[20..], utc.Millisecond, 3);
        s[23] = (byte)'Z';
        output.Advance(DateTimeLength);
    }

    /// <summary>xs:base64Binary without line breaks (canonical text needs no escaping).</summary>
    public static void Base64(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var chunk = data.Length > Base64InputChunk ? data[..Base64InputChunk] : data;
            var isFinal = chunk.Length == data.Length;
            var dest = output.GetSpan(System.Buffers.Text.Base64.GetMaxEncodedToUtf8Length(chunk.Length));
            System.Buffers.Text.Base64.EncodeToUtf8(chunk, dest, out var consumed, out var written, isFinal);
            output.Advance(written);
            data = data[consumed..];
        }
    }

    /// <summary>
    /// Character data escaped as exclusive c14n does: <c>&amp;amp;</c>, <c>&amp;lt;</c>, <c>&amp;gt;</c> and CR as
    /// <c>&amp;#xD;</c>. Refuses characters XML 1.0 cannot carry (C0 controls other than tab, LF and CR).
    /// </summary>
    public static void Text(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            var i = utf8.IndexOfAnyInRange((byte)0, (byte)0x1F);
            var j = utf8.IndexOfAny((byte)'&', (byte)'<', (byte)'>');
            var at = i < 0 ? j : j < 0 ? i : Math.Min(i, j);
            if (at < 0)
            {
                Raw(output, utf8);
                return;
            }

            Raw(output, utf8[..at]);
            switch (utf8[at])
            {
                case (byte)'&':
                    Raw(output, "&amp;"u8);
                    break;
                case (byte)'<':
                    Raw(output, "&lt;"u8);
                    break;
                case (byte)'>':
                    Raw(output, "&gt;"u8);
                    break;
                case (byte)'\r':
                    Raw(output, "&#xD;"u8);
                    break;
                case (byte)'\t':
                case (byte)'\n':
                    Raw(output, utf8.Slice(at, 1));
                    break;
                default:
                    WriterThrow.ControlCharacter(utf8[at]);
                    break;
            }

            utf8 = utf8[(at + 1)..];
        }
    }

    /// <summary>Writes an element that was written standalone (so declares <c>xmlns:sr</c>) and signed, without that
    /// declaration: in the enclosing document the prefix is already in scope and exclusive c14n omits it.</summary>
    public static void EmbedSigned(IBufferWriter<byte> output, ReadOnlySpan<byte> signed, ReadOnlySpan<byte> standaloneStartTag, ReadOnlySpan<byte> embeddedStartTag)
    {
        if (!signed.StartsWith(standaloneStartTag))
        {
            WriterThrow.SignerChangedStartTag();
        }

        Raw(output, embeddedStartTag);
        Raw(output, signed[standaloneStartTag.Length..]);
    }

    /// <summary>
    /// Writes <paramref name="unsigned"/> with a placeholder <c>ds:Signature</c> before its end tag: the digest is the
    /// real SHA-256 of the unsigned canonical bytes; the signature value is 64 zero bytes, which no verifier accepts.
    /// </summary>
    public static void PlaceholderSigned(IBufferWriter<byte> output, ReadOnlySpan<byte> unsigned, ReadOnlySpan<byte> rootEndTag)
    {
        if (!unsigned.EndsWith(rootEndTag))
        {
            WriterThrow.Format("unsigned document end tag");
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(unsigned, digest);
        Span<byte> signature = stackalloc byte[64];
        signature.Clear();
        Raw(output, unsigned[..^rootEndTag.Length]);
        Raw(output, "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"></ds:SignatureMethod><ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"></ds:DigestMethod><ds:DigestValue>"u8);
        Base64(output, digest);
        Raw(output, "</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>"u8);
        Base64(output, signature);
        Raw(output, "</ds:SignatureValue></ds:Signature>"u8);
        Raw(output, rootEndTag);
    }

    private static void Digits(Span<byte> destination, int value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}

/// <summary>Throw helpers kept out of the writers' hot paths.</summary>
internal static class WriterThrow
{
    [DoesNotReturn]
    public static void Format(string what)
        => throw new InvalidOperationException($"Could not format {what} for a DUIS message.");

    [DoesNotReturn]
    public static void ControlCharacter(byte value)
        => throw new ArgumentException($"Text for a DUIS message holds control character 0x{value:X2}, which XML 1.0 cannot carry.");

    [DoesNotReturn]
    public static void SignerChangedStartTag()
        => throw new InvalidOperationException("The signer changed the signed element's start tag; the signed document cannot be embedded canonically.");

    [DoesNotReturn]
    public static void Argument(string parameter, string message)
        => throw new ArgumentException(message, parameter);
}
