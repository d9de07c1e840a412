using System.Buffers;
using System.Globalization;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Templates;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Duis.Tests.Validation;

namespace CapacitySim.Duis.Tests.Templates;

public class RequestTemplateTests
{
    private const string Sug = DuisNamespaces.ServiceUserGateway;
    private const string ReadRegisters = "ECS17b_4.1.1_REQUEST_DUIS.XML";
    private const string FutureDated = "ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS_REQUEST_DUIS.XML";

    /// <summary>New slot values: another supplier, another device, the largest counter the schema allows.</summary>
    private static readonly RequestId NewRequestId = new(
        new Eui64(0x90B3D51F30020000UL), new Eui64(0x00DB1234567890FFUL), ulong.MaxValue);

    /// <summary>A new execution time with sub-second digits and a non-UTC offset, to exercise conversion and truncation.</summary>
    private static readonly DateTimeOffset NewExecution =
        new DateTimeOffset(2031, 6, 30, 23, 59, 58, TimeSpan.FromHours(1)).AddTicks(1_234_567);

    public static TheoryData<string> SignedSampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(SharedDuis.SignedSamples).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SharedDuis.RequestSampleNames), MemberType = typeof(SharedDuis))]
    public void Every_request_sample_round_trips_to_its_canonical_form_and_validates(string name)
        => AssertRoundTrip(Path.Combine(SharedDuis.RequestSamples, name));

    [Theory]
    [MemberData(nameof(SignedSampleNames))]
    public void Every_signed_sample_compiles_without_its_signature_and_round_trips(string name)
    {
        var path = Path.Combine(SharedDuis.SignedSamples, name);
        Assert.Contains("<ds:Signature>", File.ReadAllText(path), StringComparison.Ordinal);
        var rendered = AssertRoundTrip(path);
        Assert.DoesNotContain("Signature", Encoding.UTF8.GetString(rendered), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SharedDuis.RequestSampleNames), MemberType = typeof(SharedDuis))]
    public void Header_metadata_is_read_at_compile_time(string name)
    {
        var path = Path.Combine(SharedDuis.RequestSamples, name);
        var template = RequestTemplate.CompileFile(path);
        var source = LoadDocument(File.ReadAllBytes(path));

        Assert.Equal(path, template.SourceName);
        Assert.Equal(Text(source, "/sr:Request/sr:Header/sr:RequestID"), template.OriginalRequestId.ToString());
        Assert.Equal(Text(source, "/sr:Request/sr:Header/sr:CommandVariant"), ((byte)template.CommandVariant).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Text(source, "/sr:Request/sr:Header/sr:ServiceReference"), template.ServiceReference.ToString());
        Assert.Equal(Text(source, "/sr:Request/sr:Header/sr:ServiceReferenceVariant"), template.ServiceReferenceVariant.ToString());
        Assert.Equal(source.SelectSingleNode("/sr:Request/sr:Body/*", Namespaces(source))!.LocalName, template.BodyElementName);

        var execution = ExecutionText(source);
        Assert.Equal(execution is not null, template.HasExecutionDateTime);
        Assert.Equal(execution is null ? null : DateTimeOffset.Parse(execution, CultureInfo.InvariantCulture), template.OriginalExecutionDateTime);
    }

    [Fact]
    public void Metadata_of_a_known_sample_is_typed()
    {
        var template = RequestTemplate.CompileFile(Path.Combine(SharedDuis.RequestSamples, FutureDated));
        Assert.Equal(CommandVariant.CriticalTransform, template.CommandVariant);
        Assert.Equal(new ServiceReference(1, 1), template.ServiceReference);
        Assert.Equal(new ServiceReferenceVariant(1, 1, 1), template.ServiceReferenceVariant);
        Assert.Equal("UpdateImportTariffPrimaryElement", template.BodyElementName);
        Assert.True(template.HasExecutionDateTime);
        Assert.Equal(new DateTimeOffset(2030, 1, 15, 9, 0, 0, TimeSpan.Zero), template.OriginalExecutionDateTime);
        Assert.Equal(2, template.ExecutionDateTimeFractionDigits);
    }

    [Theory]
    [MemberData(nameof(SharedDuis.RequestSampleNames), MemberType = typeof(SharedDuis))]
    public void New_slot_values_change_exactly_those_texts_and_still_validate(string name)
    {
        var path = Path.Combine(SharedDuis.RequestSamples, name);
        var sourceBytes = File.ReadAllBytes(path);
        var source = LoadDocument(sourceBytes);
        var originalRequestId = Text(source, "/sr:Request/sr:Header/sr:RequestID");
        var originalExecution = ExecutionText(source);
        var template = RequestTemplate.CompileFile(path);

        var writer = new ArrayBufferWriter<byte>();
        var slots = new RequestSlots(NewRequestId, template.HasExecutionDateTime ? NewExecution : null);
        var length = template.Render(slots, writer);
        var rendered = writer.WrittenSpan.ToArray();
        Assert.Equal(rendered.Length, length);
        Assert.True(length <= template.RenderedLengthUpperBound);

        var result = LoadDocument(rendered);
        Assert.Equal("90-B3-D5-1F-30-02-00-00:00-DB-12-34-56-78-90-FF:18446744073709551615", Text(result, "/sr:Request/sr:Header/sr:RequestID"));
        if (originalExecution is not null)
        {
            Assert.Equal(ExpectedExecutionText(NewExecution, originalExecution), ExecutionText(result));
        }

        // Putting the original texts back must give the original canonical form: nothing else moved.
        SetText(result, "/sr:Request/sr:Header/sr:RequestID", originalRequestId);
        if (originalExecution is not null)
        {
            SetText(result, "/sr:Request/sr:Body/*/sr:ExecutionDateTime", originalExecution);
        }

        Assert.Equal(Encoding.UTF8.GetString(ExpectedCanonical(sourceBytes)), Encoding.UTF8.GetString(Canonicalize(result)));

        // Still canonical (the signing contract) and still valid DUIS.
        Assert.Equal(Encoding.UTF8.GetString(rendered), Encoding.UTF8.GetString(Canonicalize(LoadDocument(rendered))));
        Assert.Empty(DuisSchemaTests.Shared.Validate(rendered));
    }

    [Fact]
    public void An_execution_time_keeps_the_sample_precision_in_UTC()
    {
        var template = RequestTemplate.CompileFile(Path.Combine(SharedDuis.RequestSamples, FutureDated));
        var writer = new ArrayBufferWriter<byte>();
        template.Render(new RequestSlots(template.OriginalRequestId, NewExecution), writer);
        Assert.Contains(">2031-06-30T22:59:58.12Z<", Encoding.UTF8.GetString(writer.WrittenSpan), StringComparison.Ordinal);

        // Without an execution time the original one is kept.
        writer.ResetWrittenCount();
        template.Render(new RequestSlots(NewRequestId), writer);
        Assert.Contains(">2030-01-15T09:00:00.00Z<", Encoding.UTF8.GetString(writer.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void An_execution_time_for_a_request_without_one_is_refused()
    {
        var template = RequestTemplate.CompileFile(Path.Combine(SharedDuis.RequestSamples, ReadRegisters));
        Assert.False(template.HasExecutionDateTime);
        var writer = new ArrayBufferWriter<byte>();
        var ex = Assert.Throws<ArgumentException>(() => template.Render(new RequestSlots(NewRequestId, NewExecution), writer));
        Assert.Contains("no ExecutionDateTime", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void Rendering_allocates_nothing()
    {
        foreach (var name in new[] { ReadRegisters, FutureDated })
        {
            var template = RequestTemplate.CompileFile(Path.Combine(SharedDuis.RequestSamples, name));
            var writer = new ArrayBufferWriter<byte>(template.RenderedLengthUpperBound);
            var id = template.OriginalRequestId;
            DateTimeOffset? execution = template.HasExecutionDateTime ? NewExecution : null;
            template.Render(new RequestSlots(id, execution), writer);

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 1; i <= 1000; i++)
            {
                writer.ResetWrittenCount();
                template.Render(new RequestSlots(id with { Counter = id.Counter + (ulong)i }, execution?.AddMinutes(i)), writer);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
            Assert.Contains($":{id.Counter + 1000}</", Encoding.UTF8.GetString(writer.WrittenSpan), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_DTD_is_refused_naming_the_source()
    {
        var xml = SampleText(ReadRegisters).Replace(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE sr:Request [<!ENTITY e \"x\">]>",
            StringComparison.Ordinal);
        var ex = Assert.Throws<DuisTemplateException>(() => RequestTemplate.Compile(Encoding.UTF8.GetBytes(xml), "with-dtd.xml"));
        Assert.StartsWith("DUIS request template 'with-dtd.xml': the document has a DTD", ex.Message, StringComparison.Ordinal);
        Assert.Equal("with-dtd.xml", ex.SourceName);
    }

    [Fact]
    public void A_response_is_not_a_request()
    {
        var path = Path.Combine(SharedDuis.ResponseSamples, "11.2_E65_error.xml");
        var ex = Assert.Throws<DuisTemplateException>(() => RequestTemplate.CompileFile(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Response>", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a DUIS Request", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_RequestID_is_reported()
    {
        var xml = SampleText(ReadRegisters).Replace(
            "<sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000</sr:RequestID>", string.Empty, StringComparison.Ordinal);
        var ex = Assert.Throws<DuisTemplateException>(() => RequestTemplate.Compile(Encoding.UTF8.GetBytes(xml), "no-id.xml"));
        Assert.Equal("DUIS request template 'no-id.xml': the Header has no RequestID element.", ex.Message);
    }

    [Theory]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:01000")]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0")]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551616")]
    public void An_unparsable_RequestID_is_reported_with_its_text(string requestId)
    {
        var xml = SampleText(ReadRegisters).Replace(
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000", requestId, StringComparison.Ordinal);
        var ex = Assert.Throws<DuisTemplateException>(() => RequestTemplate.Compile(Encoding.UTF8.GetBytes(xml), "bad-id.xml"));
        Assert.StartsWith($"DUIS request template 'bad-id.xml': RequestID '{requestId}' is not originator EUI:target EUI:counter", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_XML_is_reported()
    {
        var ex = Assert.Throws<DuisTemplateException>(() => RequestTemplate.Compile("RequestID=1"u8, "plain.txt"));
        Assert.StartsWith("DUIS request template 'plain.txt': not well-formed XML:", ex.Message, StringComparison.Ordinal);
        Assert.IsType<XmlException>(ex.InnerException);
    }

    [Fact]
    public void An_execution_time_without_a_time_zone_is_reported()
    {
        var xml = SampleText(FutureDated).Replace("2030-01-15T09:00:00.00Z", "2030-01-15T09:00:00.00", StringComparison.Ordinal);
        var ex = Assert.Throws<DuisTemplateException>(() => RequestTemplate.Compile(Encoding.UTF8.GetBytes(xml), "local-time.xml"));
        Assert.StartsWith("DUIS request template 'local-time.xml': ExecutionDateTime '2030-01-15T09:00:00.00' is not an xs:dateTime", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Padded_and_lower_case_slot_texts_render_in_the_canonical_upper_case_UTC_form()
    {
        var xml = SampleText(FutureDated)
            .Replace("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1008", "\n  90-b3-d5-1f-30-01-00-00:00-db-12-34-56-78-90-a0:1008 ", StringComparison.Ordinal)
            .Replace("2030-01-15T09:00:00.00Z", "2030-01-15T10:00:00.00+01:00", StringComparison.Ordinal);
        Assert.Contains("90-b3-d5", xml, StringComparison.Ordinal);
        var template = RequestTemplate.Compile(Encoding.UTF8.GetBytes(xml), "padded.xml");
        var writer = new ArrayBufferWriter<byte>();
        template.Render(template.OriginalSlots, writer);
        var rendered = Encoding.UTF8.GetString(writer.WrittenSpan);
        Assert.Contains("<sr:RequestID>\n  90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1008 </sr:RequestID>", rendered, StringComparison.Ordinal);
        Assert.Contains("<sr:ExecutionDateTime>2030-01-15T09:00:00.00Z</sr:ExecutionDateTime>", rendered, StringComparison.Ordinal);
        Assert.Equal(rendered, Encoding.UTF8.GetString(template.OriginalCanonicalForm.Span));
        Assert.Empty(DuisSchemaTests.Shared.Validate(writer.WrittenSpan));
    }

    /// <summary>
    /// Compiles <paramref name="path"/>, renders its original slots and checks the result against an independent
    /// exclusive canonicalization of the source without its signature, and against the schema.
    /// </summary>
    private static byte[] AssertRoundTrip(string path)
    {
        var sourceBytes = File.ReadAllBytes(path);
        var template = RequestTemplate.CompileFile(path);
        var writer = new ArrayBufferWriter<byte>();
        var length = template.Render(template.OriginalSlots, writer);
        var rendered = writer.WrittenSpan.ToArray();

        Assert.Equal(rendered.Length, length);
        Assert.True(length <= template.RenderedLengthUpperBound);
        Assert.Equal(Encoding.UTF8.GetString(ExpectedCanonical(sourceBytes)), Encoding.UTF8.GetString(rendered));
        Assert.True(template.OriginalCanonicalForm.Span.SequenceEqual(rendered));
        Assert.EndsWith("</sr:Request>", Encoding.UTF8.GetString(rendered), StringComparison.Ordinal);
        Assert.Empty(DuisSchemaTests.Shared.Validate(rendered));
        return rendered;
    }

    private static string SampleText(string name) => File.ReadAllText(Path.Combine(SharedDuis.RequestSamples, name));

    private static XmlDocument LoadDocument(byte[] xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(xml), settings);
        document.Load(reader);
        return document;
    }

    /// <summary>The exclusive canonical form (without comments) of a request with its enveloped signature removed.</summary>
    private static byte[] ExpectedCanonical(byte[] xml)
    {
        var document = LoadDocument(xml);
        var signatures = document.DocumentElement!.SelectNodes("ds:Signature", Namespaces(document))!.Cast<XmlNode>().ToList();
        foreach (var signature in signatures)
        {
            document.DocumentElement.RemoveChild(signature);
        }

        return Canonicalize(document);
    }

    private static byte[] Canonicalize(XmlDocument document)
    {
        var transform = new XmlDsigExcC14NTransform(includeComments: false);
        transform.LoadInput(document);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var copy = new MemoryStream();
        output.CopyTo(copy);
        return copy.ToArray();
    }

    private static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("sr", Sug);
        ns.AddNamespace("ds", DuisNamespaces.XmlDsig);
        return ns;
    }

    private static string Text(XmlDocument document, string xpath)
        => document.SelectSingleNode(xpath, Namespaces(document))!.InnerText;

    private static string? ExecutionText(XmlDocument document)
        => document.SelectSingleNode("/sr:Request/sr:Body/*/sr:ExecutionDateTime", Namespaces(document))?.InnerText;

    private static void SetText(XmlDocument document, string xpath, string text)
        => document.SelectSingleNode(xpath, Namespaces(document))!.InnerText = text;

    /// <summary>The UTC text of <paramref name="value"/> with as many fraction digits as <paramref name="original"/> has.</summary>
    private static string ExpectedExecutionText(DateTimeOffset value, string original)
    {
        var dot = original.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? 0 : original.Length - dot - 2;
        var format = "yyyy-MM-dd'T'HH:mm:ss" + (digits > 0 ? "." + new string('f', digits) : string.Empty) + "'Z'";
        return value.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);
    }
}
