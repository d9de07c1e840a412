namespace CapacitySim.Devices.Configuration;

/// <summary>A line and column in a source file (both 1-based; 0 when the mistake concerns the whole file).</summary>
/// <param name="Line">1-based line, or 0.</param>
/// <param name="Column">1-based column, or 0.</param>
public readonly record struct SourcePosition(int Line, int Column)
{
    /// <summary><c>line:column</c>.</summary>
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// One mistake in a file a user writes (scenario, performance levels, estate, behaviour, users, DCC settings), where
/// it is.
/// </summary>
/// <param name="File">The file the mistake is in (or the name given to text read from elsewhere).</param>
/// <param name="Line">1-based line, or 0 when the mistake concerns the whole file (for example, it is missing).</param>
/// <param name="Column">1-based column, or 0.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    /// <summary><c>file:line:column: message</c>, as compilers write it, so editors can jump to it.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>A file a user writes has mistakes: all of them, so that one edit can fix them all.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception from the mistakes found (at least one).</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates an exception with no positioned errors.</summary>
    public ConfigException()
        : this([])
    {
    }

    /// <summary>Creates an exception with a message and no positioned errors.</summary>
    public ConfigException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates an exception with a message, an inner exception and no positioned errors.</summary>
    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every mistake found, by file and then in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 0
            ? "The file is not valid."
            : $"{errors.Count} error(s) in {errors[0].File}:{Environment.NewLine}" + string.Join(Environment.NewLine, errors);
    }
}
