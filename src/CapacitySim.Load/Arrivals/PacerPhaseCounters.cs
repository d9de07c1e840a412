namespace CapacitySim.Load.Arrivals;

/// <summary>What the pacer did with one phase's arrivals (or, from <see cref="Pacer.GetTotals"/>, the whole run's).</summary>
/// <param name="Scheduled">Arrivals the schedule holds for the phase.</param>
/// <param name="Released">Arrivals handed to the sink that it accepted (sent).</param>
/// <param name="Dropped">Arrivals handed to the sink that it refused for want of a free slot; never sent later.</param>
/// <param name="Late">
/// Arrivals, accepted or dropped, handed to the sink more than <see cref="PacerOptions.LatenessThreshold"/> after their
/// intended time.
/// </param>
/// <param name="MaxLateness">The largest delay (real time) between an arrival's intended time and its release.</param>
public readonly record struct PacerPhaseCounters(long Scheduled, long Released, long Dropped, long Late, TimeSpan MaxLateness)
{
    /// <summary>Arrivals not yet handed to the sink (still to come, or abandoned when the run was stopped).</summary>
    public long Pending => Scheduled - Released - Dropped;
}
