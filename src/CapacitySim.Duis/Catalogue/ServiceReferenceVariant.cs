using System.Buffers.Text;

namespace CapacitySim.Duis.Catalogue;

/// <summary>
/// A DUIS Service Reference (<c>4.1</c>): the service request family. Two numbers, as in the schema's enumeration.
/// </summary>
public readonly record struct ServiceReference(byte Major, byte Minor) : IUtf8SpanFormattable
{
    /// <summary>Longest formatted form (<c>14.18</c> would be 5; numbers stay below 100).</summary>
    public const int MaxFormattedLength = 5;

    /// <summary>Parses <c>major.minor</c>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ServiceReference value)
    {
        value = default;
        if (!ServiceReferenceVariant.TryParse(utf8, out var srv) || srv.Sub != 0)
        {
            return false;
        }

        value = new ServiceReference(srv.Major, srv.Minor);
        return true;
    }

    /// <summary>Writes <c>major.minor</c>.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten)
        => new ServiceReferenceVariant(Major, Minor, 0).TryFormat(utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => TryFormat(utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public override string ToString() => $"{Major}.{Minor}";
}

/// <summary>
/// A DUIS Service Reference Variant (<c>4.1.1</c>, or <c>8.2</c> where the reference has one variant).
/// <see cref="Sub"/> is 0 when the variant has only two numbers; DUIS never uses a third number of 0.
/// </summary>
public readonly record struct ServiceReferenceVariant(byte Major, byte Minor, byte Sub) : IUtf8SpanFormattable
{
    /// <summary>Longest formatted form (<c>99.99.99</c>).</summary>
    public const int MaxFormattedLength = 8;

    /// <summary>The Service Reference this variant belongs to.</summary>
    public ServiceReference ServiceReference => new(Major, Minor);

    /// <summary>A compact key (major, minor, sub in one integer) for tables indexed by variant.</summary>
    public int Key => (Major << 16) | (Minor << 8) | Sub;

    /// <summary>Parses <c>a.b</c> or <c>a.b.c</c> (decimal, 1 to 2 digits each, no leading zeros).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ServiceReferenceVariant value)
    {
        value = default;
        Span<byte> parts = stackalloc byte[3];
        var count = 0;
        while (true)
        {
            var dot = utf8.IndexOf((byte)'.');
            var part = dot < 0 ? utf8 : utf8[..dot];
            if (count == 3 || part.Length is 0 or > 2 || (part.Length == 2 && part[0] == (byte)'0')
                || !Utf8Parser.TryParse(part, out byte number, out var consumed) || consumed != part.Length || number == 0 && part.Length > 1)
            {
                return false;
            }

            foreach (var d in part)
            {
                if (d is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }
            }

            parts[count++] = number;
            if (dot < 0)
            {
                break;
            }

            utf8 = utf8[(dot + 1)..];
        }

        if (count < 2 || parts[0] == 0 || (count == 3 && parts[2] == 0))
        {
            return false;
        }

        value = new ServiceReferenceVariant(parts[0], parts[1], count == 3 ? parts[2] : (byte)0);
        return true;
    }

    /// <summary>Parses text such as <c>4.1.1</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ServiceReferenceVariant value)
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
    public static ServiceReferenceVariant Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out var value)
            ? value
            : throw new FormatException($"'{text}' is not a Service Reference Variant (expected a form such as 4.1.1 or 8.2).");
    }

    /// <summary>Writes the dotted form.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!Utf8Formatter.TryFormat(Major, utf8Destination, out var n))
        {
            return false;
        }

        var at = n;
        if (utf8Destination.Length <= at)
        {
            return false;
        }

        utf8Destination[at++] = (byte)'.';
        if (!Utf8Formatter.TryFormat(Minor, utf8Destination[at..], out n))
        {
            return false;
        }

        at += n;
        if (Sub != 0)
        {
            if (utf8Destination.Length <= at)
            {
                return false;
            }

            utf8Destination[at++] = (byte)'.';
            if (!Utf8Formatter.TryFormat(Sub, utf8Destination[at..], out n))
            {
                return false;
            }

            at += n;
        }

        bytesWritten = at;
        return true;
    }

    /// <inheritdoc/>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => TryFormat(utf8Destination, out bytesWritten);

    /// <inheritdoc/>
    public override string ToString() => Sub == 0 ? $"{Major}.{Minor}" : $"{Major}.{Minor}.{Sub}";
}
