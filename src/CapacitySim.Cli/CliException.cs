namespace CapacitySim.Cli;

/// <summary>A user-facing error: printed as one clear message on standard error, exit code 2, no stack trace.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CliException()
    {
    }
}
