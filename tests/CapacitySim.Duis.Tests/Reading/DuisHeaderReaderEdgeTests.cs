using System.Text;
using System.Xml;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Duis.Tests.Reading;

/// <summary>Hand-made documents for the XML and DUIS corners the shared samples do not reach.</summary>
public class DuisHeaderReaderEdgeTests
{
    private const string Sug = DuisNamespaces.ServiceUserGateway;
    private const string Dsig = DuisNamespaces.XmlDsig;
    private const string Ra = DuisNamespaces.ResponseAndAlert;
    private const string Rid = "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A4:1001";

    private static readonly RequestId ExpectedRid = RequestId.Parse(Rid);

    private static string RequestWith(string header, string body = "<sr:ReadInstantaneousImportRegisters/>")
        => $"""<sr:Request xmlns:sr="{Sug}" schemaVersion="5.4"><sr:Header>{header}</sr:Header><sr:Body>{body}</sr:Body></sr:Request>""";

    private static string Future(string when)
        => $"<sr:UpdateImportTariffSecondaryElement><sr:ExecutionDateTime>{when}</sr:ExecutionDateTime></sr:UpdateImportTariffSecondaryElement>";

    private static string GoodRequestHeader(string rid = Rid, string cv = "1", string sr = "4.1", string srv = "4.1.1")
        => $"<sr:RequestID>{rid}</sr:RequestID><sr:CommandVariant>{cv}</sr:CommandVariant>"
            + $"<sr:ServiceReference>{sr}</sr:ServiceReference><sr:ServiceReferenceVariant>{srv}</sr:ServiceReferenceVariant>";

    private static string ResponseWith(string header, string body)
        => $"""<sr:Response xmlns:sr="{Sug}" schemaVersion="5.4"><sr:Header>{header}</sr:Header><sr:Body>{body}</sr:Body></sr:Response>""";

    private static string GoodResponseHeader(string code = "I0", string when = "2024-03-01T10:00:00Z")
        => $"<sr:RequestID>{Rid}</sr:RequestID><sr:ResponseCode>{code}</sr:ResponseCode><sr:ResponseDateTime>{when}</sr:ResponseDateTime>";

    private static (DuisReadStatus Status, DuisHeader Header) Read(string xml)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        var status = DuisHeaderReader.TryRead(bytes, out var header);
        // Every hand-made case also goes through a sequence cut at every byte, which must say the same.
        for (var cut = 0; cut <= bytes.Length; cut += Math.Max(1, bytes.Length / 97))
        {
            Assert.Equal(status, DuisHeaderReader.TryRead(Segments.Split(bytes, cut), out var viaSequence));
            Assert.Equal(header, viaSequence);
        }

        return (status, header);
    }

    /// <summary>Reads, expects Ok, and checks the result against System.Xml.</summary>
    private static DuisHeader ReadOk(string xml)
    {
        var (status, header) = Read(xml);
        Assert.Equal(DuisReadStatus.Ok, status);
        HeaderOracle.AssertAgrees(Encoding.UTF8.GetBytes(xml), header);
        return header;
    }

    /// <summary>Reads, expects the error at the offset of <paramref name="at"/> in the text, and that System.Xml rejects it too when it is an XML error.</summary>
    private static void ReadFails(string xml, DuisReadStatus expected, string? at = null, int occurrence = 0)
    {
        var (status, header) = Read(xml);
        Assert.Equal(expected, status);
        if (at is not null)
        {
            var index = -1;
            for (var i = 0; i <= occurrence; i++)
            {
                index = xml.IndexOf(at, index + 1, StringComparison.Ordinal);
            }

            Assert.True(index >= 0, $"marker '{at}' not in the document");
            Assert.Equal(Encoding.UTF8.GetByteCount(xml.AsSpan(0, index)), header.ErrorOffset);
        }

        if (expected.IsXmlError() && !IsLimit(expected))
        {
            Assert.ThrowsAny<XmlException>(() => HeaderOracle.Load(Encoding.UTF8.GetBytes(xml)));
        }
        else
        {
            HeaderOracle.Load(Encoding.UTF8.GetBytes(xml));
        }
    }

    private static bool IsLimit(DuisReadStatus status)
        => status is DuisReadStatus.TooDeep or DuisReadStatus.TooManyAttributes or DuisReadStatus.TooManyNamespaceDeclarations;

    [Fact]
    public void Any_prefix_bound_to_the_gateway_namespace_works()
    {
        var xml = RequestWith(GoodRequestHeader()).Replace("sr:", "x:", StringComparison.Ordinal).Replace("xmlns:sr", "xmlns:x", StringComparison.Ordinal);

        var h = ReadOk(xml);

        Assert.Equal(ExpectedRid, h.RequestId);
        Assert.Equal(CommandVariant.NonCriticalToDevice, h.CommandVariant);
    }

    [Fact]
    public void Default_namespace_works()
    {
        var xml = $"""
            <Request xmlns="{Sug}" schemaVersion="5.4">
              <Header><RequestID>{Rid}</RequestID><CommandVariant>4</CommandVariant><ServiceReference>6.15</ServiceReference>
              <ServiceReferenceVariant>6.15.1</ServiceReferenceVariant></Header>
              <Body><UpdateSecurityCredentialsKRP/></Body>
            </Request>
            """;

        var h = ReadOk(xml);

        Assert.Equal(new ServiceReferenceVariant(6, 15, 1), h.ServiceReferenceVariant);
        Assert.Equal(CommandVariant.CriticalTransform, h.CommandVariant);
    }

    [Fact]
    public void Prefixes_of_different_elements_may_differ_for_the_same_namespace()
    {
        var xml = $"""<a:Request xmlns:a="{Sug}" schemaVersion="5.4"><b:Header xmlns:b="{Sug}"><b:RequestID>{Rid}</b:RequestID><a:CommandVariant>8</a:CommandVariant><RequestIDx/><ServiceReference xmlns="{Sug}">8.3</ServiceReference><c:ServiceReferenceVariant xmlns:c="{Sug}">8.3</c:ServiceReferenceVariant></b:Header><a:Body><a:DecommissionDevice/></a:Body></a:Request>""";

        var h = ReadOk(xml);

        Assert.Equal(new ServiceReference(8, 3), h.ServiceReference);
    }

    [Fact]
    public void Attributes_in_any_order_with_either_quote_and_spacing()
    {
        var xml = $"""
            <sr:Request sr:note = 'declared later on this tag'  schemaVersion='5.4'
               xmlns:ds="{Dsig}"	xmlns:sr = '{Sug}' other="a &amp; b &#x41; &lt;" >
              <sr:Header  ><sr:RequestID a="1" b='2'>{Rid}</sr:RequestID  ><sr:CommandVariant>1</sr:CommandVariant>
              <sr:ServiceReference>4.1</sr:ServiceReference><sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant></sr:Header>
              <sr:Body><sr:X/></sr:Body>
              <ds:Signature Id="s" />
            </sr:Request >
            """;

        var h = ReadOk(xml);

        Assert.True(h.HasSignature);
        Assert.Equal(ExpectedRid, h.RequestId);
    }

    [Fact]
    public void Whitespace_and_line_breaks_around_values_are_trimmed()
    {
        var header = $"<sr:RequestID>\r\n\t  {Rid}\r\n  </sr:RequestID><sr:CommandVariant> 1 </sr:CommandVariant>"
            + "<sr:ServiceReference>\n4.1\n</sr:ServiceReference><sr:ServiceReferenceVariant>&#13;&#10;4.1.1&#32;</sr:ServiceReferenceVariant>";
        var xml = RequestWith(header).Replace("><", ">\r\n   <", StringComparison.Ordinal);

        var h = ReadOk(xml);

        Assert.Equal(ExpectedRid, h.RequestId);
        Assert.Equal(new ServiceReferenceVariant(4, 1, 1), h.ServiceReferenceVariant);
    }

    [Fact]
    public void Whitespace_inside_a_value_makes_it_bad()
    {
        ReadFails(RequestWith(GoodRequestHeader(srv: "4.1 .1")), DuisReadStatus.BadServiceReferenceVariant, "<sr:ServiceReferenceVariant>");
    }

    [Fact]
    public void Comments_and_processing_instructions_anywhere_are_skipped()
    {
        var header = $"<!-- before --><sr:RequestID><?trace a?>{Rid[..30]}<!-- split -->{Rid[30..]}<?x?></sr:RequestID>"
            + "<?pi?><sr:CommandVariant><!---->1</sr:CommandVariant><sr:ServiceReference>4.1</sr:ServiceReference>"
            + "<sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant><!-- after -->";
        var xml = "<?xml version='1.0' encoding='UTF-8'?>\n<!-- lead --><?app data?>\n"
            + RequestWith(header) + "\n<!-- trail -->\n<?tail?>\n";

        var h = ReadOk(xml);

        Assert.Equal(ExpectedRid, h.RequestId);
    }

    [Fact]
    public void Xml_declaration_and_byte_order_mark_are_optional()
    {
        var body = RequestWith(GoodRequestHeader());
        ReadOk(body);
        ReadOk("<?xml version=\"1.0\"?>" + body);
        ReadOk("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>" + body);
        ReadOk("\uFEFF" + body);
    }

    [Fact]
    public void Cdata_and_references_count_as_text()
    {
        var header = $"<sr:RequestID><![CDATA[{Rid[..10]}]]>{Rid[10..20]}<![CDATA[]]><![CDATA[{Rid[20..]}]]></sr:RequestID>"
            + "<sr:CommandVariant>&#x35;</sr:CommandVariant><sr:ServiceReference>&#52;.&#x31;</sr:ServiceReference>"
            + "<sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>";

        var h = ReadOk(RequestWith(header, "<sr:X>a &amp; b &lt;c&gt; &quot;&apos; ]] <![CDATA[<not markup>]]></sr:X>"));

        Assert.Equal(ExpectedRid, h.RequestId);
        Assert.Equal(CommandVariant.CriticalSignedToDevice, h.CommandVariant);
        Assert.Equal(new ServiceReference(4, 1), h.ServiceReference);
    }

    [Fact]
    public void A_document_type_declaration_is_rejected()
    {
        var body = RequestWith(GoodRequestHeader());
        ReadFails("<!DOCTYPE sr:Request>" + body, DuisReadStatus.DtdNotAllowed, "<!DOCTYPE");
        ReadFails("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x \"y\">]>" + body, DuisReadStatus.DtdNotAllowed, "<!DOCTYPE");
        ReadFails(RequestWith(GoodRequestHeader(), "<!ENTITY x \"y\">"), DuisReadStatus.DtdNotAllowed, "<!ENTITY");
    }

    [Fact]
    public void A_root_outside_the_gateway_namespace_is_not_duis()
    {
        ReadFails(RequestWith(GoodRequestHeader()).Replace(Sug, "http://example.com/other", StringComparison.Ordinal), DuisReadStatus.NotDuis, "<sr:Request");
        ReadFails($"<Request>{GoodRequestHeader().Replace("sr:", string.Empty, StringComparison.Ordinal)}</Request>", DuisReadStatus.NotDuis, "<Request");
        ReadFails($"""<sr:Alert xmlns:sr="{Sug}"/>""", DuisReadStatus.NotDuis, "<sr:Alert");
    }

    [Fact]
    public void An_undeclared_prefix_is_rejected()
    {
        ReadFails("<sr:Request><sr:Header/></sr:Request>", DuisReadStatus.UndeclaredPrefix, "sr:Request");
        ReadFails(RequestWith(GoodRequestHeader(), "<y:Thing/>"), DuisReadStatus.UndeclaredPrefix, "y:Thing");
        ReadFails(RequestWith(GoodRequestHeader(), "<sr:Thing z:attr='1'/>"), DuisReadStatus.UndeclaredPrefix, "z:attr");
        // A prefix declared on a sibling is out of scope.
        ReadFails(RequestWith(GoodRequestHeader(), $"<sr:A xmlns:p='{Sug}'/><p:B/>"), DuisReadStatus.UndeclaredPrefix, "p:B");
    }

    [Fact]
    public void Nested_redeclarations_are_scoped()
    {
        // Inside Header, sr: means another namespace, so this RequestID is not the gateway's...
        var rebound = $"<sr:RequestID xmlns:sr='urn:other'>{Rid}</sr:RequestID>"
            + "<sr:CommandVariant>1</sr:CommandVariant><sr:ServiceReference>4.1</sr:ServiceReference><sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>";
        ReadFails(RequestWith(rebound), DuisReadStatus.MissingRequestId, "<sr:Header>");

        // ...and once that element closes, sr: is the gateway's again.
        var restored = $"<sr:RequestID xmlns:sr='urn:other'>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A4:1</sr:RequestID>" + GoodRequestHeader();
        var h = ReadOk(RequestWith(restored));
        Assert.Equal(ExpectedRid, h.RequestId);

        // A default namespace undeclared with xmlns="" leaves unprefixed names in no namespace.
        var undeclared = $"""<Request xmlns="{Sug}" schemaVersion="5.4"><Header><RequestID xmlns="">{Rid}</RequestID></Header><Body><X/></Body></Request>""";
        ReadFails(undeclared, DuisReadStatus.MissingRequestId, "<Header>");
    }

    [Fact]
    public void Device_alert_with_throttling_fields()
    {
        var body = "<sr:DeviceAlertMessage><sr:AlertCode>8F35</sr:AlertCode><sr:ThrottledAlertSequenceId>7</sr:ThrottledAlertSequenceId>"
            + "<sr:ThrottledAlertCount>4294967295</sr:ThrottledAlertCount><sr:GBCSPayload>3QAAAAAAAFURAAAAAN8J</sr:GBCSPayload></sr:DeviceAlertMessage>";
        var header = "<sr:ResponseID>00-DB-12-34-56-78-90-A4:90-B3-D5-1F-30-01-00-00:77</sr:ResponseID>"
            + "<sr:ResponseCode>I0</sr:ResponseCode><sr:ResponseDateTime>2024-03-01T10:00:00.5+01:00</sr:ResponseDateTime>";

        var h = ReadOk(ResponseWith(header, body));

        Assert.Equal(DuisBodyKind.DeviceAlertMessage, h.BodyKind);
        Assert.Equal(new DeviceAlertCode(0x8F35), h.DeviceAlertCode);
        Assert.True(h.HasThrottledAlertSequenceId && h.HasThrottledAlertCount);
        Assert.Equal(7u, h.ThrottledAlertSequenceId);
        Assert.Equal(uint.MaxValue, h.ThrottledAlertCount);
        Assert.False(h.HasRequestId);
        Assert.False(h.HasDccAlertCode || h.HasServiceReference);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 0, 500, TimeSpan.FromHours(1)), h.ResponseDateTime);
    }

    [Fact]
    public void Dcc_alert_with_throttling_fields()
    {
        var body = "<sr:DCCAlertMessage><sr:DCCAlertCode>N24</sr:DCCAlertCode><sr:ThrottledAlertSequenceId>0012</sr:ThrottledAlertSequenceId>"
            + "<sr:ThrottledAlertCount>3</sr:ThrottledAlertCount><sr:DCCAlert><sr:PowerOutageEvent><sr:ServiceReference>9.9</sr:ServiceReference></sr:PowerOutageEvent></sr:DCCAlert></sr:DCCAlertMessage>";

        var h = ReadOk(ResponseWith(GoodResponseHeader(), body));

        Assert.Equal(DuisBodyKind.DccAlertMessage, h.BodyKind);
        Assert.Equal(new DccAlertCode(DccAlertCodeKind.N, 24), h.DccAlertCode);
        Assert.Equal(12u, h.ThrottledAlertSequenceId);
        Assert.Equal(3u, h.ThrottledAlertCount);
        Assert.False(h.HasServiceReference);
    }

    [Fact]
    public void Throttling_values_take_the_xsd_unsigned_int_forms()
    {
        // xs:unsignedInt allows a '+' sign and leading zeros; System.Xml's XmlConvert refuses the sign, so no oracle here.
        var body = "<sr:DCCAlertMessage><sr:DCCAlertCode>N24</sr:DCCAlertCode><sr:ThrottledAlertSequenceId>+12</sr:ThrottledAlertSequenceId>"
            + "<sr:ThrottledAlertCount>000</sr:ThrottledAlertCount><sr:DCCAlert/></sr:DCCAlertMessage>";

        var (status, h) = Read(ResponseWith(GoodResponseHeader(), body));

        Assert.Equal(DuisReadStatus.Ok, status);
        Assert.Equal(12u, h.ThrottledAlertSequenceId);
        Assert.Equal(0u, h.ThrottledAlertCount);
        Assert.True(h.HasThrottledAlertCount);
    }

    [Theory]
    [InlineData("<?xml version='1.0'?>", true)]
    [InlineData("<?xml version=\"1.0\" encoding='utf-8' standalone='yes' ?>", true)]
    [InlineData("<?xml version='1.1'?>", false)]
    [InlineData("<?xml  version = '1.0'\n encoding = \"UTF-8\"?>", true)]
    [InlineData("<?xml?>", false)]
    [InlineData("<?xml    ?>", false)]
    [InlineData("<?xml encoding='UTF-8'?>", false)]
    [InlineData("<?xml version='2.0'?>", false)]
    [InlineData("<?xml version='1.0' standalone='maybe'?>", false)]
    [InlineData("<?xml version='1.0' standalone='no' encoding='UTF-8'?>", false)]
    [InlineData("<?xml version='1.0'encoding='UTF-8'?>", false)]
    [InlineData("<?xml version='1.0' encoding='8bit'?>", false)]
    [InlineData("<?XML version='1.0'?>", false)]
    public void Xml_declaration_syntax_is_checked(string declaration, bool valid)
    {
        var xml = declaration + RequestWith(GoodRequestHeader());
        if (valid)
        {
            ReadOk(xml);
        }
        else
        {
            ReadFails(xml, DuisReadStatus.BadProcessingInstruction, "<?");
        }
    }

    [Fact]
    public void Alert_without_throttling_has_no_throttling_flags()
    {
        var h = ReadOk(ResponseWith(GoodResponseHeader(), "<sr:DCCAlertMessage><sr:DCCAlertCode>AD1</sr:DCCAlertCode><sr:DCCAlert/></sr:DCCAlertMessage>"));

        Assert.Equal(new DccAlertCode(DccAlertCodeKind.AD, 1), h.DccAlertCode);
        Assert.False(h.HasThrottledAlertSequenceId || h.HasThrottledAlertCount);
    }

    [Fact]
    public void Smets1_response_inner_header_does_not_override_the_outer_fields()
    {
        var inner = $"""
            <sr:SMETS1SignedResponse schemaVersion="5.4"><sr:SMETS1Response>
              <sr:Header xmlns:ra="{Ra}"><ra:BusinessOriginatorID>88-73-84-57-00-2F-96-1E</ra:BusinessOriginatorID>
                <ra:BusinessTargetID>90-B3-D5-1F-30-01-00-00</ra:BusinessTargetID><ra:OriginatorCounter>5</ra:OriginatorCounter>
                <sr:RequestID>11-11-11-11-11-11-11-11:22-22-22-22-22-22-22-22:9</sr:RequestID><sr:ResponseCode>E19</sr:ResponseCode></sr:Header>
              <sr:Body><sr:ResponseMessage><sr:ServiceReference>1.1</sr:ServiceReference><sr:ServiceReferenceVariant>1.1.1</sr:ServiceReferenceVariant></sr:ResponseMessage></sr:Body>
            </sr:SMETS1Response><ds:Signature xmlns:ds="{Dsig}"><ds:SignedInfo/></ds:Signature></sr:SMETS1SignedResponse>
            """;
        var body = "<sr:SMETS1ResponseMessage><sr:ServiceReference>4.1</sr:ServiceReference><sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>"
            + "<sr:DSPScheduleID>12</sr:DSPScheduleID><sr:ThrottledAlertSequenceId>2</sr:ThrottledAlertSequenceId>" + inner + "</sr:SMETS1ResponseMessage>";

        var h = ReadOk(ResponseWith(GoodResponseHeader(), body));

        Assert.Equal(DuisBodyKind.Smets1ResponseMessage, h.BodyKind);
        Assert.Equal(ExpectedRid, h.RequestId);
        Assert.Equal(ResponseCode.Success, h.ResponseCode);
        Assert.Equal(new ServiceReferenceVariant(4, 1, 1), h.ServiceReferenceVariant);
        Assert.Equal(2u, h.ThrottledAlertSequenceId);
        // The inner signature belongs to the SMETS1 service provider's response, not to this message.
        Assert.False(h.HasSignature);
    }

    [Fact]
    public void First_header_field_wins_and_later_duplicates_are_ignored()
    {
        var h = ReadOk(RequestWith(GoodRequestHeader() + "<sr:RequestID>not even an id</sr:RequestID>"));

        Assert.Equal(ExpectedRid, h.RequestId);
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_too_deep()
    {
        var deep = string.Concat(Enumerable.Repeat("<sr:n>", 70)) + string.Concat(Enumerable.Repeat("</sr:n>", 70));

        ReadFails(RequestWith(GoodRequestHeader(), deep), DuisReadStatus.TooDeep, "<sr:n>", DuisHeaderReader.MaxDepth - 2);
    }

    [Fact]
    public void Attribute_and_namespace_limits_are_reported()
    {
        var attributes = string.Concat(Enumerable.Range(0, DuisHeaderReader.MaxAttributes + 1).Select(i => $" a{i}='{i}'"));
        ReadFails(RequestWith(GoodRequestHeader(), $"<sr:A{attributes}/>"), DuisReadStatus.TooManyAttributes, $"a{DuisHeaderReader.MaxAttributes}=");

        // Declarations pile up along one branch; the one past the limit is named.
        var open = string.Concat(Enumerable.Range(0, 40).Select(i => $"<sr:n xmlns:p{i}a='urn:{i}' xmlns:p{i}b='urn:{i}'>"));
        var close = string.Concat(Enumerable.Repeat("</sr:n>", 40));
        ReadFails(RequestWith(GoodRequestHeader(), open + close), DuisReadStatus.TooManyNamespaceDeclarations, "xmlns:p31b");
    }

    [Theory]
    [InlineData("", DuisReadStatus.Empty)]
    [InlineData(" \r\n\t", DuisReadStatus.Empty)]
    [InlineData("{\"json\": true}", DuisReadStatus.NotXml)]
    [InlineData("<!-- only a comment -->", DuisReadStatus.UnexpectedEnd)]
    public void Not_a_document(string text, DuisReadStatus expected)
    {
        var status = DuisHeaderReader.TryRead(Encoding.UTF8.GetBytes(text), out var header);

        Assert.Equal(expected, status);
        Assert.True(header.ErrorOffset >= 0);
        Assert.True(status.IsXmlError());
    }

    [Fact]
    public void Utf16_is_not_xml_for_duis()
    {
        var status = DuisHeaderReader.TryRead(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(RequestWith(GoodRequestHeader()))).ToArray(), out _);

        Assert.Equal(DuisReadStatus.NotXml, status);
    }

    public static TheoryData<string, DuisReadStatus, string> MalformedCases() => new()
    {
        { RequestWith(GoodRequestHeader(), "<sr:A></sr:B>"), DuisReadStatus.MismatchedEndTag, "</sr:B>" },
        { RequestWith(GoodRequestHeader(), "<sr:A b=1/>"), DuisReadStatus.BadAttribute, "1/>" },
        { RequestWith(GoodRequestHeader(), "<sr:A b='1'c='2'/>"), DuisReadStatus.BadAttribute, "c='2'" },
        { RequestWith(GoodRequestHeader(), "<sr:A b='<'/>"), DuisReadStatus.BadAttribute, "<'/>" },
        { RequestWith(GoodRequestHeader(), "<sr:A b='1' b='2'/>"), DuisReadStatus.DuplicateAttribute, "b='2'" },
        { RequestWith(GoodRequestHeader(), "<sr:A>&#xZZ;</sr:A>"), DuisReadStatus.BadCharacterReference, "&#xZZ;" },
        { RequestWith(GoodRequestHeader(), "<sr:A>&#0;</sr:A>"), DuisReadStatus.BadCharacterReference, "&#0;" },
        { RequestWith(GoodRequestHeader(), "<sr:A>&#1114112;</sr:A>"), DuisReadStatus.BadCharacterReference, "&#1114112;" },
        { RequestWith(GoodRequestHeader(), "<sr:A b='&#x;'/>"), DuisReadStatus.BadCharacterReference, "&#x;" },
        { RequestWith(GoodRequestHeader(), "<sr:A>a & b</sr:A>"), DuisReadStatus.BadCharacterReference, "& b" },
        { RequestWith(GoodRequestHeader(), "<sr:A>&nbsp;</sr:A>"), DuisReadStatus.UndefinedEntity, "&nbsp;" },
        { RequestWith(GoodRequestHeader(), "<sr:A>a ]]> b</sr:A>"), DuisReadStatus.Malformed, "]]>" },
        { RequestWith(GoodRequestHeader(), "<sr:A><!-- a -- b --></sr:A>"), DuisReadStatus.BadComment, "-- b" },
        { RequestWith(GoodRequestHeader(), "<sr:A><?xml version='1.0'?></sr:A>"), DuisReadStatus.BadProcessingInstruction, "<?xml" },
        { " <?xml version='1.0'?>" + RequestWith(GoodRequestHeader()), DuisReadStatus.BadProcessingInstruction, "<?xml" },
        { RequestWith(GoodRequestHeader(), "<sr:A>\u0001</sr:A>"), DuisReadStatus.InvalidCharacter, "\u0001" },
        { RequestWith(GoodRequestHeader(), "<sr:A>\uFFFE</sr:A>"), DuisReadStatus.InvalidCharacter, "\uFFFE" },
        { RequestWith(GoodRequestHeader(), "<sr:A>< b</sr:A>"), DuisReadStatus.Malformed, "< b" },
        { RequestWith(GoodRequestHeader(), "<sr:1A/>"), DuisReadStatus.BadName, "sr:1A" },
        { RequestWith(GoodRequestHeader(), "<sr:A:B/>"), DuisReadStatus.BadName, "sr:A:B" },
        { RequestWith(GoodRequestHeader(), "<sr:A xmlns:p=''/>"), DuisReadStatus.BadNamespaceDeclaration, "xmlns:p" },
        { RequestWith(GoodRequestHeader(), "<sr:A xmlns:xmlns='urn:x'/>"), DuisReadStatus.BadNamespaceDeclaration, "xmlns:xmlns" },
        { RequestWith(GoodRequestHeader()) + "text", DuisReadStatus.ContentOutsideRoot, "text" },
        { RequestWith(GoodRequestHeader()) + "<again/>", DuisReadStatus.ContentOutsideRoot, "<again/>" },
        { "</sr:Request>", DuisReadStatus.MismatchedEndTag, "</sr:Request>" },
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Malformed_xml_names_the_error_and_its_offset(string xml, DuisReadStatus expected, string at)
    {
        ReadFails(xml, expected, at);
    }

    [Fact]
    public void Invalid_utf8_is_rejected_at_its_offset()
    {
        var bytes = Encoding.UTF8.GetBytes(RequestWith(GoodRequestHeader(), "<sr:A>xx</sr:A>"));
        var at = Array.IndexOf(bytes, (byte)'x');
        bytes[at] = 0xC3;

        var status = DuisHeaderReader.TryRead(bytes, out var header);

        Assert.Equal(DuisReadStatus.InvalidUtf8, status);
        Assert.Equal(at, header.ErrorOffset);
    }

    public static TheoryData<string, DuisReadStatus, string> BadFieldCases() => new()
    {
        { RequestWith(GoodRequestHeader(rid: "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A4:01")), DuisReadStatus.BadRequestId, "<sr:RequestID>" },
        { RequestWith(GoodRequestHeader(cv: "9")), DuisReadStatus.BadCommandVariant, "<sr:CommandVariant>" },
        { RequestWith(GoodRequestHeader(cv: "x")), DuisReadStatus.BadCommandVariant, "<sr:CommandVariant>" },
        { RequestWith(GoodRequestHeader(sr: "4.1.1")), DuisReadStatus.BadServiceReference, "<sr:ServiceReference>" },
        { RequestWith(GoodRequestHeader(srv: "4..1")), DuisReadStatus.BadServiceReferenceVariant, "<sr:ServiceReferenceVariant>" },
        { RequestWith(GoodRequestHeader(srv: "4.1<sr:x/>.1")), DuisReadStatus.BadServiceReferenceVariant, "<sr:ServiceReferenceVariant>" },
        { RequestWith("<sr:CommandVariant>1</sr:CommandVariant>"), DuisReadStatus.MissingRequestId, "<sr:Header>" },
        { RequestWith($"<sr:RequestID>{Rid}</sr:RequestID>"), DuisReadStatus.MissingCommandVariant, "<sr:Header>" },
        { RequestWith(GoodRequestHeader(), string.Empty), DuisReadStatus.MissingBody, "<sr:Body>" },
        { RequestWith(GoodRequestHeader(), Future("2030-01-15T09:00:00+25:00")), DuisReadStatus.BadExecutionDateTime, "<sr:ExecutionDateTime>" },
        { RequestWith(GoodRequestHeader(), Future("2030-01-15T09:00:00-99:99")), DuisReadStatus.BadExecutionDateTime, "<sr:ExecutionDateTime>" },
        { RequestWith(GoodRequestHeader(), Future("2030-01-15T09:00:00+14:01")), DuisReadStatus.BadExecutionDateTime, "<sr:ExecutionDateTime>" },
        { RequestWith(GoodRequestHeader(), Future("2030-02-30T09:00:00Z")), DuisReadStatus.BadExecutionDateTime, "<sr:ExecutionDateTime>" },
        { ResponseWith(GoodResponseHeader(code: "X1"), "<sr:ResponseMessage/>"), DuisReadStatus.BadResponseCode, "<sr:ResponseCode>" },
        { ResponseWith(GoodResponseHeader(when: "2024-02-30T10:00:00Z"), "<sr:ResponseMessage/>"), DuisReadStatus.BadDateTime, "<sr:ResponseDateTime>" },
        { ResponseWith(GoodResponseHeader(when: "2024-02-01T10:00Z"), "<sr:ResponseMessage/>"), DuisReadStatus.BadDateTime, "<sr:ResponseDateTime>" },
        { ResponseWith(GoodResponseHeader(when: "2024-02-01T10:00:00+15:00"), "<sr:ResponseMessage/>"), DuisReadStatus.BadDateTime, "<sr:ResponseDateTime>" },
        { ResponseWith(GoodResponseHeader(when: "2024-02-01T24:00:00Z"), "<sr:ResponseMessage/>"), DuisReadStatus.BadDateTime, "<sr:ResponseDateTime>" },
        { ResponseWith(GoodResponseHeader(when: "0001-01-01T00:00:00+01:00"), "<sr:ResponseMessage/>"), DuisReadStatus.BadDateTime, "<sr:ResponseDateTime>" },
        { ResponseWith(GoodResponseHeader(when: "10000-01-01T00:00:00Z"), "<sr:ResponseMessage/>"), DuisReadStatus.BadDateTime, "<sr:ResponseDateTime>" },
        { ResponseWith(GoodResponseHeader() + "<sr:ResponseID>1:2:3</sr:ResponseID>", "<sr:ResponseMessage/>"), DuisReadStatus.BadResponseId, "<sr:ResponseID>" },
        { ResponseWith($"<sr:ResponseCode>I0</sr:ResponseCode>", "<sr:ResponseMessage/>"), DuisReadStatus.MissingResponseDateTime, "<sr:Header>" },
        { ResponseWith($"<sr:ResponseDateTime>2024-03-01T10:00:00Z</sr:ResponseDateTime>", "<sr:ResponseMessage/>"), DuisReadStatus.MissingResponseCode, "<sr:Header>" },
        { ResponseWith(GoodResponseHeader(), "<sr:DeviceAlertMessage><sr:AlertCode>8F3</sr:AlertCode></sr:DeviceAlertMessage>"), DuisReadStatus.BadAlertCode, "<sr:AlertCode>" },
        { ResponseWith(GoodResponseHeader(), "<sr:DCCAlertMessage><sr:DCCAlertCode>X24</sr:DCCAlertCode></sr:DCCAlertMessage>"), DuisReadStatus.BadAlertCode, "<sr:DCCAlertCode>" },
        { ResponseWith(GoodResponseHeader(), "<sr:DeviceAlertMessage><sr:GBCSPayload/></sr:DeviceAlertMessage>"), DuisReadStatus.MissingAlertCode, "<sr:DeviceAlertMessage>" },
        { ResponseWith(GoodResponseHeader(), "<sr:DCCAlertMessage><sr:DCCAlertCode>N1</sr:DCCAlertCode><sr:ThrottledAlertSequenceId>-1</sr:ThrottledAlertSequenceId></sr:DCCAlertMessage>"), DuisReadStatus.BadThrottledAlertSequenceId, "<sr:ThrottledAlertSequenceId>" },
        { ResponseWith(GoodResponseHeader(), "<sr:DCCAlertMessage><sr:DCCAlertCode>N1</sr:DCCAlertCode><sr:ThrottledAlertCount>4294967296</sr:ThrottledAlertCount></sr:DCCAlertMessage>"), DuisReadStatus.BadThrottledAlertCount, "<sr:ThrottledAlertCount>" },
    };

    [Theory]
    [MemberData(nameof(BadFieldCases))]
    public void Bad_or_missing_fields_name_the_field_and_its_element(string xml, DuisReadStatus expected, string at)
    {
        ReadFails(xml, expected, at);
        Assert.True(expected.IsDuisError());
    }

    [Theory]
    [InlineData("cv", "0")]
    [InlineData("cv", "9")]
    [InlineData("rid", "90-B3-D5-1F-30-01-00-00")]
    [InlineData("sr", "x")]
    public void Fields_after_a_bad_one_are_still_read(string field, string value)
    {
        // A DUIS error response echoes the RequestID and names the Service Reference Variant, whatever was bad.
        var header = field switch
        {
            "cv" => GoodRequestHeader(cv: value),
            "rid" => GoodRequestHeader(rid: value),
            _ => GoodRequestHeader(sr: value),
        };

        var (status, h) = Read(RequestWith(header, Future("2030-01-15T09:00:00Z")));

        Assert.True(status.IsDuisError(), status.ToString());
        Assert.Equal(field != "rid", h.HasRequestId);
        Assert.Equal(field != "cv", h.HasCommandVariant);
        Assert.Equal(field != "sr", h.HasServiceReference);
        Assert.True(h.HasServiceReferenceVariant);
        Assert.Equal(ServiceReferenceVariant.Parse("4.1.1"), h.ServiceReferenceVariant);
        Assert.True(h.HasExecutionDateTime);
    }

    [Fact]
    public void The_first_bad_field_is_the_one_reported()
    {
        var (status, h) = Read(RequestWith(GoodRequestHeader(cv: "0", srv: "4..1")));

        Assert.Equal(DuisReadStatus.BadCommandVariant, status);
        Assert.Equal(RequestWith(GoodRequestHeader(cv: "0", srv: "4..1")).IndexOf("<sr:CommandVariant>", StringComparison.Ordinal), h.ErrorOffset);
        Assert.False(h.HasServiceReferenceVariant);
    }

    [Theory]
    [InlineData("2030-01-15T09:00:00.00Z")]
    [InlineData("2030-01-15T09:00:00+14:00")]
    [InlineData("2030-01-15T09:00:00-14:00")]
    [InlineData("3000-12-31T00:00:00.00Z")]
    public void A_requests_execution_date_time_is_read(string when)
    {
        var (status, h) = Read(RequestWith(GoodRequestHeader(), Future(when)));

        Assert.Equal(DuisReadStatus.Ok, status);
        Assert.True(h.HasExecutionDateTime);
        Assert.Equal(XmlConvert.ToDateTimeOffset(when), h.ExecutionDateTime);
    }

    [Fact]
    public void An_execution_date_time_below_the_body_element_is_not_the_requests()
    {
        var (status, h) = Read(RequestWith(GoodRequestHeader(), "<sr:A><sr:B><sr:ExecutionDateTime>x</sr:ExecutionDateTime></sr:B></sr:A>"));

        Assert.Equal(DuisReadStatus.Ok, status);
        Assert.False(h.HasExecutionDateTime);
    }

    [Theory]
    [InlineData("2022-08-17T15:45:42.790Z")]
    [InlineData("2022-08-17T15:45:42Z")]
    [InlineData("2022-08-17T15:45:42.1234567Z")]
    [InlineData("2022-08-17T15:45:42.123456789Z")]
    [InlineData("2022-08-17T15:45:42.9999999999+05:30")]
    [InlineData("2022-08-17T15:45:42-14:00")]
    [InlineData("2024-02-29T00:00:00+14:00")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void Response_date_time_agrees_with_System_Xml(string when)
    {
        var (status, h) = Read(ResponseWith(GoodResponseHeader(when: when), "<sr:ResponseMessage/>"));

        Assert.Equal(DuisReadStatus.Ok, status);
        Assert.Equal(XmlConvert.ToDateTimeOffset(when), h.ResponseDateTime);
        Assert.Equal(XmlConvert.ToDateTimeOffset(when).Offset, h.ResponseDateTime.Offset);
    }

    [Fact]
    public void Response_date_time_without_a_zone_is_utc()
    {
        var (status, h) = Read(ResponseWith(GoodResponseHeader(when: "2022-08-17T15:45:42.79"), "<sr:ResponseMessage/>"));

        Assert.Equal(DuisReadStatus.Ok, status);
        Assert.Equal(new DateTimeOffset(2022, 8, 17, 15, 45, 42, 790, TimeSpan.Zero), h.ResponseDateTime);
        Assert.Equal(TimeSpan.Zero, h.ResponseDateTime.Offset);
    }

    [Fact]
    public void Unknown_response_body_is_other()
    {
        var h = ReadOk(ResponseWith(GoodResponseHeader(), "<sr:FutureBodyKind><sr:ServiceReference>4.1</sr:ServiceReference></sr:FutureBodyKind>"));

        Assert.Equal(DuisBodyKind.Other, h.BodyKind);
        Assert.False(h.HasServiceReference);
    }
}
