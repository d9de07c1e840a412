using System.Globalization;
using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Time;

namespace CapacitySim.Load.Scenarios;

/// <summary>A response time-out the scenario or the command line sets for a set of categories.</summary>
/// <param name="Categories">The categories it applies to (a category or group name, as checks write them).</param>
/// <param name="Timeout">Scenario time from the send after which a request with no final response is timed out.</param>
/// <param name="Position">Where it was written (line 0 for the command line).</param>
public readonly record struct ResponseTimeoutSetting(PerformanceCategorySet Categories, TimeSpan Timeout, SourcePosition Position)
{
    /// <summary>
    /// Parses a command-line setting: <c>CATEGORIES=DURATION</c> (<c>on_demand=90s</c>, <c>transform+non_device=10s</c>)
    /// or a bare duration for every category.
    /// </summary>
    public static bool TryParse(string text, out ResponseTimeoutSetting setting, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var categories = PerformanceCategorySet.All;
        if (equals >= 0 && !TryParseCategories(text.AsSpan(0, equals), out categories, out error))
        {
            setting = default;
            return false;
        }

        var duration = text.AsSpan(equals + 1).Trim();
        if (!DurationText.TryParse(duration, out var timeout) || timeout <= TimeSpan.Zero)
        {
            setting = default;
            error = $"'{duration}' is not a positive duration (90s, 2m, 1h30m)";
            return false;
        }

        setting = new ResponseTimeoutSetting(categories, timeout, default);
        error = string.Empty;
        return true;
    }

    /// <summary>Parses category and group names joined by '+' (<c>transform+non_device</c>) into the set they stand for.</summary>
    public static bool TryParseCategories(ReadOnlySpan<char> names, out PerformanceCategorySet categories, out string error)
    {
        categories = default;
        foreach (var range in names.Split('+'))
        {
            var name = names[range].Trim();
            if (!PerformanceCategories.TryParseSet(name, out var set))
            {
                error = $"'{name}' is not a performance category or group ({string.Join(", ", PerformanceCategories.CategoryNames)}; or {string.Join(", ", PerformanceCategories.GroupNames)})";
                return false;
            }

            categories = categories.Union(set);
        }

        error = string.Empty;
        return true;
    }
}

/// <summary>
/// How long the users wait for each category's final response, in scenario time from the send, before counting the
/// request timed out. A category's default is derived from its own Target Response Time and, for traffic that reaches
/// a device, the DCC's deadline for it: the DCC gives up on the device at its deadline (E21 on-demand, E30
/// future-dated) and that answer must still be delivered, which the TRT allows for; traffic the DCC answers itself
/// (Transform, Non-Device) waits twice its TRT. Settings from the scenario (<c>responseTimeouts:</c>) and then from the
/// command line (<c>--response-timeout</c>) replace the defaults of the categories they name, later ones winning.
/// </summary>
public sealed class ResponseTimeouts
{
    private readonly TimeSpan[] timeouts;
    private readonly string[] origins;

    private ResponseTimeouts(TimeSpan[] timeouts, string[] origins)
    {
        this.timeouts = timeouts;
        this.origins = origins;
    }

    /// <summary>The time-out of a category.</summary>
    public TimeSpan this[PerformanceCategory category] => timeouts[(int)category];

    /// <summary>Where a category's time-out comes from: <c>default</c>, <c>scenario</c> or <c>command line</c>.</summary>
    public string OriginOf(PerformanceCategory category) => origins[(int)category];

    /// <summary>The longest time-out of any category a request can be in (alerts are not requests and do not count).</summary>
    public TimeSpan LongestForRequests
    {
        get
        {
            var longest = TimeSpan.Zero;
            for (var c = 0; c < timeouts.Length; c++)
            {
                if (IsRequestCategory((PerformanceCategory)c))
                {
                    longest = timeouts[c] > longest ? timeouts[c] : longest;
                }
            }

            return longest;
        }
    }

    /// <summary>
    /// The time-outs of a run: each category's default from <paramref name="levels"/> and
    /// <paramref name="deviceDeadline"/>, then <paramref name="scenario"/>'s settings, then
    /// <paramref name="commandLine"/>'s, each replacing what came before for the categories it names.
    /// </summary>
    /// <param name="levels">The performance levels (each category's TRT).</param>
    /// <param name="deviceDeadline">The DCC's deadline for a category that reaches a device, or null for one it answers itself.</param>
    /// <param name="scenario">The scenario's settings.</param>
    /// <param name="commandLine">The command line's settings.</param>
    public static ResponseTimeouts Resolve(
        PerformanceLevels levels,
        Func<PerformanceCategory, TimeSpan?> deviceDeadline,
        IReadOnlyList<ResponseTimeoutSetting> scenario,
        IReadOnlyList<ResponseTimeoutSetting> commandLine)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(deviceDeadline);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(commandLine);
        var timeouts = new TimeSpan[PerformanceCategories.Count];
        var origins = new string[timeouts.Length];
        for (var c = 0; c < timeouts.Length; c++)
        {
            var category = (PerformanceCategory)c;
            var trt = levels[category].TargetResponseTime;
            timeouts[c] = deviceDeadline(category) is { } deadline ? deadline + trt : trt * 2;
            origins[c] = "default";
        }

        Apply(scenario, "scenario");
        Apply(commandLine, "command line");
        return new ResponseTimeouts(timeouts, origins);

        void Apply(IReadOnlyList<ResponseTimeoutSetting> settings, string origin)
        {
            foreach (var setting in settings)
            {
                for (var c = 0; c < timeouts.Length; c++)
                {
                    if (setting.Categories.Contains((PerformanceCategory)c))
                    {
                        timeouts[c] = setting.Timeout;
                        origins[c] = origin;
                    }
                }
            }
        }
    }

    /// <summary>True for the categories a request (not an alert) is in.</summary>
    public static bool IsRequestCategory(PerformanceCategory category)
        => category is not (PerformanceCategory.DeviceAlert or PerformanceCategory.Smets1DeviceAlert or PerformanceCategory.DccAlert);

    /// <summary>One line for the start of a run: each request category's time-out, those set by the user marked.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        for (var c = 0; c < timeouts.Length; c++)
        {
            var category = (PerformanceCategory)c;
            if (IsRequestCategory(category))
            {
                var set = origins[c] == "default" ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({origins[c]})");
                parts.Add($"{PerformanceCategories.NameOf(category)} {DurationText.Format(timeouts[c])}{set}");
            }
        }

        return string.Join(", ", parts);
    }
}
