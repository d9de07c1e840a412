namespace CapacitySim.Load.Results;

/// <summary>Names taken from a scenario (its file, its categories) made safe for file names in a result folder.</summary>
public static class ResultFileNames
{
    /// <summary>
    /// <paramref name="name"/> with every character other than an ASCII letter, digit, '-' or '_' replaced by '-': safe
    /// on every file system, and free of the commas and spaces that would break a histogram log line's tag.
    /// </summary>
    public static string Safe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return string.Create(name.Length, name, static (chars, source) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                var c = source[i];
                chars[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-';
            }
        });
    }
}
