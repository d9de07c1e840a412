namespace CapacitySim.Devices.Estate;

/// <summary>One mistake in a spec file, where it is.</summary>
/// <param name="File">The file (or source name) the spec was read from.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record SpecError(string File, int Line, int Column, string Message)
{
    /// <summary><c>file:line:column: message</c>, as compilers write it, so editors can jump to it.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>A spec file has mistakes: all of them, so that one edit can fix them all.</summary>
public sealed class SpecException : Exception
{
    /// <summary>Creates the exception from the mistakes found (at least one).</summary>
    public SpecException(IReadOnlyList<SpecError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates an exception with a message and no positioned errors.</summary>
    public SpecException()
        : this([])
    {
    }

    /// <summary>Creates an exception with a message and no positioned errors.</summary>
    public SpecException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates an exception with a message, an inner exception and no positioned errors.</summary>
    public SpecException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every mistake found, in file order.</summary>
    public IReadOnlyList<SpecError> Errors { get; }

    private static string Describe(IReadOnlyList<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            return "The spec is not valid.";
        }

        var file = errors[0].File;
        return $"{errors.Count} error(s) in {file}:{Environment.NewLine}" + string.Join(Environment.NewLine, errors);
    }
}
