namespace CapacitySim.Load.Arrivals;

/// <summary>
/// Where the <see cref="Pacer"/> hands each arrival at its intended time: the engine that takes a connection or
/// in-flight slot and sends the request. Called on the pacer's thread, so it must not block; it allocates nothing in
/// steady state.
/// </summary>
public interface IArrivalSink
{
    /// <summary>Takes one arrival.</summary>
    /// <param name="arrival">The arrival being released.</param>
    /// <param name="intendedTimestamp">
    /// When it should have been sent, on the pacer's <see cref="TimeProvider"/> timestamp scale; corrected latency is
    /// measured from here (no coordinated omission).
    /// </param>
    /// <param name="actualTimestamp">When the pacer released it, on the same scale; uncorrected latency is measured from here.</param>
    /// <returns>
    /// True when a slot was free and the request is on its way; false when none was, and the pacer counts the arrival
    /// as dropped (it is never queued to be sent later).
    /// </returns>
    bool OnArrival(in Arrival arrival, long intendedTimestamp, long actualTimestamp);
}
