using System.Buffers;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using static CapacitySim.Duis.Writing.CanonicalOutput;

namespace CapacitySim.Duis.Writing;

/// <summary>
/// The canonical envelope of a response that carries a <c>sr:ResponseMessage</c>: <c>sr:Response</c> with its
/// header, then <c>sr:Body/sr:ResponseMessage</c> with ServiceReference and ServiceReferenceVariant, byte for byte
/// as <see cref="DuisResponseWriter.WriteResponse"/> writes them (a test holds the two to the same prefix). The
/// synchronous bodies (<c>PreCommand</c>, <c>DSPInventory</c>) go between start and end.
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

    /// <summary>Everything up to and including <c>sr:ServiceReferenceVariant</c> inside <c>sr:ResponseMessage</c>.</summary>
    public static void WriteResponseMessageStart(IBufferWriter<byte> output, in ResponseHeaderFields header, ServiceReferenceVariant srv)
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
        Raw(output, "</sr:ResponseDateTime></sr:Header><sr:Body><sr:ResponseMessage><sr:ServiceReference>"u8);
        Formatted(output, srv.ServiceReference, ServiceReference.MaxFormattedLength);
        Raw(output, "</sr:ServiceReference><sr:ServiceReferenceVariant>"u8);
        Formatted(output, srv, ServiceReferenceVariant.MaxFormattedLength);
        Raw(output, "</sr:ServiceReferenceVariant>"u8);
    }

    /// <summary>Closes <c>sr:ResponseMessage</c>, <c>sr:Body</c> and <c>sr:Response</c>.</summary>
    public static void WriteResponseMessageEnd(IBufferWriter<byte> output)
        => Raw(output, "</sr:ResponseMessage></sr:Body></sr:Response>"u8);
}
