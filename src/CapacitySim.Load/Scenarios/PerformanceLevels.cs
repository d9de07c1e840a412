using CapacitySim.Devices.Configuration;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Load.Scenarios;

/// <summary>The performance level of one category: its Target Response Time and service levels, with their source.</summary>
/// <param name="Category">The category.</param>
/// <param name="TargetResponseTime">The Target Response Time (TRT).</param>
/// <param name="TargetPercent">Share of responses within the TRT the DCC aims for, in percent.</param>
/// <param name="MinimumPercent">Share below which the service level is failed, in percent.</param>
/// <param name="Source">Where the figures come from, or "ASSUMPTION: …" with the reason.</param>
/// <param name="Position">Where the row is in its file.</param>
public sealed record PerformanceLevel(
    PerformanceCategory Category,
    TimeSpan TargetResponseTime,
    double TargetPercent,
    double MinimumPercent,
    string Source,
    SourcePosition Position)
{
    /// <summary>True when no public source confirmed the figures (reports say so).</summary>
    public bool IsAssumption => Source.StartsWith("ASSUMPTION", StringComparison.Ordinal);
}

/// <summary>
/// The performance levels a run is judged against (<c>scenarios/performance-levels.yaml</c>): one row per
/// <see cref="PerformanceCategory"/>, each naming its source or saying it is an assumption. They are configuration,
/// never constants in code, because the public record confirms few of them.
/// </summary>
public sealed class PerformanceLevels
{
    /// <summary>The keys of a row.</summary>
    internal static readonly string[] RowKeys = ["trt", "target", "minimum", "source"];

    /// <summary>The keys at the top of the file.</summary>
    internal static readonly string[] RootKeys = ["levels", "roundTripTest"];

    /// <summary>The keys of the round trip test section.</summary>
    internal static readonly string[] RoundTripKeys = ["trt", "source"];

    private readonly PerformanceLevel[] levels;

    private PerformanceLevels(string path, PerformanceLevel[] levels, PerformanceLevel? roundTrip)
    {
        Path = path;
        this.levels = levels;
        RoundTripTest = roundTrip;
    }

    /// <summary>The file the levels were read from.</summary>
    public string Path { get; }

    /// <summary>Every level, in <see cref="PerformanceCategory"/> order.</summary>
    public IReadOnlyList<PerformanceLevel> All => levels;

    /// <summary>
    /// The DCC round-trip test limit, when the file gives one (its <see cref="PerformanceLevel.Category"/> is
    /// <see cref="PerformanceCategory.OnDemandEsmeChf"/>, the traffic a test command is; its percentages are 100).
    /// </summary>
    public PerformanceLevel? RoundTripTest { get; }

    /// <summary>The level of a category.</summary>
    public PerformanceLevel this[PerformanceCategory category] => levels[(int)category];

    /// <summary>Reads and checks a performance levels file.</summary>
    /// <exception cref="ConfigException">The file is missing or has mistakes: every one, with its position.</exception>
    public static PerformanceLevels Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ConfigException([new ConfigError(path, 0, 0, "Performance levels file not found.")]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads and checks performance levels from YAML text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ConfigException">The text has mistakes.</exception>
    public static PerformanceLevels Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(source);
        var reader = new Reader(source);
        var levels = reader.Read(yaml);
        if (levels is null || reader.Errors.Count > 0)
        {
            throw new ConfigException(reader.SortedErrors());
        }

        return levels;
    }

    /// <summary>What <see cref="Path"/> says of the levels shipped inside the tool.</summary>
    public const string BuiltInSource = "built-in (the shipped scenarios/performance-levels.yaml)";

    /// <summary>The levels shipped inside the tool (the project's <c>scenarios/performance-levels.yaml</c>, embedded at build).</summary>
    public static PerformanceLevels BuiltIn => field ??= Parse(BuiltInText(), BuiltInSource);

    /// <summary>True when these are the levels shipped inside the tool.</summary>
    public bool IsBuiltIn => Path == BuiltInSource;

    internal static string BuiltInText()
    {
        using var stream = typeof(PerformanceLevels).Assembly.GetManifestResourceStream("CapacitySim.performance-levels.yaml")
            ?? throw new InvalidOperationException("The built-in performance levels are missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Reads the file; returns null (with errors) when it is not valid.</summary>
    internal static PerformanceLevels? TryRead(string yaml, string source, YamlFileReader into)
    {
        var reader = new Reader(source);
        var levels = reader.Read(yaml);
        into.AddErrors(reader.Errors);
        return reader.Errors.Count == 0 ? levels : null;
    }

    private sealed class Reader(string source) : YamlFileReader(source)
    {
        public PerformanceLevels? Read(string yaml)
        {
            if (LoadRoot(yaml) is not { } rootNode || Mapping(rootNode, string.Empty) is not { } root)
            {
                return null;
            }

            var keys = Keys(root, string.Empty, RootKeys);
            var found = new PerformanceLevel?[PerformanceCategories.Count];
            if (Required(root, keys, "levels", string.Empty) is { } levelsNode && Mapping(levelsNode, "levels") is { } map)
            {
                foreach (var (keyNode, valueNode) in map.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } name })
                    {
                        Error(keyNode, "Keys must be plain values.");
                        continue;
                    }

                    if (!PerformanceCategories.TryParse(name, out var category))
                    {
                        var near = Suggest(name, PerformanceCategories.CategoryNames);
                        Error(keyNode, near is null
                            ? $"Unknown performance category '{name}' (expected one of {string.Join(", ", PerformanceCategories.CategoryNames)})."
                            : $"Unknown performance category '{name}': did you mean '{near}'?");
                        continue;
                    }

                    found[(int)category] = Row(valueNode, $"levels.{name}", category);
                }

                for (var i = 0; i < found.Length; i++)
                {
                    if (found[i] is null && !map.Children.ContainsKey(new YamlScalarNode(PerformanceCategories.NameOf((PerformanceCategory)i))))
                    {
                        Error(map, $"levels has no row for '{PerformanceCategories.NameOf((PerformanceCategory)i)}': every category needs one.");
                    }
                }
            }

            PerformanceLevel? roundTrip = null;
            if (keys.TryGetValue("roundTripTest", out var rtNode) && Mapping(rtNode, "roundTripTest") is { } rt)
            {
                var rtKeys = Keys(rt, "roundTripTest", RoundTripKeys);
                var trt = Required(rt, rtKeys, "trt", "roundTripTest") is { } t ? Duration(t, "roundTripTest.trt") : null;
                var src = Required(rt, rtKeys, "source", "roundTripTest") is { } s ? Text(s, "roundTripTest.source") : null;
                if (trt is { } trtValue && src is not null)
                {
                    roundTrip = new PerformanceLevel(PerformanceCategory.OnDemandEsmeChf, trtValue, 100, 100, src, PositionOf(rt));
                }
            }

            if (Errors.Count > 0)
            {
                return null;
            }

            return new PerformanceLevels(Source, Array.ConvertAll(found, f => f!), roundTrip);
        }

        private PerformanceLevel? Row(YamlNode node, string path, PerformanceCategory category)
        {
            if (Mapping(node, path) is not { } row)
            {
                return null;
            }

            var keys = Keys(row, path, RowKeys);
            var trt = Required(row, keys, "trt", path) is { } t ? Duration(t, path + ".trt") : null;
            var target = Required(row, keys, "target", path) is { } tg ? Percent(tg, path + ".target") : null;
            var minimum = Required(row, keys, "minimum", path) is { } mn ? Percent(mn, path + ".minimum") : null;
            var source = Required(row, keys, "source", path) is { } s ? Text(s, path + ".source") : null;
            if (target is { } tv && minimum is { } mv && mv > tv)
            {
                Error(keys["minimum"], $"{path}.minimum {Invariant(mv)}% is above the target {Invariant(tv)}%: the minimum service level is the lower one.");
                return null;
            }

            return trt is { } trtValue && target is { } targetValue && minimum is { } minimumValue && source is not null
                ? new PerformanceLevel(category, trtValue, targetValue, minimumValue, source, PositionOf(row))
                : null;
        }
    }
}
