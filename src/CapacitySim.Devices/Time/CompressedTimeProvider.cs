namespace CapacitySim.Devices.Time;

/// <summary>
/// Scenario time that runs <see cref="Factor"/> times faster than the underlying clock, from a fixed start: at ×100 a
/// 30 s device latency passes in 0.3 s of real time, so CI runs finish in seconds. Timers created from it fire after
/// the compressed interval. A factor of 1 is real time. One instance is the clock of a whole run.
/// </summary>
public sealed class CompressedTimeProvider : TimeProvider
{
    private readonly TimeProvider inner;
    private readonly long startTimestamp;

    /// <summary>Creates a clock whose scenario time starts at <paramref name="scenarioStart"/> now.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The factor is not positive and finite.</exception>
    public CompressedTimeProvider(double factor, DateTimeOffset scenarioStart, TimeProvider? inner = null)
    {
        if (!(factor > 0) || double.IsInfinity(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The time compression factor must be a positive number (1 = real time).");
        }

        Factor = factor;
        ScenarioStart = scenarioStart;
        this.inner = inner ?? System;
        startTimestamp = this.inner.GetTimestamp();
    }

    /// <summary>How many scenario seconds pass per real second.</summary>
    public double Factor { get; }

    /// <summary>Scenario time at the moment the clock was created.</summary>
    public DateTimeOffset ScenarioStart { get; }

    /// <inheritdoc/>
    public override long TimestampFrequency => inner.TimestampFrequency;

    /// <inheritdoc/>
    public override long GetTimestamp()
    {
        var elapsed = inner.GetTimestamp() - startTimestamp;
        return startTimestamp + (long)(elapsed * Factor);
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
        => ScenarioStart + TimeSpan.FromSeconds((inner.GetTimestamp() - startTimestamp) * Factor / inner.TimestampFrequency);

    /// <inheritdoc/>
    /// <remarks>The timer's <see cref="ITimer.Change"/> takes scenario intervals too, like its creation.</remarks>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => new CompressedTimer(inner.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    /// <summary>The real interval that a scenario interval takes.</summary>
    public TimeSpan ToReal(TimeSpan scenarioInterval) => Scale(scenarioInterval);

    private TimeSpan Scale(TimeSpan interval)
        => interval == Timeout.InfiniteTimeSpan || interval == TimeSpan.Zero ? interval : TimeSpan.FromTicks(Math.Max(1, (long)(interval.Ticks / Factor)));

    /// <summary>
    /// The underlying timer, re-armed in scenario time: without it a timer re-armed with <see cref="ITimer.Change"/>
    /// (as the DCC's lanes do for each next event) would wait the scenario interval in real time.
    /// </summary>
    private sealed class CompressedTimer(ITimer timer, CompressedTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(clock.Scale(dueTime), clock.Scale(period));

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
