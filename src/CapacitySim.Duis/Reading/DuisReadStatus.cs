namespace CapacitySim.Duis.Reading;

/// <summary>
/// The outcome of reading a DUIS header. Values up to <see cref="MessageTooLarge"/> mean the bytes are not
/// well-formed XML (an HTTP 400 case); <see cref="NotDuis"/> means well-formed XML that is not a DUIS Request or
/// Response; the rest name the header field that is missing or malformed (a DUIS response code case).
/// </summary>
public enum DuisReadStatus : byte
{
    /// <summary>The header was read; every field the schema requires is present.</summary>
    Ok = 0,

    /// <summary>No bytes, or only whitespace.</summary>
    Empty,

    /// <summary>The bytes do not start like a UTF-8 XML document (for example JSON, or UTF-16 text).</summary>
    NotXml,

    /// <summary>The document ends before its root element is closed (a truncated message).</summary>
    UnexpectedEnd,

    /// <summary>A byte sequence that is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>A character XML forbids (a control character, U+FFFE or U+FFFF).</summary>
    InvalidCharacter,

    /// <summary>A malformed element, attribute or processing-instruction name, or a qualified name with a misplaced colon.</summary>
    BadName,

    /// <summary>An end tag that does not match the open element.</summary>
    MismatchedEndTag,

    /// <summary>Attribute syntax: missing whitespace, '=', or quotes, or a '&lt;' inside a value.</summary>
    BadAttribute,

    /// <summary>The same attribute twice on one element.</summary>
    DuplicateAttribute,

    /// <summary>More attributes on one element than the reader keeps (<see cref="DuisHeaderReader.MaxAttributes"/>).</summary>
    TooManyAttributes,

    /// <summary>A character reference (<c>&amp;#13;</c>, <c>&amp;#x41;</c>) that is malformed or names a character XML forbids.</summary>
    BadCharacterReference,

    /// <summary>An entity reference other than the five XML predefines (amp, lt, gt, quot, apos).</summary>
    UndefinedEntity,

    /// <summary>A comment containing <c>--</c>.</summary>
    BadComment,

    /// <summary>An XML declaration that is not at the very start, or a malformed processing instruction.</summary>
    BadProcessingInstruction,

    /// <summary>Text, CDATA or a second element outside the root element.</summary>
    ContentOutsideRoot,

    /// <summary>Other markup errors (a '&lt;' followed by something that is not markup, <c>]]&gt;</c> in text).</summary>
    Malformed,

    /// <summary>A document type declaration or entity declaration: DUIS messages are read with DTDs prohibited.</summary>
    DtdNotAllowed,

    /// <summary>An element or attribute prefix with no namespace declaration in scope.</summary>
    UndeclaredPrefix,

    /// <summary>A namespace declaration XML Namespaces forbids (an empty prefixed URI, a declared <c>xmlns</c> prefix).</summary>
    BadNamespaceDeclaration,

    /// <summary>Elements nested deeper than <see cref="DuisHeaderReader.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>More namespace declarations in scope than <see cref="DuisHeaderReader.MaxNamespaceDeclarations"/>.</summary>
    TooManyNamespaceDeclarations,

    /// <summary>A multi-segment message longer than the largest array.</summary>
    MessageTooLarge,

    /// <summary>Well-formed XML whose root is not Request or Response in the ServiceUserGateway namespace.</summary>
    NotDuis,

    /// <summary>A request without Header/RequestID.</summary>
    MissingRequestId,

    /// <summary>A RequestID that is not <c>EUI:EUI:counter</c>.</summary>
    BadRequestId,

    /// <summary>A ResponseID that is not <c>EUI:EUI:counter</c>.</summary>
    BadResponseId,

    /// <summary>A request without Header/CommandVariant.</summary>
    MissingCommandVariant,

    /// <summary>A CommandVariant that is not 1 to 8.</summary>
    BadCommandVariant,

    /// <summary>A request without Header/ServiceReference.</summary>
    MissingServiceReference,

    /// <summary>A ServiceReference that is not <c>major.minor</c>.</summary>
    BadServiceReference,

    /// <summary>A request without Header/ServiceReferenceVariant.</summary>
    MissingServiceReferenceVariant,

    /// <summary>A ServiceReferenceVariant that is not <c>a.b</c> or <c>a.b.c</c>.</summary>
    BadServiceReferenceVariant,

    /// <summary>A response without Header/ResponseCode.</summary>
    MissingResponseCode,

    /// <summary>A ResponseCode that is not a letter I, E or W and a number.</summary>
    BadResponseCode,

    /// <summary>A response without Header/ResponseDateTime.</summary>
    MissingResponseDateTime,

    /// <summary>
    /// A ResponseDateTime that is not an xs:dateTime a <see cref="DateTimeOffset"/> can hold (including a time-zone
    /// offset beyond ±14:00, which xs:dateTime forbids).
    /// </summary>
    BadDateTime,

    /// <summary>No Body, or a Body without an element.</summary>
    MissingBody,

    /// <summary>A DeviceAlertMessage without AlertCode or a DCCAlertMessage without DCCAlertCode.</summary>
    MissingAlertCode,

    /// <summary>An AlertCode that is not four hex digits, or a DCCAlertCode that is not N&lt;n&gt; or AD&lt;n&gt;.</summary>
    BadAlertCode,

    /// <summary>A ThrottledAlertSequenceId that is not an xs:unsignedInt.</summary>
    BadThrottledAlertSequenceId,

    /// <summary>A ThrottledAlertCount that is not an xs:unsignedInt.</summary>
    BadThrottledAlertCount,

    /// <summary>
    /// A request's ExecutionDateTime that is not an xs:dateTime a <see cref="DateTimeOffset"/> can hold (including a
    /// time-zone offset beyond ±14:00, which xs:dateTime forbids).
    /// </summary>
    BadExecutionDateTime,
}

/// <summary>Classification of <see cref="DuisReadStatus"/> values.</summary>
public static class DuisReadStatusExtensions
{
    /// <summary>
    /// True when the bytes cannot be read as XML: not well-formed (including <see cref="DuisReadStatus.Empty"/>),
    /// or beyond the reader's limits (<see cref="DuisReadStatus.TooDeep"/>, <see cref="DuisReadStatus.TooManyAttributes"/>,
    /// <see cref="DuisReadStatus.TooManyNamespaceDeclarations"/>, <see cref="DuisReadStatus.MessageTooLarge"/>).
    /// </summary>
    public static bool IsXmlError(this DuisReadStatus status)
        => status is >= DuisReadStatus.Empty and <= DuisReadStatus.MessageTooLarge;

    /// <summary>True when the document is well-formed XML but not a usable DUIS header.</summary>
    public static bool IsDuisError(this DuisReadStatus status) => status >= DuisReadStatus.NotDuis;
}
