namespace CapacitySim.Dcc.Alerts;

/// <summary>How many alerts of one code from one device pass in one window before the rest are suppressed.</summary>
/// <param name="Window">Length of the fixed window, in scenario time.</param>
/// <param name="Threshold">Alerts delivered per window; the ones beyond it are suppressed (at least 1).</param>
public readonly record struct AlertThrottleRule(TimeSpan Window, int Threshold);

/// <summary>
/// Configuration of the DCC's alert storm protection (SEC modification SECMP0062, Traffic Management Mechanism).
/// </summary>
/// <remarks>
/// ASSUMPTION: no public source gives the DCC's windows, thresholds or exclusion list, so every default here is a
/// placeholder to be set per run: one window of an hour with 10 alerts per device and code
/// (<see cref="DefaultRule"/>), no codes excluded, state held for an hour after a pair's window ends.
/// </remarks>
public sealed class AlertStormOptions
{
    /// <summary>False switches the whole mechanism off: every alert is delivered and still counted, for comparison runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The rule for codes without one of their own. ASSUMPTION: 10 per hour.</summary>
    public AlertThrottleRule DefaultRule { get; set; } = new(TimeSpan.FromHours(1), 10);

    /// <summary>Rules per alert code, overriding <see cref="DefaultRule"/>.</summary>
    public IDictionary<AlertCodeKey, AlertThrottleRule> Rules { get; } = new Dictionary<AlertCodeKey, AlertThrottleRule>();

    /// <summary>Codes that are never throttled (the SECMP0062 exclusion list). ASSUMPTION: empty by default.</summary>
    public ISet<AlertCodeKey> Excluded { get; } = new HashSet<AlertCodeKey>();

    /// <summary>
    /// How long a device and code pair's state (suppressed count, sequence id) is held after its window ends with no
    /// further alert; after that its slot may be reclaimed. ASSUMPTION: one hour.
    /// </summary>
    public TimeSpan StateRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Most device and code pairs tracked at once (32 bytes each, plus a quarter of free slots). Alerts of a new pair
    /// past this limit are delivered untracked and counted as such. Default 4 million pairs (about 170 MB at most,
    /// reached only if that many pairs alert within <see cref="StateRetention"/>); the table grows to it on demand.
    /// </summary>
    public int MaxTrackedPairs { get; set; } = 4 << 20;
}
