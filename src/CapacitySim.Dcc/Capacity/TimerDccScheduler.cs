namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// The live runs' scheduler: scenario time from a <see cref="TimeProvider"/> (the system clock, or a compressed one),
/// wake-ups from one of its timers. Its clock starts when it is created.
/// </summary>
public sealed class TimerDccScheduler : IDccScheduler
{
    private readonly TimeProvider time;
    private readonly long startTimestamp;
    private ITimer? timer;
    private Action<object?>? onWake;
    private object? state;

    /// <summary>Creates the scheduler; its scenario time starts now on <paramref name="timeProvider"/>.</summary>
    public TimerDccScheduler(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        time = timeProvider;
        startTimestamp = timeProvider.GetTimestamp();
        Start = timeProvider.GetUtcNow();
    }

    /// <inheritdoc/>
    public DateTimeOffset Start { get; }

    /// <inheritdoc/>
    public long Now => time.GetElapsedTime(startTimestamp).Ticks;

    /// <inheritdoc/>
    public void Attach(Action<object?> onWake, object? state)
    {
        ArgumentNullException.ThrowIfNull(onWake);
        if (timer is not null)
        {
            throw new InvalidOperationException("The scheduler already serves an engine.");
        }

        this.onWake = onWake;
        this.state = state;
        timer = time.CreateTimer(static s => ((TimerDccScheduler)s!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <inheritdoc/>
    public void WakeAt(long at, long now)
    {
        // Timers count whole milliseconds: round up so the timer never fires before the event is due. The period
        // re-arms the timer should a firing find nothing due (a timer may fire early or be re-armed from its callback).
        var due = TimeSpan.FromMilliseconds((at - now + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
        timer?.Change(due, due);
    }

    /// <inheritdoc/>
    public void Idle()
    {
        // Stop the timer, or its period would keep it firing for as long as the DCC is idle (every millisecond of
        // scenario time: a busy loop under compressed time, and endless under fake time).
        timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Stops the timer; no wake-up follows.</summary>
    public void Dispose() => timer?.Dispose();

    private void Fire() => onWake!(state);
}
