namespace CapacitySim.Dcc.Validation;

/// <summary>
/// Why the DCC accepted or refused a request: one value per validation step's failure, in DUIS order, for counting
/// and for choosing the response (<see cref="DccErrorCodes.For"/>).
/// </summary>
public enum ValidationReason : byte
{
    /// <summary>The request passed every check.</summary>
    Accepted = 0,

    /// <summary>The body is not well-formed XML (HTTP 400).</summary>
    MalformedXml,

    /// <summary>Well-formed XML that is not a DUIS <c>sr:Request</c> (HTTP 400).</summary>
    NotDuisRequest,

    /// <summary>
    /// A DUIS request whose RequestID or ServiceReferenceVariant is missing or cannot be read: a DUIS response could
    /// neither be correlated by the user nor name its variant, as the schema requires (HTTP 400).
    /// </summary>
    UnaddressableHeader,

    /// <summary>
    /// A DUIS request with a readable RequestID and ServiceReferenceVariant whose header lacks another field or
    /// carries one the schema does not allow (a CommandVariant of 0, a bad ServiceReference, an ExecutionDateTime
    /// that is not an xs:dateTime), or that has no body.
    /// </summary>
    InvalidHeader,

    /// <summary>A Service Reference Variant that is not in the DUIS catalogue.</summary>
    UnknownServiceReferenceVariant,

    /// <summary>The ServiceReference does not match the ServiceReferenceVariant (4.1 with 6.2.1).</summary>
    ServiceReferenceMismatch,

    /// <summary>The sampled full schema validation found errors.</summary>
    SchemaInvalid,

    /// <summary>The request (its variant or command variant) does not belong to the web service it was posted to (E13).</summary>
    WrongWebService,

    /// <summary>The command variant is not one the Service Reference Variant may use (E12).</summary>
    CommandVariantNotAllowed,

    /// <summary>A future-dated request whose ExecutionDateTime has already passed.</summary>
    ExecutionDateTimeInPast,

    /// <summary>No user has the BusinessOriginatorID (E1).</summary>
    UnknownUser,

    /// <summary>The user has no valid user role (E1).</summary>
    UserHasNoRole,

    /// <summary>None of the user's roles may send the Service Reference Variant (E2).</summary>
    RoleNotEligible,

    /// <summary>The user is suspended (E3).</summary>
    UserSuspended,

    /// <summary>The BusinessTargetID names no device (E19).</summary>
    UnknownDevice,

    /// <summary>The Service Reference Variant does not apply to the target's device type (E11).</summary>
    DeviceTypeNotCompatible,

    /// <summary>The target device's status (suspended, decommissioned) does not allow requests (E5).</summary>
    DeviceStatusIncompatible,

    /// <summary>Signature checking is on and the request carries no signature.</summary>
    MissingSignature,

    /// <summary>The signature does not verify: content changed, wrong key, unknown certificate or malformed signature.</summary>
    SignatureInvalid,

    /// <summary>The request is signed with a certificate that does not belong to its BusinessOriginatorID.</summary>
    SignerNotOriginator,

    /// <summary>The originator counter is not greater than the highest the DCC has accepted from the originator (a replay).</summary>
    ReplayedCounter,
}
