using System.Buffers;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using static CapacitySim.Duis.Writing.CanonicalOutput;

namespace CapacitySim.Duis.Writing;

/// <summary>
/// The canonical envelope of every DUIS response and alert this library writes: <c>sr:Response</c> with its header
/// and the start of <c>sr:Body</c>, and the ServiceReference/ServiceReferenceVariant pair. Shared by
/// <see cref="DuisResponseWriter"/> and <see cref="DuisSynchronousResponseWriter"/>, whose synchronous bodies
/// (<c>PreCommand</c>, <c>DSPInventory</c>) go between <see cref="WriteResponseMessageStart"/> and
/// <see cref="WriteResponseMessageEnd"/>.
/// </summary>
internal static class ResponseEnvelope
{
    private static ReadOnlySpan<byte> ResponseStart => "<sr:Response xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\"><sr:Header>"u8;

    /// <summary>Throws unless <paramref name="srv"/> is set; call before writing anything, so a refusal leaves no partial document.</summary>
    public static void CheckSrv(ServiceReferenceVariant srv)
    {
        if (srv.Major == 0)
        {
            WriterThrow.Argument(nameof(srv), "The Service Reference Variant is unset.");
        }
    }

    /// <summary><c>sr:Response</c>, its <c>sr:Header</c> (optional RequestID and ResponseID, code, date-time) and <c>&lt;sr:Body&gt;</c>.</summary>
    public static void WriteHeaderAndBodyStart(IBufferWriter<byte> output, in ResponseHeaderFields header)
    {
        Raw(output, ResponseStart);
        if (header.RequestId is { } requestId)
        {
            Raw(output, "<sr:RequestID>"u8);
            Formatted(output, requestId, RequestId.MaxFormattedLength);
            Raw(output, "</sr:RequestID>"u8);
        }

        if (header.ResponseId is { } responseId)
        {
            Raw(output, "<sr:ResponseID>"u8);
            Formatted(output, responseId, ResponseId.MaxFormattedLength);
            Raw(output, "</sr:ResponseID>"u8);
        }

        Raw(output, "<sr:ResponseCode>"u8);
        Formatted(output, header.ResponseCode, ResponseCode.MaxFormattedLength);
        Raw(output, "</sr:ResponseCode><sr:ResponseDateTime>"u8);
        DateTime(output, header.ResponseDateTime);
        Raw(output, "</sr:ResponseDateTime></sr:Header><sr:Body>"u8);
    }

    /// <summary>ServiceReference then ServiceReferenceVariant, in the sr namespace or, for the MMC header, each
    /// an outermost ra element declaring its namespace.</summary>
    public static void WriteServiceReference(IBufferWriter<byte> output, ServiceReferenceVariant srv, bool sr)
    {
        CheckSrv(srv);
        Raw(output, sr ? "<sr:ServiceReference>"u8 : "<ra:ServiceReference xmlns:ra=\"http://www.dccinterface.co.uk/ResponseAndAlert\">"u8);
        Formatted(output, srv.ServiceReference, ServiceReference.MaxFormattedLength);
        Raw(output, sr ? "</sr:ServiceReference><sr:ServiceReferenceVariant>"u8 : "</ra:ServiceReference><ra:ServiceReferenceVariant xmlns:ra=\"http://www.dccinterface.co.uk/ResponseAndAlert\">"u8);
        Formatted(output, srv, ServiceReferenceVariant.MaxFormattedLength);
        Raw(output, sr ? "</sr:ServiceReferenceVariant>"u8 : "</ra:ServiceReferenceVariant>"u8);
    }

    /// <summary>Everything up to and including <c>sr:ServiceReferenceVariant</c> inside <c>sr:ResponseMessage</c>.</summary>
    public static void WriteResponseMessageStart(IBufferWriter<byte> output, in ResponseHeaderFields header, ServiceReferenceVariant srv)
    {
        WriteHeaderAndBodyStart(output, in header);
        Raw(output, "<sr:ResponseMessage>"u8);
        WriteServiceReference(output, srv, sr: true);
    }

    /// <summary>Closes <c>sr:ResponseMessage</c>, <c>sr:Body</c> and <c>sr:Response</c>.</summary>
    public static void WriteResponseMessageEnd(IBufferWriter<byte> output)
        => Raw(output, "</sr:ResponseMessage></sr:Body></sr:Response>"u8);
}
