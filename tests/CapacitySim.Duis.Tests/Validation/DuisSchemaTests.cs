using System.Text;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Duis.Validation;

namespace CapacitySim.Duis.Tests.Validation;

public class DuisSchemaTests
{
    private static readonly Lazy<DuisSchema> Schema = new(() => DuisSchema.Load(SharedDuis.Material));

    /// <summary>The compiled shared schema, loaded once for the test run.</summary>
    public static DuisSchema Shared => Schema.Value;

    public static TheoryData<string> AllSamples()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { SharedDuis.RequestSamples, SharedDuis.SignedSamples, SharedDuis.ResponseSamples })
        {
            foreach (var f in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(SharedDuis.Directory, f));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Every_shared_sample_validates(string relativePath)
    {
        var findings = Shared.Validate(File.ReadAllBytes(Path.Combine(SharedDuis.Directory, relativePath)));
        Assert.Empty(findings);
    }

    [Fact]
    public void An_element_out_of_place_is_reported_with_its_line()
    {
        var xml = """
            <sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4">
              <sr:Header>
                <sr:CommandVariant>1</sr:CommandVariant>
              </sr:Header>
            </sr:Request>
            """;
        var findings = Shared.Validate(Encoding.UTF8.GetBytes(xml));
        Assert.NotEmpty(findings);
        Assert.Equal(3, findings[0].Line);
    }

    [Fact]
    public void A_year_above_9999_is_accepted_only_where_DUIS_uses_it()
    {
        var sample = File.ReadAllText(Path.Combine(SharedDuis.RequestSamples, "ECS08_2.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML"));
        Assert.Contains("65535-04-29Z", sample, StringComparison.Ordinal);
        Assert.Empty(Shared.Validate(Encoding.UTF8.GetBytes(sample)));
        var broken = sample.Replace("65535-04-29Z", "65535-13-29Z", StringComparison.Ordinal);
        Assert.NotEmpty(Shared.Validate(Encoding.UTF8.GetBytes(broken)));
    }

    [Theory]
    [InlineData("+25:00")]
    [InlineData("-99:99")]
    [InlineData("+14:01")]
    [InlineData("-14:30")]
    [InlineData("+15:00")]
    [InlineData("+05:60")]
    public void A_time_zone_offset_beyond_14_hours_is_rejected(string offset)
    {
        // xs:dateTime, xs:date and xs:time allow offsets from -14:00 to +14:00 (XML Schema 1.1 part 2, D.3.7);
        // .NET's XSD engine reads any two-digit hours and minutes.
        var future = Sample("ECS01c_1.1.2_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML");
        var optIn = Sample("8.6_SERVICE_OPTIN_REQUEST_DUIS.XML");

        var dateTime = Shared.Validate(Utf8(future.Replace("2030-01-15T09:00:00.00Z", $"2030-01-15T09:00:00.00{offset}", StringComparison.Ordinal)));
        var time = Shared.Validate(Utf8(future.Replace(">07:00:00.00Z<", $">07:00:00.00{offset}<", StringComparison.Ordinal)));
        var date = Shared.Validate(Utf8(optIn.Replace(">2015-02-01<", $">2015-02-01{offset}<", StringComparison.Ordinal)));

        Assert.Contains(dateTime, f => f.Message.Contains("ExecutionDateTime", StringComparison.Ordinal));
        Assert.Contains(time, f => f.Message.Contains("StartTime", StringComparison.Ordinal));
        Assert.Contains(date, f => f.Message.Contains("OptInDate", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("+14:00")]
    [InlineData("-14:00")]
    [InlineData("+05:30")]
    [InlineData("-00:00")]
    [InlineData("Z")]
    [InlineData("")]
    public void A_time_zone_offset_within_14_hours_or_none_is_accepted(string offset)
    {
        var future = Sample("ECS01c_1.1.2_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML");
        var optIn = Sample("8.6_SERVICE_OPTIN_REQUEST_DUIS.XML");

        Assert.Empty(Shared.Validate(Utf8(future.Replace("2030-01-15T09:00:00.00Z", $"2030-01-15T09:00:00.00{offset}", StringComparison.Ordinal))));
        Assert.Empty(Shared.Validate(Utf8(future.Replace(">07:00:00.00Z<", $">07:00:00.00{offset}<", StringComparison.Ordinal))));
        Assert.Empty(Shared.Validate(Utf8(optIn.Replace(">2015-02-01<", $">2015-02-01{offset}<", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_bad_response_code_is_rejected()
    {
        var sample = File.ReadAllText(Path.Combine(SharedDuis.ResponseSamples, "11.2_E65_error.xml"));
        Assert.Empty(Shared.Validate(Encoding.UTF8.GetBytes(sample)));
        var broken = sample.Replace(">E65<", ">E9999<", StringComparison.Ordinal);
        Assert.NotEmpty(Shared.Validate(Encoding.UTF8.GetBytes(broken)));
    }

    [Fact]
    public void A_DTD_in_a_message_is_refused()
    {
        var xml = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4">&e;</sr:Request>""";
        var findings = Shared.Validate(Encoding.UTF8.GetBytes(xml));
        Assert.Contains(findings, f => f.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase));
    }

    private static string Sample(string name) => File.ReadAllText(Path.Combine(SharedDuis.RequestSamples, name));

    private static byte[] Utf8(string xml) => Encoding.UTF8.GetBytes(xml);
}
