using System.Buffers.Text;

namespace CapacitySim.Duis.Identifiers;

/// <summary>
/// The shared wire form of RequestID and ResponseID: <c>EUI:EUI:counter</c>, the counter a decimal
/// unsigned 64-bit number without leading zeros (the schema's pattern).
/// </summary>
internal static class IdTriple
{
    /// <summary>Longest formatted triple: two EUI-64, two colons and a 20-digit counter.</summary>
    public const int MaxFormattedLength = (2 * Eui64.FormattedLength) + 2 + 20;

    public static bool TryParse(ReadOnlySpan<byte> utf8, out Eui64 first, out Eui64 second, out ulong counter)
    {
        first = default;
        second = default;
        counter = 0;
        const int counterStart = (2 * Eui64.FormattedLength) + 2;
        if (utf8.Length <= counterStart || utf8.Length > MaxFormattedLength
            || utf8[Eui64.FormattedLength] != (byte)':' || utf8[counterStart - 1] != (byte)':')
        {
            return false;
        }

        if (!Eui64.TryParse(utf8[..Eui64.FormattedLength], out first)
            || !Eui64.TryParse(utf8.Slice(Eui64.FormattedLength + 1, Eui64.FormattedLength), out second))
        {
            return false;
        }

        var digits = utf8[counterStart..];
        // The schema forbids leading zeros and signs; Utf8Parser alone would accept "007".
        if (digits.Length > 1 && digits[0] == (byte)'0')
        {
            return false;
        }

        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return Utf8Parser.TryParse(digits, out counter, out var consumed) && consumed == digits.Length;
    }

    public static bool TryFormat(Eui64 first, Eui64 second, ulong counter, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < (2 * Eui64.FormattedLength) + 3)
        {
            return false;
        }

        first.TryFormat(destination, out _);
        destination[Eui64.FormattedLength] = (byte)':';
        second.TryFormat(destination[(Eui64.FormattedLength + 1)..], out _);
        var at = (2 * Eui64.FormattedLength) + 1;
        destination[at++] = (byte)':';
        if (!Utf8Formatter.TryFormat(counter, destination[at..], out var digits))
        {
            return false;
        }

        bytesWritten = at + digits;
        return true;
    }

    public static string ToString(Eui64 first, Eui64 second, ulong counter)
    {
        Span<byte> utf8 = stackalloc byte[MaxFormattedLength];
        TryFormat(first, second, counter, utf8, out var n);
        return System.Text.Encoding.ASCII.GetString(utf8[..n]);
    }

    public static bool TryFormatChars(Eui64 first, Eui64 second, ulong counter, Span<char> destination, out int charsWritten)
    {
        Span<byte> utf8 = stackalloc byte[MaxFormattedLength];
        TryFormat(first, second, counter, utf8, out var n);
        if (destination.Length < n)
        {
            charsWritten = 0;
            return false;
        }

        for (var i = 0; i < n; i++)
        {
            destination[i] = (char)utf8[i];
        }

        charsWritten = n;
        return true;
    }

    public static bool TryParseChars(ReadOnlySpan<char> text, out Eui64 first, out Eui64 second, out ulong counter)
    {
        first = default;
        second = default;
        counter = 0;
        if (text.Length > MaxFormattedLength)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[MaxFormattedLength];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 0x7F)
            {
                return false;
            }

            utf8[i] = (byte)text[i];
        }

        return TryParse(utf8[..text.Length], out first, out second, out counter);
    }
}
