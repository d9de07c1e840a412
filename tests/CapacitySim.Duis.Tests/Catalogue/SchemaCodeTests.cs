using System.Text;
using System.Text.RegularExpressions;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Duis.Tests.Catalogue;

public class SchemaCodeTests
{
    private static List<string> SchemaResponseCodes => DuisSchemaDocument.Enumeration(DuisSchemaDocument.SimpleType("ResponseCode"));

    private static List<string> SchemaDccAlertCodes => DuisSchemaDocument.Enumeration(
        DuisSchemaDocument.Schema.Root!.Elements(DuisSchemaDocument.Xs + "complexType")
            .Single(e => (string?)e.Attribute("name") == "DCCAlertMessage")
            .Descendants(DuisSchemaDocument.Xs + "element")
            .Single(e => (string?)e.Attribute("name") == "DCCAlertCode"));

    [Fact]
    public void Response_codes_are_exactly_those_of_the_schema_in_order()
    {
        var schema = SchemaResponseCodes;

        Assert.Equal(194, schema.Count);
        Assert.Equal(schema, ResponseCodes.All.Select(c => c.ToString()));
        Span<byte> utf8 = stackalloc byte[ResponseCode.MaxFormattedLength];
        foreach (var text in schema)
        {
            var code = ResponseCode.Parse(text);
            Assert.True(code.IsDefinedBySchema, text);
            Assert.Equal(text, code.ToString());
            Assert.True(code.TryFormat(utf8, out var n));
            Assert.Equal(text, Encoding.ASCII.GetString(utf8[..n]));
            Assert.True(ResponseCode.TryParse(utf8[..n], out var reparsed));
            Assert.Equal(code, reparsed);
        }

        Assert.Contains(ResponseCodes.All, c => c.IsWarning);
        Assert.Equal(schema.Count, ResponseCodes.All.Distinct().Count());
    }

    [Theory]
    [InlineData("E6")]
    [InlineData("E77")]
    [InlineData("I1")]
    [InlineData("W1")]
    [InlineData("E050104")]
    [InlineData("W050101")]
    [InlineData("E9999")]
    public void Codes_outside_the_schema_are_not_defined(string text)
    {
        var code = ResponseCode.Parse(text);

        Assert.False(code.IsDefinedBySchema);
        Assert.Equal(ResponseCodes.NotInSchemaDescription, code.Description);
    }

    [Theory]
    [InlineData("E010101", ResponseCodeKind.Error, 10101u)]
    [InlineData("W081401", ResponseCodeKind.Warning, 81401u)]
    [InlineData("E120207", ResponseCodeKind.Error, 120207u)]
    [InlineData("E1011", ResponseCodeKind.Error, 1011u)]
    [InlineData("E0", ResponseCodeKind.Error, 0u)]
    public void Six_digit_and_short_codes_have_one_spelling(string text, ResponseCodeKind kind, uint number)
    {
        var code = ResponseCode.Parse(text);

        Assert.Equal(new ResponseCode(kind, number), code);
        Assert.Equal(text, code.ToString());
    }

    [Theory]
    [InlineData("E10101")]
    [InlineData("E000019")]
    [InlineData("E019")]
    [InlineData("E0101010")]
    [InlineData("E01010A")]
    [InlineData("X1")]
    public void Second_spellings_and_malformed_codes_are_rejected(string text)
        => Assert.False(ResponseCode.TryParse(text, out _));

    [Fact]
    public void Format_fails_for_numbers_beyond_six_digits()
    {
        Span<byte> utf8 = stackalloc byte[16];
        Assert.False(new ResponseCode(ResponseCodeKind.Error, 1_000_000).TryFormat(utf8, out _));
    }

    [Theory]
    [InlineData("I0", "Success")]
    [InlineData("E2", "User Role not permitted to send this Service Reference")]
    [InlineData("E13", "Request type not valid for the URL")]
    [InlineData("E19", "Device does not exist")]
    [InlineData("E30", "Time-out of a Future Dated command")]
    [InlineData("E100", "DUIS error E100 (meaning defined by DUIS)")]
    [InlineData("E050201", "Service Reference 5.2 specific error 01 (meaning defined by DUIS)")]
    [InlineData("W110401", "Service Reference 11.4 specific warning 01 (meaning defined by DUIS)")]
    public void Descriptions(string text, string expected) => Assert.Equal(expected, ResponseCode.Parse(text).Description);

    [Fact]
    public void Named_response_codes_are_schema_codes()
    {
        ResponseCode[] named =
        [
            ResponseCodes.Success, ResponseCodes.Acknowledged, ResponseCodes.InvalidUserOrRole,
            ResponseCodes.RoleNotPermittedForServiceReference, ResponseCodes.UserStatusNotPermitted,
            ResponseCodes.RoleNotAuthorisedForDevice, ResponseCodes.DeviceStatusIncompatible,
            ResponseCodes.ServiceReferenceNotCompatibleWithDeviceType, ResponseCodes.CommandVariantNotApplicable,
            ResponseCodes.RequestTypeNotValidForUrl, ResponseCodes.NotAvailableForLocalDelivery,
            ResponseCodes.DeviceDoesNotExist, ResponseCodes.CannotCommunicateWithDevice,
            ResponseCodes.NoResponseFromDevice, ResponseCodes.FutureDatedTimeout,
        ];

        Assert.Equal(
            ["I0", "I99", "E1", "E2", "E3", "E4", "E5", "E11", "E12", "E13", "E17", "E19", "E20", "E21", "E30"],
            named.Select(c => c.ToString()));
        Assert.All(named, c => Assert.True(c.IsDefinedBySchema));
        Assert.All(named, c => Assert.DoesNotContain("defined by DUIS", c.Description, StringComparison.Ordinal));
    }

    [Fact]
    public void Six_digit_codes_name_service_references_of_the_schema()
    {
        var references = DuisSchemaDocument.Enumeration(DuisSchemaDocument.SimpleType("ServiceReference")).ToHashSet();
        var sixDigit = ResponseCodes.All.Where(c => c.Number >= 10_000).ToList();

        Assert.NotEmpty(sixDigit);
        foreach (var code in sixDigit)
        {
            var reference = $"{code.Number / 10_000}.{code.Number / 100 % 100}";
            Assert.Contains(reference, references);
            Assert.StartsWith($"Service Reference {reference} specific", code.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dcc_alert_codes_are_exactly_those_of_the_schema_in_order()
    {
        var schema = SchemaDccAlertCodes;

        Assert.Equal(schema, DccAlertCodes.All.Select(c => c.ToString()));
        Assert.Contains("AD1", schema);
        Assert.Contains("N999", schema);
        Assert.DoesNotContain("N32", schema);
        Assert.Equal(1 + 64 + 1, schema.Count);
        foreach (var text in schema)
        {
            var code = DccAlertCode.Parse(text);
            Assert.True(code.IsDefinedBySchema, text);
            Assert.Equal($"DCC alert {text} (meaning defined by DUIS)", code.Description);
        }
    }

    [Theory]
    [InlineData("N32")]
    [InlineData("N66")]
    [InlineData("N0")]
    [InlineData("AD2")]
    public void Dcc_alert_codes_outside_the_schema_are_not_defined(string text)
    {
        Assert.True(DccAlertCode.TryParse(text, out var code) || text == "N0");
        Assert.False(code.IsDefinedBySchema);
        Assert.Equal(DccAlertCodes.NotInSchemaDescription, code.Description);
    }

    [Fact]
    public void Named_device_alerts_are_those_of_the_facts()
    {
        // FACTS.md lists them as "Device alert codes (GBCS): 8F01 active power import …; 8F12 …".
        var facts = File.ReadAllText(Path.Combine(SharedDuis.Directory, "FACTS.md"));
        var paragraph = Regex.Match(facts, @"Device alert codes \(GBCS\):(.*?)(?:\n- |\n\n)", RegexOptions.Singleline).Groups[1].Value;
        var listed = Regex.Matches(paragraph, @"\b([0-9A-F]{4}) ([^;.]+)")
            .ToDictionary(m => m.Groups[1].Value, m => Regex.Replace(m.Groups[2].Value, @"\s+", " ").Trim());

        Assert.Equal(10, listed.Count);
        Assert.Equal(listed.Keys, DeviceAlertCodes.Named.Select(c => c.ToString()));
        foreach (var code in DeviceAlertCodes.Named)
        {
            Assert.True(code.IsNamed);
            var meaning = listed[code.ToString()];
            Assert.Equal(char.ToUpperInvariant(meaning[0]) + meaning[1..], code.Description);
        }
    }

    [Theory]
    [InlineData("8F35", "Supply outage restored")]
    [InlineData("81B8", "Incorrect polarity")]
    [InlineData("1234", "GBCS alert 1234")]
    [InlineData("8f0a", "GBCS alert 8F0A")]
    public void Device_alert_descriptions(string text, string expected)
    {
        var code = DeviceAlertCode.Parse(text);

        Assert.Equal(expected, code.Description);
        Assert.Equal(expected != $"GBCS alert {text.ToUpperInvariant()}", code.IsNamed);
    }

    [Fact]
    public void Schema_code_lookups_allocate_nothing()
    {
        var responses = ResponseCodes.All.Concat([ResponseCode.Parse("E6")]).ToArray();
        var dcc = DccAlertCodes.All.Concat([DccAlertCode.Parse("N32")]).ToArray();
        var named = DeviceAlertCodes.Named.ToArray();
        var length = 0;
        Lookups();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Lookups();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(length > 0);

        void Lookups()
        {
            foreach (var c in responses)
            {
                length += c.IsDefinedBySchema ? c.Description.Length : 1;
            }

            foreach (var c in dcc)
            {
                length += c.IsDefinedBySchema ? c.Description.Length : 1;
            }

            foreach (var c in named)
            {
                length += c.Description.Length;
            }
        }
    }
}
