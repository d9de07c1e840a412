using System.Xml.Linq;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Cli.Tests;

public sealed class ReportCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    private static string Fixture => Path.Combine(SharedDuis.RepositoryRoot, "tests", "CapacitySim.Reporting.Tests", "Fixtures", "summary.json");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Report_regenerates_the_three_files_from_the_folders_summary_and_states_the_verdict()
    {
        File.Copy(Fixture, temp.File("summary.json"));

        var (exit, output, error) = CliRunner.Run("report", temp.Path);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        string[] expected =
            [
                $"wrote {temp.File("report.html")}",
                $"wrote {temp.File("report.md")}",
                $"wrote {temp.File("junit.xml")}",
                "Exit criteria MET: 1 testing issue open, within the threshold of every severity.",
            ];
        Assert.Equal(string.Join('\n', expected), output.TrimEnd().ReplaceLineEndings("\n"));
        Assert.Equal(7, XDocument.Load(temp.File("junit.xml")).Descendants("testcase").Count());
        Assert.Contains("data-chart-count=\"16\"", File.ReadAllText(temp.File("report.html")), StringComparison.Ordinal);
        Assert.StartsWith("# SCT evidence report: peak-day: supplier and network operator peak\n", File.ReadAllText(temp.File("report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_an_error_naming_it()
    {
        var missing = temp.File("no-such-run");

        var (exit, output, error) = CliRunner.Run("report", missing);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Equal($"capacitysim: result folder '{missing}' not found.", error.TrimEnd());
    }

    [Fact]
    public void A_folder_without_a_summary_is_an_error_naming_the_file()
    {
        var (exit, _, error) = CliRunner.Run("report", temp.Path);

        Assert.Equal(2, exit);
        Assert.Equal($"capacitysim: {temp.File("summary.json")} not found: a result folder holds the summary.json a run writes.", error.TrimEnd());
    }

    [Fact]
    public void Invalid_json_is_an_error_naming_the_file_and_writes_nothing()
    {
        File.WriteAllText(temp.File("summary.json"), "{\n  \"scenario\": \"x\",\n  \"compression\": \"fast\"\n}");

        var (exit, output, error) = CliRunner.Run("report", temp.Path);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith($"capacitysim: {temp.File("summary.json")} is not a valid run summary (line 3", error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("report.html")));
    }
}
