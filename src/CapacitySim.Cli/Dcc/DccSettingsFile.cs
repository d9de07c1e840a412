using CapacitySim.Devices.Configuration;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Cli.Dcc;

/// <summary>
/// The settings file of <c>capacitysim dcc</c> (<c>--settings FILE</c>), read with the scenario files' positioned
/// reader so that every mistake is reported with its file, line and column, all in one pass:
/// <code>
/// delivery:
///   retryWindow: 5m            # retried within this window after the first failure
///   retryBackoff: 2s           # first wait before a retry, doubled after each
///   retryBackoffMax: 1m        # longest wait before a retry
///   probeInterval: 30s         # while an endpoint is down, its oldest failed message is re-posted this often
///   failedQueueHold: 2d        # then held on the failed queue this long before it expires
///   connectionsPerEndpoint: 8  # keep-alive connections (concurrent POSTs) per user endpoint
/// </code>
/// Every key is optional; what is left out keeps its default, and options on the command line override the file.
/// Durations are scenario time, so <c>--time-compression</c> shortens them as it does device latencies.
/// </summary>
internal static class DccSettingsFile
{
    private static readonly string[] RootKeys = ["delivery"];

    /// <summary>Reads the file over <paramref name="defaults"/>.</summary>
    /// <exception cref="ConfigException">The file has mistakes: every one, with its position.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DccDeliverySettings Load(string path, DccDeliverySettings defaults)
        => Parse(File.ReadAllText(path), path, defaults);

    /// <summary>Reads settings from YAML text over <paramref name="defaults"/>; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ConfigException">The text has mistakes: every one, with its position.</exception>
    public static DccDeliverySettings Parse(string yaml, string source, DccDeliverySettings defaults)
    {
        var reader = new Reader(source);
        var settings = reader.Read(yaml, defaults);
        return reader.Errors.Count == 0 ? settings : throw new ConfigException(reader.SortedErrors());
    }

    private sealed class Reader(string source) : YamlFileReader(source)
    {
        public DccDeliverySettings Read(string yaml, DccDeliverySettings settings)
        {
            if (LoadRoot(yaml) is not { } rootNode || Mapping(rootNode, string.Empty) is not { } root)
            {
                return settings;
            }

            var top = Keys(root, string.Empty, RootKeys);
            if (!top.TryGetValue("delivery", out var deliveryNode) || Mapping(deliveryNode, "delivery") is not { } delivery)
            {
                return settings;
            }

            var keys = Keys(delivery, "delivery", DeliverySettingName.Keys);
            return settings with
            {
                RetryWindow = Time(keys, settings.RetryWindow),
                RetryBackoff = Time(keys, settings.RetryBackoff),
                RetryBackoffMax = Time(keys, settings.RetryBackoffMax),
                ProbeInterval = Time(keys, settings.ProbeInterval),
                FailedQueueHold = Time(keys, settings.FailedQueueHold),
                ConnectionsPerEndpoint = Count(keys, settings.ConnectionsPerEndpoint),
            };
        }

        /// <summary>A duration of more than 0, in any unit up to days (a failed-queue hold is counted in days).</summary>
        private Sourced<TimeSpan> Time(Dictionary<string, YamlNode> keys, Sourced<TimeSpan> current)
            => keys.TryGetValue(current.Name.Key, out var node) && Duration(node, "delivery." + current.Name.Key, allowDays: true) is { } value
                ? FromFile(current, value, node)
                : current;

        private Sourced<int> Count(Dictionary<string, YamlNode> keys, Sourced<int> current)
            => keys.TryGetValue(current.Name.Key, out var node) && Integer(node, "delivery." + current.Name.Key, 1, DeliverySettingName.MaxConnections) is { } value
                ? FromFile(current, (int)value, node)
                : current;

        private Sourced<T> FromFile<T>(Sourced<T> current, T value, YamlNode node)
            where T : notnull
            => current with { Value = value, Origin = SettingOrigin.File, File = Source, Position = PositionOf(node) };
    }
}
