namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// Virtual time for the DCC's lane engine: time stands still until the driver advances it, and advancing runs every
/// wake-up that falls due on the way, each at its own instant, so queueing, service and deadlines come out exact to
/// the tick and the same on every run. For the capacity model and for tests; not thread-safe (one thread drives it,
/// and the engine is called from that thread only).
/// </summary>
public sealed class VirtualTimeScheduler : IDccScheduler
{
    private Action<object?>? onWake;
    private object? state;
    private long now;
    private long wakeAt = long.MaxValue;

    /// <summary>Creates the scheduler at tick 0 of scenario time <paramref name="start"/>.</summary>
    public VirtualTimeScheduler(DateTimeOffset start) => Start = start;

    /// <inheritdoc/>
    public DateTimeOffset Start { get; }

    /// <inheritdoc/>
    public long Now => now;

    /// <summary>Scenario time now.</summary>
    public DateTimeOffset UtcNow => Start.AddTicks(now);

    /// <summary>When the engine next wants to be woken, or null when it waits for nothing.</summary>
    public DateTimeOffset? NextWake => wakeAt == long.MaxValue ? null : Start.AddTicks(wakeAt);

    /// <inheritdoc/>
    public void Attach(Action<object?> onWake, object? state)
    {
        ArgumentNullException.ThrowIfNull(onWake);
        if (this.onWake is not null)
        {
            throw new InvalidOperationException("The scheduler already serves an engine.");
        }

        this.onWake = onWake;
        this.state = state;
    }

    /// <inheritdoc/>
    public void WakeAt(long at, long now) => wakeAt = at;

    /// <inheritdoc/>
    public void Idle() => wakeAt = long.MaxValue;

    /// <summary>Moves time on by <paramref name="span"/>, running every wake-up due on the way.</summary>
    public void Advance(TimeSpan span)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(span, TimeSpan.Zero);
        AdvanceTo(now + span.Ticks);
    }

    /// <summary>Moves time on to <paramref name="at"/> (not back), running every wake-up due on the way.</summary>
    public void AdvanceTo(DateTimeOffset at) => AdvanceTo((at - Start).Ticks);

    /// <summary>Runs wake-ups until none is pending, and returns the time of the last (now, if there was none).</summary>
    public DateTimeOffset RunUntilIdle()
    {
        while (wakeAt != long.MaxValue)
        {
            Wake();
        }

        return UtcNow;
    }

    /// <summary>Releases nothing: virtual time holds no timer.</summary>
    public void Dispose()
    {
    }

    private void AdvanceTo(long target)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(target, now);
        while (wakeAt <= target)
        {
            Wake();
        }

        now = target;
    }

    private void Wake()
    {
        // The request is used up by firing; the engine asks again for its next event while it is woken.
        now = Math.Max(now, wakeAt);
        wakeAt = long.MaxValue;
        onWake?.Invoke(state);
    }
}
