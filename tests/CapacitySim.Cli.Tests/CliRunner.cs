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

/// <summary>A temporary folder per test class: the test PKI and written files go there, never into the user's cache.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "capacitysim-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test's result stands.
        }
    }
}
