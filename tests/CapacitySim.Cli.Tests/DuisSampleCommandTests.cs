using System.Xml;
using CapacitySim.Cli.Duis;
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

    [Fact]
    public void Count_writes_that_many_signed_requests_into_a_folder_with_counters_increasing_by_one()
    {
        var folder = Path.Combine(temp.Path, "batch");
        var (exit, _, error) = CliRunner.Run(
            "duis", "sample", "--srv", "4.1.1", "--kind", "request", "--sign", "--count", "12", "--counter", "995",
            "--duis-dir", SharedDuis.Directory, "--pki-dir", temp.Path, "--out", folder + "/");
        Assert.True(exit == 0, error);
        Assert.Contains("wrote 12 requests (", error, StringComparison.Ordinal);
        Assert.Contains($", signed), counters 995 to 1006: {Path.Combine(folder, "request-0995.xml")} to {Path.Combine(folder, "request-1006.xml")}", error, StringComparison.Ordinal);

        // Names are padded to the last counter's width, so the folder's order is the counters' order.
        var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(995, 12).Select(n => Path.Combine(folder, $"request-{n:0000}.xml")), files);

        var env = DuisEnvironment.Open(SharedDuis.Directory, temp.Path);
        var counters = new List<ulong>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            using var report = new StringWriter();
            Assert.True(DuisInspectCommand.Inspect(file, bytes, env, allowUnsigned: false, report) == 0, report.ToString());
            Assert.Contains("signature:         valid", report.ToString(), StringComparison.Ordinal);
            var requestId = IndependentDuisCheck.Load(bytes).SelectSingleNode("//*[local-name()='RequestID']")!.InnerText.Split(':');
            Assert.Equal("90-B3-D5-1F-30-01-00-00", requestId[0]);
            counters.Add(ulong.Parse(requestId[2], System.Globalization.CultureInfo.InvariantCulture));
        }

        // One originator, counters strictly increasing, as DUIS wants them.
        Assert.Equal(Enumerable.Range(995, 12).Select(n => (ulong)n), counters);
    }

    [Fact]
    public void Count_writes_to_a_file_name_pattern_whose_n_is_the_counter()
    {
        var pattern = Path.Combine(temp.Path, "pattern", "alert-{n}-unsigned.xml");
        var (exit, _, error) = CliRunner.Run(
            "duis", "sample", "--srv", "4.1.1", "--kind", "alert", "--alert", "8F01", "--count", "3", "--counter", "8",
            "--duis-dir", SharedDuis.Directory, "--pki-dir", temp.Path, "--out", pattern);
        Assert.True(exit == 0, error);
        var files = new[] { "08", "09", "10" }.Select(n => pattern.Replace("{n}", n, StringComparison.Ordinal)).ToList();
        Assert.All(files, f => Assert.True(File.Exists(f), f));
        for (var i = 0; i < files.Count; i++)
        {
            var bytes = File.ReadAllBytes(files[i]);
            Assert.Empty(Schema.Value.Validate(bytes));
            var responseId = IndependentDuisCheck.Load(bytes).SelectSingleNode("//*[local-name()='ResponseID']")!.InnerText;
            Assert.EndsWith($":{8 + i}", responseId, StringComparison.Ordinal);
            Assert.DoesNotContain("<ds:Signature", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, "2", "--count 2 writes 2 XML documents, which standard output cannot keep apart: give --out a folder (--out batch/) or a file name with {n} for the counter (--out batch/request-{n}.xml).")]
    [InlineData("one.xml", "2", "--count 2 writes 2 XML documents, which one file (")]
    [InlineData("out/", "0", "--count 0: expected 1 to 1,000,000 messages.")]
    [InlineData("out/", "1000001", "--count 1000001: expected 1 to 1,000,000 messages.")]
    public void Count_refuses_what_it_cannot_write_apart(string? output, string count, string expected)
    {
        var args = new List<string> { "duis", "sample", "--srv", "4.1.1", "--kind", "request", "--pki-dir", temp.Path, "--count", count };
        if (output is not null)
        {
            args.AddRange(["--out", Path.Combine(temp.Path, "refused", output)]);
        }

        var (exit, written, error) = CliRunner.Run([.. args]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Empty(written);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "refused")));
    }

    [Fact]
    public void Count_refuses_counters_past_the_largest_a_DUIS_counter_can_be()
    {
        var (exit, _, error) = CliRunner.Run(
            "duis", "sample", "--srv", "4.1.1", "--kind", "request", "--pki-dir", temp.Path, "--count", "3",
            "--counter", "18446744073709551614", "--out", Path.Combine(temp.Path, "overflow") + "/");
        Assert.Equal(2, exit);
        Assert.Contains("--count 3 from counter 18446744073709551614: the last counter would pass 18446744073709551615", error, StringComparison.Ordinal);
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
