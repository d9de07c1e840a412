using System.Diagnostics.CodeAnalysis;

namespace CapacitySim.Duis.Identifiers;

/// <summary>
/// A DUIS ResponseID: <c>source:recipient:counter</c>. For device responses and alerts the source is the
/// device (or the DCC) and the recipient the user; the DCC Boxed response sample reuses the request counter.
/// </summary>
public readonly record struct ResponseId(Eui64 Source, Eui64 Recipient, ulong Counter) : ISpanFormattable, IUtf8SpanFormattable
{
    /// <summary>Longest formatted ResponseID in bytes.</summary>
    public const int MaxFormattedLength = IdTriple.MaxFormattedLength;

    /// <summary>Parses the UTF-8 wire form.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ResponseId value)
    {
        var ok = IdTriple.TryParse(utf8, out var source, out var recipient, out var counter);
        value = new ResponseId(source, recipient, counter);
        return ok;
    }

    /// <summary>Parses the text form.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ResponseId value)
    {
        var ok = IdTriple.TryParseChars(text, out var source, out var recipient, out var counter);
        value = new ResponseId(source, recipient, counter);
        return ok;
    }

    /// <summary>Writes the UTF-8 wire form.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten)
        => IdTriple.TryFormat(Source, Recipient, Counter, utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => TryFormat(utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => IdTriple.TryFormatChars(Source, Recipient, Counter, destination, out charsWritten);

    /// <inheritdoc/>
    public override string ToString() => IdTriple.ToString(Source, Recipient, Counter);

    /// <inheritdoc/>
    public string ToString([StringSyntax(StringSyntaxAttribute.CompositeFormat)] string? format, IFormatProvider? formatProvider) => ToString();
}
