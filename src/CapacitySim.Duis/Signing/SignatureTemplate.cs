using System.Text;

namespace CapacitySim.Duis.Signing;

/// <summary>
/// The fixed parts of a DUIS <c>ds:Signature</c> as this library writes it: every element with the <c>ds</c> prefix,
/// declared once on <c>ds:Signature</c>, and every element written with start and end tag, so the signed document is
/// itself in canonical form. <c>SignedInfo</c> canonicalized on its own (exclusive c14n) differs from what is written
/// only by the namespace declaration on its start tag.
/// </summary>
internal static class SignatureTemplate
{
    /// <summary>Length of a base64 SHA-256 digest.</summary>
    public const int DigestBase64Length = 44;

    /// <summary>Length of a base64 P-256 r‖s signature (64 bytes).</summary>
    public const int SignatureBase64Length = 88;

    /// <summary>r‖s for P-256.</summary>
    public const int SignatureLength = 64;

    public static ReadOnlySpan<byte> SignatureStart => "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"u8;

    public static ReadOnlySpan<byte> SignedInfoStartCanonical => "<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"u8;

    public static ReadOnlySpan<byte> SignedInfoStartWritten => "<ds:SignedInfo>"u8;

    /// <summary>From after the <c>SignedInfo</c> start tag up to the digest value.</summary>
    public static ReadOnlySpan<byte> SignedInfoBeforeDigest =>
        "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"></ds:SignatureMethod><ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"></ds:DigestMethod><ds:DigestValue>"u8;

    public static ReadOnlySpan<byte> SignedInfoAfterDigest => "</ds:DigestValue></ds:Reference></ds:SignedInfo>"u8;

    public static ReadOnlySpan<byte> SignatureValueStart => "<ds:SignatureValue>"u8;

    public static ReadOnlySpan<byte> SignatureValueEnd => "</ds:SignatureValue>"u8;

    public static ReadOnlySpan<byte> KeyInfoStart => "<ds:KeyInfo><ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>"u8;

    public static ReadOnlySpan<byte> IssuerNameEnd => "</ds:X509IssuerName>"u8;

    public static ReadOnlySpan<byte> SerialNumberStart => "<ds:X509SerialNumber>"u8;

    public static ReadOnlySpan<byte> KeyInfoEnd => "</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data></ds:KeyInfo></ds:Signature>"u8;

    public static ReadOnlySpan<byte> SignatureEnd => "</ds:Signature>"u8;

    /// <summary>Canonical <c>SignedInfo</c> with room for the digest, and the offset of that room.</summary>
    public static byte[] CanonicalSignedInfo(out int digestOffset)
    {
        var buffer = new byte[SignedInfoStartCanonical.Length + SignedInfoBeforeDigest.Length + DigestBase64Length + SignedInfoAfterDigest.Length];
        var span = buffer.AsSpan();
        SignedInfoStartCanonical.CopyTo(span);
        var at = SignedInfoStartCanonical.Length;
        SignedInfoBeforeDigest.CopyTo(span[at..]);
        at += SignedInfoBeforeDigest.Length;
        digestOffset = at;
        at += DigestBase64Length;
        SignedInfoAfterDigest.CopyTo(span[at..]);
        return buffer;
    }

    /// <summary>
    /// <c>&lt;/ds:SignatureValue&gt;</c> and the whole <c>KeyInfo</c> through <c>&lt;/ds:Signature&gt;</c> for one
    /// certificate, with the issuer name escaped as canonical XML text.
    /// </summary>
    public static byte[] Tail(string issuerName, string serialNumber)
    {
        var issuer = Encoding.UTF8.GetBytes(EscapeText(issuerName));
        var serial = Encoding.ASCII.GetBytes(serialNumber);
        var buffer = new byte[SignatureValueEnd.Length + KeyInfoStart.Length + issuer.Length + IssuerNameEnd.Length
            + SerialNumberStart.Length + serial.Length + KeyInfoEnd.Length];
        var span = buffer.AsSpan();
        var at = 0;
        Append(span, ref at, SignatureValueEnd);
        Append(span, ref at, KeyInfoStart);
        Append(span, ref at, issuer);
        Append(span, ref at, IssuerNameEnd);
        Append(span, ref at, SerialNumberStart);
        Append(span, ref at, serial);
        Append(span, ref at, KeyInfoEnd);
        return buffer;
    }

    /// <summary>Text escaped as canonical XML writes it (<c>&amp;amp; &amp;lt; &amp;gt; &amp;#xD;</c>).</summary>
    public static string EscapeText(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\r", "&#xD;", StringComparison.Ordinal);

    private static void Append(Span<byte> buffer, ref int at, ReadOnlySpan<byte> part)
    {
        part.CopyTo(buffer[at..]);
        at += part.Length;
    }
}
