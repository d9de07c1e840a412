using CapacitySim.Cli.Dcc;
using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Dcc.Simulation;
using CapacitySim.Dcc.Validation;
using CapacitySim.Devices.Configuration;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Cli.Tests;

/// <summary>
/// The delivery settings of <c>capacitysim dcc</c>: the settings file (every mistake at its file, line and column),
/// options overriding it, the checks on the merged values, and the status line's split of what is pending.
/// </summary>
public sealed class DccSettingsTests : IClassFixture<TempFolder>
{
    private static readonly DccDeliverySettings Defaults = DccDeliverySettings.Defaults;
    private readonly TempFolder temp;

    public DccSettingsTests(TempFolder temp) => this.temp = temp;

    [Fact]
    public void Defaults_are_the_delivery_defaults_SEC_and_assumptions_give()
    {
        var options = Defaults.ToOptions();
        Assert.Equal(TimeSpan.FromSeconds(300), options.RetryWindow);
        Assert.Equal(TimeSpan.FromSeconds(2), options.InitialBackoff);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxBackoff);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ProbeInterval);
        Assert.Equal(TimeSpan.FromDays(2), options.FailedQueueHold);
        Assert.Equal(8, options.ConnectionsPerEndpoint);
        Assert.All(Values(Defaults), v => Assert.Equal(SettingOrigin.Default, v.Origin));
        Assert.Empty(Defaults.Conflicts());
    }

    [Fact]
    public void The_shipped_example_file_loads_and_states_every_default()
    {
        var path = Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "dcc", "settings.yaml");
        var loaded = DccSettingsFile.Load(path, Defaults);

        // Every key is written in the example, so every value comes from it and equals the built-in default.
        Assert.All(Values(loaded), v => Assert.Equal(SettingOrigin.File, v.Origin));
        Assert.Equal(Defaults.ToOptions().RetryWindow, loaded.RetryWindow.Value);
        Assert.Equal(Defaults.ToOptions().InitialBackoff, loaded.RetryBackoff.Value);
        Assert.Equal(Defaults.ToOptions().MaxBackoff, loaded.RetryBackoffMax.Value);
        Assert.Equal(Defaults.ToOptions().ProbeInterval, loaded.ProbeInterval.Value);
        Assert.Equal(Defaults.ToOptions().FailedQueueHold, loaded.FailedQueueHold.Value);
        Assert.Equal(Defaults.ToOptions().ConnectionsPerEndpoint, loaded.ConnectionsPerEndpoint.Value);
        Assert.Empty(loaded.Conflicts());
    }

    [Fact]
    public void A_file_sets_the_keys_it_names_at_their_positions_and_leaves_the_rest_default()
    {
        var loaded = DccSettingsFile.Parse("delivery:\n  retryWindow: 90s\n  failedQueueHold: 1d12h\n  connectionsPerEndpoint: 2\n", "dcc.yaml", Defaults);

        Assert.Equal(TimeSpan.FromSeconds(90), loaded.RetryWindow.Value);
        Assert.Equal(new SourcePosition(2, 16), loaded.RetryWindow.Position);
        Assert.Equal("dcc.yaml", loaded.RetryWindow.File);
        Assert.Equal(TimeSpan.FromHours(36), loaded.FailedQueueHold.Value);
        Assert.Equal(2, loaded.ConnectionsPerEndpoint.Value);
        Assert.Equal(SettingOrigin.Default, loaded.RetryBackoff.Origin);
        Assert.Equal(Defaults.RetryBackoff.Value, loaded.RetryBackoff.Value);

        var options = loaded.ToOptions();
        Assert.Equal(TimeSpan.FromSeconds(90), options.RetryWindow);
        Assert.Equal(TimeSpan.FromHours(36), options.FailedQueueHold);
        Assert.Equal(2, options.ConnectionsPerEndpoint);
    }

    [Theory]
    [InlineData("delivery:\n  retryWindow: [5m\n", "3:1: YAML syntax: While parsing a flow sequence, did not find expected ',' or ']'.")]
    [InlineData("delivery: 5m\n", "1:11: delivery must be a mapping of keys to values, not the value '5m'.")]
    [InlineData("delivry:\n  retryWindow: 5m\n", "1:1: Unknown key 'delivry' at the top level: did you mean 'delivery'?")]
    [InlineData("tls: {}\n", "1:1: Unknown key 'tls' at the top level (expected one of delivery).")]
    [InlineData("delivery:\n  retryWindw: 5m\n", "2:3: Unknown key 'retryWindw' in delivery: did you mean 'retryWindow'?")]
    [InlineData("delivery:\n  backoff: 5s\n", "2:3: Unknown key 'backoff' in delivery (expected one of retryWindow, retryBackoff, retryBackoffMax, probeInterval, failedQueueHold, connectionsPerEndpoint).")]
    [InlineData("delivery:\n  retryWindow: -5m\n", "2:16: delivery.retryWindow '-5m' is negative")]
    [InlineData("delivery:\n  retryWindow: 300\n", "2:16: delivery.retryWindow '300' is not a duration: write a number and a unit, for example 250ms, 30s, 5m, 1h, 2d or 1h30m.")]
    [InlineData("delivery:\n  probeInterval: 0s\n", "2:18: delivery.probeInterval is zero: it must be longer than 0s.")]
    [InlineData("delivery:\n  failedQueueHold:\n", "2:19: delivery.failedQueueHold has no value.")]
    [InlineData("delivery:\n  connectionsPerEndpoint: 0\n", "2:27: delivery.connectionsPerEndpoint 0 is out of range: expected 1 to 1000.")]
    [InlineData("delivery:\n  connectionsPerEndpoint: eight\n", "2:27: delivery.connectionsPerEndpoint 'eight' is not a whole number.")]
    public void Each_mistake_in_the_file_is_refused_at_its_file_line_and_column(string yaml, string expected)
    {
        var (path, error) = Refused(yaml);
        Assert.Contains($"{path}:{expected}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mistake_in_the_file_is_reported_in_one_pass()
    {
        var (path, error) = Refused("delivery:\n  retryWindow: soon\n  connectionsPerEndpoint: -1\n  colour: blue\n");
        Assert.StartsWith("3 problems with the delivery settings:", error, StringComparison.Ordinal);
        Assert.Contains($"{path}:2:16: ", error, StringComparison.Ordinal);
        Assert.Contains($"{path}:3:27: ", error, StringComparison.Ordinal);
        Assert.Contains($"{path}:4:3: Unknown key 'colour'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("delivery:\n  retryWindow: 5s\n  retryBackoff: 10s\n", "3:17: delivery.retryBackoff 10s is longer than delivery.retryWindow 5s ({0}:2:16): retries are made within the window")]
    [InlineData("delivery:\n  retryBackoff: 10s\n  retryBackoffMax: 5s\n", "3:20: delivery.retryBackoffMax 5s is shorter than delivery.retryBackoff 10s ({0}:2:17)")]
    [InlineData("delivery:\n  retryBackoffMax: 10m\n", "2:20: delivery.retryBackoffMax 10m is longer than retryWindow 5m (the default)")]
    [InlineData("delivery:\n  probeInterval: 3d\n", "2:18: delivery.probeInterval 72h is longer than failedQueueHold 48h (the default): a message would expire on the failed queue before the first probe re-posts it.")]
    public void Values_that_make_no_sense_together_are_refused_at_the_one_to_change(string yaml, string expected)
    {
        var (path, error) = Refused(yaml);
        Assert.Contains(path + ":" + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, path), error, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_override_the_file_which_overrides_the_defaults()
    {
        var path = Written("override.yaml", "delivery:\n  retryWindow: 10m\n  probeInterval: 1m\n  connectionsPerEndpoint: 4\n");

        var resolved = DccDeliveryCommandOptions.Resolve(path, new DeliveryOptionValues(RetryWindow: "90s", ConnectionsPerEndpoint: 16));

        Assert.Equal((TimeSpan.FromSeconds(90), SettingOrigin.Option), (resolved.RetryWindow.Value, resolved.RetryWindow.Origin));
        Assert.Equal((16, SettingOrigin.Option), (resolved.ConnectionsPerEndpoint.Value, resolved.ConnectionsPerEndpoint.Origin));
        Assert.Equal((TimeSpan.FromMinutes(1), SettingOrigin.File), (resolved.ProbeInterval.Value, resolved.ProbeInterval.Origin));
        Assert.Equal((Defaults.FailedQueueHold.Value, SettingOrigin.Default), (resolved.FailedQueueHold.Value, resolved.FailedQueueHold.Origin));
        Assert.Equal(
            $"retried within 1m30s [--retry-window] (back-off 2s doubling to 1m), then on the failed queue, probed every 1m [override.yaml:3] and held 48h; 16 [--connections-per-endpoint] connections per endpoint",
            resolved.Describe());

        var options = resolved.ToOptions();
        Assert.Equal(TimeSpan.FromSeconds(90), options.RetryWindow);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ProbeInterval);
        Assert.Equal(16, options.ConnectionsPerEndpoint);
    }

    [Fact]
    public void An_option_may_mend_a_conflict_in_the_file_and_is_named_when_it_causes_one()
    {
        // The file alone conflicts with the default 2 s back-off; the option that shortens the back-off mends it.
        var (path, alone) = Refused("delivery:\n  retryWindow: 1s\n  retryBackoffMax: 1s\n");
        Assert.Contains($"retryBackoff 2s (the default) is longer than delivery.retryWindow 1s ({path}:2:16): retries are made within the window, so the first wait before one must fit in it.", alone, StringComparison.Ordinal);
        Assert.Contains($"{path}:3:20: delivery.retryBackoffMax 1s is shorter than retryBackoff 2s (the default)", alone, StringComparison.Ordinal);
        var mended = DccDeliveryCommandOptions.Resolve(path, new DeliveryOptionValues(RetryBackoff: "500ms"));
        Assert.Equal(TimeSpan.FromMilliseconds(500), mended.ToOptions().InitialBackoff);
        Assert.Equal(TimeSpan.FromSeconds(1), mended.ToOptions().RetryWindow);

        var caused = Assert.Throws<CliException>(() => DccDeliveryCommandOptions.Resolve(path, new DeliveryOptionValues(RetryBackoff: "500ms", RetryBackoffMax: "2s"))).Message;
        Assert.Equal($"--retry-backoff-max 2s is longer than delivery.retryWindow 1s ({path}:2:16): no wait before a retry can be longer than the window the retries are made in.", caused);
    }

    [Fact]
    public void A_bad_settings_file_exits_2_with_its_positions_before_anything_listens()
    {
        var path = Written("bad-settings.yaml", "delivery:\n  retryWindow: 5\n  probeInterval: 1w\n");
        var (exit, output, error) = CliRunner.Run("--pki-dir", Path.Combine(temp.Path, "pki"), "dcc", "--port", "0", "--settings", path);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
        Assert.Contains($"{path}:2:16: delivery.retryWindow '5' is not a duration", error, StringComparison.Ordinal);
        Assert.Contains($"{path}:3:18: delivery.probeInterval '1w' is not a duration", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_line_shows_queued_retrying_and_failed_queue_apart()
    {
        var counters = default(DeliveryCounters) with { Accepted = 60, Delivered = 10, Queued = 7, Retrying = 3, FailedQueue = 40 };
        var line = DccReport.StatusLine(Snapshot(counters), 12.5, TimeSpan.FromSeconds(3725));
        Assert.Contains("  delivered 10 queued 7 retrying 3 failed queue 40  alerts", line, StringComparison.Ordinal);
        Assert.StartsWith("01:02:05  12.5 req/s", line, StringComparison.Ordinal);

        // A re-delivery in flight is its own passing state, shown only while there is one, as /metrics shows it apart.
        var redelivering = DccReport.StatusLine(Snapshot(counters with { FailedQueue = 39, Redelivering = 1 }), 0, TimeSpan.Zero);
        Assert.Contains("  delivered 10 queued 7 retrying 3 failed queue 39 redelivering 1  alerts", redelivering, StringComparison.Ordinal);
    }

    private string Written(string name, string yaml)
    {
        var path = temp.File(name);
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>A settings file of its own with <paramref name="yaml"/>, and the message the command gives for it.</summary>
    private (string Path, string Error) Refused(string yaml)
    {
        var path = Written(Guid.NewGuid().ToString("N") + ".yaml", yaml);
        return (path, Assert.Throws<CliException>(() => DccDeliveryCommandOptions.Resolve(path, new DeliveryOptionValues())).Message);
    }

    private static DccAccountingSnapshot Snapshot(DeliveryCounters counters) => new()
    {
        Delivery = new DeliverySnapshot(counters, []),
        AlertStorm = new AlertStormSnapshot(true, 0, default, []),
        Validation = new ValidationCounters().Snapshot(),
    };

    private static IEnumerable<(SettingOrigin Origin, string Key)> Values(DccDeliverySettings s) =>
    [
        (s.RetryWindow.Origin, s.RetryWindow.Name.Key),
        (s.RetryBackoff.Origin, s.RetryBackoff.Name.Key),
        (s.RetryBackoffMax.Origin, s.RetryBackoffMax.Name.Key),
        (s.ProbeInterval.Origin, s.ProbeInterval.Name.Key),
        (s.FailedQueueHold.Origin, s.FailedQueueHold.Name.Key),
        (s.ConnectionsPerEndpoint.Origin, s.ConnectionsPerEndpoint.Name.Key),
    ];
}
