using System.Diagnostics.CodeAnalysis;

namespace CapacitySim.Duis.Identifiers;

/// <summary>
/// A DUIS RequestID: <c>BusinessOriginatorID:BusinessTargetID:OriginatorCounter</c>. The counter is
/// strictly increasing per originator; the DCC rejects a counter it has already seen.
/// </summary>
public readonly record struct RequestId(Eui64 Originator, Eui64 Target, ulong Counter) : ISpanFormattable, IUtf8SpanFormattable
{
    /// <summary>Longest formatted RequestID in bytes.</summary>
    public const int MaxFormattedLength = IdTriple.MaxFormattedLength;

    /// <summary>Parses the UTF-8 wire form.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out RequestId value)
    {
        var ok = IdTriple.TryParse(utf8, out var originator, out var target, out var counter);
        value = new RequestId(originator, target, counter);
        return ok;
    }

    /// <summary>Parses the text form.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out RequestId value)
    {
        var ok = IdTriple.TryParseChars(text, out var originator, out var target, out var counter);
        value = new RequestId(originator, target, counter);
        return ok;
    }

    /// <summary>Parses the text form or throws a <see cref="FormatException"/> naming the text.</summary>
    public static RequestId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out var value)
            ? value
            : throw new FormatException($"'{text}' is not a DUIS RequestID (expected originator EUI:target EUI:counter).");
    }

    /// <summary>Writes the UTF-8 wire form.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten)
        => IdTriple.TryFormat(Originator, Target, Counter, utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => TryFormat(utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => IdTriple.TryFormatChars(Originator, Target, Counter, destination, out charsWritten);

    /// <inheritdoc/>
    public override string ToString() => IdTriple.ToString(Originator, Target, Counter);

    /// <inheritdoc/>
    public string ToString([StringSyntax(StringSyntaxAttribute.CompositeFormat)] string? format, IFormatProvider? formatProvider) => ToString();
}
