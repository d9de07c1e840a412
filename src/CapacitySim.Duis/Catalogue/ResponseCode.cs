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

/// <summary>A DUIS ResponseCode such as <c>I0</c>, <c>I99</c>, <c>E19</c> or <c>W3</c>: a letter and a number.</summary>
public readonly partial record struct ResponseCode(ResponseCodeKind Kind, ushort Number) : IUtf8SpanFormattable
{
    /// <summary>Longest formatted code.</summary>
    public const int MaxFormattedLength = 6;

    /// <summary>I0: success.</summary>
    public static ResponseCode Success => new(ResponseCodeKind.Information, 0);

    /// <summary>I99: acknowledged (accepted for sending, or non-device request done with nothing to return).</summary>
    public static ResponseCode Acknowledged => new(ResponseCodeKind.Information, 99);

    /// <summary>True for E codes.</summary>
    public bool IsError => Kind == ResponseCodeKind.Error;

    /// <summary>Parses <c>I0</c>, <c>E19</c>… (letter then decimal number without leading zeros).</summary>
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
        if (kind == ResponseCodeKind.None || (digits.Length > 1 && digits[0] == (byte)'0'))
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

        if (!Utf8Parser.TryParse(digits, out ushort number, out var consumed) || consumed != digits.Length)
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

    /// <summary>Writes the code.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (Kind == ResponseCodeKind.None || utf8Destination.Length < 2)
        {
            return false;
        }

        utf8Destination[0] = (byte)Kind;
        if (!Utf8Formatter.TryFormat(Number, utf8Destination[1..], out var n))
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
    public override string ToString() => Kind == ResponseCodeKind.None ? string.Empty : $"{(char)Kind}{Number}";
}
