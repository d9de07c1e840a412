using System.Buffers;
using System.Text;
using System.Xml;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Duis.Tests.Validation;
using CapacitySim.Duis.Writing;

namespace CapacitySim.Duis.Tests.Writing;

public class DuisResponseWriterTests
{
    private const string Sr = DuisNamespaces.ServiceUserGateway;
    private const string Ra = DuisNamespaces.ResponseAndAlert;

    private static readonly Eui64 Supplier = Eui64.Parse("90-B3-D5-1F-30-01-00-00");
    private static readonly Eui64 Meter = Eui64.Parse("00-DB-12-34-56-78-90-A0");
    private static readonly Eui64 CommsHub = Eui64.Parse("00-DB-12-34-56-78-90-A3");

    // 14:26:53.589 at +01:00 is 13:26:53.589 UTC: responses carry UTC.
    private static readonly DateTimeOffset When = new(2025, 6, 14, 14, 26, 53, 589, TimeSpan.FromHours(1));

    // A GBCS-shaped payload: general ciphering header byte 0xDD and a body of varied bytes, 64 bytes long.
    private static readonly byte[] Payload = [0xDD, .. Enumerable.Range(1, 63).Select(i => (byte)(i * 37))];

    private static readonly ResponseHeaderFields I0Header = new(
        new RequestId(Supplier, Meter, 1_718_371_613_000), new ResponseId(Meter, Supplier, 1_718_371_613_000), ResponseCode.Success, When);

    private static readonly ResponseHeaderFields AlertHeader = new(null, new ResponseId(Meter, Supplier, 1_718_371_613_589), ResponseCode.Success, When);

    private readonly DuisResponseWriter _writer = new();
    private readonly ArrayBufferWriter<byte> _output = new();

    public static TheoryData<string> Srvs() => CanonicalXmlAssert.SampleServiceReferenceVariants();

    [Theory]
    [MemberData(nameof(Srvs))]
    public void I0_with_a_GBCS_payload_is_valid_canonical_and_carries_the_payload(string srvText)
    {
        var srv = ServiceReferenceVariant.Parse(srvText);
        _writer.WriteResponse(I0Header, srv, Payload, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal(srvText, Text(doc, "ServiceReferenceVariant"));
        Assert.Equal(srv.ServiceReference.ToString(), Text(doc, "ServiceReference"));
        Assert.Equal(Payload, Convert.FromBase64String(Text(doc, "GBCSPayload")));
        Assert.Equal("2025-06-14T13:26:53.589Z", Text(doc, "ResponseDateTime"));
        Assert.Equal("I0", Text(doc, "ResponseCode"));
    }

    [Theory]
    [MemberData(nameof(Srvs))]
    public void I99_acknowledgement_is_valid_canonical_and_has_no_payload(string srvText)
    {
        var header = new ResponseHeaderFields(new RequestId(Supplier, Meter, 42), null, ResponseCode.Acknowledged, When);
        _writer.WriteResponse(header, ServiceReferenceVariant.Parse(srvText), default, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal("I99", Text(doc, "ResponseCode"));
        Assert.Empty(doc.GetElementsByTagName("GBCSPayload", Sr));
        Assert.Empty(doc.GetElementsByTagName("ResponseID", Sr));
    }

    [Theory]
    [MemberData(nameof(Srvs))]
    public void E_code_error_is_valid_canonical_and_has_no_payload(string srvText)
    {
        var header = new ResponseHeaderFields(new RequestId(Supplier, Meter, 43), null, ResponseCode.Parse("E19"), When);
        _writer.WriteResponse(header, ServiceReferenceVariant.Parse(srvText), default, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal("E19", Text(doc, "ResponseCode"));
        Assert.Empty(doc.GetElementsByTagName("GBCSPayload", Sr));
    }

    [Theory]
    [MemberData(nameof(Srvs))]
    public void SMETS1_response_is_valid_canonical_with_a_placeholder_signature(string srvText)
    {
        var srv = ServiceReferenceVariant.Parse(srvText);
        // The read services carry the meter's values; other services answer with an empty response message.
        var data = srvText switch
        {
            "4.1.1" => Smets1ResponseData.ElectricityImportRegisters(12_345_678, reactiveImportVarh: 2_345_001),
            "4.18" => Smets1ResponseData.MeterBalance(-1_250),
            _ => Smets1ResponseData.None,
        };
        var inner = new Smets1ResponseFields(Meter, Supplier, 1_718_371_613_000, data);
        _writer.WriteSmets1Response(I0Header, srv, inner, null, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal(srvText, Text(doc, "ServiceReferenceVariant", Ra));
        Assert.Equal(Meter.ToString(), Text(doc, "BusinessOriginatorID", Ra));
        Assert.Equal(Supplier.ToString(), Text(doc, "BusinessTargetID", Ra));
        Assert.Equal("1718371613000", Text(doc, "OriginatorCounter", Ra));

        // The placeholder's digest is the real one of the unsigned inner document.
        var innerDoc = InnerStandalone(doc, "SMETS1SignedResponse");
        var signature = (XmlElement)innerDoc.GetElementsByTagName("Signature", DuisNamespaces.XmlDsig)[0]!;
        var digest = Convert.FromBase64String(Text(innerDoc, "DigestValue", DuisNamespaces.XmlDsig));
        signature.ParentNode!.RemoveChild(signature);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(CanonicalXmlAssert.Canonicalize(innerDoc)), digest);
    }

    [Fact]
    public void SMETS1_read_registers_carry_the_callers_values()
    {
        var inner = new Smets1ResponseFields(Meter, Supplier, 7, Smets1ResponseData.ElectricityImportRegisters(98_765_432, 1_234, 4_321, messageSuccess: true))
        {
            GbcsMessageCode = 0x0018,
            Timestamp = When,
            ClockStatus = Smets1ClockStatus.Reliable,
            TimestampFromGsme = false,
        };
        _writer.WriteSmets1Response(I0Header, ServiceReferenceVariant.Parse("4.1.1"), inner, null, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        var registers = (XmlElement)doc.GetElementsByTagName("ReadInstantaneousImportRegistersRsp", Ra)[0]!;
        Assert.Equal("true", registers.GetAttribute("MessageSuccess"));
        Assert.Equal("98765432", registers["Electricity", Ra]!["ActiveImportRegister", Ra]!["Value", Ra]!.InnerText);
        Assert.Equal("1234", registers["Electricity", Ra]!["ReactiveImportRegister", Ra]!["Value", Ra]!.InnerText);
        Assert.Equal("4321", registers["Electricity", Ra]!["SecondaryActiveImportRegister", Ra]!["Value", Ra]!.InnerText);
        var timestamp = (XmlElement)doc.GetElementsByTagName("Timestamp", Ra)[0]!;
        Assert.Equal("2025-06-14T13:26:53.589Z", timestamp.InnerText);
        Assert.Equal("reliable", timestamp.GetAttribute("ClockStatus"));
        Assert.Equal("false", timestamp.GetAttribute("isFromGSME"));
        Assert.Equal("0018", Text(doc, "GBCSHexadecimalMessageCode", Ra));
    }

    [Theory]
    [InlineData("12345.670", "12345.67")]
    [InlineData("0.000", "0")]
    [InlineData("987654", "987654")]
    public void SMETS1_gas_registers_write_the_consumption_as_a_plain_decimal(string value, string expected)
    {
        var consumption = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var inner = new Smets1ResponseFields(Meter, Supplier, 8, Smets1ResponseData.GasImportRegisters(consumption, messageSuccess: null))
        {
            Timestamp = When,
            TimestampFromGsme = true,
        };
        _writer.WriteSmets1Response(I0Header, ServiceReferenceVariant.Parse("4.1.1"), inner, null, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal(expected, ((XmlElement)doc.GetElementsByTagName("ConsumptionRegister", Ra)[0]!)["Value", Ra]!.InnerText);
        Assert.False(((XmlElement)doc.GetElementsByTagName("ReadInstantaneousImportRegistersRsp", Ra)[0]!).HasAttribute("MessageSuccess"));
    }

    [Fact]
    public void SMETS1_gas_meter_balance_carries_the_prepayment_mode_balance()
    {
        var inner = new Smets1ResponseFields(Meter, Supplier, 9, Smets1ResponseData.MeterBalance(15_000, gasMeterBalancePrepaymentMode: -300, messageSuccess: false));
        _writer.WriteSmets1Response(I0Header, ServiceReferenceVariant.Parse("4.18"), inner, null, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal("15000", Text(doc, "MeterBalance", Ra));
        Assert.Equal("-300", Text(doc, "MeterBalancePrepaymentMode", Ra));
        Assert.Equal("false", ((XmlElement)doc.GetElementsByTagName("ReadMeterBalanceRsp", Ra)[0]!).GetAttribute("MessageSuccess"));
    }

    [Fact]
    public void SMETS1_inner_response_is_signed_standalone_and_embedded_canonically()
    {
        using var signer = new TestS1spSigner();
        var inner = new Smets1ResponseFields(Meter, Supplier, 1_718_371_613_000, Smets1ResponseData.ElectricityImportRegisters(12_345_678))
        {
            Timestamp = When,
            ClockStatus = Smets1ClockStatus.Unreliable,
        };
        _writer.WriteSmets1Response(I0Header, ServiceReferenceVariant.Parse("4.1.1"), inner, signer, _output);

        Assert.Equal(1, signer.Calls);
        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        // What the signer was given is canonical on its own, and so is what it produced.
        Assert.Equal(signer.LastUnsigned, CanonicalXmlAssert.Canonicalize(CanonicalXmlAssert.Load(signer.LastUnsigned)));
        var innerDoc = InnerStandalone(CanonicalXmlAssert.Load(_output.WrittenSpan), "SMETS1SignedResponse");
        Assert.Equal(Encoding.UTF8.GetString(signer.LastSigned), Encoding.UTF8.GetString(CanonicalXmlAssert.Canonicalize(innerDoc)));
        Assert.Empty(DuisSchemaTests.Shared.Validate(signer.LastSigned));
        Assert.True(signer.Verify(innerDoc));

        // A changed register breaks the S1SP's signature.
        innerDoc.GetElementsByTagName("Value", Ra)[0]!.InnerText = "12345679";
        Assert.False(signer.Verify(innerDoc));
    }

    public static TheoryData<string, bool> DeviceAlerts()
    {
        var data = new TheoryData<string, bool>();
        foreach (var code in new[] { "8F01", "8F12", "8F35", "8F36", "8F3E", "81B8", "8014" })
        {
            data.Add(code, false);
            data.Add(code, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DeviceAlerts))]
    public void Device_alert_is_valid_canonical_with_and_without_throttling(string code, bool throttled)
    {
        _writer.WriteDeviceAlert(AlertHeader, DeviceAlertCode.Parse(code), throttled ? 4_000_000_001u : null, throttled ? 17u : null, Payload, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal(code, Text(doc, "AlertCode"));
        Assert.Equal(Payload, Convert.FromBase64String(Text(doc, "GBCSPayload")));
        Assert.Empty(doc.GetElementsByTagName("RequestID", Sr));
        Assert.Equal(throttled ? 1 : 0, doc.GetElementsByTagName("ThrottledAlertSequenceId", Sr).Count);
        if (throttled)
        {
            Assert.Equal("4000000001", Text(doc, "ThrottledAlertSequenceId"));
            Assert.Equal("17", Text(doc, "ThrottledAlertCount"));
        }
    }

    [Fact]
    public void A_payload_larger_than_one_encoding_chunk_round_trips()
    {
        // Firmware-sized payloads are encoded in several pieces; the pieces must join into one base64 text.
        var large = new byte[10_001];
        new Random(7).NextBytes(large);
        _writer.WriteResponse(I0Header, ServiceReferenceVariant.Parse("11.2"), large, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        Assert.Equal(large, Convert.FromBase64String(Text(CanonicalXmlAssert.Load(_output.WrittenSpan), "GBCSPayload")));
    }

    [Fact]
    public void Device_alert_with_only_a_throttle_count_is_valid()
    {
        _writer.WriteDeviceAlert(AlertHeader, DeviceAlertCode.Parse("8F35"), null, 3, Payload, _output);
        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        Assert.Equal("3", Text(CanonicalXmlAssert.Load(_output.WrittenSpan), "ThrottledAlertCount"));
    }

    public static TheoryData<string, string, bool> DccAlerts()
    {
        // The writer writes the caller's code as given; these pairings of codes with bodies are illustrative only.
        return new TheoryData<string, string, bool>
        {
            { "power-outage", "AD1", false },
            { "power-outage", "AD1", true },
            { "command-failure", "N12", false },
            { "command-failure-scheduled", "N12", true },
            { "quarantine-user", "N42", false },
            { "quarantine-dcc", "N43", false },
            { "quarantine-attributes", "N44", true },
            { "s1sp-minimal", "N55", false },
            { "s1sp-full", "N55", true },
        };
    }

    [Theory]
    [MemberData(nameof(DccAlerts))]
    public void DCC_alert_is_valid_canonical_for_each_body(string body, string code, bool throttled)
    {
        var alert = DccBody(body);
        _writer.WriteDccAlert(AlertHeader, DccAlertCode.Parse(code), throttled ? 12u : null, throttled ? 250u : null, alert, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal(code, Text(doc, "DCCAlertCode"));
        var dccAlert = (XmlElement)doc.GetElementsByTagName("DCCAlert", Sr)[0]!;
        Assert.Equal(
            alert.Kind switch
            {
                DccAlertBodyKind.PowerOutageEvent => "PowerOutageEvent",
                DccAlertBodyKind.CommandFailure => "CommandFailure",
                DccAlertBodyKind.QuarantinedRequest => "QuarantinedRequest",
                _ => "S1SPAlertDSP",
            },
            dccAlert.FirstChild!.LocalName);
    }

    [Fact]
    public void Power_outage_carries_the_hub_the_start_and_the_MPAN()
    {
        _writer.WriteDccAlert(AlertHeader, DccAlertCode.Parse("AD1"), null, null, DccBody("power-outage"), _output);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal(CommsHub.ToString(), Text(doc, "CommsHubDeviceID"));
        Assert.Equal("2025-06-14T11:00:00.000Z", Text(doc, "StartDateTime"));
        Assert.Equal("1012345678901", Text(doc, "MPxN"));
    }

    [Fact]
    public void Quarantined_request_names_the_breach_the_request_and_the_event()
    {
        _writer.WriteDccAlert(AlertHeader, DccAlertCode.Parse("N43"), null, null, DccBody("quarantine-dcc"), _output);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        var breach = (XmlElement)doc.GetElementsByTagName("ADDCCThresholdBreach", Sr)[0]!;
        Assert.Equal(new RequestId(Supplier, Meter, 555).ToString(), breach["RequestID", Sr]!.InnerText);
        Assert.Equal("18446744073709551615", breach["QuarantineEventRef", Sr]!.InnerText);
    }

    [Fact]
    public void S1SP_alert_text_is_escaped_as_c14n_does_and_reads_back_unchanged()
    {
        const string Info = "Balance < 0 & tamper > 1\r\nsecond line";
        var alert = DccAlertBody.S1SPAlertDsp("S1SP-ALERT-0042"u8.ToArray(), When, additionalInformation: Encoding.UTF8.GetBytes(Info));
        _writer.WriteDccAlert(AlertHeader, DccAlertCode.Parse("N55"), null, null, alert, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        Assert.Contains("Balance &lt; 0 &amp; tamper &gt; 1&#xD;\nsecond line", Encoding.UTF8.GetString(_output.WrittenSpan), StringComparison.Ordinal);
        Assert.Equal(Info, Text(CanonicalXmlAssert.Load(_output.WrittenSpan), "AdditionalInformation"));
    }

    [Fact]
    public void S1SP_alert_is_signed_standalone_and_embedded_canonically()
    {
        using var signer = new TestS1spSigner();
        _writer.WriteDccAlert(AlertHeader, DccAlertCode.Parse("N55"), null, null, DccBody("s1sp-full"), signer, _output);

        Assert.Equal(1, signer.Calls);
        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var innerDoc = InnerStandalone(CanonicalXmlAssert.Load(_output.WrittenSpan), "S1SPAlert");
        Assert.Equal(Encoding.UTF8.GetString(signer.LastSigned), Encoding.UTF8.GetString(CanonicalXmlAssert.Canonicalize(innerDoc)));
        Assert.True(signer.Verify(innerDoc));
        Assert.Equal("12345678901234567890", Text(innerDoc, "UTRN"));
    }

    [Fact]
    public void Other_DCC_alerts_do_not_call_the_signer()
    {
        using var signer = new TestS1spSigner();
        _writer.WriteDccAlert(AlertHeader, DccAlertCode.Parse("AD1"), null, null, DccBody("power-outage"), signer, _output);
        Assert.Equal(0, signer.Calls);
    }

    [Theory]
    [InlineData("11.2_READ_FIRMWARE_VERSION_I0_signed.xml")]
    [InlineData("11.2_E65_error.xml")]
    public void Header_and_body_match_the_DCC_samples(string sample)
    {
        // The DCC's own responses, rewritten from their values, give the same header and body (the E65 sample is
        // indented, so its whitespace-only text is dropped before comparing).
        var original = CanonicalXmlAssert.Load(File.ReadAllBytes(Path.Combine(SharedDuis.ResponseSamples, sample)), preserveWhitespace: false);
        var requestId = RequestId.Parse(Text(original, "RequestID"));
        var responseIdNodes = original.GetElementsByTagName("ResponseID", Sr);
        ResponseId? responseId = responseIdNodes.Count == 0 ? null : ResponseId.TryParse(responseIdNodes[0]!.InnerText.AsSpan(), out var r) ? r : throw new FormatException();
        var header = new ResponseHeaderFields(
            requestId,
            responseId,
            ResponseCode.Parse(Text(original, "ResponseCode")),
            DateTimeOffset.Parse(Text(original, "ResponseDateTime"), System.Globalization.CultureInfo.InvariantCulture));
        var payloadNodes = original.GetElementsByTagName("GBCSPayload", Sr);
        var payload = payloadNodes.Count == 0 ? [] : Convert.FromBase64String(payloadNodes[0]!.InnerText);
        _writer.WriteResponse(header, ServiceReferenceVariant.Parse(Text(original, "ServiceReferenceVariant")), payload, _output);

        var written = CanonicalXmlAssert.Load(_output.WrittenSpan);
        foreach (var part in new[] { "Header", "Body" })
        {
            Assert.Equal(
                CanonicalXmlAssert.Canonicalize(CanonicalXmlAssert.Standalone(Element(original, part))),
                CanonicalXmlAssert.Canonicalize(CanonicalXmlAssert.Standalone(Element(written, part))));
        }
    }

    [Fact]
    public void Writing_allocates_nothing_after_warm_up()
    {
        var srv = ServiceReferenceVariant.Parse("4.1.1");
        var smets1 = new Smets1ResponseFields(Meter, Supplier, 1, Smets1ResponseData.ElectricityImportRegisters(12_345_678, 2_000)) { Timestamp = When, ClockStatus = Smets1ClockStatus.Reliable };
        var outage = DccBody("power-outage");
        var s1sp = DccBody("s1sp-full");
        var quarantine = DccBody("quarantine-user");
        var alertCode = DeviceAlertCode.Parse("8F35");
        var n55 = DccAlertCode.Parse("N55");

        void WriteAll()
        {
            _output.ResetWrittenCount();
            _writer.WriteResponse(I0Header, srv, Payload, _output);
            _writer.WriteSmets1Response(I0Header, srv, smets1, null, _output);
            _writer.WriteDeviceAlert(AlertHeader, alertCode, 1, 2, Payload, _output);
            _writer.WriteDccAlert(AlertHeader, n55, null, null, outage, _output);
            _writer.WriteDccAlert(AlertHeader, n55, 3, 4, s1sp, _output);
            _writer.WriteDccAlert(AlertHeader, n55, null, null, quarantine, _output);
        }

        WriteAll();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            WriteAll();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(_output.WrittenCount > 0);
    }

    [Fact]
    public void Bad_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _writer.WriteDccAlert(AlertHeader, DccAlertCode.Parse("N1"), null, null, default, _output));
        Assert.Throws<ArgumentException>(() => DccAlertBody.PowerOutageEvent(CommsHub, When, 10_000_000_000_000));
        Assert.Throws<ArgumentException>(() => DccAlertBody.S1SPAlertDsp("X"u8.ToArray(), When, utrn: "1234"u8.ToArray()));
        Assert.Throws<ArgumentException>(() => DccAlertBody.S1SPAlertDsp("X"u8.ToArray(), When, utrn: "1234567890123456789A"u8.ToArray()));
        Assert.Throws<ArgumentException>(() => DccAlertBody.S1SPAlertDsp(default, When));
        Assert.Throws<ArgumentException>(() => DccAlertBody.CommandFailure(new RequestId(Supplier, Meter, 1), Meter, DccAlertBody.MaxDspScheduleId + 1));
        Assert.Throws<ArgumentException>(() => _writer.WriteResponse(I0Header, default, Payload, _output));
        var control = DccAlertBody.S1SPAlertDsp("X"u8.ToArray(), When, additionalInformation: "bell\u0007"u8.ToArray());
        Assert.Throws<ArgumentException>(() => _writer.WriteDccAlert(AlertHeader, DccAlertCode.Parse("N55"), null, null, control, _output));
    }

    private static DccAlertBody DccBody(string name) => name switch
    {
        "power-outage" => DccAlertBody.PowerOutageEvent(CommsHub, new DateTimeOffset(2025, 6, 14, 11, 0, 0, TimeSpan.Zero), 1_012_345_678_901),
        "command-failure" => DccAlertBody.CommandFailure(new RequestId(Supplier, Meter, 777), Meter),
        "command-failure-scheduled" => DccAlertBody.CommandFailure(new RequestId(Supplier, Meter, 778), Meter, dspScheduleId: 1_000_000_000_000),
        "quarantine-user" => DccAlertBody.QuarantinedRequest(QuarantineBreach.UserThreshold, new RequestId(Supplier, Meter, 554), 1),
        "quarantine-dcc" => DccAlertBody.QuarantinedRequest(QuarantineBreach.DccThreshold, new RequestId(Supplier, Meter, 555), ulong.MaxValue),
        "quarantine-attributes" => DccAlertBody.QuarantinedRequest(QuarantineBreach.AttributeLimits, new RequestId(Supplier, Meter, 556), 90_210),
        "s1sp-minimal" => DccAlertBody.S1SPAlertDsp("S1SP-ALERT-0001"u8.ToArray(), When),
        "s1sp-full" => DccAlertBody.S1SPAlertDsp(
            "S1SP-ALERT-0042"u8.ToArray(),
            When,
            new RequestId(Supplier, Meter, 999),
            Meter,
            "Top-up rejected by meter"u8.ToArray(),
            "12345678901234567890"u8.ToArray(),
            dspScheduleId: 31),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static string Text(XmlDocument doc, string localName, string ns = Sr)
    {
        var nodes = doc.GetElementsByTagName(localName, ns);
        Assert.True(nodes.Count > 0, $"No {localName} in {ns}");
        return nodes[0]!.InnerText;
    }

    private static XmlElement Element(XmlDocument doc, string localName) => (XmlElement)doc.GetElementsByTagName(localName, Sr)[0]!;

    private static XmlDocument InnerStandalone(XmlDocument doc, string localName) => CanonicalXmlAssert.Standalone(Element(doc, localName));
}
