using System.Globalization;
using CapacitySim.Devices.Time;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Devices.Configuration;

/// <summary>
/// Reads a YAML file through its node tree (not by deserialising into classes), so that every value keeps the position
/// YamlDotNet gives it and every mistake is reported with its line and column; each helper reports what is wrong and
/// returns null, and reading goes on, so that the whole file is checked in one pass. Paths name values the way the
/// JSON Schema does (<c>users[0].mix[1].srv</c>); every value read is recorded with its position under its path.
/// Every file a user writes is read through it, so that they all report mistakes the same way, as
/// <see cref="ConfigError"/>s.
/// </summary>
public abstract class YamlFileReader(string source)
{
    private readonly List<ConfigError> errors = [];
    private readonly Dictionary<string, SourcePosition> positions = new(StringComparer.Ordinal);

    public string Source => source;

    public IReadOnlyList<ConfigError> Errors => errors;

    public IReadOnlyDictionary<string, SourcePosition> Positions => positions;

    /// <summary>Whether a mistake has been found.</summary>
    public bool HasErrors => errors.Count > 0;

    public void AddErrors(IEnumerable<ConfigError> more) => errors.AddRange(more);

    public void Error(Mark at, string message) => errors.Add(new ConfigError(source, (int)at.Line, (int)at.Column, message));

    public void Error(YamlNode node, string message) => Error(node.Start, message);

    public void Error(SourcePosition at, string message) => errors.Add(new ConfigError(source, at.Line, at.Column, message));

    public static SourcePosition PositionOf(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);

    /// <summary>The errors sorted by file, then line and column (files in the order their first error was found).</summary>
    public List<ConfigError> SortedErrors()
    {
        var fileOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in errors)
        {
            fileOrder.TryAdd(e.File, fileOrder.Count);
        }

        var sorted = new List<ConfigError>(errors);
        sorted.Sort((a, b) =>
        {
            var f = fileOrder[a.File].CompareTo(fileOrder[b.File]);
            return f != 0 ? f : a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column);
        });
        return sorted;
    }

    /// <summary>Every mistake found, sorted (see <see cref="SortedErrors"/>), as one exception.</summary>
    public ConfigException Failure() => new(SortedErrors());

    /// <summary>The file's one document's root node, or null (with the mistake reported) when there is not exactly one.</summary>
    protected YamlNode? LoadRoot(string yaml)
    {
        if (LoadStream(yaml) is not { } stream)
        {
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(new ConfigError(source, 1, 1, $"Expected one YAML document, found {stream.Documents.Count}."));
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    /// <summary>The file's documents, or null (with the mistake reported) when it is not YAML.</summary>
    protected YamlStream? LoadStream(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(yaml);
            stream.Load(reader);
            return stream;
        }
        catch (YamlException e)
        {
            Error(e.Start, SyntaxError(e));
            return null;
        }
    }

    /// <summary>How a YAML syntax error is reported.</summary>
    protected virtual string SyntaxError(YamlException error) => "YAML syntax: " + (error?.InnerException?.Message ?? error?.Message);

    protected void Track(string path, YamlNode node) => positions[path] = PositionOf(node);

    protected YamlMappingNode? Mapping(YamlNode node, string path)
    {
        Track(path, node);
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node, $"{Name(path)} must be a mapping of keys to values{Found(node)}.");
        return null;
    }

    protected YamlSequenceNode? Sequence(YamlNode node, string path)
    {
        Track(path, node);
        if (node is YamlSequenceNode seq)
        {
            return seq;
        }

        Error(node, $"{Name(path)} must be a list{Found(node)}.");
        return null;
    }

    protected YamlScalarNode? Scalar(YamlNode node, string path)
    {
        Track(path, node);
        if (node is YamlScalarNode { Value: { Length: > 0 } } scalar)
        {
            return scalar;
        }

        Error(node, node is YamlScalarNode ? $"{Name(path)} has no value." : $"{Name(path)} must be a single value{Found(node)}.");
        return null;
    }

    /// <summary>
    /// The keys of a mapping, checked against the allowed ones: an unknown key is reported with the nearest allowed
    /// key when it looks like a misspelling of it, so a typo does not silently turn into a default.
    /// </summary>
    protected Dictionary<string, YamlNode> Keys(YamlMappingNode map, string path, IReadOnlyList<string> allowed)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Error(keyNode, "Keys must be plain values.");
                continue;
            }

            if (!Contains(allowed, key))
            {
                var near = Suggest(key, allowed);
                var where = path.Length == 0 ? "at the top level" : $"in {path}";
                Error(keyNode, near is null
                    ? $"Unknown key '{key}' {where} (expected one of {string.Join(", ", allowed)})."
                    : $"Unknown key '{key}' {where}: did you mean '{near}'?");
                continue;
            }

            result[key] = valueNode;
        }

        return result;
    }

    protected YamlNode? Required(YamlMappingNode map, Dictionary<string, YamlNode> keys, string key, string path)
    {
        if (keys.TryGetValue(key, out var node))
        {
            return node;
        }

        Error(map, $"Missing key '{key}' in {(path.Length == 0 ? "the file" : path)}.");
        return null;
    }

    protected string? Text(YamlNode node, string path) => Scalar(node, path)?.Value;

    protected double? Number(YamlNode node, string path, double min = double.MinValue, double max = double.MaxValue, bool exclusiveMin = false)
    {
        if (Scalar(node, path) is not { } s)
        {
            return null;
        }

        var text = s.Value!.Replace("_", string.Empty, StringComparison.Ordinal);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(s, $"{Name(path)} '{s.Value}' is not a number.");
            return null;
        }

        if (value < min || (exclusiveMin && value <= min))
        {
            Error(s, min == 0
                ? $"{Name(path)} {s.Value} is {(value < 0 ? "negative" : "zero")}: it must be {(exclusiveMin ? "more than 0" : "0 or more")}."
                : $"{Name(path)} {s.Value} is below {Invariant(min)}.");
            return null;
        }

        if (value > max)
        {
            Error(s, $"{Name(path)} {s.Value} is above {Invariant(max)}.");
            return null;
        }

        return value;
    }

    protected long? Integer(YamlNode node, string path, long min, long max)
    {
        if (Scalar(node, path) is not { } s)
        {
            return null;
        }

        var text = s.Value!.Replace("_", string.Empty, StringComparison.Ordinal);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(s, $"{Name(path)} '{s.Value}' is not a whole number.");
            return null;
        }

        if (value < min || value > max)
        {
            Error(s, $"{Name(path)} {value} is out of range: expected {min} to {max}.");
            return null;
        }

        return value;
    }

    protected ulong? ULong(YamlNode node, string path)
    {
        if (Scalar(node, path) is not { } s)
        {
            return null;
        }

        var text = s.Value!.Replace("_", string.Empty, StringComparison.Ordinal);
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(s, $"{Name(path)} '{s.Value}' is not a whole number from 0 to {ulong.MaxValue}.");
        return null;
    }

    protected bool? Bool(YamlNode node, string path)
    {
        if (Scalar(node, path) is not { } s)
        {
            return null;
        }

        switch (s.Value)
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                Error(s, $"{Name(path)} '{s.Value}' is not true or false.");
                return null;
        }
    }

    /// <summary>A duration such as <c>30s</c> (see <see cref="DurationText"/>); <c>2d</c> too where <paramref name="allowDays"/>.</summary>
    protected TimeSpan? Duration(YamlNode node, string path, bool allowZero = false, bool allowDays = false)
    {
        if (Scalar(node, path) is not { } s)
        {
            return null;
        }

        var text = s.Value!;
        if (text.StartsWith('-'))
        {
            Error(s, $"{Name(path)} '{text}' is negative: durations are zero or more.");
            return null;
        }

        if (!DurationText.TryParse(text, out var value, allowDays))
        {
            Error(s, $"{Name(path)} '{text}' is not a duration: write a number and a unit, for example 250ms, 30s, 5m, 1h{(allowDays ? ", 2d" : string.Empty)} or 1h30m.");
            return null;
        }

        if (value == TimeSpan.Zero && !allowZero)
        {
            Error(s, $"{Name(path)} is zero: it must be longer than 0s.");
            return null;
        }

        return value;
    }

    /// <summary>A percentage: <c>99%</c> or <c>99</c>, from 0 to 100.</summary>
    protected double? Percent(YamlNode node, string path)
    {
        if (Scalar(node, path) is not { } s)
        {
            return null;
        }

        var text = s.Value!.TrimEnd('%').Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(s, $"{Name(path)} '{s.Value}' is not a percentage (for example 99%).");
            return null;
        }

        if (value is < 0 or > 100)
        {
            Error(s, $"{Name(path)} {s.Value} is out of range: expected 0% to 100%.");
            return null;
        }

        return value;
    }

    /// <summary>A path relative to the folder of the file being read; reported when the file does not exist.</summary>
    protected string? ExistingFile(YamlNode node, string path, string baseDirectory)
    {
        if (Text(node, path) is not { } text)
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(baseDirectory, text));
        if (!File.Exists(full))
        {
            Error(node, $"{Name(path)}: file '{text}' not found (looked for {full}).");
            return null;
        }

        return full;
    }

    /// <summary>How a path is named at the start of a message: the path itself, or "The file" for the root.</summary>
    protected static string Name(string path) => path.Length == 0 ? "The file" : path;

    protected static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Found(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { Length: > 0 } v } => $", not the value '{v}'",
        YamlScalarNode => ", but it has no value",
        YamlSequenceNode => ", not a list",
        YamlMappingNode => ", not a mapping",
        _ => string.Empty,
    };

    private static bool Contains(IReadOnlyList<string> list, string key)
    {
        foreach (var k in list)
        {
            if (string.Equals(k, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The allowed key nearest to <paramref name="key"/> when it is close enough to be a misspelling.</summary>
    public static string? Suggest(string key, IReadOnlyList<string> allowed)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in allowed)
        {
            var d = EditDistance(key.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }

        // A third of the key's length, at least one and at most three edits: "durtion" → "duration", not "name" → "seed".
        var limit = Math.Clamp(key.Length / 3, 1, 3);
        return bestDistance <= limit ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
