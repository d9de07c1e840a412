using System.CommandLine;
using CapacitySim.Cli.Validate;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    private static string Examples => Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "examples");

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_valid_scenario_prints_ok_with_its_counts_and_exits_0()
    {
        var file = Path.Combine(Examples, "every-shape.yaml");
        var (exit, output, error) = Invoke(file);

        Assert.Equal(0, exit);
        Assert.Equal($"{file}: OK (5 phases, 2 users, 7 checks, duration 2h2m35s)", output.TrimEnd());
        Assert.Empty(error);
    }

    [Fact]
    public void A_bad_scenario_prints_every_error_with_file_line_and_column_and_exits_2()
    {
        var file = temp.File("bad.yaml");
        File.Copy(Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "performance-levels.yaml"), temp.File("performance-levels.yaml"));
        File.WriteAllText(file, """
            estate:
              devicesCsv: missing.csv
            users:
              - roles: [IS]
                eui: 90-B3-D5-1F-30-01-00-00
                mix: [{ srv: 4.1.1, weight: 1 }, { srv: 99.1, weight: 1 }]
            phases:
              - ramping: { from: 1, to: -2, duraton: 1m }
            checks:
              - p99(on_demand) < 30
            """);

        var (exit, output, error) = Invoke(file);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        string[] expected =
            [
                $"{file}:2:15: estate.devicesCsv: file 'missing.csv' not found (looked for {temp.File("missing.csv")}).",
                $"{file}:6:45: users[0].mix[1].srv '99.1' is not a Service Reference Variant of the DUIS v5.4 catalogue (for example 4.1.1 or 8.2).",
                $"{file}:8:14: Missing key 'duration' in phases[0].ramping.",
                $"{file}:8:29: phases[0].ramping.to -2 is negative: it must be 0 or more.",
                $"{file}:8:33: Unknown key 'duraton' in phases[0].ramping: did you mean 'duration'?",
                $"{file}:10:24: checks[0] 'p99(on_demand) < 30': A latency needs a unit: ms, s, m or h (for example 30s). (column 20 of the check)",
                $"{file}: 6 errors",
            ];
        Assert.Equal(string.Join('\n', expected), error.TrimEnd().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Several_files_are_each_reported_and_one_bad_file_fails_the_run()
    {
        var good = Path.Combine(Examples, "external-dcc.yaml");
        var missing = temp.File("nope.yaml");
        var (exit, output, error) = Invoke(good, missing);

        Assert.Equal(2, exit);
        Assert.StartsWith($"{good}: OK (1 phase, 1 user, 2 checks, duration 20s)", output, StringComparison.Ordinal);
        Assert.Contains($"{missing}: Scenario file not found.", error, StringComparison.Ordinal);
    }

    private static (int Exit, string Out, string Error) Invoke(params string[] files)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = ValidateCommand.Create(new CliConsole(output, error));
        var root = new RootCommand { command };
        var exit = root.Parse(["validate", .. files]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
