using System.Xml;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Duis.Validation;

namespace CapacitySim.Cli.Tests;

/// <summary>
/// <c>capacitysim duis sample</c> run as a user runs it, with the DCC Boxed material: every message is schema-valid and
/// its signatures verify with SignedXml against the DCC Boxed certificates (or the generated SMETS1 SP certificate).
/// </summary>
public sealed class DuisSampleCommandTests : IClassFixture<TempFolder>
{
    private static readonly Lazy<DuisSchema> Schema = new(() => DuisSchema.Load(SharedDuis.Material));
    private readonly TempFolder temp;

    public DuisSampleCommandTests(TempFolder temp) => this.temp = temp;

    public static TheoryData<string> EveryServiceReferenceVariant()
    {
        var data = new TheoryData<string>();
        foreach (var info in ServiceCatalogue.All)
        {
            data.Add(info.Variant.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryServiceReferenceVariant))]
    public void Signed_request_for_every_SRV_is_schema_valid_and_verifies_with_the_originators_certificate(string srv)
    {
        var doc = Sample("--srv", srv, "--kind", "request", "--sign");
        var root = doc.DocumentElement!;
        Assert.Equal("Request", root.LocalName);
        var certificate = IndependentDuisCheck.VerifySignatureOf(root, SharedDuis.Keys);
        var originator = root.SelectSingleNode("//*[local-name()='RequestID']")!.InnerText.Split(':')[0].Replace("-", string.Empty, StringComparison.Ordinal);
        Assert.Contains(originator, Path.GetFileName(certificate), StringComparison.Ordinal);
        Assert.Equal(srv, root.SelectSingleNode("//*[local-name()='ServiceReferenceVariant']")!.InnerText);
    }

    [Theory]
    [InlineData("4.1.1", "I0", false)]
    [InlineData("4.1.1", "I0", true)]
    [InlineData("4.1.2", "I0", true)]
    [InlineData("4.1.1", "I99", false)]
    [InlineData("8.2", "I0", false)]
    [InlineData("11.2", "E19", false)]
    [InlineData("6.15.1", "E21", true)]
    [InlineData("1.1.1", "I0", false)]
    public void Signed_response_is_schema_valid_and_verifies_with_the_DCC_key(string srv, string code, bool smets1)
    {
        var args = new List<string> { "--srv", srv, "--kind", "response", "--code", code, "--sign" };
        if (smets1)
        {
            args.Add("--smets1");
        }

        var doc = Sample([.. args]);
        var root = doc.DocumentElement!;
        Assert.Equal(code, root.SelectSingleNode("//*[local-name()='ResponseCode']")!.InnerText);
        var certificate = IndependentDuisCheck.VerifySignatureOf(root, SharedDuis.Keys);
        Assert.Equal("dsp-xml-sign-90B3D51F30000002-ds.pem", Path.GetFileName(certificate));

        var inner = (XmlElement?)root.SelectSingleNode("//*[local-name()='SMETS1SignedResponse']");
        if (smets1 && code == "I0")
        {
            Assert.NotNull(inner);
            var innerCertificate = IndependentDuisCheck.VerifySignatureOf(inner, CapacitySim.Duis.Signing.ShippedTestMaterial.Smets1ServiceProviderDirectory);
            Assert.StartsWith("s1sp-", Path.GetFileName(innerCertificate), StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(inner);
        }
    }

    [Theory]
    [InlineData("8F01", null)]
    [InlineData("8F35", null)]
    [InlineData("8F3E", "4")]
    [InlineData("81B8", "12")]
    [InlineData("AD1", null)]
    [InlineData("N24", "2")]
    [InlineData("N1", null)]
    [InlineData("N55", null)]
    public void Signed_alert_is_schema_valid_and_verifies(string alert, string? throttled)
    {
        var args = new List<string> { "--srv", "4.1.1", "--kind", "alert", "--alert", alert, "--sign" };
        if (throttled is not null)
        {
            args.AddRange(["--throttled-count", throttled]);
        }

        var root = Sample([.. args]).DocumentElement!;
        var codeElement = alert.Length == 4 && alert != "N999" ? "AlertCode" : "DCCAlertCode";
        Assert.Equal(alert, root.SelectSingleNode($"//*[local-name()='{codeElement}']")!.InnerText);
        Assert.Equal(throttled, root.SelectSingleNode("//*[local-name()='ThrottledAlertCount']")?.InnerText);
        IndependentDuisCheck.VerifySignatureOf(root, SharedDuis.Keys);
        foreach (XmlElement inner in root.SelectNodes("//*[local-name()='S1SPAlert']")!)
        {
            IndependentDuisCheck.VerifySignatureOf(inner, CapacitySim.Duis.Signing.ShippedTestMaterial.Smets1ServiceProviderDirectory);
        }
    }

    [Fact]
    public void Without_DUIS_material_it_signs_with_the_generated_test_PKI()
    {
        var file = temp.File("own-pki.xml");
        var (exit, _, error) = CliRunner.Run("duis", "sample", "--srv", "4.1.1", "--kind", "request", "--sign", "--pki-dir", temp.Path, "--out", file);
        Assert.True(exit == 0, error);
        var doc = IndependentDuisCheck.Load(File.ReadAllBytes(file));
        Assert.Empty(Schema.Value.Validate(File.ReadAllBytes(file)));
        var certificate = IndependentDuisCheck.VerifySignatureOf(doc.DocumentElement!, temp.Path);
        Assert.StartsWith(temp.Path, certificate, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--srv", "4.99", "not a DUIS v5.4 Service Reference Variant")]
    [InlineData("--code", "E9999", "not a response code")]
    [InlineData("--originator", "90-B3-D5", "not an EUI-64")]
    public void Bad_options_get_a_clear_error(string option, string value, string expected)
    {
        var args = new List<string> { "duis", "sample", "--srv", "4.1.1", "--kind", "response", "--pki-dir", temp.Path };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (exit, _, error) = CliRunner.Run([.. args]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private XmlDocument Sample(params string[] options)
    {
        var file = temp.File(Guid.NewGuid().ToString("N") + ".xml");
        var (exit, _, error) = CliRunner.Run(["duis", "sample", .. options, "--duis-dir", SharedDuis.Directory, "--pki-dir", temp.Path, "--out", file]);
        Assert.True(exit == 0, error);
        var bytes = File.ReadAllBytes(file);
        var findings = Schema.Value.Validate(bytes);
        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
        return IndependentDuisCheck.Load(bytes);
    }
}
