using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CapacitySim.Duis.Signing;

/// <summary>
/// Verifies, without a DOM, documents signed the way <see cref="FastEnvelopedSigner"/> signs them (or any document
/// whose unsigned part is already canonical and whose signature has that exact shape); anything else is reported as
/// <see cref="SignatureVerificationResult.NotCanonical"/> for the general path (<see cref="DuisSignatureVerifier"/>),
/// which <see cref="VerifyOrFallBack"/> takes by itself. Never throws on bad input.
/// </summary>
/// <remarks>
/// Not thread-safe: one per worker. After a certificate has been seen once (its public key is cached by the exact
/// issuer and serial bytes), a verification allocates nothing.
/// </remarks>
public sealed class FastEnvelopedVerifier : IDisposable
{
    private const int MaxCachedKeys = 4096;
    private const int MaxDerSignatureLength = 2 + (2 * (2 + 1 + (SignatureTemplate.SignatureLength / 2)));

    private readonly DuisKeyStore store;
    private readonly byte[] signedInfo;
    private readonly int digestOffset;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Dictionary<int, KeyEntry> keys = [];
    private DuisSignatureVerifier? general;
    private ECDsa? overflowKey;

    /// <summary>Creates a verifier that finds certificates in <paramref name="store"/>.</summary>
    public FastEnvelopedVerifier(DuisKeyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        this.store = store;
        signedInfo = SignatureTemplate.CanonicalSignedInfo(out digestOffset);
    }

    /// <summary>Verifies by the fast path only.</summary>
    public SignatureVerificationResult Verify(ReadOnlySpan<byte> document)
    {
        var end = document.Length;
        while (end > 0 && document[end - 1] is (byte)' ' or (byte)'\n' or (byte)'\t')
        {
            end--;
        }

        var doc = document[..end];
        if (doc.Length < 8 || doc[0] != (byte)'<' || doc[1] is (byte)'?' or (byte)'!' || doc[^1] != (byte)'>')
        {
            return doc.IndexOf("Signature"u8) < 0 ? SignatureVerificationResult.NoSignature : SignatureVerificationResult.NotCanonical;
        }

        var rootEnd = doc.LastIndexOf("</"u8);
        if (rootEnd <= 0 || !doc[..rootEnd].EndsWith(SignatureTemplate.SignatureEnd))
        {
            return doc.IndexOf("Signature"u8) < 0 ? SignatureVerificationResult.NoSignature : SignatureVerificationResult.NotCanonical;
        }

        var start = doc[..rootEnd].LastIndexOf(SignatureTemplate.SignatureStart);
        if (start <= 0)
        {
            return SignatureVerificationResult.NotCanonical;
        }

        // The signature, strictly in the shape this library writes; any other shape goes to the general path.
        var sig = doc[start..rootEnd];
        var at = SignatureTemplate.SignatureStart.Length;
        if (!Expect(sig, ref at, SignatureTemplate.SignedInfoStartWritten) || !Expect(sig, ref at, SignatureTemplate.SignedInfoBeforeDigest))
        {
            return SignatureVerificationResult.NotCanonical;
        }

        if (sig.Length - at < SignatureTemplate.DigestBase64Length)
        {
            return SignatureVerificationResult.NotCanonical;
        }

        var digestText = sig.Slice(at, SignatureTemplate.DigestBase64Length);
        at += SignatureTemplate.DigestBase64Length;
        if (!Expect(sig, ref at, SignatureTemplate.SignedInfoAfterDigest) || !Expect(sig, ref at, SignatureTemplate.SignatureValueStart))
        {
            return SignatureVerificationResult.NotCanonical;
        }

        var valueLength = sig[at..].IndexOf((byte)'<');
        if (valueLength < 0)
        {
            return SignatureVerificationResult.Malformed;
        }

        var signatureText = sig.Slice(at, valueLength);
        at += valueLength;
        if (!Expect(sig, ref at, SignatureTemplate.SignatureValueEnd) || !Expect(sig, ref at, SignatureTemplate.KeyInfoStart))
        {
            return SignatureVerificationResult.NotCanonical;
        }

        var issuerLength = sig[at..].IndexOf((byte)'<');
        if (issuerLength < 0)
        {
            return SignatureVerificationResult.Malformed;
        }

        var issuer = sig.Slice(at, issuerLength);
        at += issuerLength;
        if (!Expect(sig, ref at, SignatureTemplate.IssuerNameEnd) || !Expect(sig, ref at, SignatureTemplate.SerialNumberStart))
        {
            return SignatureVerificationResult.NotCanonical;
        }

        var serialLength = sig[at..].IndexOf((byte)'<');
        if (serialLength <= 0)
        {
            return SignatureVerificationResult.Malformed;
        }

        var serial = sig.Slice(at, serialLength);
        at += serialLength;
        if (!Expect(sig, ref at, SignatureTemplate.KeyInfoEnd) || at != sig.Length)
        {
            return SignatureVerificationResult.NotCanonical;
        }

        // Cheap markers of a non-canonical unsigned part (self-closing tags, carriage returns, declarations).
        var before = doc[..start];
        var after = doc[rootEnd..];
        if (before.IndexOf("/>"u8) >= 0 || before.IndexOf((byte)'\r') >= 0 || before.IndexOf("<?"u8) >= 0 || before.IndexOf("<!"u8) >= 0)
        {
            return SignatureVerificationResult.NotCanonical;
        }

        Span<byte> digest = stackalloc byte[32];
        Span<byte> claimed = stackalloc byte[33];
        if (Base64.DecodeFromUtf8(digestText, claimed, out _, out var claimedLength) != System.Buffers.OperationStatus.Done || claimedLength != 32)
        {
            return SignatureVerificationResult.Malformed;
        }

        hash.AppendData(before);
        hash.AppendData(after);
        hash.GetHashAndReset(digest);
        if (!CryptographicOperations.FixedTimeEquals(digest, claimed[..32]))
        {
            return SignatureVerificationResult.DigestMismatch;
        }

        Span<byte> signature = stackalloc byte[SignatureTemplate.SignatureLength + 3];
        var signatureResult = DecodeSignatureValue(signatureText, signature, out var signatureLength);
        if (signatureResult != SignatureVerificationResult.Valid)
        {
            return signatureResult;
        }

        var key = FindKey(issuer, serial);
        if (key is null)
        {
            return SignatureVerificationResult.UnknownCertificate;
        }

        if (signatureLength != SignatureTemplate.SignatureLength)
        {
            return SignatureVerificationResult.SignatureInvalid;
        }

        digestText.CopyTo(signedInfo.AsSpan(digestOffset));
        SHA256.HashData(signedInfo, digest);

        // Verified as DER: on OpenSSL, VerifyHash of r||s allocates about 1.2 KB per call converting it, DER none.
        Span<byte> der = stackalloc byte[MaxDerSignatureLength];
        var derLength = ToDer(signature[..SignatureTemplate.SignatureLength], der);
        return key.VerifyHash(digest, der[..derLength], DSASignatureFormat.Rfc3279DerSequence)
            ? SignatureVerificationResult.Valid
            : SignatureVerificationResult.SignatureInvalid;
    }

    /// <summary>Encodes a P-256 r||s signature as the DER SEQUENCE of two INTEGERs; returns its length.</summary>
    internal static int ToDer(ReadOnlySpan<byte> rs, Span<byte> der)
    {
        var half = rs.Length / 2;
        var at = 2;
        at += WriteInteger(rs[..half], der[at..]);
        at += WriteInteger(rs[half..], der[at..]);
        der[0] = 0x30;
        der[1] = (byte)(at - 2);
        return at;
    }

    private static int WriteInteger(ReadOnlySpan<byte> value, Span<byte> der)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        var magnitude = value[start..];
        var pad = magnitude[0] >= 0x80 ? 1 : 0;
        der[0] = 0x02;
        der[1] = (byte)(magnitude.Length + pad);
        der[2] = 0;
        magnitude.CopyTo(der[(2 + pad)..]);
        return 2 + pad + magnitude.Length;
    }

    /// <summary>
    /// Verifies by the fast path and, when it cannot judge the document (<see cref="SignatureVerificationResult.NotCanonical"/>)
    /// or finds a digest mismatch that a non-canonical form it did not detect could explain, by the general path.
    /// </summary>
    public SignatureVerificationResult VerifyOrFallBack(ReadOnlySpan<byte> document)
    {
        var result = Verify(document);
        if (result is SignatureVerificationResult.NotCanonical or SignatureVerificationResult.DigestMismatch)
        {
            general ??= new DuisSignatureVerifier(store);
            return general.Verify(document);
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        hash.Dispose();
        overflowKey?.Dispose();
        foreach (var entry in keys.Values)
        {
            entry.Key.Dispose();
        }
    }

    private static bool Expect(ReadOnlySpan<byte> text, ref int at, ReadOnlySpan<byte> expected)
    {
        if (!text[at..].StartsWith(expected))
        {
            return false;
        }

        at += expected.Length;
        return true;
    }

    // Base64 as Java writes it may carry line breaks, raw or as character references (&#13;): skip both.
    private static SignatureVerificationResult DecodeSignatureValue(ReadOnlySpan<byte> text, Span<byte> destination, out int length)
    {
        length = 0;
        Span<byte> clean = stackalloc byte[128];
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                continue;
            }

            if (c == (byte)'&')
            {
                var rest = text[i..];
                var skip = rest.StartsWith("&#13;"u8) || rest.StartsWith("&#10;"u8) ? 5
                    : rest.StartsWith("&#xD;"u8) || rest.StartsWith("&#xA;"u8) ? 5 : 0;
                if (skip == 0)
                {
                    return SignatureVerificationResult.Malformed;
                }

                i += skip - 1;
                continue;
            }

            if (n == clean.Length)
            {
                return SignatureVerificationResult.SignatureInvalid;
            }

            clean[n++] = c;
        }

        if (n > 4 * ((destination.Length + 2) / 3))
        {
            return SignatureVerificationResult.SignatureInvalid;
        }

        return Base64.DecodeFromUtf8(clean[..n], destination, out _, out length) == System.Buffers.OperationStatus.Done
            ? SignatureVerificationResult.Valid
            : SignatureVerificationResult.Malformed;
    }

    private ECDsa? FindKey(ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> serial)
    {
        var h = new HashCode();
        h.AddBytes(issuer);
        h.Add(0);
        h.AddBytes(serial);
        var code = h.ToHashCode();
        if (keys.TryGetValue(code, out var entry) && entry.Issuer.AsSpan().SequenceEqual(issuer) && entry.Serial.AsSpan().SequenceEqual(serial))
        {
            return entry.Key;
        }

        // First sighting of this issuer and serial (or a hash collision): look it up by name.
        string issuerName;
        try
        {
            issuerName = System.Net.WebUtility.HtmlDecode(Encoding.UTF8.GetString(issuer));
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (!store.TryFind(issuerName, Encoding.ASCII.GetString(serial), out var certificate))
        {
            return null;
        }

        // A key object of this verifier's own: verifiers on different workers share no key object.
        var key = certificate.Certificate.GetECDsaPublicKey();
        if (key is null)
        {
            return null;
        }

        if (keys.Count < MaxCachedKeys && keys.TryAdd(code, new KeyEntry(issuer.ToArray(), serial.ToArray(), key)))
        {
            return key;
        }

        // Not cached (cache full or a hash collision): this lookup's key is the caller's only reference.
        overflowKey?.Dispose();
        overflowKey = key;
        return key;
    }

    private sealed record KeyEntry(byte[] Issuer, byte[] Serial, ECDsa Key);
}
