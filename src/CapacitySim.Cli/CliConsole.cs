namespace CapacitySim.Cli;

/// <summary>Where a command writes: the process's console, or writers a test supplies.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    public static CliConsole System => new(Console.Out, Console.Error);
}
