using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Duis.Tests.Catalogue;

public class ServiceCatalogueTests
{
    private static readonly XNamespace Sr = "http://www.dccinterface.co.uk/ServiceUserGateway";

    // The schema's CV comments for these variants contradict the matrix's Critical flag; the DCC's sample requests
    // follow the matrix (7.13 is sent with CV 4, 7.15 with CV 1), so the catalogue does too.
    private static readonly string[] SchemaCommentSlips = ["7.12", "7.13", "7.14", "7.15"];

    [Fact]
    public void Catalogue_equals_the_request_matrix_field_by_field()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedDuis.Directory, "request-matrix.json")));
        var rows = json.RootElement.EnumerateArray().ToList();

        Assert.Equal(129, rows.Count);
        Assert.Equal(rows.Count, ServiceCatalogue.All.Count);
        Assert.Equal(rows.Count, ServiceCatalogue.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var info = ServiceCatalogue.All[i];
            var srv = row.GetProperty("Service Reference Variant").GetString()!;
            Assert.Equal(srv, info.Variant.ToString());
            Assert.Equal(row.GetProperty("Service Request Name").GetString(), info.Name);
            Assert.Equal(YesNo(row, "Critical"), info.Critical);
            Assert.Equal(YesNo(row, "On Demand"), info.OnDemand);
            Assert.Equal(YesNo(row, "DCC Scheduled"), info.DccScheduled);
            Assert.Equal(YesNo(row, "Non-Device Request"), info.NonDevice);
            var expectedPattern = row.GetProperty("Future Dated Response Pattern").GetString() switch
            {
                "No" => FutureDatedPattern.No,
                "DSP" => FutureDatedPattern.Dsp,
                "Device" => FutureDatedPattern.Device,
                "DSP & Device" => FutureDatedPattern.DspAndDevice,
                var other => throw new InvalidDataException($"{srv}: unknown pattern {other}"),
            };
            Assert.Equal(expectedPattern, info.FutureDatedPattern);

            var roles = UserRoles.None;
            foreach (var code in row.GetProperty("Eligible User Roles").EnumerateArray())
            {
                Assert.True(UserRoleCodes.TryParse(code.GetString(), out var role), $"{srv}: role {code}");
                roles |= role;
            }

            Assert.Equal(roles, info.EligibleRoles);

            // The matrix writes the reference 6.20 as "6.2" for 6.20.1/6.20.2 (a trailing zero lost); the catalogue
            // takes it from the variant, so compare the two as numbers.
            var reference = row.GetProperty("Service Reference").GetString()!;
            Assert.Equal(
                decimal.Parse(reference, CultureInfo.InvariantCulture),
                decimal.Parse(info.ServiceReference.ToString(), CultureInfo.InvariantCulture));

            Assert.True(ServiceCatalogue.TryGet(info.Variant, out var found));
            Assert.Same(info, found);
            Assert.Same(info, ServiceCatalogue.Get(ServiceReferenceVariant.Parse(srv)));
        }
    }

    [Fact]
    public void Body_elements_are_the_schemas_request_bodies_in_variant_order()
    {
        var request = DuisSchemaDocument.Schema.Root!.Elements(DuisSchemaDocument.Xs + "complexType")
            .Single(e => (string?)e.Attribute("name") == "Request");
        var body = request.Descendants(DuisSchemaDocument.Xs + "element").First(e => (string?)e.Attribute("name") == "Body");
        var choice = body.Element(DuisSchemaDocument.Xs + "complexType")!.Element(DuisSchemaDocument.Xs + "choice")!;
        var elements = choice.Elements(DuisSchemaDocument.Xs + "element").Select(e => (string)e.Attribute("name")!).ToList();

        // One body per variant, in the enumeration's order, then the CV 5 body.
        Assert.Equal([.. ServiceCatalogue.All.Select(i => i.BodyElement), "SignedPreCommand"], elements);
    }

    [Fact]
    public void Body_elements_agree_with_the_built_in_example_bodies()
    {
        foreach (var info in ServiceCatalogue.All)
        {
            Assert.True(CapacitySim.Duis.Requests.RequestBodies.TryGet(info.Variant, out var example), info.ToString());
            Assert.Equal(info.BodyElement, example.BodyElement);
        }
    }

    [Fact]
    public void Service_references_are_those_of_the_schema()
    {
        var schemaReferences = DuisSchemaDocument.Enumeration(DuisSchemaDocument.SimpleType("ServiceReference"));
        var catalogueReferences = ServiceCatalogue.All.Select(i => i.ServiceReference.ToString()).Distinct().ToList();

        Assert.Equal(schemaReferences, catalogueReferences);
    }

    [Fact]
    public void Command_variants_follow_the_schema_comments_except_where_they_contradict_the_matrix()
    {
        var restriction = DuisSchemaDocument.SimpleType("ServiceReferenceVariant").Element(DuisSchemaDocument.Xs + "restriction")!;
        var comments = new List<(string Srv, int[] Cvs)>();
        foreach (var node in restriction.Nodes())
        {
            if (node is XElement e)
            {
                comments.Add(((string)e.Attribute("value")!, []));
            }
            else if (node is XComment c)
            {
                var m = Regex.Match(c.Value, @"^\s*CV\s*=\s*([\d,\s]+?)\s*$");
                Assert.True(m.Success, c.Value);
                comments[^1] = (comments[^1].Srv, m.Groups[1].Value.Split(',').Select(s => int.Parse(s.Trim(), CultureInfo.InvariantCulture)).ToArray());
            }
        }

        Assert.Equal(ServiceCatalogue.All.Select(i => i.Variant.ToString()), comments.Select(c => c.Srv));
        var slips = new List<string>();
        foreach (var (srv, cvs) in comments)
        {
            var info = ServiceCatalogue.Get(ServiceReferenceVariant.Parse(srv));
            int[] implied = info.NonDevice ? [8] : info.Critical ? [4, 5, 6, 7] : [1, 2, 3];
            Assert.NotEmpty(cvs);
            if (cvs.All(implied.Contains))
            {
                Assert.Equal(cvs, Numbers(info.CommandVariants));
            }
            else
            {
                slips.Add(srv);
                Assert.Equal(implied, Numbers(info.CommandVariants));
            }
        }

        Assert.Equal(SchemaCommentSlips, slips);
    }

    [Theory]
    [InlineData("4.1.1", false, false, new[] { 1, 2, 3 })]
    [InlineData("1.1.1", true, false, new[] { 4, 5, 6, 7 })]
    [InlineData("8.2", false, true, new[] { 8 })]
    [InlineData("8.1.1", true, false, new[] { 4, 5 })]
    [InlineData("8.5", false, false, new[] { 1 })]
    [InlineData("7.13", true, false, new[] { 4, 5, 6, 7 })]
    [InlineData("7.15", false, false, new[] { 1, 2, 3 })]
    public void Command_variants_of_confirmed_variants(string srv, bool critical, bool nonDevice, int[] expected)
    {
        var info = ServiceCatalogue.Get(ServiceReferenceVariant.Parse(srv));

        Assert.Equal(critical, info.Critical);
        Assert.Equal(nonDevice, info.NonDevice);
        Assert.Equal(expected, Numbers(info.CommandVariants));
        Assert.Equal((CommandVariant)expected[0], info.FirstCommandVariant);
        for (var cv = 0; cv <= 9; cv++)
        {
            var allowed = expected.Contains(cv);
            Assert.Equal(allowed, info.IsAllowed((CommandVariant)cv));
            Assert.Equal(allowed, ServiceCatalogue.IsAllowed(info.Variant, (CommandVariant)cv));
            Assert.Equal(allowed ? DuisWebServices.ForCommandVariant((CommandVariant)cv) : DuisWebService.None, info.WebServiceFor((CommandVariant)cv));
        }
    }

    [Fact]
    public void Web_services_per_variant_kind()
    {
        var readRegisters = ServiceCatalogue.Get(ServiceReferenceVariant.Parse("4.1.1"));
        Assert.Equal(DuisWebService.SendCommand, readRegisters.WebServiceFor(CommandVariant.NonCriticalToDevice));
        Assert.Equal(DuisWebService.NonDevice, readRegisters.WebServiceFor(CommandVariant.NonCriticalLocalDelivery));
        Assert.False(readRegisters.UsesWebService(DuisWebService.Transform));

        var tariff = ServiceCatalogue.Get(ServiceReferenceVariant.Parse("1.1.1"));
        Assert.Equal(DuisWebService.Transform, tariff.WebServiceFor(CommandVariant.CriticalTransform));
        Assert.Equal(DuisWebService.SendCommand, tariff.WebServiceFor(CommandVariant.CriticalSignedToDevice));
        Assert.True(tariff.UsesWebService(DuisWebService.Transform));

        var inventory = ServiceCatalogue.Get(ServiceReferenceVariant.Parse("8.2"));
        Assert.Equal(DuisWebService.NonDevice, inventory.WebServiceFor(CommandVariant.NonDevice));
        Assert.False(inventory.UsesWebService(DuisWebService.SendCommand));
    }

    [Fact]
    public void Web_service_per_command_variant_follows_the_schema_table()
    {
        // The CommandVariant simple type carries a comment table whose "Req WS" column names the service per CV.
        var comment = DuisSchemaDocument.SimpleType("CommandVariant").Nodes().OfType<XComment>().First().Value;
        var rows = Regex.Matches(comment, @"^\s*([1-8])\s.*?\s(SC|DO|T)\s+(?:RRS|C DO|C T)\s*$", RegexOptions.Multiline);

        Assert.Equal(8, rows.Count);
        foreach (Match row in rows)
        {
            var cv = (CommandVariant)int.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture);
            var expected = row.Groups[2].Value switch
            {
                "SC" => DuisWebService.SendCommand,
                "DO" => DuisWebService.NonDevice,
                _ => DuisWebService.Transform,
            };
            Assert.Equal(expected, ServiceCatalogue.WebServiceFor(cv));
            Assert.True(DuisWebServices.AcceptedCommandVariants(expected).Contains(cv));
        }

        Assert.Equal(DuisWebService.None, ServiceCatalogue.WebServiceFor(CommandVariant.None));
        Assert.Equal(DuisWebService.None, ServiceCatalogue.WebServiceFor((CommandVariant)9));
        Assert.Equal(8, DuisWebServices.AcceptedCommandVariants(DuisWebService.SendCommand).Count
            + DuisWebServices.AcceptedCommandVariants(DuisWebService.NonDevice).Count
            + DuisWebServices.AcceptedCommandVariants(DuisWebService.Transform).Count);
    }

    [Theory]
    [InlineData(DuisWebService.SendCommand, "/api/v1/serviceS")]
    [InlineData(DuisWebService.NonDevice, "/api/v1/serviceD")]
    [InlineData(DuisWebService.Transform, "/api/v1/serviceT")]
    public void Web_service_paths_round_trip(DuisWebService service, string path)
    {
        Assert.Equal(path, DuisWebServices.GetPath(service));
        Assert.Equal(path, System.Text.Encoding.ASCII.GetString(DuisWebServices.GetPathUtf8(service)));
        Assert.True(DuisWebServices.TryFromPath(path, out var parsed));
        Assert.Equal(service, parsed);
        Assert.Equal((char)service, path[^1]);
    }

    [Fact]
    public void Unknown_paths_and_services_are_rejected()
    {
        Assert.False(DuisWebServices.TryFromPath("/api/v1/services", out _));
        Assert.True(DuisWebServices.GetPathUtf8(DuisWebService.None).IsEmpty);
        Assert.Throws<ArgumentOutOfRangeException>(() => DuisWebServices.GetPath(DuisWebService.None));
    }

    public static TheoryData<string> SampleRequests()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { SharedDuis.RequestSamples, SharedDuis.SignedSamples })
        {
            foreach (var f in Directory.GetFiles(dir).OrderBy(f => f, StringComparer.Ordinal))
            {
                data.Add(Path.Combine(Path.GetFileName(dir), Path.GetFileName(f)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleRequests))]
    public void Every_DCC_sample_request_uses_a_command_variant_the_catalogue_allows(string sample)
    {
        var header = XDocument.Load(Path.Combine(SharedDuis.Directory, "samples", sample)).Root!.Element(Sr + "Header")!;
        var srv = ServiceReferenceVariant.Parse(header.Element(Sr + "ServiceReferenceVariant")!.Value);
        var cv = (CommandVariant)int.Parse(header.Element(Sr + "CommandVariant")!.Value, CultureInfo.InvariantCulture);

        Assert.True(ServiceCatalogue.TryGet(srv, out var info), $"{srv} not in the catalogue");
        Assert.Equal(header.Element(Sr + "ServiceReference")!.Value, info.ServiceReference.ToString());
        Assert.True(info.IsAllowed(cv), $"{srv} with CV {(int)cv}; catalogue allows {info.CommandVariants}");
    }

    [Theory]
    [InlineData("4.5")]
    [InlineData("99.1.1")]
    [InlineData("4.1.9")]
    [InlineData("6.2.6")]
    public void Unknown_variants_are_not_found(string text)
    {
        var srv = ServiceReferenceVariant.Parse(text);

        Assert.False(ServiceCatalogue.TryGet(srv, out var info));
        Assert.Null(info);
        Assert.False(ServiceCatalogue.Contains(srv));
        Assert.False(ServiceCatalogue.IsAllowed(srv, CommandVariant.NonCriticalToDevice));
        var error = Assert.Throws<KeyNotFoundException>(() => ServiceCatalogue.Get(srv));
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lookups_allocate_nothing()
    {
        var variants = ServiceCatalogue.All.Select(i => i.Variant).ToArray();
        var missing = ServiceReferenceVariant.Parse("4.5");
        var found = 0;
        Lookups();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Lookups();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2 * 2 * variants.Length, found);

        void Lookups()
        {
            foreach (var v in variants)
            {
                if (ServiceCatalogue.TryGet(v, out var info) && info.WebServiceFor(info.FirstCommandVariant) != DuisWebService.None)
                {
                    found++;
                }

                foreach (var cv in info!.CommandVariants)
                {
                    if (ServiceCatalogue.IsAllowed(v, cv))
                    {
                        found += cv == info.FirstCommandVariant ? 1 : 0;
                    }
                }

                found += ServiceCatalogue.TryGet(missing, out _) ? 1000 : 0;
            }
        }
    }

    [Fact]
    public void Role_codes_round_trip()
    {
        Assert.Equal(7, UserRoleCodes.All.Length);
        foreach (var role in UserRoleCodes.All)
        {
            Assert.True(UserRoleCodes.TryParse(UserRoleCodes.GetCode(role), out var parsed));
            Assert.Equal(role, parsed);
        }

        Assert.False(UserRoleCodes.TryParse("is", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => UserRoleCodes.GetCode(UserRoles.ImportSupplier | UserRoles.GasSupplier));
        var readRegisters = ServiceCatalogue.Get(ServiceReferenceVariant.Parse("1.1.1"));
        Assert.True(readRegisters.IsEligible(UserRoles.GasSupplier));
        Assert.False(readRegisters.IsEligible(UserRoles.ElectricityDistributor));
    }

    [Fact]
    public void Command_variant_set_behaves_as_a_set()
    {
        var set = CommandVariantSet.Of(CommandVariant.CriticalSignedLocalDelivery, CommandVariant.CriticalTransform, CommandVariant.None);

        Assert.Equal(2, set.Count);
        Assert.Equal(CommandVariant.CriticalTransform, set.First);
        Assert.Equal("4, 6", set.ToString());
        Assert.True(set.Contains(CommandVariant.CriticalSignedLocalDelivery));
        Assert.False(set.Contains(CommandVariant.None));
        Assert.Equal(set, CommandVariantSet.FromMask(set.Mask));
        Assert.True(CommandVariantSet.Empty.IsEmpty);
        Assert.Equal(CommandVariant.None, CommandVariantSet.Empty.First);
        Assert.Equal(string.Empty, CommandVariantSet.Empty.ToString());
        Assert.Equal(0, CommandVariantSet.FromMask(1).Count);
    }

    private static bool YesNo(JsonElement row, string name) => row.GetProperty(name).GetString() switch
    {
        "Yes" => true,
        "No" => false,
        var other => throw new InvalidDataException($"{name}: {other}"),
    };

    private static int[] Numbers(CommandVariantSet set)
    {
        var result = new List<int>();
        foreach (var cv in set)
        {
            result.Add((int)cv);
        }

        return [.. result];
    }
}
