namespace CapacitySim.Dcc.Alerts;

/// <summary>Counters of storm protection for one alert code, or totals over all codes.</summary>
/// <param name="Generated">Alerts evaluated (raised by devices or the DCC).</param>
/// <param name="Delivered">Alerts let through (Generated = Delivered + Suppressed).</param>
/// <param name="Suppressed">Alerts suppressed.</param>
/// <param name="DeliveredWithThrottleInfo">Delivered alerts that carried ThrottledAlertCount.</param>
/// <param name="Excluded">Delivered alerts of excluded codes (never throttled).</param>
/// <param name="Untracked">Delivered alerts of a new pair that found the state table full (not throttled).</param>
/// <param name="SuppressedNeverReported">
/// Suppressed alerts whose pair's state was reclaimed before a later delivered alert could report them.
/// </param>
public readonly record struct AlertCodeCounters(
    long Generated,
    long Delivered,
    long Suppressed,
    long DeliveredWithThrottleInfo,
    long Excluded,
    long Untracked,
    long SuppressedNeverReported);

/// <summary>A point-in-time view of storm protection.</summary>
/// <param name="Enabled">Whether protection is on.</param>
/// <param name="TrackedPairs">Device and code pairs with state held now.</param>
/// <param name="Totals">Counters over all codes.</param>
/// <param name="ByCode">Counters per alert code seen, ordered by key.</param>
public sealed record AlertStormSnapshot(
    bool Enabled,
    long TrackedPairs,
    AlertCodeCounters Totals,
    IReadOnlyList<KeyValuePair<AlertCodeKey, AlertCodeCounters>> ByCode);
