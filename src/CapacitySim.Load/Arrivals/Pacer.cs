using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace CapacitySim.Load.Arrivals;

/// <summary>
/// Releases the arrivals of an <see cref="ArrivalSchedule"/> to an <see cref="IArrivalSink"/> at their intended times,
/// on one dedicated thread: it sleeps until <see cref="PacerOptions.CoarseWaitLead"/> before the next arrival, yields
/// until <see cref="PacerOptions.SpinWindow"/> before it, then polls the clock (yielding to any ready thread between
/// polls), so arrivals leave within microseconds of their time rather than at the operating system's timer
/// granularity. Arrivals denser than <see cref="PacerOptions.MaxWaitShare"/> allows polling for are released in
/// batches about a millisecond apart instead, so the pacer never takes a whole core from the senders. Intended times come from the schedule's absolute
/// offsets, so a late release or a stalled sink never moves later arrivals; whatever is overdue is released at once
/// and counted late, and whatever the sink refuses is counted dropped, never queued.
/// </summary>
/// <remarks>
/// The run start and every intended time are timestamps of the <see cref="TimeProvider"/> given (real time): a
/// scenario offset maps to <c>start + offset ÷ CompressionFactor</c>, rounded to the nearest timestamp tick.
/// <see cref="RunUntil"/> is the pacer's single step, used by its thread and directly by code (and tests) that drives
/// time itself, such as a <c>FakeTimeProvider</c>. Releasing an arrival allocates nothing. Counters are written by the
/// pacing thread only and may be read from any thread; a read across fields is not one atomic snapshot.
/// </remarks>
public sealed class Pacer : IDisposable
{
    /// <summary>
    /// How long the pacer sleeps between batches when arrivals are too dense to poll for (see
    /// <see cref="PacerOptions.MaxWaitShare"/>); the operating system may wake it a fraction of this late.
    /// </summary>
    public static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(1);

    private readonly ArrivalSchedule schedule;
    private readonly IArrivalSink sink;
    private readonly TimeProvider clock;
    private readonly double timestampsPerTick;
    private readonly double compressionFactor;
    private readonly long lateThreshold;
    private readonly long coarseWaitLead;
    private readonly long spinWindow;
    private readonly long batchGap;
    private readonly long maxCoarseWait;
    private readonly long[] released;
    private readonly long[] dropped;
    private readonly long[] late;
    private readonly long[] maxLateness;
    private readonly ManualResetEventSlim wake = new(false, 1);
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Arrival pending;
    private long pendingTimestamp = long.MaxValue;
    private long pendingGap = long.MaxValue;
    private bool hasPending;
    private bool begun;
    private volatile bool stopRequested;
    private Thread? thread;
    private CancellationTokenRegistration cancellation;

    /// <summary>Creates a pacer for one run; it releases nothing until <see cref="Start(CancellationToken)"/> or <see cref="Begin"/>.</summary>
    /// <param name="schedule">The run's arrivals; the pacer becomes its only reader.</param>
    /// <param name="sink">Takes each arrival at its time.</param>
    /// <param name="clock">Real time (or a fake clock in tests); the compression factor is applied on top of it.</param>
    /// <param name="options">Compression and waiting; defaults when null.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every error.</exception>
    public Pacer(ArrivalSchedule schedule, IArrivalSink sink, TimeProvider clock, PacerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(clock);
        options ??= new PacerOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            ThrowInvalidOptions(errors, nameof(options));
        }

        this.schedule = schedule;
        this.sink = sink;
        this.clock = clock;
        Options = options;
        timestampsPerTick = clock.TimestampFrequency / (double)TimeSpan.TicksPerSecond;
        compressionFactor = options.CompressionFactor;
        lateThreshold = ToTimestampTicks(options.LatenessThreshold);
        coarseWaitLead = ToTimestampTicks(options.CoarseWaitLead);
        spinWindow = ToTimestampTicks(options.SpinWindow);
        batchGap = options.MaxWaitShare >= 1 ? 0 : (long)(spinWindow / options.MaxWaitShare);
        maxCoarseWait = Math.Max(1, ToTimestampTicks(options.MaxCoarseWait));
        released = new long[schedule.PhaseCount];
        dropped = new long[schedule.PhaseCount];
        late = new long[schedule.PhaseCount];
        maxLateness = new long[schedule.PhaseCount];
    }

    /// <summary>The options the pacer runs with.</summary>
    public PacerOptions Options { get; }

    /// <summary>The clock timestamp of the run start (scenario offset zero); valid once begun.</summary>
    public long StartTimestamp { get; private set; }

    /// <summary>The intended timestamp of the next arrival to release; <see cref="long.MaxValue"/> when none is left.</summary>
    public long NextIntendedTimestamp => hasPending ? pendingTimestamp : long.MaxValue;

    /// <summary>True once every scheduled arrival has been handed to the sink.</summary>
    public bool IsComplete => begun && !hasPending;

    /// <summary>Completes when the pacing thread ends: all arrivals handed over, or stopped. Faults if the sink threw.</summary>
    public Task Completion => completion.Task;

    /// <summary>
    /// Fixes the run start without starting the pacing thread, for driving the pacer with <see cref="RunUntil"/>
    /// (on a fake clock, or from a loop of the caller's own).
    /// </summary>
    /// <exception cref="InvalidOperationException">The pacer has already begun.</exception>
    public void Begin(long startTimestamp)
    {
        if (begun)
        {
            ThrowAlreadyBegun();
        }

        begun = true;
        StartTimestamp = startTimestamp;
        schedule.Reset();
        LoadNext();
    }

    /// <summary>Starts the run now and the pacing thread with it.</summary>
    public void Start(CancellationToken cancellationToken = default) => Start(clock.GetTimestamp(), cancellationToken);

    /// <summary>Starts the pacing thread for a run that starts (scenario offset zero) at <paramref name="startTimestamp"/>.</summary>
    /// <exception cref="InvalidOperationException">The pacer has already begun.</exception>
    public void Start(long startTimestamp, CancellationToken cancellationToken = default)
    {
        Begin(startTimestamp);
        if (cancellationToken.CanBeCanceled)
        {
            cancellation = cancellationToken.UnsafeRegister(static state => ((Pacer)state!).RequestStop(), this);
        }

        thread = new Thread(RunLoop) { IsBackground = true, Name = "CapacitySim pacer" };
        thread.Start();
    }

    /// <summary>
    /// Hands to the sink, in order, every arrival intended at or before <paramref name="timestamp"/>, each stamped with
    /// the clock's reading as its actual time. Returns how many were handed over. Allocates nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pacer has not begun.</exception>
    public int RunUntil(long timestamp)
    {
        if (!begun)
        {
            ThrowNotBegun();
        }

        var count = 0;
        while (hasPending && pendingTimestamp <= timestamp && !stopRequested)
        {
            Release(clock.GetTimestamp());
            count++;
        }

        return count;
    }

    /// <summary>Stops releasing arrivals and waits for the pacing thread to end; arrivals not yet released stay pending.</summary>
    public void Stop()
    {
        RequestStop();
        var running = thread;
        if (running is not null && running != Thread.CurrentThread)
        {
            running.Join();
        }
    }

    /// <summary>The clock timestamp at which a scenario-time offset from the run start falls.</summary>
    /// <remarks>
    /// Clock frequencies are whole multiples of 10 MHz in practice (Stopwatch: 1 GHz on Linux, 10 MHz on Windows), so
    /// the multiplication is exact and the division by the factor the only rounding: offsets that the factor divides
    /// map exactly.
    /// </remarks>
    public long ToTimestamp(long scenarioOffsetTicks)
        => StartTimestamp + (long)Math.Round(scenarioOffsetTicks * timestampsPerTick / compressionFactor);

    /// <summary>What happened so far to the arrivals of phase <paramref name="phaseIndex"/>.</summary>
    public PacerPhaseCounters GetCounters(int phaseIndex)
        => new(
            schedule.GetPhaseArrivalCount(phaseIndex),
            Volatile.Read(ref released[phaseIndex]),
            Volatile.Read(ref dropped[phaseIndex]),
            Volatile.Read(ref late[phaseIndex]),
            clock.GetElapsedTime(0, Volatile.Read(ref maxLateness[phaseIndex])));

    /// <summary>The counters of all phases together; the lateness is the largest of any phase.</summary>
    public PacerPhaseCounters GetTotals()
    {
        long scheduled = 0, sent = 0, refused = 0, overdue = 0, worst = 0;
        for (var p = 0; p < released.Length; p++)
        {
            scheduled += schedule.GetPhaseArrivalCount(p);
            sent += Volatile.Read(ref released[p]);
            refused += Volatile.Read(ref dropped[p]);
            overdue += Volatile.Read(ref late[p]);
            worst = Math.Max(worst, Volatile.Read(ref maxLateness[p]));
        }

        return new PacerPhaseCounters(scheduled, sent, refused, overdue, clock.GetElapsedTime(0, worst));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        cancellation.Dispose();
        wake.Dispose();
    }

    private void Release(long actualTimestamp)
    {
        var phase = pending.PhaseIndex;
        var lateness = actualTimestamp - pendingTimestamp;
        if (lateness > lateThreshold)
        {
            Volatile.Write(ref late[phase], late[phase] + 1);
        }

        if (lateness > maxLateness[phase])
        {
            Volatile.Write(ref maxLateness[phase], lateness);
        }

        if (sink.OnArrival(in pending, pendingTimestamp, actualTimestamp))
        {
            Volatile.Write(ref released[phase], released[phase] + 1);
        }
        else
        {
            Volatile.Write(ref dropped[phase], dropped[phase] + 1);
        }

        LoadNext();
    }

    private void LoadNext()
    {
        var previous = pendingTimestamp;
        hasPending = schedule.TryGetNext(out pending);
        pendingTimestamp = hasPending ? ToTimestamp(pending.IntendedOffsetTicks) : long.MaxValue;
        pendingGap = hasPending && previous != long.MaxValue ? pendingTimestamp - previous : long.MaxValue;
    }

    private void RequestStop()
    {
        stopRequested = true;
        try
        {
            wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // Cancellation that arrives after disposal has nothing left to wake.
        }
    }

    private void RunLoop()
    {
        try
        {
            while (hasPending && !stopRequested)
            {
                var now = clock.GetTimestamp();
                var remaining = pendingTimestamp - now;
                if (remaining <= 0)
                {
                    RunUntil(now);
                }
                else if (remaining > coarseWaitLead)
                {
                    // Sleep on the event rather than Thread.Sleep so that Stop wakes the thread at once.
                    wake.Wait(clock.GetElapsedTime(0, Math.Min(remaining - coarseWaitLead, maxCoarseWait)));
                }
                else if (pendingGap < batchGap)
                {
                    // Dense arrivals (closer than the spin window allows without spending most of a core waiting):
                    // sleep about a millisecond and release everything due at once. Each arrival keeps its intended
                    // time, so what the batching costs is counted (late) and shows in corrected latency.
                    wake.Wait(BatchInterval);
                }
                else if (remaining > spinWindow)
                {
                    Thread.Yield();
                }
                else
                {
                    // Yield rather than spin: on an idle core the yield returns at once, so the release stays within
                    // microseconds; on a busy one the senders (on a 2-core machine, the rest of the engine) run instead
                    // of losing the core to the wait, and any lateness that costs is counted and in corrected latency.
                    while (clock.GetTimestamp() < pendingTimestamp && !stopRequested)
                    {
                        Thread.Yield();
                    }
                }
            }

            completion.TrySetResult();
        }
#pragma warning disable CA1031 // A sink's failure must end the run visibly through Completion, not kill the process.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            completion.TrySetException(exception);
        }
    }

    private long ToTimestampTicks(TimeSpan realInterval)
        => (long)Math.Round(realInterval.Ticks * (double)clock.TimestampFrequency / TimeSpan.TicksPerSecond);

    [DoesNotReturn]
    private static void ThrowInvalidOptions(IReadOnlyList<string> errors, string paramName)
    {
        var message = new StringBuilder("The pacer options are invalid:");
        foreach (var error in errors)
        {
            message.Append(CultureInfo.InvariantCulture, $"\n  - {error}");
        }

        throw new ArgumentException(message.ToString(), paramName);
    }

    [DoesNotReturn]
    private static void ThrowAlreadyBegun() => throw new InvalidOperationException("The pacer has already begun; a pacer paces one run.");

    [DoesNotReturn]
    private static void ThrowNotBegun() => throw new InvalidOperationException("The pacer has not begun: call Begin or Start first.");
}
