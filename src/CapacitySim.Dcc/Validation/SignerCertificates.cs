using System.Text;
using CapacitySim.Dcc.Users;
using CapacitySim.Duis.Signing;

namespace CapacitySim.Dcc.Validation;

/// <summary>
/// Which certificates each user may sign with: its configured certificate (by stem) and every certificate of the key
/// store that belongs to its EUI-64. Matches the <c>X509IssuerSerial</c> of a request's signature against them without
/// allocating. Immutable after construction.
/// </summary>
internal sealed class SignerCertificates
{
    private readonly CertificateName[][] byUser;
    private readonly UserDirectory users;
    private readonly DuisKeyStore keys;

    public SignerCertificates(UserDirectory users, DuisKeyStore keys)
    {
        this.users = users;
        this.keys = keys;
        byUser = new CertificateName[users.Count][];
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            var names = new List<CertificateName>();
            if (user.CertificateStem is { } stem && keys.TryFindByStem(stem, out var configured))
            {
                names.Add(CertificateName.Of(configured));
            }

            foreach (var certificate in keys.ForEui(user.Eui))
            {
                names.Add(CertificateName.Of(certificate));
            }

            byUser[i] = [.. names];
        }
    }

    /// <summary>True when the user has at least one certificate to sign with.</summary>
    public bool HasAny(int userIndex) => byUser[userIndex].Length > 0;

    /// <summary>True when the certificate named by <paramref name="issuer"/> and <paramref name="serial"/> is one of the user's.</summary>
    public bool Belongs(int userIndex, ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> serial)
    {
        serial = TrimSerial(serial);
        foreach (var name in byUser[userIndex])
        {
            if (serial.SequenceEqual(name.Serial) && EqualsIgnoringWhitespace(issuer, name.Issuer))
            {
                return true;
            }
        }

        return BelongsByDistinguishedName(userIndex, issuer, serial);
    }

    /// <summary>
    /// The exact-bytes match failed: the issuer may be written in another order or escaping than the store's. Ask the
    /// key store, which compares distinguished names (allocates; only on the refusal path).
    /// </summary>
    private bool BelongsByDistinguishedName(int userIndex, ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> serial)
    {
        string issuerName;
        try
        {
            issuerName = System.Net.WebUtility.HtmlDecode(Encoding.UTF8.GetString(issuer));
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (!keys.TryFind(issuerName, Encoding.ASCII.GetString(serial), out var certificate))
        {
            return false;
        }

        var user = users[userIndex];
        return certificate.Eui == user.Eui || (user.CertificateStem is { } stem && certificate.Stem == stem);
    }

    /// <summary>
    /// Finds the issuer name and serial number of the root signature's <c>X509IssuerSerial</c>: the last signature of
    /// the document, whose KeyInfo follows its SignatureValue.
    /// </summary>
    public static bool TryReadKeyInfo(ReadOnlySpan<byte> document, out ReadOnlySpan<byte> issuer, out ReadOnlySpan<byte> serial)
    {
        issuer = default;
        serial = default;
        var valueAt = document.LastIndexOf("SignatureValue"u8);
        if (valueAt < 0)
        {
            return false;
        }

        var keyInfo = document[valueAt..];
        return TryReadElementText(keyInfo, "X509IssuerName"u8, out issuer) && TryReadElementText(keyInfo, "X509SerialNumber"u8, out serial);
    }

    private static bool TryReadElementText(ReadOnlySpan<byte> region, ReadOnlySpan<byte> localName, out ReadOnlySpan<byte> text)
    {
        text = default;
        var at = region.IndexOf(localName);
        if (at < 0)
        {
            return false;
        }

        var rest = region[(at + localName.Length)..];
        var close = rest.IndexOf((byte)'>');
        if (close < 0)
        {
            return false;
        }

        rest = rest[(close + 1)..];
        var end = rest.IndexOf((byte)'<');
        if (end < 0)
        {
            return false;
        }

        text = rest[..end].Trim(" \t\r\n"u8);
        return text.Length > 0;
    }

    private static ReadOnlySpan<byte> TrimSerial(ReadOnlySpan<byte> serial)
    {
        serial = serial.Trim(" \t\r\n"u8);
        while (serial.Length > 1 && serial[0] == (byte)'0')
        {
            serial = serial[1..];
        }

        return serial;
    }

    private static bool EqualsIgnoringWhitespace(ReadOnlySpan<byte> text, byte[] normalized)
    {
        var j = 0;
        foreach (var b in text)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            if (j == normalized.Length || normalized[j] != b)
            {
                return false;
            }

            j++;
        }

        return j == normalized.Length;
    }

    private readonly record struct CertificateName(byte[] Issuer, byte[] Serial)
    {
        public static CertificateName Of(DuisCertificate certificate)
        {
            var issuer = new StringBuilder(certificate.IssuerName.Length);
            foreach (var c in certificate.IssuerName)
            {
                if (!char.IsWhiteSpace(c))
                {
                    issuer.Append(c);
                }
            }

            return new CertificateName(Encoding.UTF8.GetBytes(issuer.ToString()), TrimSerial(Encoding.ASCII.GetBytes(certificate.SerialNumber)).ToArray());
        }
    }
}
