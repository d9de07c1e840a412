namespace CapacitySim.Cli.Tests;

/// <summary>Runs the real <c>capacitysim</c> command tree in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CapacitySimCommand.Run(args, new CliConsole(output, error));
        return (exit, output.ToString(), error.ToString());
    }
}
