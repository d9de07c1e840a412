using System.Text;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Cli.Tests;

/// <summary><c>capacitysim duis inspect</c> on real DCC Boxed messages and on broken ones.</summary>
public sealed class DuisInspectCommandTests : IClassFixture<TempFolder>
{
    private readonly TempFolder temp;

    public DuisInspectCommandTests(TempFolder temp) => this.temp = temp;

    public static TheoryData<string> SignedSamples()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(SharedDuis.SignedSamples).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SignedSamples))]
    public void Signed_DCC_Boxed_requests_pass_every_check(string name)
    {
        var (exit, output, _) = Inspect(Path.Combine(SharedDuis.SignedSamples, name));
        Assert.True(exit == 0, output);
        Assert.Contains("schema:            valid", output, StringComparison.Ordinal);
        Assert.Contains("signature:         valid", output, StringComparison.Ordinal);
        Assert.Contains("xml-sign-90B3D51F3", output, StringComparison.Ordinal);
        Assert.Contains("result:            OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signed_DCC_Boxed_response_verifies_with_the_DSP_certificate_it_names()
    {
        var (exit, output, _) = Inspect(Path.Combine(SharedDuis.ResponseSamples, "11.2_READ_FIRMWARE_VERSION_I0_signed.xml"));
        Assert.True(exit == 0, output);
        Assert.Contains("ResponseCode:      I0", output, StringComparison.Ordinal);
        Assert.Contains("dsp-xml-sign-90B3D51F30000002-ds-pre-1.4.1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsigned_response_fails_unless_allowed()
    {
        var file = Path.Combine(SharedDuis.ResponseSamples, "11.2_E65_error.xml");
        var (exit, output, _) = Inspect(file);
        Assert.Equal(1, exit);
        Assert.Contains("not signed", output, StringComparison.Ordinal);
        (exit, output, _) = Inspect(file, "--allow-unsigned");
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void A_changed_byte_in_a_signed_request_is_caught()
    {
        var original = File.ReadAllText(Path.Combine(SharedDuis.SignedSamples, "ECS17b_4.1.1_REQUEST_DUIS-signed.xml"));
        var tampered = original.Replace("<sr:CommandVariant>2<", "<sr:CommandVariant>1<", StringComparison.Ordinal);
        Assert.NotEqual(original, tampered);
        var file = temp.File("tampered.xml");
        File.WriteAllText(file, tampered);
        var (exit, output, _) = Inspect(file);
        Assert.Equal(1, exit);
        Assert.Contains("digest mismatch", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_message_names_the_line_and_column()
    {
        var original = File.ReadAllBytes(Path.Combine(SharedDuis.RequestSamples, "ECS17b_4.1.1_REQUEST_DUIS.XML"));
        var file = temp.File("truncated.xml");
        File.WriteAllBytes(file, original.AsSpan(0, 400).ToArray());
        var (exit, output, _) = Inspect(file);
        Assert.Equal(1, exit);
        Assert.Matches("header: \\w+ at line \\d+, column \\d+", output);
    }

    [Fact]
    public void A_schema_violation_is_reported_with_its_position()
    {
        var original = File.ReadAllText(Path.Combine(SharedDuis.ResponseSamples, "11.2_E65_error.xml"));
        var file = temp.File("bad-code.xml");
        File.WriteAllText(file, original.Replace(">E65<", ">E9999<", StringComparison.Ordinal), Encoding.UTF8);
        var (exit, output, _) = Inspect(file, "--allow-unsigned");
        Assert.Equal(1, exit);
        Assert.Contains("schema:", output, StringComparison.Ordinal);
        Assert.Contains("E9999", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sample_signed_with_the_test_PKI_inspects_clean_without_DUIS_material()
    {
        var file = temp.File("smets1.xml");
        var (exit, _, error) = CliRunner.Run("duis", "sample", "--srv", "4.1.1", "--kind", "response", "--smets1", "--sign", "--pki-dir", temp.Path, "--out", file);
        Assert.True(exit == 0, error);
        var (inspectExit, output, _) = CliRunner.Run("duis", "inspect", file, "--pki-dir", temp.Path);
        Assert.True(inspectExit == 0, output);
        Assert.Contains("schema:            not checked", output, StringComparison.Ordinal);
        Assert.Contains("inner signature:   SMETS1SignedResponse: valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var (exit, _, error) = CliRunner.Run("duis", "inspect", temp.File("nope.xml"), "--pki-dir", temp.Path);
        Assert.Equal(2, exit);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
    }

    private (int Exit, string Output, string Error) Inspect(string file, params string[] extra)
        => CliRunner.Run(["duis", "inspect", file, "--duis-dir", SharedDuis.Directory, "--pki-dir", temp.Path, .. extra]);
}
