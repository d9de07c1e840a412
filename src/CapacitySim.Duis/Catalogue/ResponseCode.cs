using System.Buffers;
using System.Buffers.Text;

namespace CapacitySim.Duis.Catalogue;

/// <summary>The class of a DUIS response code, from its letter.</summary>
public enum ResponseCodeKind : byte
{
    /// <summary>Not a code (unset).</summary>
    None = 0,

    /// <summary>I: information (I0 success, I99 acknowledgement).</summary>
    Information = (byte)'I',

    /// <summary>E: error.</summary>
    Error = (byte)'E',

    /// <summary>W: warning.</summary>
    Warning = (byte)'W',
}

/// <summary>
/// A DUIS ResponseCode such as <c>I0</c>, <c>I99</c>, <c>E19</c> or <c>W050201</c>: a letter and a number. Numbers of
/// 10000 and above are the six-digit Service Reference specific codes and are always written with six digits.
/// </summary>
public readonly partial record struct ResponseCode(ResponseCodeKind Kind, uint Number) : IUtf8SpanFormattable
{
    /// <summary>Longest formatted code (<c>E050201</c>).</summary>
    public const int MaxFormattedLength = 7;

    /// <summary>Digits of a Service Reference specific code (<c>E050201</c>: 05, 02, sequence 01).</summary>
    private const int ServiceSpecificDigits = 6;

    /// <summary>Numbers from here up are written with six digits; general codes stay below it.</summary>
    private const uint ServiceSpecificMinimum = 10_000;

    /// <summary>Largest number a code can carry (six digits).</summary>
    private const uint MaxNumber = 999_999;

    /// <summary>I0: success.</summary>
    public static ResponseCode Success => new(ResponseCodeKind.Information, 0);

    /// <summary>I99: acknowledged (accepted for sending, or non-device request done with nothing to return).</summary>
    public static ResponseCode Acknowledged => new(ResponseCodeKind.Information, 99);

    /// <summary>True for E codes.</summary>
    public bool IsError => Kind == ResponseCodeKind.Error;

    /// <summary>
    /// Parses <c>I0</c>, <c>E19</c>, <c>E050201</c>…: a letter then either 1 to 4 digits without leading zeros (the
    /// general codes) or exactly six digits (the codes specific to one Service Reference, <c>E</c>+major+minor+sequence,
    /// which keep their leading zero: <c>E010101</c>). Each number has exactly one accepted spelling.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ResponseCode value)
    {
        value = default;
        if (utf8.Length is < 2 or > MaxFormattedLength)
        {
            return false;
        }

        var kind = utf8[0] switch
        {
            (byte)'I' => ResponseCodeKind.Information,
            (byte)'E' => ResponseCodeKind.Error,
            (byte)'W' => ResponseCodeKind.Warning,
            _ => ResponseCodeKind.None,
        };
        var digits = utf8[1..];
        if (kind == ResponseCodeKind.None || digits.Length == 5
            || (digits.Length is > 1 and <= 4 && digits[0] == (byte)'0'))
        {
            return false;
        }

        uint number = 0;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            number = (number * 10) + (uint)(d - '0');
        }

        // A six-digit form below 10000 (E000019) would be a second spelling of a short code.
        if (digits.Length == ServiceSpecificDigits && number < ServiceSpecificMinimum)
        {
            return false;
        }

        value = new ResponseCode(kind, number);
        return true;
    }

    /// <summary>Parses text such as <c>E19</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ResponseCode value)
    {
        value = default;
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

        return TryParse(utf8[..text.Length], out value);
    }

    /// <summary>Parses text or throws a <see cref="FormatException"/> naming it.</summary>
    public static ResponseCode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out var value)
            ? value
            : throw new FormatException($"'{text}' is not a DUIS response code (expected I0, I99, E<n> or W<n>).");
    }

    /// <summary>Writes the code: general codes without leading zeros, Service Reference specific codes with six digits.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (Kind == ResponseCodeKind.None || Number > MaxNumber || utf8Destination.Length < 2)
        {
            return false;
        }

        utf8Destination[0] = (byte)Kind;
        var format = Number >= ServiceSpecificMinimum ? new StandardFormat('D', ServiceSpecificDigits) : default;
        if (!Utf8Formatter.TryFormat(Number, utf8Destination[1..], out var n, format))
        {
            return false;
        }

        bytesWritten = n + 1;
        return true;
    }

    /// <inheritdoc/>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => TryFormat(utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public override string ToString() => Kind == ResponseCodeKind.None
        ? string.Empty
        : Number >= ServiceSpecificMinimum ? $"{(char)Kind}{Number:D6}" : $"{(char)Kind}{Number}";
}
