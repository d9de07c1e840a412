namespace CapacitySim.Load.Arrivals;

/// <summary>
/// One scheduled arrival of the open model: the request that should be sent at <see cref="IntendedOffsetTicks"/>
/// after the run's start, whether or not the system under test keeps up.
/// </summary>
/// <param name="Index">Position of the arrival in the whole run, from 0, continuous across phases.</param>
/// <param name="PhaseIndex">Index of the load-profile phase the arrival belongs to.</param>
/// <param name="IntendedOffsetTicks">
/// Intended send time as an absolute offset from the run start, in scenario time, in <see cref="TimeSpan"/> ticks
/// (100 ns). Absolute, so a late arrival never moves the ones after it.
/// </param>
public readonly record struct Arrival(long Index, int PhaseIndex, long IntendedOffsetTicks)
{
    /// <summary>The intended send time as a scenario-time offset from the run start.</summary>
    public TimeSpan IntendedOffset => new(IntendedOffsetTicks);
}
