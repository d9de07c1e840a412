using System.Security.Cryptography.Xml;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Duis.Tests.Validation;

namespace CapacitySim.Duis.Tests.Requests;

public class RequestBodiesTests
{
    private const string Sr = DuisNamespaces.ServiceUserGateway;

    private static readonly Lazy<IReadOnlyList<MatrixRow>> Matrix = new(LoadMatrix);

    public static TheoryData<string> AllVariants()
    {
        var data = new TheoryData<string>();
        foreach (var info in RequestBodies.All)
        {
            data.Add(info.Variant.ToString());
        }

        return data;
    }

    [Fact]
    public void There_is_a_body_for_every_variant_of_the_request_matrix_and_no_other()
    {
        var expected = Matrix.Value.Select(r => r.Variant).ToHashSet();
        Assert.Equal(129, expected.Count);
        var actual = RequestBodies.All.Select(i => i.Variant.ToString()).ToHashSet();
        var missing = expected.Except(actual).OrderBy(v => ServiceReferenceVariant.Parse(v).Key).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"Missing bodies ({missing.Count}): {string.Join(", ", missing)}; bodies for variants not in the matrix: {string.Join(", ", extra)}");
        Assert.Equal(RequestBodies.All.Count, actual.Count);
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void The_built_request_validates_and_is_its_own_exclusive_canonical_form(string variantText)
    {
        var variant = ServiceReferenceVariant.Parse(variantText);
        var info = RequestBodies.Get(variant);
        var id = new RequestId(Eui64.Parse("90-B3-D5-1F-30-01-00-00"), RequestBodies.ExampleDeviceId(info.TargetDeviceType), 1_732_000_000_123);
        var bytes = RequestBodies.BuildRequest(variant, id, info.DefaultCommandVariant);

        var findings = DuisSchemaTests.Shared.Validate(bytes);
        Assert.True(findings.Count == 0, $"{variant}: {string.Join("; ", findings)}");
        Assert.Equal(Encoding.UTF8.GetString(ExclusiveCanonical(bytes)), Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void The_body_fragment_is_bare_canonical_xml_named_by_its_element(string variantText)
    {
        var info = RequestBodies.Get(ServiceReferenceVariant.Parse(variantText));
        Assert.StartsWith($"<sr:{info.BodyElement}", info.BodyXml, StringComparison.Ordinal);
        Assert.EndsWith($"</sr:{info.BodyElement}>", info.BodyXml, StringComparison.Ordinal);
        Assert.DoesNotContain("xmlns", info.BodyXml, StringComparison.Ordinal);
        Assert.DoesNotContain("/>", info.BodyXml, StringComparison.Ordinal);
        Assert.Equal(info.BodyXml, Encoding.UTF8.GetString(info.BodyUtf8.Span));
    }

    [Fact]
    public void The_default_command_variant_follows_the_matrix()
    {
        foreach (var row in Matrix.Value)
        {
            if (!RequestBodies.TryGet(ServiceReferenceVariant.Parse(row.Variant), out var info))
            {
                continue; // reported by the completeness test
            }

            var expected = row.NonDevice ? CommandVariant.NonDevice : row.Critical ? CommandVariant.CriticalTransform : CommandVariant.NonCriticalToDevice;
            Assert.True(expected == info.DefaultCommandVariant, $"{row.Variant} ({row.Name}): expected CV {(byte)expected}, library has {(byte)info.DefaultCommandVariant}");
            Assert.Equal(row.NonDevice, info.TargetDeviceType == DeviceType.Dcc);
        }
    }

    [Fact]
    public void The_default_command_variant_is_one_the_schema_comments_allow_except_where_they_contradict_the_matrix()
    {
        // The schema lists the allowed command variants in a comment after each ServiceReferenceVariant value. For
        // 7.12 to 7.15 the comments are out of step with the matrix (7.12 and 7.13 are critical, 7.14 and 7.15 are
        // not) and with the DCC reference requests (7.13 is sent with CV 4, 7.15 with CV 1); the library follows
        // the matrix there.
        string[] contradicted = ["7.12", "7.13", "7.14", "7.15"];
        var allowed = SchemaCommandVariantComments();
        Assert.Equal(129, allowed.Count);
        foreach (var (variant, variants) in allowed)
        {
            var info = RequestBodies.Get(ServiceReferenceVariant.Parse(variant));
            var listed = variants.Contains((byte)info.DefaultCommandVariant);
            Assert.True(listed != contradicted.Contains(variant),
                $"{variant}: default CV {(byte)info.DefaultCommandVariant}, schema comment allows {string.Join(",", variants)}");
        }
    }

    [Theory]
    [MemberData(nameof(SharedDuis.RequestSampleNames), MemberType = typeof(SharedDuis))]
    public void The_body_element_matches_the_DCC_reference_request(string sampleName)
    {
        var sample = SampleRequest.Load(sampleName);
        Assert.True(RequestBodies.TryGet(sample.Variant, out var info), $"No built-in body for {sample.Variant} (sample {sampleName}).");
        Assert.Equal(sample.BodyElement, info.BodyElement);
    }

    [Theory]
    [MemberData(nameof(SharedDuis.RequestSampleNames), MemberType = typeof(SharedDuis))]
    public void The_default_command_variant_matches_the_DCC_reference_request_sent_over_the_WAN_or_to_the_DCC(string sampleName)
    {
        var sample = SampleRequest.Load(sampleName);
        Assert.True(RequestBodies.TryGet(sample.Variant, out var info), $"No built-in body for {sample.Variant} (sample {sampleName}).");
        if (sample.CommandVariant is CommandVariant.NonCriticalLocalDelivery)
        {
            // Local delivery is a choice of the installer, not the variant's normal route: the same variant is sent with CV 1.
            Assert.Equal(CommandVariant.NonCriticalToDevice, info.DefaultCommandVariant);
            return;
        }

        Assert.Equal(sample.CommandVariant, info.DefaultCommandVariant);
    }

    [Fact]
    public void Non_device_requests_are_addressed_to_the_DCC_as_in_the_reference_requests()
    {
        var nonDeviceSamples = 0;
        foreach (var name in SharedDuis.RequestSampleNames())
        {
            var sample = SampleRequest.Load(name);
            if (sample.CommandVariant != CommandVariant.NonDevice)
            {
                continue;
            }

            nonDeviceSamples++;
            Assert.Equal(RequestBodies.DccTarget, sample.RequestId.Target);
        }

        Assert.True(nonDeviceSamples >= 5, $"expected several non-device samples, found {nonDeviceSamples}");
        Assert.Equal("90-B3-D5-1F-30-00-00-02", RequestBodies.DccTarget.ToString());
        Assert.Equal(RequestBodies.DccTarget, RequestBodies.ExampleDeviceId(DeviceType.Dcc));
    }

    [Fact]
    public void Looking_up_a_body_allocates_nothing()
    {
        var variant = new ServiceReferenceVariant(4, 1, 1);
        Assert.True(RequestBodies.TryGet(variant, out _)); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = 0;
        for (var i = 0; i < 1000; i++)
        {
            found += RequestBodies.TryGet(variant, out var info) && info.Variant == variant ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, found);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void An_unknown_variant_is_not_found_and_named_when_required()
    {
        var unknown = new ServiceReferenceVariant(99, 1, 0);
        Assert.False(RequestBodies.TryGet(unknown, out var info));
        Assert.Null(info);
        var ex = Assert.Throws<KeyNotFoundException>(() => RequestBodies.BuildRequest(unknown, default, CommandVariant.NonCriticalToDevice));
        Assert.Contains("99.1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_header_carries_the_given_identifiers_in_schema_order()
    {
        var variant = new ServiceReferenceVariant(4, 1, 1);
        var id = new RequestId(Eui64.Parse("90-B3-D5-1F-30-01-00-00"), RequestBodies.ExampleDeviceId(DeviceType.ElectricityMeter), 42);
        var text = Encoding.UTF8.GetString(RequestBodies.BuildRequest(variant, id, CommandVariant.NonCriticalToDeviceAndLocalDelivery));
        Assert.StartsWith(
            "<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\"><sr:Header>"
            + "<sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:42</sr:RequestID><sr:CommandVariant>3</sr:CommandVariant>"
            + "<sr:ServiceReference>4.1</sr:ServiceReference><sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant></sr:Header>"
            + "<sr:Body><sr:ReadInstantaneousImportRegisters>",
            text,
            StringComparison.Ordinal);
    }

    private static byte[] ExclusiveCanonical(byte[] xml)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using (var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
        {
            doc.Load(reader);
        }

        var transform = new XmlDsigExcC14NTransform(includeComments: false);
        transform.LoadInput(doc);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var copy = new MemoryStream();
        output.CopyTo(copy);
        return copy.ToArray();
    }

    private static Dictionary<string, byte[]> SchemaCommandVariantComments()
    {
        var schema = File.ReadAllText(Path.Combine(SharedDuis.Directory, "schema", "DUIS Schema V5.4.xsd"));
        var start = schema.IndexOf("<xs:simpleType name=\"ServiceReferenceVariant\">", StringComparison.Ordinal);
        var end = schema.IndexOf("</xs:simpleType>", start, StringComparison.Ordinal);
        var result = new Dictionary<string, byte[]>();
        foreach (Match m in Regex.Matches(
            schema[start..end], @"<xs:enumeration value=""([0-9.]+)""/>\s*<!--\s*CV = ([0-9, ]+)-->"))
        {
            result.Add(m.Groups[1].Value, m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries).Select(byte.Parse).ToArray());
        }

        return result;
    }

    private static List<MatrixRow> LoadMatrix()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SharedDuis.Directory, "request-matrix.json")));
        var rows = new List<MatrixRow>();
        foreach (var row in json.RootElement.EnumerateArray())
        {
            rows.Add(new MatrixRow(
                row.GetProperty("Service Reference Variant").GetString()!,
                row.GetProperty("Service Request Name").GetString()!,
                row.GetProperty("Critical").GetString() == "Yes",
                row.GetProperty("Non-Device Request").GetString() == "Yes"));
        }

        return rows;
    }

    private sealed record MatrixRow(string Variant, string Name, bool Critical, bool NonDevice);

    private sealed record SampleRequest(ServiceReferenceVariant Variant, CommandVariant CommandVariant, RequestId RequestId, string BodyElement)
    {
        public static SampleRequest Load(string sampleName)
        {
            var doc = new XmlDocument { XmlResolver = null };
            using (var reader = XmlReader.Create(Path.Combine(SharedDuis.RequestSamples, sampleName), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
            {
                doc.Load(reader);
            }

            var ns = new XmlNamespaceManager(doc.NameTable);
            ns.AddNamespace("sr", Sr);
            string Text(string path) => doc.SelectSingleNode(path, ns)?.InnerText.Trim() ?? throw new InvalidOperationException($"{sampleName}: no {path}");
            var body = doc.SelectSingleNode("/sr:Request/sr:Body", ns)!.ChildNodes.OfType<XmlElement>().Single();
            return new SampleRequest(
                ServiceReferenceVariant.Parse(Text("/sr:Request/sr:Header/sr:ServiceReferenceVariant")),
                (CommandVariant)byte.Parse(Text("/sr:Request/sr:Header/sr:CommandVariant")),
                RequestId.Parse(Text("/sr:Request/sr:Header/sr:RequestID")),
                body.LocalName);
        }
    }
}
