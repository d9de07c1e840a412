using System.Buffers.Text;
using System.Globalization;

namespace CapacitySim.Duis.Catalogue;

/// <summary>A GBCS device alert code: four hex digits on the wire (<c>8F35</c>), a 16-bit number.</summary>
public readonly partial record struct DeviceAlertCode(ushort Value) : IUtf8SpanFormattable
{
    /// <summary>Characters in the formatted form.</summary>
    public const int FormattedLength = 4;

    /// <summary>Parses four hex digits (either case).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out DeviceAlertCode value)
    {
        value = default;
        if (utf8.Length != FormattedLength || !Utf8Parser.TryParse(utf8, out ushort v, out var consumed, 'X') || consumed != FormattedLength)
        {
            return false;
        }

        value = new DeviceAlertCode(v);
        return true;
    }

    /// <summary>Parses text such as <c>8F35</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DeviceAlertCode value)
    {
        value = default;
        if (text.Length != FormattedLength || !ushort.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }

        value = new DeviceAlertCode(v);
        return true;
    }

    /// <summary>Parses text or throws a <see cref="FormatException"/> naming it.</summary>
    public static DeviceAlertCode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out var value)
            ? value
            : throw new FormatException($"'{text}' is not a GBCS device alert code (expected four hex digits such as 8F35).");
    }

    /// <summary>Writes four upper-case hex digits.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten)
        => Utf8Formatter.TryFormat(Value, utf8Destination, out bytesWritten, new System.Buffers.StandardFormat('X', 4));

    /// <inheritdoc/>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => TryFormat(utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("X4", CultureInfo.InvariantCulture);
}

/// <summary>The family of a DCC alert code.</summary>
public enum DccAlertCodeKind : byte
{
    /// <summary>Not a code (unset).</summary>
    None = 0,

    /// <summary>N-codes (N1…N65, N999).</summary>
    N = (byte)'N',

    /// <summary>AD-codes (AD1).</summary>
    AD = (byte)'A',
}

/// <summary>A DCC alert code such as <c>N24</c> or <c>AD1</c>.</summary>
public readonly partial record struct DccAlertCode(DccAlertCodeKind Kind, ushort Number) : IUtf8SpanFormattable
{
    /// <summary>Longest formatted form.</summary>
    public const int MaxFormattedLength = 6;

    /// <summary>Parses <c>N&lt;n&gt;</c> or <c>AD&lt;n&gt;</c>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out DccAlertCode value)
    {
        value = default;
        DccAlertCodeKind kind;
        ReadOnlySpan<byte> digits;
        if (utf8.StartsWith("AD"u8))
        {
            kind = DccAlertCodeKind.AD;
            digits = utf8[2..];
        }
        else if (utf8.StartsWith("N"u8))
        {
            kind = DccAlertCodeKind.N;
            digits = utf8[1..];
        }
        else
        {
            return false;
        }

        if (digits.Length is 0 or > 4 || digits[0] == (byte)'0')
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

        if (!Utf8Parser.TryParse(digits, out ushort number, out _))
        {
            return false;
        }

        value = new DccAlertCode(kind, number);
        return true;
    }

    /// <summary>Parses text such as <c>N24</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DccAlertCode value)
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
    public static DccAlertCode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out var value)
            ? value
            : throw new FormatException($"'{text}' is not a DCC alert code (expected N<n> or AD<n>, such as N24).");
    }

    /// <summary>Writes the code.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten)
    {
        bytesWritten = 0;
        var prefix = Kind switch
        {
            DccAlertCodeKind.N => "N"u8,
            DccAlertCodeKind.AD => "AD"u8,
            _ => default,
        };
        if (prefix.IsEmpty || !prefix.TryCopyTo(utf8Destination)
            || !Utf8Formatter.TryFormat(Number, utf8Destination[prefix.Length..], out var n))
        {
            return false;
        }

        bytesWritten = prefix.Length + n;
        return true;
    }

    /// <inheritdoc/>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => TryFormat(utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        DccAlertCodeKind.N => $"N{Number}",
        DccAlertCodeKind.AD => $"AD{Number}",
        _ => string.Empty,
    };
}
