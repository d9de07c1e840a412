namespace CapacitySim.Load.Arrivals;

/// <summary>How the <see cref="Pacer"/> maps scenario time to its clock and how it waits. All waits are real time.</summary>
public sealed record PacerOptions
{
    /// <summary>
    /// Scenario seconds per real second (real offset = scenario offset ÷ factor): the run's time compression, the same
    /// factor as its <see cref="CapacitySim.Devices.Time.CompressedTimeProvider"/>. 1 is real time.
    /// </summary>
    public double CompressionFactor { get; init; } = 1;

    /// <summary>
    /// How long before an arrival the pacer stops sleeping and starts polling the clock: the operating system may wake
    /// a sleeping thread this much late, so sleeping closer would make arrivals late.
    /// </summary>
    public TimeSpan CoarseWaitLead { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How long before an arrival the pacer polls the clock without a pause between polls (yielding only to threads that are ready to run), so it releases on time.</summary>
    public TimeSpan SpinWindow { get; init; } = TimeSpan.FromMicroseconds(100);

    /// <summary>
    /// The largest share of a core the pacer may spend polling for arrivals. Polling costs about
    /// <see cref="SpinWindow"/> per arrival, so above a rate of <c>MaxWaitShare ÷ SpinWindow</c> (2,500 a second with
    /// the defaults) the pacer stops polling and releases in batches, sleeping about a millisecond between them; the
    /// arrivals keep their intended times, so any lateness is counted and shows in corrected latency. 1 never batches.
    /// </summary>
    public double MaxWaitShare { get; init; } = 0.25;

    /// <summary>An arrival released more than this (real time) after its intended time counts as late; it is still released.</summary>
    public TimeSpan LatenessThreshold { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The longest single sleep: the pacer re-reads the clock at least this often, so a clock that jumps or a stop
    /// request is noticed promptly.
    /// </summary>
    public TimeSpan MaxCoarseWait { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Every reason these options cannot be used, all at once; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(CompressionFactor > 0) || double.IsInfinity(CompressionFactor))
        {
            errors.Add($"the time compression factor must be a positive number (was {CompressionFactor})");
        }

        if (CoarseWaitLead < TimeSpan.Zero)
        {
            errors.Add($"the coarse wait lead must not be negative (was {CoarseWaitLead})");
        }

        if (SpinWindow < TimeSpan.Zero || SpinWindow > CoarseWaitLead)
        {
            errors.Add($"the spin window must be between zero and the coarse wait lead (was {SpinWindow})");
        }

        if (!(MaxWaitShare > 0) || MaxWaitShare > 1)
        {
            errors.Add($"the largest waiting share of a core must be above 0 and at most 1 (was {MaxWaitShare})");
        }

        if (LatenessThreshold < TimeSpan.Zero)
        {
            errors.Add($"the lateness threshold must not be negative (was {LatenessThreshold})");
        }

        if (MaxCoarseWait <= TimeSpan.Zero)
        {
            errors.Add($"the longest sleep must be positive (was {MaxCoarseWait})");
        }

        return errors;
    }
}
