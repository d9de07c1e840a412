using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CapacitySim.Duis.Signing;

/// <summary>
/// Distinguished names as XMLDSig <c>X509IssuerName</c> carries them: written in RFC 2253 form the way Java's
/// <c>X500Principal.getName()</c> writes them (most significant RDN last in the certificate, first in the string,
/// no space after commas: <c>CN=Z1,OU=07</c>), and compared tolerantly (spacing, case, escaping).
/// </summary>
public static class DistinguishedNames
{
    private const string UniqueIdentifierOid = "2.5.4.45";

    /// <summary>Formats a name in RFC 2253 form, as DCC Boxed's Java tool writes <c>X509IssuerName</c>.</summary>
    public static string FormatRfc2253(X500DistinguishedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: true))
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            var first = true;
            foreach (var (oid, value) in ReadAttributes(rdn.RawData))
            {
                if (!first)
                {
                    sb.Append('+');
                }

                first = false;
                sb.Append(ShortName(oid)).Append('=').Append(value);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Reduces a distinguished name string to a comparison key: attribute types by short name (or OID), values
    /// unescaped, trimmed, inner spaces collapsed and upper-cased, RDNs in the order written. Returns null when the
    /// text is not a distinguished name.
    /// </summary>
    public static string? Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var rdns = new List<string>();
        var attributes = new List<string>();
        var i = 0;
        var text = name.AsSpan();
        while (true)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length)
            {
                return rdns.Count == 0 && attributes.Count == 0 ? null : Finish(rdns, attributes);
            }

            var eq = text[i..].IndexOf('=');
            if (eq <= 0)
            {
                return null;
            }

            var type = CanonicalType(text.Slice(i, eq).Trim().ToString());
            if (type.Length == 0)
            {
                return null;
            }

            i += eq + 1;
            var value = new StringBuilder();
            var quoted = false;
            var pendingSpaces = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"')
                    {
                        quoted = false;
                    }
                    else if (c == '\\' && i + 1 < text.Length)
                    {
                        value.Append(text[++i]);
                    }
                    else
                    {
                        value.Append(c);
                    }

                    i++;
                    continue;
                }

                if (c is ',' or ';' or '+')
                {
                    break;
                }

                if (c == '"')
                {
                    quoted = true;
                }
                else if (c == '\\' && i + 1 < text.Length)
                {
                    AppendPendingSpaces(value, ref pendingSpaces);
                    var next = text[i + 1];
                    if (Uri.IsHexDigit(next) && i + 2 < text.Length && Uri.IsHexDigit(text[i + 2]))
                    {
                        value.Append((char)Convert.ToByte(text.Slice(i + 1, 2).ToString(), 16));
                        i += 2;
                    }
                    else
                    {
                        value.Append(next);
                        i++;
                    }
                }
                else if (c == ' ')
                {
                    pendingSpaces++;
                }
                else
                {
                    AppendPendingSpaces(value, ref pendingSpaces);
                    value.Append(c);
                }

                i++;
            }

            if (quoted)
            {
                return null;
            }

            attributes.Add(type + "=" + value.ToString().Trim().ToUpperInvariant());
            if (i < text.Length && text[i] == '+')
            {
                i++;
                continue;
            }

            attributes.Sort(StringComparer.Ordinal);
            rdns.Add(string.Join('+', attributes));
            attributes.Clear();
            if (i >= text.Length)
            {
                return string.Join(',', rdns);
            }

            i++;
        }
    }

    /// <summary>True when both strings name the same distinguished name (for example <c>CN=Z1, OU=07</c> and <c>CN=Z1,OU=07</c>).</summary>
    public static bool AreEquivalent(string left, string right)
    {
        var l = Normalize(left);
        return l is not null && string.Equals(l, Normalize(right), StringComparison.Ordinal);
    }

    /// <summary>
    /// The EUI-64 a DUIS certificate's subject names in its <c>x500UniqueIdentifier</c> attribute (a BIT STRING of
    /// the eight EUI octets), if it has one.
    /// </summary>
    public static bool TryGetSubjectEui(X500DistinguishedName subject, out Identifiers.Eui64 eui)
    {
        ArgumentNullException.ThrowIfNull(subject);
        eui = default;
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            try
            {
                var set = new AsnReader(rdn.RawData, AsnEncodingRules.DER).ReadSetOf();
                while (set.HasData)
                {
                    var seq = set.ReadSequence();
                    var oid = seq.ReadObjectIdentifier();
                    if (oid == UniqueIdentifierOid && seq.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveBitString))
                    {
                        var bits = seq.ReadBitString(out var unused);
                        if (unused == 0 && bits.Length == 8)
                        {
                            eui = new Identifiers.Eui64(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bits));
                            return true;
                        }
                    }
                }
            }
            catch (AsnContentException)
            {
                // A malformed attribute names no EUI.
            }
        }

        return false;
    }

    private static void AppendPendingSpaces(StringBuilder value, ref int pendingSpaces)
    {
        if (pendingSpaces > 0 && value.Length > 0)
        {
            value.Append(' ');
        }

        pendingSpaces = 0;
    }

    private static string Finish(List<string> rdns, List<string> attributes)
    {
        if (attributes.Count > 0)
        {
            attributes.Sort(StringComparer.Ordinal);
            rdns.Add(string.Join('+', attributes));
        }

        return string.Join(',', rdns);
    }

    private static List<(string Oid, string Value)> ReadAttributes(ReadOnlyMemory<byte> rdnDer)
    {
        var set = new AsnReader(rdnDer, AsnEncodingRules.DER).ReadSetOf();
        var result = new List<(string, string)>();
        while (set.HasData)
        {
            var seq = set.ReadSequence();
            var oid = seq.ReadObjectIdentifier();
            var tag = seq.PeekTag();
            var encoded = seq.ReadEncodedValue();
            string value;
            if (tag.TagClass == TagClass.Universal && IsStringTag((UniversalTagNumber)tag.TagValue))
            {
                value = EscapeRfc2253(new AsnReader(encoded, AsnEncodingRules.DER).ReadCharacterString((UniversalTagNumber)tag.TagValue));
            }
            else
            {
                value = "#" + Convert.ToHexStringLower(encoded.Span);
            }

            result.Add((oid, value));
        }

        return result;
    }

    private static bool IsStringTag(UniversalTagNumber tag) => tag is UniversalTagNumber.UTF8String
        or UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String or UniversalTagNumber.T61String
        or UniversalTagNumber.BMPString or UniversalTagNumber.UniversalString or UniversalTagNumber.VisibleString
        or UniversalTagNumber.NumericString;

    private static string EscapeRfc2253(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var special = c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                || (i == 0 && (c == '#' || c == ' '))
                || (i == value.Length - 1 && c == ' ');
            if (special)
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    // The keywords Java's RFC 2253 output uses; every other attribute type is written as its OID.
    private static string ShortName(string oid) => oid switch
    {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.9" => "STREET",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => oid,
    };

    private static string CanonicalType(string type)
    {
        var t = type.ToUpperInvariant();
        if (t.StartsWith("OID.", StringComparison.Ordinal))
        {
            t = t[4..];
        }

        return t switch
        {
            "2.5.4.3" => "CN",
            "2.5.4.6" => "C",
            "2.5.4.7" => "L",
            "2.5.4.8" or "S" => "ST",
            "2.5.4.10" => "O",
            "2.5.4.11" => "OU",
            "2.5.4.9" => "STREET",
            "0.9.2342.19200300.100.1.25" => "DC",
            "0.9.2342.19200300.100.1.1" => "UID",
            "X500UNIQUEIDENTIFIER" => UniqueIdentifierOid,
            _ => t,
        };
    }
}
