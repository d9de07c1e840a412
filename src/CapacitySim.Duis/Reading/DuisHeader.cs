using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Reading;

/// <summary>Whether a DUIS document is a service request or a response (service response or alert).</summary>
public enum DuisMessageKind : byte
{
    /// <summary>Not read (the document was rejected before its root).</summary>
    None = 0,

    /// <summary><c>sr:Request</c>.</summary>
    Request,

    /// <summary><c>sr:Response</c>: a service response or an alert.</summary>
    Response,
}

/// <summary>The element inside a DUIS Body.</summary>
public enum DuisBodyKind : byte
{
    /// <summary>No body element was seen.</summary>
    None = 0,

    /// <summary>A request body (any service request element; its name is not kept).</summary>
    Request,

    /// <summary><c>ResponseMessage</c>: a service response.</summary>
    ResponseMessage,

    /// <summary><c>DeviceAlertMessage</c>: a device alert with a GBCS alert code.</summary>
    DeviceAlertMessage,

    /// <summary><c>DCCAlertMessage</c>: a DCC alert with an N or AD code.</summary>
    DccAlertMessage,

    /// <summary><c>SMETS1ResponseMessage</c>: a SMETS1 response wrapping a signed SMETS1 service provider response.</summary>
    Smets1ResponseMessage,

    /// <summary>A response body element DUIS 5.4 does not define (kept lenient for other schema versions).</summary>
    Other,
}

/// <summary>Which optional parts of a <see cref="DuisHeader"/> were present in the document.</summary>
[Flags]
public enum DuisHeaderFields : ushort
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Header/RequestID.</summary>
    RequestId = 1 << 0,

    /// <summary>Header/ResponseID.</summary>
    ResponseId = 1 << 1,

    /// <summary>Header/CommandVariant.</summary>
    CommandVariant = 1 << 2,

    /// <summary>ServiceReference (request header or response body).</summary>
    ServiceReference = 1 << 3,

    /// <summary>ServiceReferenceVariant (request header or response body).</summary>
    ServiceReferenceVariant = 1 << 4,

    /// <summary>Header/ResponseCode.</summary>
    ResponseCode = 1 << 5,

    /// <summary>Header/ResponseDateTime.</summary>
    ResponseDateTime = 1 << 6,

    /// <summary>DeviceAlertMessage/AlertCode.</summary>
    DeviceAlertCode = 1 << 7,

    /// <summary>DCCAlertMessage/DCCAlertCode.</summary>
    DccAlertCode = 1 << 8,

    /// <summary>ThrottledAlertSequenceId in an alert or SMETS1 response body.</summary>
    ThrottledAlertSequenceId = 1 << 9,

    /// <summary>ThrottledAlertCount in an alert or SMETS1 response body.</summary>
    ThrottledAlertCount = 1 << 10,

    /// <summary>A <c>ds:Signature</c> element as a child of the root.</summary>
    Signature = 1 << 11,

    /// <summary>The ExecutionDateTime of a future-dated request's body element.</summary>
    ExecutionDateTime = 1 << 12,
}

/// <summary>
/// The routing and correlation fields of one DUIS Request or Response, read by <see cref="DuisHeaderReader"/>
/// without allocating. Fields not present in the document keep their default value; <see cref="Fields"/> says
/// which were present. On failure <see cref="ErrorOffset"/> is the byte offset of the problem.
/// </summary>
public struct DuisHeader
{
    /// <summary>Request or Response.</summary>
    public DuisMessageKind MessageKind { get; internal set; }

    /// <summary>The body element's kind.</summary>
    public DuisBodyKind BodyKind { get; internal set; }

    /// <summary>Which fields were present.</summary>
    public DuisHeaderFields Fields { get; internal set; }

    /// <summary>Header/RequestID (required in requests, optional in responses: alerts have none).</summary>
    public RequestId RequestId { get; internal set; }

    /// <summary>Header/ResponseID (responses only).</summary>
    public ResponseId ResponseId { get; internal set; }

    /// <summary>Header/CommandVariant (requests only); <see cref="CommandVariant.None"/> when absent.</summary>
    public CommandVariant CommandVariant { get; internal set; }

    /// <summary>ServiceReference: from the Header of a request, from the ResponseMessage or SMETS1ResponseMessage of a response.</summary>
    public ServiceReference ServiceReference { get; internal set; }

    /// <summary>ServiceReferenceVariant: from the Header of a request, from the ResponseMessage or SMETS1ResponseMessage of a response.</summary>
    public ServiceReferenceVariant ServiceReferenceVariant { get; internal set; }

    /// <summary>Header/ResponseCode (responses only).</summary>
    public ResponseCode ResponseCode { get; internal set; }

    /// <summary>Header/ResponseDateTime (responses only); a value without a time zone is taken as UTC.</summary>
    public DateTimeOffset ResponseDateTime { get; internal set; }

    /// <summary>DeviceAlertMessage/AlertCode.</summary>
    public DeviceAlertCode DeviceAlertCode { get; internal set; }

    /// <summary>DCCAlertMessage/DCCAlertCode.</summary>
    public DccAlertCode DccAlertCode { get; internal set; }

    /// <summary>ThrottledAlertSequenceId of a throttled alert (or SMETS1 response).</summary>
    public uint ThrottledAlertSequenceId { get; internal set; }

    /// <summary>ThrottledAlertCount: how many repeats alert storm protection suppressed.</summary>
    public uint ThrottledAlertCount { get; internal set; }

    /// <summary>
    /// The ExecutionDateTime of a request's body element (requests only): when a future-dated command is to run. A
    /// value without a time zone is taken as UTC.
    /// </summary>
    public DateTimeOffset ExecutionDateTime { get; internal set; }

    /// <summary>Byte offset in the message of the error reported; -1 when the read succeeded.</summary>
    public int ErrorOffset { get; internal set; }

    /// <summary>True when Header/RequestID was present.</summary>
    public readonly bool HasRequestId => (Fields & DuisHeaderFields.RequestId) != 0;

    /// <summary>True when Header/ResponseID was present.</summary>
    public readonly bool HasResponseId => (Fields & DuisHeaderFields.ResponseId) != 0;

    /// <summary>True when Header/CommandVariant was present.</summary>
    public readonly bool HasCommandVariant => (Fields & DuisHeaderFields.CommandVariant) != 0;

    /// <summary>True when a ServiceReference was present.</summary>
    public readonly bool HasServiceReference => (Fields & DuisHeaderFields.ServiceReference) != 0;

    /// <summary>True when a ServiceReferenceVariant was present.</summary>
    public readonly bool HasServiceReferenceVariant => (Fields & DuisHeaderFields.ServiceReferenceVariant) != 0;

    /// <summary>True when Header/ResponseCode was present.</summary>
    public readonly bool HasResponseCode => (Fields & DuisHeaderFields.ResponseCode) != 0;

    /// <summary>True when Header/ResponseDateTime was present.</summary>
    public readonly bool HasResponseDateTime => (Fields & DuisHeaderFields.ResponseDateTime) != 0;

    /// <summary>True when a DeviceAlertMessage/AlertCode was present.</summary>
    public readonly bool HasDeviceAlertCode => (Fields & DuisHeaderFields.DeviceAlertCode) != 0;

    /// <summary>True when a DCCAlertMessage/DCCAlertCode was present.</summary>
    public readonly bool HasDccAlertCode => (Fields & DuisHeaderFields.DccAlertCode) != 0;

    /// <summary>True when ThrottledAlertSequenceId was present.</summary>
    public readonly bool HasThrottledAlertSequenceId => (Fields & DuisHeaderFields.ThrottledAlertSequenceId) != 0;

    /// <summary>True when ThrottledAlertCount was present.</summary>
    public readonly bool HasThrottledAlertCount => (Fields & DuisHeaderFields.ThrottledAlertCount) != 0;

    /// <summary>True when the request's body element carried an ExecutionDateTime (a future-dated request).</summary>
    public readonly bool HasExecutionDateTime => (Fields & DuisHeaderFields.ExecutionDateTime) != 0;

    /// <summary>True when a <c>ds:Signature</c> is a child of the root element.</summary>
    public readonly bool HasSignature => (Fields & DuisHeaderFields.Signature) != 0;
}
