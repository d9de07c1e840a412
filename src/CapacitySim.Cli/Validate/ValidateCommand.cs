using System.CommandLine;
using System.Globalization;
using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Time;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Cli.Validate;

/// <summary>
/// <c>capacitysim validate FILE…</c>: checks scenario files and the files they name without running anything, and
/// prints every mistake as <c>file:line:column: message</c> (the form editors and CI logs link to). Exit code 0 when
/// every file is valid, 2 otherwise.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Scenario file(s) to check.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("validate", "Check scenario files (and the estate, performance levels and behaviour files they name); report every error with file, line and column.")
        {
            files,
        };
        command.SetAction(parse => Run(parse.GetValue(files)!, console));
        return command;
    }

    internal static int Run(IReadOnlyList<string> files, CliConsole console)
    {
        var exit = 0;
        foreach (var file in files)
        {
            try
            {
                var scenario = ScenarioLoader.Load(file);
                console.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{file}: OK ({Count(scenario.Phases.Count, "phase")}, {Count(scenario.Users.Count, "user")}, {Count(scenario.Checks.Count, "check")}, duration {DurationText.Format(scenario.Duration)})"));
            }
            catch (ConfigException e)
            {
                foreach (var error in e.Errors)
                {
                    console.Error.WriteLine(error.ToString());
                }

                console.Error.WriteLine($"{file}: {Count(e.Errors.Count, "error")}");
                exit = 2;
            }
        }

        return exit;
    }

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");
}
