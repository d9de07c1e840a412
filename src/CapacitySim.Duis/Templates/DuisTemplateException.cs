namespace CapacitySim.Duis.Templates;

/// <summary>
/// A DUIS request could not be compiled into a <see cref="RequestTemplate"/>: the message names the source
/// (file name or the name given by the caller) and what is wrong with it.
/// </summary>
public sealed class DuisTemplateException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public DuisTemplateException()
        : base("The DUIS request could not be compiled into a template.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public DuisTemplateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public DuisTemplateException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    private DuisTemplateException(string sourceName, string problem, Exception? innerException)
        : base($"DUIS request template '{sourceName}': {problem}", innerException)
        => SourceName = sourceName;

    /// <summary>The file name (or caller-given name) of the request that failed to compile; null when unknown.</summary>
    public string? SourceName { get; }

    internal static DuisTemplateException For(string sourceName, string problem, Exception? innerException = null)
        => new(sourceName, problem, innerException);
}
