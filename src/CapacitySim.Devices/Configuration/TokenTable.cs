namespace CapacitySim.Devices.Configuration;

/// <summary>
/// The words a file may use for the values of one enumeration (<c>esme</c>, <c>north</c>, <c>smets1</c>), in the
/// order they are listed in messages. Every reader looks words up here, so a file that names a device type means the
/// same thing in an estate, a devices CSV, a scenario's targets and a behaviour file.
/// </summary>
/// <typeparam name="T">The enumeration.</typeparam>
public sealed class TokenTable<T>
    where T : struct, Enum
{
    private readonly (string Token, T Value)[] entries;

    /// <summary>Creates the table from its words and values, in the order they are listed.</summary>
    public TokenTable(params (string Token, T Value)[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        this.entries = entries;
        var tokens = new string[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            tokens[i] = entries[i].Token;
        }

        Names = string.Join(", ", tokens);
    }

    /// <summary>Every word, comma-separated, as messages list what is expected (<c>north, central, south</c>).</summary>
    public string Names { get; }

    /// <summary>The value a word names exactly as listed, or null.</summary>
    public T? Parse(string text) => Find(text, StringComparison.Ordinal);

    /// <summary>The value a word names in any case (<c>ESME</c>, <c>esme</c>), or null.</summary>
    public T? ParseIgnoringCase(string text) => Find(text, StringComparison.OrdinalIgnoreCase);

    /// <summary>The word for <paramref name="value"/>, or its enumeration name when the table has none.</summary>
    public string Token(T value)
    {
        foreach (var (token, v) in entries)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return token;
            }
        }

        return value.ToString();
    }

    private T? Find(string text, StringComparison comparison)
    {
        foreach (var (token, value) in entries)
        {
            if (string.Equals(token, text, comparison))
            {
                return value;
            }
        }

        return null;
    }
}
