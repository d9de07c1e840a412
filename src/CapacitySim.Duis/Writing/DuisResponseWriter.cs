using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Signing;
using static CapacitySim.Duis.Writing.CanonicalOutput;

namespace CapacitySim.Duis.Writing;

/// <summary>
/// Writes DUIS responses and alerts (<c>sr:Response</c>, schema 5.4) directly in exclusive-c14n canonical form, so
/// the output can go to an <see cref="IEnvelopedSigner"/> as it is: no XML declaration; each namespace declared on
/// the elements that first use its prefix (<c>sr</c> on the root, <c>ra</c> on each outermost <c>ra:</c> element,
/// <c>ds</c> on each signature); attributes in canonical order; empty elements as start and end tag pairs; text
/// escaped as c14n does. Elements and optional elements follow the schema's sequences.
/// </summary>
/// <remarks>
/// One writer per worker: it is not thread-safe, and it keeps two scratch buffers for the inner documents of SMETS1
/// responses and S1SP alerts, which are signed on their own. After the scratch buffers have grown to the largest inner
/// document, writing allocates nothing (signers aside). Responses are written unsigned; the caller signs the whole
/// response with the DSP's signer if it wants one.
/// </remarks>
public sealed class DuisResponseWriter
{
    private static ReadOnlySpan<byte> ResponseEnd => "</sr:Body></sr:Response>"u8;

    private static ReadOnlySpan<byte> Smets1StandaloneStart => "<sr:SMETS1SignedResponse xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\">"u8;

    private static ReadOnlySpan<byte> Smets1EmbeddedStart => "<sr:SMETS1SignedResponse schemaVersion=\"5.4\">"u8;

    private static ReadOnlySpan<byte> Smets1End => "</sr:SMETS1SignedResponse>"u8;

    private static ReadOnlySpan<byte> S1SPAlertStandaloneStart => "<sr:S1SPAlert xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\">"u8;

    private static ReadOnlySpan<byte> S1SPAlertEmbeddedStart => "<sr:S1SPAlert schemaVersion=\"5.4\">"u8;

    private static ReadOnlySpan<byte> S1SPAlertEnd => "</sr:S1SPAlert>"u8;

    private readonly ArrayBufferWriter<byte> _unsigned = new(2048);
    private readonly ArrayBufferWriter<byte> _signed = new(4096);

    /// <summary>
    /// Writes a response with a <c>sr:ResponseMessage</c>: ServiceReference and ServiceReferenceVariant, then a
    /// <c>GBCSPayload</c> (base64 of <paramref name="gbcsPayload"/>) when the payload is not empty. An I0 device
    /// response carries the payload; I99 acknowledgements and E-code errors carry none.
    /// </summary>
    /// <param name="header">The response header.</param>
    /// <param name="srv">The Service Reference Variant answered.</param>
    /// <param name="gbcsPayload">The GBCS response from the device; empty for no payload.</param>
    /// <param name="output">Where the document goes.</param>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "One writer per worker is the API for every message kind; some kinds need its scratch buffers, these do not.")]
    public void WriteResponse(in ResponseHeaderFields header, ServiceReferenceVariant srv, ReadOnlySpan<byte> gbcsPayload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ResponseEnvelope.WriteHeaderAndBodyStart(output, in header);
        Raw(output, "<sr:ResponseMessage>"u8);
        ResponseEnvelope.WriteServiceReference(output, srv, sr: true);
        if (!gbcsPayload.IsEmpty)
        {
            Raw(output, "<sr:GBCSPayload>"u8);
            Base64(output, gbcsPayload);
            Raw(output, "</sr:GBCSPayload>"u8);
        }

        Raw(output, "</sr:ResponseMessage>"u8);
        Raw(output, ResponseEnd);
    }

    /// <summary>
    /// Writes a SMETS1 response: <c>sr:SMETS1ResponseMessage</c> with ServiceReference and ServiceReferenceVariant,
    /// then the <c>SMETS1SignedResponse</c> of the SMETS1 service provider, whose <c>SMETS1Response</c> holds the
    /// MMC header (<c>ra:HeaderType</c>) and a <c>ResponseMessage</c> with the SMETS data of <paramref name="inner"/>.
    /// </summary>
    /// <remarks>
    /// The SMETS1 service provider signs <c>SMETS1SignedResponse</c> as a document of its own: it is written standalone
    /// (declaring <c>xmlns:sr</c>), signed by <paramref name="s1spSigner"/>, and embedded without that declaration,
    /// which exclusive c14n of the whole response omits, so both the inner signed document and the response are
    /// canonical. When <paramref name="s1spSigner"/> is null the schema still requires a signature, so a placeholder
    /// <c>ds:Signature</c> is written: its digest is the real SHA-256 of the unsigned inner document, its signature
    /// value is 64 zero bytes (which no verifier accepts) and it has no KeyInfo.
    /// </remarks>
    /// <param name="header">The outer response header.</param>
    /// <param name="srv">The Service Reference Variant answered (written in both headers).</param>
    /// <param name="inner">The inner SMETS1 response.</param>
    /// <param name="s1spSigner">The SMETS1 service provider's signer, or null for a placeholder signature.</param>
    /// <param name="output">Where the document goes.</param>
    public void WriteSmets1Response(in ResponseHeaderFields header, ServiceReferenceVariant srv, in Smets1ResponseFields inner, IEnvelopedSigner? s1spSigner, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ResponseEnvelope.CheckSrv(srv);
        _unsigned.ResetWrittenCount();
        WriteSmets1SignedResponseUnsigned(_unsigned, srv, in inner);
        var signed = Sign(s1spSigner, Smets1End);

        ResponseEnvelope.WriteHeaderAndBodyStart(output, in header);
        Raw(output, "<sr:SMETS1ResponseMessage>"u8);
        ResponseEnvelope.WriteServiceReference(output, srv, sr: true);
        EmbedSigned(output, signed, Smets1StandaloneStart, Smets1EmbeddedStart);
        Raw(output, "</sr:SMETS1ResponseMessage>"u8);
        Raw(output, ResponseEnd);
    }

    /// <summary>
    /// Writes a device alert: <c>sr:DeviceAlertMessage</c> with the GBCS alert code, the throttling fields of the
    /// DCC's alert storm protection when given, and the alert's GBCS payload.
    /// </summary>
    /// <param name="header">The header (usually a ResponseID and no RequestID; I0).</param>
    /// <param name="code">The GBCS alert code (four hex digits).</param>
    /// <param name="throttledSequenceId">ThrottledAlertSequenceId; omitted when null.</param>
    /// <param name="throttledCount">ThrottledAlertCount (alerts suppressed); omitted when null.</param>
    /// <param name="gbcsPayload">The GBCS alert from the device (the schema requires the element).</param>
    /// <param name="output">Where the document goes.</param>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "One writer per worker is the API for every message kind; some kinds need its scratch buffers, these do not.")]
    public void WriteDeviceAlert(in ResponseHeaderFields header, DeviceAlertCode code, uint? throttledSequenceId, uint? throttledCount, ReadOnlySpan<byte> gbcsPayload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ResponseEnvelope.WriteHeaderAndBodyStart(output, in header);
        Raw(output, "<sr:DeviceAlertMessage><sr:AlertCode>"u8);
        Formatted(output, code, DeviceAlertCode.FormattedLength);
        Raw(output, "</sr:AlertCode>"u8);
        WriteThrottling(output, throttledSequenceId, throttledCount);
        Raw(output, "<sr:GBCSPayload>"u8);
        Base64(output, gbcsPayload);
        Raw(output, "</sr:GBCSPayload></sr:DeviceAlertMessage>"u8);
        Raw(output, ResponseEnd);
    }

    /// <summary>
    /// Writes a DCC alert: <c>sr:DCCAlertMessage</c> with the alert code, the throttling fields when given, and the
    /// <c>DCCAlert</c> body. An S1SP alert body gets a placeholder signature (see
    /// <see cref="WriteDccAlert(in ResponseHeaderFields, DccAlertCode, uint?, uint?, in DccAlertBody, IEnvelopedSigner?, IBufferWriter{byte})"/>).
    /// </summary>
    /// <param name="header">The header.</param>
    /// <param name="code">The DCC alert code (N-code or AD1); the caller picks the one that goes with the body.</param>
    /// <param name="throttledSequenceId">ThrottledAlertSequenceId; omitted when null.</param>
    /// <param name="throttledCount">ThrottledAlertCount; omitted when null.</param>
    /// <param name="body">The alert body.</param>
    /// <param name="output">Where the document goes.</param>
    public void WriteDccAlert(in ResponseHeaderFields header, DccAlertCode code, uint? throttledSequenceId, uint? throttledCount, in DccAlertBody body, IBufferWriter<byte> output)
        => WriteDccAlert(in header, code, throttledSequenceId, throttledCount, in body, null, output);

    /// <summary>
    /// Writes a DCC alert: <c>sr:DCCAlertMessage</c> with the alert code, the throttling fields when given, and the
    /// <c>DCCAlert</c> body.
    /// </summary>
    /// <remarks>
    /// The <c>sr:S1SPAlert</c> inside an S1SPAlertDSP body is signed by the SMETS1 service provider as a document of
    /// its own, like <c>SMETS1SignedResponse</c> (see <see cref="WriteSmets1Response"/>): written standalone, signed
    /// by <paramref name="s1spSigner"/>, embedded without its redundant <c>xmlns:sr</c>. When the signer is null the
    /// required signature is a placeholder (real digest, zero signature value, no KeyInfo).
    /// </remarks>
    /// <param name="header">The header.</param>
    /// <param name="code">The DCC alert code (N-code or AD1); the caller picks the one that goes with the body.</param>
    /// <param name="throttledSequenceId">ThrottledAlertSequenceId; omitted when null.</param>
    /// <param name="throttledCount">ThrottledAlertCount; omitted when null.</param>
    /// <param name="body">The alert body.</param>
    /// <param name="s1spSigner">Signs S1SP alerts; ignored for other bodies; null for a placeholder signature.</param>
    /// <param name="output">Where the document goes.</param>
    public void WriteDccAlert(in ResponseHeaderFields header, DccAlertCode code, uint? throttledSequenceId, uint? throttledCount, in DccAlertBody body, IEnvelopedSigner? s1spSigner, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ReadOnlySpan<byte> signedS1SPAlert = default;
        switch (body.Kind)
        {
            case DccAlertBodyKind.PowerOutageEvent:
            case DccAlertBodyKind.CommandFailure:
            case DccAlertBodyKind.QuarantinedRequest:
                break;
            case DccAlertBodyKind.S1SPAlertDsp:
                _unsigned.ResetWrittenCount();
                WriteS1SPAlertUnsigned(_unsigned, in body);
                signedS1SPAlert = Sign(s1spSigner, S1SPAlertEnd);
                break;
            default:
                WriterThrow.Argument(nameof(body), "The DCC alert body is unset; create it with one of DccAlertBody's factory methods.");
                break;
        }

        ResponseEnvelope.WriteHeaderAndBodyStart(output, in header);
        Raw(output, "<sr:DCCAlertMessage><sr:DCCAlertCode>"u8);
        Formatted(output, code, DccAlertCode.MaxFormattedLength);
        Raw(output, "</sr:DCCAlertCode>"u8);
        WriteThrottling(output, throttledSequenceId, throttledCount);
        Raw(output, "<sr:DCCAlert>"u8);
        switch (body.Kind)
        {
            case DccAlertBodyKind.PowerOutageEvent:
                Raw(output, "<sr:PowerOutageEvent><sr:CommsHubDeviceID>"u8);
                Formatted(output, body.DeviceId.GetValueOrDefault(), Eui64.FormattedLength);
                Raw(output, "</sr:CommsHubDeviceID><sr:StartDateTime>"u8);
                DateTime(output, body.DateTime);
                Raw(output, "</sr:StartDateTime><sr:MPxN>"u8);
                UInt64(output, body.Mpxn);
                Raw(output, "</sr:MPxN></sr:PowerOutageEvent>"u8);
                break;
            case DccAlertBodyKind.CommandFailure:
                Raw(output, "<sr:CommandFailure><sr:CommandRequestID>"u8);
                Formatted(output, body.RequestId.GetValueOrDefault(), RequestId.MaxFormattedLength);
                Raw(output, "</sr:CommandRequestID>"u8);
                WriteDspScheduleId(output, body.DspScheduleId);
                Raw(output, "<sr:DeviceID>"u8);
                Formatted(output, body.DeviceId.GetValueOrDefault(), Eui64.FormattedLength);
                Raw(output, "</sr:DeviceID></sr:CommandFailure>"u8);
                break;
            case DccAlertBodyKind.QuarantinedRequest:
                var breach = body.Breach switch
                {
                    QuarantineBreach.UserThreshold => "ADUserThresholdBreach"u8,
                    QuarantineBreach.DccThreshold => "ADDCCThresholdBreach"u8,
                    _ => "ADAttributeLimitsBreach"u8,
                };
                Raw(output, "<sr:QuarantinedRequest><sr:"u8);
                Raw(output, breach);
                Raw(output, "><sr:RequestID>"u8);
                Formatted(output, body.RequestId.GetValueOrDefault(), RequestId.MaxFormattedLength);
                Raw(output, "</sr:RequestID><sr:QuarantineEventRef>"u8);
                UInt64(output, body.QuarantineEventRef);
                Raw(output, "</sr:QuarantineEventRef></sr:"u8);
                Raw(output, breach);
                Raw(output, "></sr:QuarantinedRequest>"u8);
                break;
            default:
                Raw(output, "<sr:S1SPAlertDSP>"u8);
                EmbedSigned(output, signedS1SPAlert, S1SPAlertStandaloneStart, S1SPAlertEmbeddedStart);
                WriteDspScheduleId(output, body.DspScheduleId);
                Raw(output, "</sr:S1SPAlertDSP>"u8);
                break;
        }

        Raw(output, "</sr:DCCAlert></sr:DCCAlertMessage>"u8);
        Raw(output, ResponseEnd);
    }

    private static void WriteThrottling(IBufferWriter<byte> output, uint? throttledSequenceId, uint? throttledCount)
    {
        if (throttledSequenceId is { } sequenceId)
        {
            Raw(output, "<sr:ThrottledAlertSequenceId>"u8);
            UInt64(output, sequenceId);
            Raw(output, "</sr:ThrottledAlertSequenceId>"u8);
        }

        if (throttledCount is { } count)
        {
            Raw(output, "<sr:ThrottledAlertCount>"u8);
            UInt64(output, count);
            Raw(output, "</sr:ThrottledAlertCount>"u8);
        }
    }

    private static void WriteDspScheduleId(IBufferWriter<byte> output, ulong? dspScheduleId)
    {
        if (dspScheduleId is { } id)
        {
            Raw(output, "<sr:DSPScheduleID>"u8);
            UInt64(output, id);
            Raw(output, "</sr:DSPScheduleID>"u8);
        }
    }

    /// <summary>The standalone <c>SMETS1SignedResponse</c> without its signature.</summary>
    private static void WriteSmets1SignedResponseUnsigned(IBufferWriter<byte> o, ServiceReferenceVariant srv, in Smets1ResponseFields inner)
    {
        Raw(o, Smets1StandaloneStart);
        Raw(o, "<sr:SMETS1Response><sr:Header><ra:BusinessOriginatorID xmlns:ra=\"http://www.dccinterface.co.uk/ResponseAndAlert\">"u8);
        Formatted(o, inner.BusinessOriginatorId, Eui64.FormattedLength);
        Raw(o, "</ra:BusinessOriginatorID><ra:BusinessTargetID xmlns:ra=\"http://www.dccinterface.co.uk/ResponseAndAlert\">"u8);
        Formatted(o, inner.BusinessTargetId, Eui64.FormattedLength);
        Raw(o, "</ra:BusinessTargetID><ra:OriginatorCounter xmlns:ra=\"http://www.dccinterface.co.uk/ResponseAndAlert\">"u8);
        UInt64(o, inner.OriginatorCounter);
        Raw(o, "</ra:OriginatorCounter>"u8);
        if (inner.GbcsMessageCode is { } messageCode)
        {
            Raw(o, "<ra:GBCSHexadecimalMessageCode xmlns:ra=\"http://www.dccinterface.co.uk/ResponseAndAlert\">"u8);
            Hex16(o, messageCode);
            Raw(o, "</ra:GBCSHexadecimalMessageCode>"u8);
        }

        ResponseEnvelope.WriteServiceReference(o, srv, sr: false);
        if (inner.Timestamp is { } timestamp)
        {
            // Canonical attribute order: namespace declarations, then attributes by name (ClockStatus < isFromGSME).
            Raw(o, "<ra:Timestamp xmlns:ra=\"http://www.dccinterface.co.uk/ResponseAndAlert\""u8);
            Raw(o, inner.ClockStatus switch
            {
                Smets1ClockStatus.Reliable => " ClockStatus=\"reliable\""u8,
                Smets1ClockStatus.Invalid => " ClockStatus=\"invalid\""u8,
                Smets1ClockStatus.Unreliable => " ClockStatus=\"unreliable\""u8,
                _ => default,
            });
            Raw(o, inner.TimestampFromGsme switch
            {
                true => " isFromGSME=\"true\""u8,
                false => " isFromGSME=\"false\""u8,
                null => default,
            });
            Raw(o, ">"u8);
            DateTime(o, timestamp);
            Raw(o, "</ra:Timestamp>"u8);
        }

        Raw(o, "</sr:Header><sr:Body><sr:ResponseMessage>"u8);
        WriteSmetsData(o, inner.Data);
        Raw(o, "</sr:ResponseMessage></sr:Body></sr:SMETS1Response>"u8);
        Raw(o, Smets1End);
    }

    private static void WriteSmetsData(IBufferWriter<byte> o, in Smets1ResponseData data)
    {
        switch (data.Kind)
        {
            case Smets1ResponseDataKind.None:
                return;
            case Smets1ResponseDataKind.ElectricityImportRegisters:
                Raw(o, "<ra:SMETSData xmlns:ra=\"http://www.dccinterface.co.uk/ResponseAndAlert\"><ra:ReadInstantaneousImportRegistersRsp"u8);
                WriteMessageSuccess(o, data.MessageSuccess);
                Raw(o, "<ra:Electricity><ra:ActiveImportRegister><ra:Value>"u8);
                Int64(o, data.Primary);
                Raw(o, "</ra:Value><ra:ActiveEnergyUnit>Wh</ra:ActiveEnergyUnit></ra:ActiveImportRegister>"u8);
                if (data.Secondary is { } reactive)
                {
                    Raw(o, "<ra:ReactiveImportRegister><ra:Value>"u8);
                    Int64(o, reactive);
                    Raw(o, "</ra:Value><ra:ReactiveEnergyUnit>varh</ra:ReactiveEnergyUnit></ra:ReactiveImportRegister>"u8);
                }

                if (data.Tertiary is { } secondaryActive)
                {
                    Raw(o, "<ra:SecondaryActiveImportRegister><ra:Value>"u8);
                    Int64(o, secondaryActive);
                    Raw(o, "</ra:Value><ra:ActiveEnergyUnit>Wh</ra:ActiveEnergyUnit></ra:SecondaryActiveImportRegister>"u8);
                }

                Raw(o, "</ra:Electricity></ra:ReadInstantaneousImportRegistersRsp></ra:SMETSData>"u8);
                return;
            case Smets1ResponseDataKind.GasImportRegisters:
                Raw(o, "<ra:SMETSData xmlns:ra=\"http://www.dccinterface.co.uk/ResponseAndAlert\"><ra:ReadInstantaneousImportRegistersRsp"u8);
                WriteMessageSuccess(o, data.MessageSuccess);
                Raw(o, "<ra:Gas><ra:ConsumptionRegister><ra:Value>"u8);
                Decimal(o, data.GasConsumption);
                Raw(o, "</ra:Value><ra:Unit>m3</ra:Unit></ra:ConsumptionRegister></ra:Gas></ra:ReadInstantaneousImportRegistersRsp></ra:SMETSData>"u8);
                return;
            case Smets1ResponseDataKind.MeterBalance:
                Raw(o, "<ra:SMETSData xmlns:ra=\"http://www.dccinterface.co.uk/ResponseAndAlert\"><ra:ReadMeterBalanceRsp"u8);
                WriteMessageSuccess(o, data.MessageSuccess);
                Raw(o, "<ra:MeterBalance>"u8);
                Int64(o, data.Primary);
                Raw(o, "</ra:MeterBalance>"u8);
                if (data.Secondary is { } prepaymentMode)
                {
                    Raw(o, "<ra:Gas><ra:MeterBalancePrepaymentMode>"u8);
                    Int64(o, prepaymentMode);
                    Raw(o, "</ra:MeterBalancePrepaymentMode></ra:Gas>"u8);
                }

                Raw(o, "</ra:ReadMeterBalanceRsp></ra:SMETSData>"u8);
                return;
            default:
                WriterThrow.Argument(nameof(data), $"Unknown SMETS1 response data {data.Kind}.");
                return;
        }
    }

    /// <summary>Ends the start tag of a response element, with its MessageSuccess attribute when given.</summary>
    private static void WriteMessageSuccess(IBufferWriter<byte> o, bool? messageSuccess)
        => Raw(o, messageSuccess switch
        {
            true => " MessageSuccess=\"true\">"u8,
            false => " MessageSuccess=\"false\">"u8,
            null => ">"u8,
        });

    /// <summary>The standalone <c>sr:S1SPAlert</c> without its signature.</summary>
    private static void WriteS1SPAlertUnsigned(IBufferWriter<byte> o, in DccAlertBody body)
    {
        Raw(o, S1SPAlertStandaloneStart);
        if (body.RequestId is { } requestId)
        {
            Raw(o, "<sr:RequestID>"u8);
            Formatted(o, requestId, RequestId.MaxFormattedLength);
            Raw(o, "</sr:RequestID>"u8);
        }

        if (body.DeviceId is { } deviceId)
        {
            Raw(o, "<sr:DeviceID>"u8);
            Formatted(o, deviceId, Eui64.FormattedLength);
            Raw(o, "</sr:DeviceID>"u8);
        }

        Raw(o, "<sr:S1SPAlertCode>"u8);
        Text(o, body.S1SPAlertCode.Span);
        Raw(o, "</sr:S1SPAlertCode>"u8);
        if (!body.AdditionalInformation.IsEmpty)
        {
            Raw(o, "<sr:AdditionalInformation>"u8);
            Text(o, body.AdditionalInformation.Span);
            Raw(o, "</sr:AdditionalInformation>"u8);
        }

        if (!body.Utrn.IsEmpty)
        {
            Raw(o, "<sr:UTRN>"u8);
            Raw(o, body.Utrn.Span);
            Raw(o, "</sr:UTRN>"u8);
        }

        Raw(o, "<sr:DateTime>"u8);
        DateTime(o, body.DateTime);
        Raw(o, "</sr:DateTime>"u8);
        Raw(o, S1SPAlertEnd);
    }

    /// <summary>Signs the unsigned inner document in the first scratch buffer into the second.</summary>
    private ReadOnlySpan<byte> Sign(IEnvelopedSigner? signer, ReadOnlySpan<byte> rootEndTag)
    {
        _signed.ResetWrittenCount();
        if (signer is null)
        {
            PlaceholderSigned(_signed, _unsigned.WrittenSpan, rootEndTag);
        }
        else
        {
            signer.WriteSigned(_unsigned.WrittenSpan, _signed);
        }

        return _signed.WrittenSpan;
    }
}
