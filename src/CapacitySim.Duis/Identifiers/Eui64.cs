using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CapacitySim.Duis.Identifiers;

/// <summary>
/// A 64-bit Extended Unique Identifier as DUIS writes it: eight hex octets joined by hyphens,
/// <c>90-B3-D5-1F-30-01-00-00</c>. Parsing accepts either case; formatting is upper case, as the DCC writes.
/// </summary>
public readonly struct Eui64 : IEquatable<Eui64>, IComparable<Eui64>, ISpanFormattable, IUtf8SpanFormattable
{
    /// <summary>Characters in the formatted form (16 hex digits and 7 hyphens).</summary>
    public const int FormattedLength = 23;

    private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;

    /// <summary>Creates an identifier from its 64-bit value (first octet in the most significant byte).</summary>
    public Eui64(ulong value) => Value = value;

    /// <summary>The identifier as an unsigned 64-bit number, first octet most significant.</summary>
    public ulong Value { get; }

    /// <summary>Parses UTF-8 text in <c>XX-XX-XX-XX-XX-XX-XX-XX</c> form.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Eui64 value)
    {
        value = default;
        if (utf8.Length != FormattedLength)
        {
            return false;
        }

        ulong result = 0;
        for (var octet = 0; octet < 8; octet++)
        {
            var at = octet * 3;
            if (octet > 0 && utf8[at - 1] != (byte)'-')
            {
                return false;
            }

            var hi = HexValue(utf8[at]);
            var lo = HexValue(utf8[at + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            result = (result << 8) | (uint)((hi << 4) | lo);
        }

        value = new Eui64(result);
        return true;
    }

    /// <summary>Parses text in <c>XX-XX-XX-XX-XX-XX-XX-XX</c> form.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Eui64 value)
    {
        value = default;
        if (text.Length != FormattedLength)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[FormattedLength];
        for (var i = 0; i < FormattedLength; i++)
        {
            if (text[i] > 0x7F)
            {
                return false;
            }

            utf8[i] = (byte)text[i];
        }

        return TryParse(utf8, out value);
    }

    /// <summary>Parses text, throwing <see cref="FormatException"/> with the offending text when it is not an EUI-64.</summary>
    public static Eui64 Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out var value)
            ? value
            : throw new FormatException($"'{text}' is not an EUI-64 (expected eight hex octets joined by '-', such as 90-B3-D5-1F-30-01-00-00).");
    }

    /// <summary>Writes the upper-case formatted form; needs <see cref="FormattedLength"/> bytes.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten)
    {
        if (utf8Destination.Length < FormattedLength)
        {
            bytesWritten = 0;
            return false;
        }

        Span<byte> octets = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(octets, Value);
        for (var i = 0; i < 8; i++)
        {
            var at = i * 3;
            utf8Destination[at] = HexDigits[octets[i] >> 4];
            utf8Destination[at + 1] = HexDigits[octets[i] & 0xF];
            if (i < 7)
            {
                utf8Destination[at + 2] = (byte)'-';
            }
        }

        bytesWritten = FormattedLength;
        return true;
    }

    /// <inheritdoc/>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => TryFormat(utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        Span<byte> utf8 = stackalloc byte[FormattedLength];
        if (destination.Length < FormattedLength || !TryFormat(utf8, out _))
        {
            charsWritten = 0;
            return false;
        }

        for (var i = 0; i < FormattedLength; i++)
        {
            destination[i] = (char)utf8[i];
        }

        charsWritten = FormattedLength;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<byte> utf8 = stackalloc byte[FormattedLength];
        TryFormat(utf8, out _);
        return Encoding.ASCII.GetString(utf8);
    }

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool Equals(Eui64 other) => Value == other.Value;

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Eui64 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(Eui64 other) => Value.CompareTo(other.Value);

    /// <summary>Equality.</summary>
    public static bool operator ==(Eui64 left, Eui64 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Eui64 left, Eui64 right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(Eui64 left, Eui64 right) => left.Value < right.Value;

    /// <summary>Ordering.</summary>
    public static bool operator >(Eui64 left, Eui64 right) => left.Value > right.Value;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Eui64 left, Eui64 right) => left.Value <= right.Value;

    /// <summary>Ordering.</summary>
    public static bool operator >=(Eui64 left, Eui64 right) => left.Value >= right.Value;

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
}
