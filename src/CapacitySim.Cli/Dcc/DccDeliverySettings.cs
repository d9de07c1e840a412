using System.Globalization;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Time;

namespace CapacitySim.Cli.Dcc;

/// <summary>Where a delivery setting's value came from.</summary>
internal enum SettingOrigin : byte
{
    /// <summary>The built-in default (<see cref="DeliveryOptions"/>).</summary>
    Default,

    /// <summary>The settings file's <c>delivery</c> section.</summary>
    File,

    /// <summary>An option on the command line.</summary>
    Option,
}

/// <summary>A delivery setting's two names: its key in the settings file's <c>delivery</c> section and its option.</summary>
/// <param name="Key">Key in the settings file, such as <c>retryWindow</c>.</param>
/// <param name="Option">Option of <c>capacitysim dcc</c>, such as <c>--retry-window</c>.</param>
internal sealed record DeliverySettingName(string Key, string Option)
{
    public static readonly DeliverySettingName RetryWindow = new("retryWindow", "--retry-window");
    public static readonly DeliverySettingName RetryBackoff = new("retryBackoff", "--retry-backoff");
    public static readonly DeliverySettingName RetryBackoffMax = new("retryBackoffMax", "--retry-backoff-max");
    public static readonly DeliverySettingName ProbeInterval = new("probeInterval", "--probe-interval");
    public static readonly DeliverySettingName FailedQueueHold = new("failedQueueHold", "--failed-queue-hold");
    public static readonly DeliverySettingName ConnectionsPerEndpoint = new("connectionsPerEndpoint", "--connections-per-endpoint");

    /// <summary>The keys the settings file's <c>delivery</c> section accepts.</summary>
    public static readonly IReadOnlyList<string> Keys =
        [RetryWindow.Key, RetryBackoff.Key, RetryBackoffMax.Key, ProbeInterval.Key, FailedQueueHold.Key, ConnectionsPerEndpoint.Key];

    /// <summary>The most connections (and delivery workers) per endpoint: each is a socket and a task per user endpoint.</summary>
    public const int MaxConnections = 1000;
}

/// <summary>One delivery setting's value and where it came from, so that a message can name what to change.</summary>
/// <param name="Name">Which setting.</param>
/// <param name="Value">Its value.</param>
/// <param name="Origin">Default, settings file or option.</param>
/// <param name="File">For a value from the settings file, the file.</param>
/// <param name="Position">For a value from the settings file, where it is written.</param>
internal readonly record struct Sourced<T>(DeliverySettingName Name, T Value, SettingOrigin Origin, string? File = null, SourcePosition Position = default)
    where T : notnull
{
    /// <summary>The value as the settings file and the options write it (<c>5m</c>, <c>8</c>).</summary>
    public string Text => Value is TimeSpan t ? DurationText.Format(t) : Convert.ToString(Value, CultureInfo.InvariantCulture)!;

    /// <summary>The setting, its value and where it came from, for a message: <c>--retry-window 5m</c>.</summary>
    public string Described => Origin switch
    {
        SettingOrigin.Option => $"{Name.Option} {Text}",
        SettingOrigin.File => $"delivery.{Name.Key} {Text} ({File}:{Position})",
        _ => $"{Name.Key} {Text} (the default)",
    };

    /// <summary>Where the value came from, for the banner (which names the file in full once); null for the default.</summary>
    public string? Tag => Origin switch
    {
        SettingOrigin.Option => Name.Option,
        SettingOrigin.File => $"{Path.GetFileName(File)}:{Position.Line}",
        _ => null,
    };
}

/// <summary>
/// How the simulated DCC delivers responses and alerts to users' endpoints: the built-in defaults, overridden by the
/// settings file's <c>delivery</c> section, overridden by options. Each value keeps where it came from, so that a
/// conflict names the file position or the option to change. Read once when the DCC starts.
/// </summary>
internal sealed record DccDeliverySettings
{
    /// <summary>The built-in defaults, which are <see cref="DeliveryOptions"/>' own, so the two cannot drift apart.</summary>
    public static DccDeliverySettings Defaults { get; } = FromDefaults(new DeliveryOptions());

    /// <summary>Window after a message's first failure within which it is retried.</summary>
    public required Sourced<TimeSpan> RetryWindow { get; init; }

    /// <summary>First wait before a retry; doubled after each.</summary>
    public required Sourced<TimeSpan> RetryBackoff { get; init; }

    /// <summary>Longest wait before a retry.</summary>
    public required Sourced<TimeSpan> RetryBackoffMax { get; init; }

    /// <summary>While an endpoint is down, how often its oldest failed message is re-posted.</summary>
    public required Sourced<TimeSpan> ProbeInterval { get; init; }

    /// <summary>How long a message is held on the failed queue before it is expired.</summary>
    public required Sourced<TimeSpan> FailedQueueHold { get; init; }

    /// <summary>Keep-alive connections, and so concurrent POSTs, per endpoint.</summary>
    public required Sourced<int> ConnectionsPerEndpoint { get; init; }

    /// <summary>The delivery options of the simulated DCC; what these settings do not cover keeps its default.</summary>
    public DeliveryOptions ToOptions() => new()
    {
        RetryWindow = RetryWindow.Value,
        InitialBackoff = RetryBackoff.Value,
        MaxBackoff = RetryBackoffMax.Value,
        ProbeInterval = ProbeInterval.Value,
        FailedQueueHold = FailedQueueHold.Value,
        ConnectionsPerEndpoint = ConnectionsPerEndpoint.Value,
    };

    /// <summary>
    /// Values that make no sense together, each as one message. Checked after the file and the options are merged, as
    /// an option may mend what the file alone gets wrong.
    /// </summary>
    public List<string> Conflicts()
    {
        var conflicts = new List<string>();
        LongerThan(conflicts, RetryBackoff, RetryWindow, "retries are made within the window, so the first wait before one must fit in it");
        if (RetryBackoffMax.Value < RetryBackoff.Value)
        {
            conflicts.Add($"{Lead(RetryBackoffMax)} is shorter than {RetryBackoff.Described}: the wait before a retry starts at {RetryBackoff.Name.Key} and doubles up to {RetryBackoffMax.Name.Key}.");
        }

        LongerThan(conflicts, RetryBackoffMax, RetryWindow, "no wait before a retry can be longer than the window the retries are made in");
        LongerThan(conflicts, ProbeInterval, FailedQueueHold, "a message would expire on the failed queue before the first probe re-posts it");
        return conflicts;
    }

    /// <summary>One line for the banner: every value, and where those that are not the default came from.</summary>
    public string Describe()
        => $"retried within {Tagged(RetryWindow)} (back-off {Tagged(RetryBackoff)} doubling to {Tagged(RetryBackoffMax)}), " +
           $"then on the failed queue, probed every {Tagged(ProbeInterval)} and held {Tagged(FailedQueueHold)}; " +
           $"{Tagged(ConnectionsPerEndpoint)} connections per endpoint";

    private static DccDeliverySettings FromDefaults(DeliveryOptions o) => new()
    {
        RetryWindow = new(DeliverySettingName.RetryWindow, o.RetryWindow, SettingOrigin.Default),
        RetryBackoff = new(DeliverySettingName.RetryBackoff, o.InitialBackoff, SettingOrigin.Default),
        RetryBackoffMax = new(DeliverySettingName.RetryBackoffMax, o.MaxBackoff, SettingOrigin.Default),
        ProbeInterval = new(DeliverySettingName.ProbeInterval, o.ProbeInterval, SettingOrigin.Default),
        FailedQueueHold = new(DeliverySettingName.FailedQueueHold, o.FailedQueueHold, SettingOrigin.Default),
        ConnectionsPerEndpoint = new(DeliverySettingName.ConnectionsPerEndpoint, o.ConnectionsPerEndpoint, SettingOrigin.Default),
    };

    private static void LongerThan(List<string> conflicts, Sourced<TimeSpan> shorter, Sourced<TimeSpan> longer, string why)
    {
        if (shorter.Value > longer.Value)
        {
            conflicts.Add($"{Lead(shorter)} is longer than {longer.Described}: {why}.");
        }
    }

    /// <summary>
    /// The value a message is about, at its start: a file value led by its position as compilers write it, so that
    /// editors jump to it.
    /// </summary>
    private static string Lead<T>(Sourced<T> value)
        where T : notnull
        => value.Origin == SettingOrigin.File ? $"{value.File}:{value.Position}: delivery.{value.Name.Key} {value.Text}" : value.Described;

    private static string Tagged<T>(Sourced<T> value)
        where T : notnull
        => value.Tag is { } tag ? $"{value.Text} [{tag}]" : value.Text;
}
