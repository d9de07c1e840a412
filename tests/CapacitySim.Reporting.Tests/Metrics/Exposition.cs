using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Prometheus;

namespace CapacitySim.Reporting.Tests.Metrics;

/// <summary>One sample of the Prometheus text format: metric name, labels and value.</summary>
internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var v) ? v : "";
}

/// <summary>A scrape of a registry, parsed the way Prometheus reads the text format.</summary>
internal sealed partial class Exposition
{
    private Exposition(string text, IReadOnlyList<Sample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<Sample> Samples { get; }

    public static async Task<Exposition> ScrapeAsync(params CollectorRegistry[] registries)
    {
        using var stream = new MemoryStream();
        foreach (var registry in registries)
        {
            await registry.CollectAndExportAsTextAsync(stream);
        }

        return Parse(Encoding.UTF8.GetString(stream.ToArray()));
    }

    public static Exposition Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"Not a sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups[1].Value] = label.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }

            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }

        return new Exposition(text, samples);
    }

    public IEnumerable<Sample> Named(string name) => Samples.Where(s => s.Name == name);

    /// <summary>The single sample of <paramref name="name"/> whose labels include every pair given.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var found = Named(name).Where(s => labels.All(l => s.Label(l.Name) == l.Value)).ToList();
        Assert.True(found.Count == 1, $"{found.Count} samples of {name} {string.Join(",", labels)} in:\n{Text}");
        return found[0].Value;
    }

    /// <summary>The value, or 0 when the series does not exist (a counter never incremented).</summary>
    public double ValueOrZero(string name, params (string Name, string Value)[] labels)
    {
        var found = Named(name).Where(s => labels.All(l => s.Label(l.Name) == l.Value)).ToList();
        Assert.True(found.Count <= 1, $"{found.Count} samples of {name} {string.Join(",", labels)}");
        return found.Count == 0 ? 0 : found[0].Value;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
