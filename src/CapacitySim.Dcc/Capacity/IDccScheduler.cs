namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// The DCC lane engine's only source of time: the scenario clock and one wake-up call. The engine keeps its own
/// queue of timed events (service ends, device answers, deadlines) and asks to be woken for the earliest; live runs
/// wake it from a timer (<see cref="TimerDccScheduler"/>), the capacity model and tests from virtual time
/// (<see cref="VirtualTimeScheduler"/>), so both run the same lane and deadline rules.
/// <para>
/// A scheduler serves one engine. <see cref="WakeAt"/> and <see cref="Idle"/> are called under the engine's lock;
/// the wake callback takes that lock itself, so a scheduler needs no lock of its own.
/// </para>
/// </summary>
public interface IDccScheduler : IDisposable
{
    /// <summary>Scenario time at tick 0 of <see cref="Now"/>.</summary>
    DateTimeOffset Start { get; }

    /// <summary>Scenario time now, in ticks since <see cref="Start"/>.</summary>
    long Now { get; }

    /// <summary>
    /// Names what to call when a wake-up falls due: <paramref name="onWake"/>(<paramref name="state"/>). Called once,
    /// when the engine is ready to be woken; a static callback and a state keep the wake-up free of allocation.
    /// </summary>
    void Attach(Action<object?> onWake, object? state);

    /// <summary>
    /// Asks for a wake-up at <paramref name="at"/> (ticks since <see cref="Start"/>) or soon after, in place of any
    /// earlier request. <paramref name="now"/> is the engine's reading of <see cref="Now"/> when it decided, so a
    /// timer counts from the same instant the engine's events were placed.
    /// </summary>
    void WakeAt(long at, long now);

    /// <summary>Nothing is pending: no wake-up is needed until the next <see cref="WakeAt"/>.</summary>
    void Idle();
}
