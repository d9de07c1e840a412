using System.Collections.Concurrent;
using CapacitySim.Devices.Estate;

namespace CapacitySim.Dcc.Alerts;

/// <summary>Where an alert has got to, for <see cref="AlertRegionCounts"/>.</summary>
public enum AlertStage : byte
{
    /// <summary>Raised by a device or the DCC, before storm protection.</summary>
    Generated = 0,

    /// <summary>Suppressed by alert storm protection.</summary>
    Throttled,

    /// <summary>Left the lanes and was handed to delivery for at least one recipient user.</summary>
    Delivered,
}

/// <summary>One alert code in one CSP region: how many alerts reached each <see cref="AlertStage"/>.</summary>
/// <param name="Code">The alert code.</param>
/// <param name="Region">The CSP region of the device the alert is about (0 when the estate gives none).</param>
/// <param name="Generated">Alerts raised.</param>
/// <param name="Throttled">Alerts suppressed by storm protection.</param>
/// <param name="Delivered">Alerts handed to delivery (once per alert, whatever the number of recipients).</param>
public readonly record struct AlertRegionCount(AlertCodeKey Code, CspRegion Region, long Generated, long Throttled, long Delivered);

/// <summary>
/// Alerts by code and CSP region at each stage of their way through the DCC, for operations views of an alert storm
/// (which code, which region, how much storm protection held back). Counting allocates only on a code's first
/// appearance; regions are few (a byte), codes are bounded by the GBCS and DCC alert catalogues.
/// </summary>
public sealed class AlertRegionCounts
{
    private const int Stages = 3;

    // One row per region value a byte can hold, so any region indexes without a check; the estate uses four at most.
    private const int RegionSpace = 256;

    private readonly ConcurrentDictionary<uint, long[]> counts = new();

    /// <summary>Counts one alert of <paramref name="code"/> in <paramref name="region"/> reaching <paramref name="stage"/>.</summary>
    public void Count(AlertCodeKey code, CspRegion region, AlertStage stage)
    {
        var row = counts.TryGetValue(code.Value, out var r) ? r : counts.GetOrAdd(code.Value, static _ => new long[RegionSpace * Stages]);
        Interlocked.Increment(ref row[((int)region * Stages) + (int)stage]);
    }

    /// <summary>Every code and region that has counted an alert, ordered by code then region.</summary>
    public IReadOnlyList<AlertRegionCount> Snapshot()
    {
        var rows = new List<AlertRegionCount>();
        foreach (var (code, row) in counts)
        {
            for (var region = 0; region < RegionSpace; region++)
            {
                var generated = Volatile.Read(ref row[region * Stages]);
                var throttled = Volatile.Read(ref row[(region * Stages) + 1]);
                var delivered = Volatile.Read(ref row[(region * Stages) + 2]);
                if (generated != 0 || throttled != 0 || delivered != 0)
                {
                    rows.Add(new AlertRegionCount(AlertCodeKey.FromValue(code), (CspRegion)region, generated, throttled, delivered));
                }
            }
        }

        rows.Sort(static (a, b) => a.Code.Value != b.Code.Value ? a.Code.Value.CompareTo(b.Code.Value) : a.Region.CompareTo(b.Region));
        return rows;
    }
}
