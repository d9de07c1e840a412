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
}
