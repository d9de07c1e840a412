using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace CapacitySim.Duis.Signing;

/// <summary>
/// Signs canonical DUIS documents without a DOM: the reference digest is the SHA-256 of the bytes as given, and
/// <c>SignedInfo</c> is kept pre-encoded in its canonical form with only the digest patched in per message.
/// </summary>
/// <remarks>
/// <para>
/// DUIS references the whole document (<c>URI=""</c>) with the enveloped-signature transform only, so by XMLDSig
/// the digested octets are the inclusive canonical form of the document without its signature; that is what DCC
/// Boxed's Java tool and <c>SignedXml</c> compute (the signed samples' digests match it, with the root's unused
/// namespace declarations kept). A document already in exclusive canonical form with no unused namespace
/// declarations, which is the <see cref="IEnvelopedSigner"/> contract, is its own inclusive canonical form too, so
/// its bytes are hashed directly.
/// </para>
/// <para>
/// Not thread-safe: one per worker. Each signer holds its own copy of the private key, so signers of the same
/// identity can run on different workers. Allocates nothing per message.
/// </para>
/// </remarks>
public sealed class FastEnvelopedSigner : IEnvelopedSigner, IDisposable
{
    private readonly ECDsa key;
    private readonly byte[] signedInfo;
    private readonly int digestOffset;
    private readonly byte[] tail;
    private readonly byte[] signature = new byte[SignatureTemplate.SignatureLength];

    /// <summary>Creates a signer for one identity.</summary>
    public FastEnvelopedSigner(SigningIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        key = ECDsa.Create(identity.PrivateKey.ExportParameters(includePrivateParameters: true));
        signedInfo = SignatureTemplate.CanonicalSignedInfo(out digestOffset);
        tail = SignatureTemplate.Tail(identity.IssuerName, identity.SerialNumber);
        Identity = identity;
    }

    /// <summary>The identity this signer signs with.</summary>
    public SigningIdentity Identity { get; }

    /// <summary>Bytes the signature adds to a document.</summary>
    public int SignatureLength => SignatureTemplate.SignatureStart.Length + SignatureTemplate.SignedInfoStartWritten.Length
        + (signedInfo.Length - SignatureTemplate.SignedInfoStartCanonical.Length)
        + SignatureTemplate.SignatureValueStart.Length + SignatureTemplate.SignatureBase64Length + tail.Length;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The document does not end with an end tag.</exception>
    public void WriteSigned(ReadOnlySpan<byte> unsignedCanonical, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var rootEnd = unsignedCanonical.LastIndexOf("</"u8);
        if (rootEnd <= 0 || unsignedCanonical[^1] != (byte)'>')
        {
            ThrowNotADocument();
        }

        var total = unsignedCanonical.Length + SignatureLength;
        var destination = output.GetSpan(total);
        var written = Sign(unsignedCanonical, rootEnd, destination);
        output.Advance(written);
    }

    /// <summary>
    /// Writes the signed document into <paramref name="destination"/> and returns its length, or -1 when it does
    /// not fit (need <c>unsignedCanonical.Length + SignatureLength</c> bytes).
    /// </summary>
    /// <exception cref="ArgumentException">The document does not end with an end tag.</exception>
    public int WriteSigned(ReadOnlySpan<byte> unsignedCanonical, Span<byte> destination)
    {
        var rootEnd = unsignedCanonical.LastIndexOf("</"u8);
        if (rootEnd <= 0 || unsignedCanonical[^1] != (byte)'>')
        {
            ThrowNotADocument();
        }

        return destination.Length < unsignedCanonical.Length + SignatureLength ? -1 : Sign(unsignedCanonical, rootEnd, destination);
    }

    /// <inheritdoc />
    public void Dispose() => key.Dispose();

    private int Sign(ReadOnlySpan<byte> document, int rootEnd, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(document, hash);
        Base64.EncodeToUtf8(hash, signedInfo.AsSpan(digestOffset, SignatureTemplate.DigestBase64Length), out _, out _);
        SHA256.HashData(signedInfo, hash);
        // The overload without a format writes r||s (IEEE P1363), what XMLDSig wants. Measured on .NET 10 with
        // OpenSSL: it allocates nothing, while the overload taking DSASignatureFormat allocates about 146 bytes per
        // call on the key ECDsa.Create() returns (the ECDsaOpenSsl class itself allocates nothing with either).
        if (!key.TrySignHash(hash, signature, out var signatureLength)
            || signatureLength != SignatureTemplate.SignatureLength)
        {
            ThrowSigningFailed();
        }

        var at = 0;
        Append(destination, ref at, document[..rootEnd]);
        Append(destination, ref at, SignatureTemplate.SignatureStart);
        Append(destination, ref at, SignatureTemplate.SignedInfoStartWritten);
        Append(destination, ref at, signedInfo.AsSpan(SignatureTemplate.SignedInfoStartCanonical.Length));
        Append(destination, ref at, SignatureTemplate.SignatureValueStart);
        Base64.EncodeToUtf8(signature, destination[at..], out _, out var encoded);
        at += encoded;
        Append(destination, ref at, tail);
        Append(destination, ref at, document[rootEnd..]);
        return at;
    }

    private static void Append(Span<byte> destination, ref int at, ReadOnlySpan<byte> part)
    {
        part.CopyTo(destination[at..]);
        at += part.Length;
    }

    [DoesNotReturn]
    private static void ThrowNotADocument() =>
        throw new ArgumentException("The document to sign must end with its root element's end tag.", "unsignedCanonical");

    [DoesNotReturn]
    private static void ThrowSigningFailed() => throw new CryptographicException("ECDSA signing produced no P-256 r||s signature.");
}
