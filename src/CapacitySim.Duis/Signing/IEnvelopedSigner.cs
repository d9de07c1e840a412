using System.Buffers;

namespace CapacitySim.Duis.Signing;

/// <summary>
/// Signs a DUIS document the way DUIS does (XMLDSig enveloped signature, exclusive c14n, ECDSA-SHA256,
/// SHA-256 digest, KeyInfo by X509IssuerSerial).
/// </summary>
/// <remarks>
/// The contract that makes signing cheap: the unsigned document handed in is already in exclusive-c14n
/// canonical form (no XML declaration, namespace declarations only where first used, attributes in canonical
/// order, no self-closing tags, canonical escaping) and ends with the root element's end tag. Its digest is then
/// the SHA-256 of the bytes as given, and the signature is inserted as the root's last child, so the enveloped
/// transform gives back exactly the bytes that were hashed. Every writer in this library keeps that contract.
/// Implementations are not thread-safe: use one per worker.
/// </remarks>
public interface IEnvelopedSigner
{
    /// <summary>
    /// Writes <paramref name="unsignedCanonical"/> to <paramref name="output"/> with a <c>ds:Signature</c>
    /// element inserted just before the root element's end tag.
    /// </summary>
    void WriteSigned(ReadOnlySpan<byte> unsignedCanonical, IBufferWriter<byte> output);
}
