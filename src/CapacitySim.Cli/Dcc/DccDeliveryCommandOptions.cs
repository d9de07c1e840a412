using System.CommandLine;
using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Time;

namespace CapacitySim.Cli.Dcc;

/// <summary>The delivery settings as options give them, as written (durations are parsed with the file's rules).</summary>
internal sealed record DeliveryOptionValues(
    string? RetryWindow = null,
    string? RetryBackoff = null,
    string? RetryBackoffMax = null,
    string? ProbeInterval = null,
    string? FailedQueueHold = null,
    int? ConnectionsPerEndpoint = null);

/// <summary>
/// The options of <c>capacitysim dcc</c> that set delivery (<c>--settings FILE</c> and one option per setting), and
/// how they are merged: the built-in defaults, then the settings file, then the options.
/// </summary>
internal sealed class DccDeliveryCommandOptions
{
    private const string DurationForm = "a duration with its unit, such as 30s, 5m, 2h or 2d";

    private readonly Option<string?> settings = new("--settings") { Description = "DCC settings file (YAML, like scenarios/examples/dcc-settings.yaml): delivery retry window, back-off, failed-queue probe and hold, connections per endpoint; options below override it." };
    private readonly Option<string?> retryWindow = Duration(DccDeliverySettings.Defaults.RetryWindow, "Retry a failed delivery within this window after its first failure, then move it to the failed queue");
    private readonly Option<string?> retryBackoff = Duration(DccDeliverySettings.Defaults.RetryBackoff, "First wait before retrying a failed delivery; doubled after each retry");
    private readonly Option<string?> retryBackoffMax = Duration(DccDeliverySettings.Defaults.RetryBackoffMax, "Longest wait before retrying a failed delivery");
    private readonly Option<string?> probeInterval = Duration(DccDeliverySettings.Defaults.ProbeInterval, "While an endpoint is down, re-post its oldest failed message this often to find it back");
    private readonly Option<string?> failedQueueHold = Duration(DccDeliverySettings.Defaults.FailedQueueHold, "Hold a message on the failed queue this long, then expire it");
    private readonly Option<int?> connections = new(DeliverySettingName.ConnectionsPerEndpoint.Option)
    {
        Description = $"Keep-alive connections, and so concurrent POSTs, per user endpoint (1 to {DeliverySettingName.MaxConnections}; default {DccDeliverySettings.Defaults.ConnectionsPerEndpoint.Text}).",
    };

    /// <summary>Adds the options to the <c>dcc</c> command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(settings);
        command.Options.Add(retryWindow);
        command.Options.Add(retryBackoff);
        command.Options.Add(retryBackoffMax);
        command.Options.Add(probeInterval);
        command.Options.Add(failedQueueHold);
        command.Options.Add(connections);
    }

    /// <summary>The settings file given, as a full path, or null.</summary>
    /// <exception cref="CliException">The file does not exist.</exception>
    public string? SettingsPath(ParseResult parse)
        => parse.GetValue(settings) is not { } path ? null
            : File.Exists(path) ? Path.GetFullPath(path)
            : throw new CliException($"--settings {path}: file not found.");

    /// <summary>The delivery settings the command line asks for.</summary>
    /// <exception cref="CliException">The file, an option or the two together are wrong: every mistake is listed.</exception>
    public DccDeliverySettings Resolve(ParseResult parse) => Resolve(SettingsPath(parse), new DeliveryOptionValues(
        parse.GetValue(retryWindow),
        parse.GetValue(retryBackoff),
        parse.GetValue(retryBackoffMax),
        parse.GetValue(probeInterval),
        parse.GetValue(failedQueueHold),
        parse.GetValue(connections)));

    /// <summary>The defaults, overridden by the settings file at <paramref name="settingsPath"/>, overridden by <paramref name="options"/>.</summary>
    /// <exception cref="CliException">The file, an option or the two together are wrong: every mistake is listed.</exception>
    public static DccDeliverySettings Resolve(string? settingsPath, DeliveryOptionValues options)
    {
        var resolved = DccDeliverySettings.Defaults;
        var errors = new List<string>();
        if (settingsPath is not null)
        {
            try
            {
                resolved = DccSettingsFile.Load(settingsPath, resolved);
            }
            catch (ConfigException ex)
            {
                errors.AddRange(ex.Errors.Select(e => e.ToString()));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--settings {settingsPath}: {ex.Message}", ex);
            }
        }

        resolved = resolved with
        {
            RetryWindow = Override(resolved.RetryWindow, options.RetryWindow, errors),
            RetryBackoff = Override(resolved.RetryBackoff, options.RetryBackoff, errors),
            RetryBackoffMax = Override(resolved.RetryBackoffMax, options.RetryBackoffMax, errors),
            ProbeInterval = Override(resolved.ProbeInterval, options.ProbeInterval, errors),
            FailedQueueHold = Override(resolved.FailedQueueHold, options.FailedQueueHold, errors),
            ConnectionsPerEndpoint = Override(resolved.ConnectionsPerEndpoint, options.ConnectionsPerEndpoint, errors),
        };

        // Conflicts are only meaningful between values that each read correctly.
        if (errors.Count == 0)
        {
            errors.AddRange(resolved.Conflicts());
        }

        return errors.Count switch
        {
            0 => resolved,
            1 => throw new CliException(errors[0]),
            _ => throw new CliException($"{errors.Count} problems with the delivery settings:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}"),
        };
    }

    private static Option<string?> Duration(Sourced<TimeSpan> fallback, string meaning)
        => new(fallback.Name.Option) { Description = $"{meaning} ({DurationForm}, scenario time; default {fallback.Text}).", HelpName = "duration" };

    private static Sourced<TimeSpan> Override(Sourced<TimeSpan> current, string? text, List<string> errors)
    {
        if (text is null)
        {
            return current;
        }

        var option = current.Name.Option;
        if (text.TrimStart().StartsWith('-'))
        {
            errors.Add($"{option} {text}: negative; expected {DurationForm}.");
            return current;
        }

        if (!DurationText.TryParse(text, out var value, allowDays: true))
        {
            errors.Add($"{option} {text}: not a duration; expected {DurationForm} (a bare number has no unit).");
            return current;
        }

        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{option} {text}: zero; expected a duration longer than 0s.");
            return current;
        }

        return current with { Value = value, Origin = SettingOrigin.Option, File = null, Position = default };
    }

    private static Sourced<int> Override(Sourced<int> current, int? value, List<string> errors)
    {
        if (value is not { } n)
        {
            return current;
        }

        if (n is < 1 or > DeliverySettingName.MaxConnections)
        {
            errors.Add($"{current.Name.Option} {n}: expected 1 to {DeliverySettingName.MaxConnections} connections per endpoint.");
            return current;
        }

        return current with { Value = n, Origin = SettingOrigin.Option, File = null, Position = default };
    }
}
