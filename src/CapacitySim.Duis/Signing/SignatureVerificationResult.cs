namespace CapacitySim.Duis.Signing;

/// <summary>The outcome of verifying a DUIS message's signature.</summary>
public enum SignatureVerificationResult
{
    /// <summary>The signature is valid and made with a known certificate.</summary>
    Valid = 1,

    /// <summary>The root element has no <c>ds:Signature</c> child.</summary>
    NoSignature,

    /// <summary>The signed content was changed: the reference digest does not match.</summary>
    DigestMismatch,

    /// <summary>The signature value does not verify over <c>SignedInfo</c> with the named certificate.</summary>
    SignatureInvalid,

    /// <summary><c>X509IssuerSerial</c> names no certificate in the key store.</summary>
    UnknownCertificate,

    /// <summary>The message or its signature is not well-formed or not DUIS-shaped (algorithms, reference).</summary>
    Malformed,

    /// <summary>The fast path cannot judge a document not in the canonical form it expects: use the general path.</summary>
    NotCanonical,
}
