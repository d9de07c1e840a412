using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Validation;

/// <summary>
/// The one table of the response the DCC gives for each <see cref="ValidationReason"/>.
/// </summary>
/// <remarks>
/// <para>E1, E2, E3, E5, E11, E12, E13 and E19 are the DUIS codes for their conditions (meanings in the shared
/// FACTS.md, from a public DUIS response code reference).</para>
/// <para>DUIS gives no public meaning for schema, signature and replay failures. The DUIS 5.4 schema's ResponseCode
/// enumeration allows E40 to E71 without saying what they mean, so this table picks one code from that range per
/// condition class, keeps them distinct so a client can tell them apart, and marks each as an ASSUMPTION: change it
/// here, and nowhere else, when the real assignment is known.</para>
/// <para>Bodies that are not a DUIS request at all get HTTP 400 and no DUIS response: not XML, XML that is not an
/// <c>sr:Request</c>, and a request whose RequestID or ServiceReferenceVariant cannot be read. A DUIS response is
/// addressed by the RequestID it echoes and must name a ServiceReferenceVariant (the schema's ResponseMessage requires
/// one), so without either there is nothing a user system could match the response to. Any other header fault of a
/// request that is well-formed XML (a CommandVariant of 0, a ServiceReference that is not <c>major.minor</c>, an
/// ExecutionDateTime beyond ±14:00) is a DUIS error response, E50, as a DCC answers what it can parse: the user gets
/// it on the same HTTP exchange, signed, with the RequestID echoed.</para>
/// </remarks>
public static class DccErrorCodes
{
    /// <summary>ASSUMPTION: E50 for a request the schema rejects (missing or malformed header field, unknown
    /// Service Reference Variant, ServiceReference not matching the variant, or a sampled full schema check failing).</summary>
    public static ResponseCode SchemaInvalid => new(ResponseCodeKind.Error, 50);

    /// <summary>ASSUMPTION: E51 for a missing or invalid signature (digest or signature value wrong, certificate
    /// unknown, signature malformed).</summary>
    public static ResponseCode SignatureInvalid => new(ResponseCodeKind.Error, 51);

    /// <summary>ASSUMPTION: E52 for a valid signature by a certificate that does not belong to the BusinessOriginatorID.</summary>
    public static ResponseCode SignerNotOriginator => new(ResponseCodeKind.Error, 52);

    /// <summary>ASSUMPTION: E53 for an originator counter not greater than the highest accepted from that originator.</summary>
    public static ResponseCode ReplayedCounter => new(ResponseCodeKind.Error, 53);

    /// <summary>ASSUMPTION: E54 for a future-dated request whose ExecutionDateTime has passed (more than the
    /// validator's tolerance before the DCC's wall clock). DUIS defines a code for it among E40 to E71 without a public
    /// meaning.</summary>
    public static ResponseCode ExecutionDateTimeInPast => new(ResponseCodeKind.Error, 54);

    /// <summary>
    /// True when the reason is answered with HTTP 400 and no DUIS response: the body is not a DUIS request, or one no
    /// DUIS response can be addressed to (see the remarks).
    /// </summary>
    public static bool IsHttpBadRequest(ValidationReason reason)
        => reason is ValidationReason.MalformedXml or ValidationReason.NotDuisRequest or ValidationReason.UnaddressableHeader;

    /// <summary>
    /// The DUIS response code for <paramref name="reason"/>: I99 for an accepted request (the host answers
    /// non-device and Transform requests with their own I0 response), <c>default</c> for the HTTP 400 reasons.
    /// </summary>
    public static ResponseCode For(ValidationReason reason) => reason switch
    {
        ValidationReason.Accepted => ResponseCodes.Acknowledged,

        // HTTP 400: no DUIS response code.
        ValidationReason.MalformedXml => default,
        ValidationReason.NotDuisRequest => default,
        ValidationReason.UnaddressableHeader => default,

        // Schema-level failures of a request a response can be addressed to (ASSUMPTION, see SchemaInvalid).
        ValidationReason.InvalidHeader => SchemaInvalid,
        ValidationReason.UnknownServiceReferenceVariant => SchemaInvalid,
        ValidationReason.ServiceReferenceMismatch => SchemaInvalid,
        ValidationReason.SchemaInvalid => SchemaInvalid,

        // E13: request type not valid for the URL (a non-device request on serviceT, a CV 1 request on serviceD).
        ValidationReason.WrongWebService => ResponseCodes.RequestTypeNotValidForUrl,

        // E12: the command variant is not applicable to the request (CV 1 for a critical variant).
        ValidationReason.CommandVariantNotAllowed => ResponseCodes.CommandVariantNotApplicable,

        // A future-dated request too late to carry out (ASSUMPTION, see ExecutionDateTimeInPast).
        ValidationReason.ExecutionDateTimeInPast => ExecutionDateTimeInPast,

        // E1: invalid user or user role: the originator is not a user, or the user holds no valid role.
        ValidationReason.UnknownUser => ResponseCodes.InvalidUserOrRole,
        ValidationReason.UserHasNoRole => ResponseCodes.InvalidUserOrRole,

        // E2: the user's roles may not send this Service Reference Variant.
        ValidationReason.RoleNotEligible => ResponseCodes.RoleNotPermittedForServiceReference,

        // E3: the user's status does not permit requests.
        ValidationReason.UserSuspended => ResponseCodes.UserStatusNotPermitted,

        // E19: the device does not exist.
        ValidationReason.UnknownDevice => ResponseCodes.DeviceDoesNotExist,

        // E11: the Service Reference is not compatible with the device type.
        ValidationReason.DeviceTypeNotCompatible => ResponseCodes.ServiceReferenceNotCompatibleWithDeviceType,

        // E5: the device's status is incompatible with the Service Reference.
        ValidationReason.DeviceStatusIncompatible => ResponseCodes.DeviceStatusIncompatible,

        // Signature and replay failures (ASSUMPTION, see the properties above).
        ValidationReason.MissingSignature => SignatureInvalid,
        ValidationReason.SignatureInvalid => SignatureInvalid,
        ValidationReason.SignerNotOriginator => SignerNotOriginator,
        ValidationReason.ReplayedCounter => ReplayedCounter,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a validation reason."),
    };
}
