using System.Diagnostics.CodeAnalysis;
using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// The DCC's request processing between validation (I99 returned) and delivery: processing lanes with a service rate
/// and a bounded queue each, then the device's WAN/provider latency, under the DCC's own response deadline per
/// Service Reference Variant category, with an operator's emergency controls (shed, defer).
/// <para>
/// A request joins a lane (by traffic class or in turn), waits for the lane, is served (1/rate of scenario time), is
/// sent to its device, and ends in exactly one outcome: the device's response within the deadline, a DUIS error
/// (queue full, shed, device unreachable; see <see cref="DccCapacityOptions"/> for the codes), or a time-out at the
/// deadline (E21 on-demand, E30 future-dated). A device that answers after the deadline still changes its state
/// (<see cref="IDeviceResponder.OnDeviceAnswered"/>) and is counted as a late device success after a DCC failure.
/// The deadline runs from when the request joins its lane, so time held by an operator's defer control does not count
/// against it.
/// </para>
/// <para>
/// This is the thread-safe front of three parts under one lock: the lane and deadline engine
/// (<see cref="LaneEngine"/>), which takes its time only from an <see cref="IDccScheduler"/> (a timer for live runs,
/// <see cref="VirtualTimeScheduler"/> for the capacity model and tests); the emergency-control board
/// (<see cref="EmergencyControlBoard"/>); and the outcome queue (<see cref="OutcomeQueue"/>), which calls the outcome
/// sink outside the lock, one call at a time, in decision order. Per request nothing is allocated.
/// </para>
/// </summary>
public sealed class DccCapacityModel : IDisposable
{
    private readonly Lock gate = new();
    private readonly IDccScheduler scheduler;
    private readonly IDeviceResponder responder;
    private readonly DccCapacityCounters counters = new();
    private readonly EmergencyControlBoard board = new();
    private readonly OutcomeQueue outcomes;
    private readonly LaneEngine engine;
    private bool disposed;

    /// <summary>Creates the model for a live run; its clock starts now on <paramref name="timeProvider"/>, whose timer wakes it.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (no lanes, a rate or bound out of range, a class no lane carries).</exception>
    public DccCapacityModel(DccCapacityOptions options, IDeviceResponder responder, IDccOutcomeSink sink, TimeProvider timeProvider)
        : this(options, responder, sink, new TimerDccScheduler(timeProvider))
    {
    }

    /// <summary>Creates the model on <paramref name="scheduler"/>, which it then owns (and disposes).</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (no lanes, a rate or bound out of range, a class no lane carries).</exception>
    public DccCapacityModel(DccCapacityOptions options, IDeviceResponder responder, IDccOutcomeSink sink, IDccScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(responder);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(scheduler);
        this.responder = responder;
        this.scheduler = scheduler;
        outcomes = new OutcomeQueue(gate, responder, sink);
        engine = new LaneEngine(options, scheduler, outcomes, counters);
        scheduler.Attach(static state => ((DccCapacityModel)state!).OnWake(), this);
    }

    /// <summary>Number of lanes.</summary>
    public int LaneCount => engine.LaneCount;

    /// <summary>The emergency controls in force now, in the order they were switched on.</summary>
    public IReadOnlyList<EmergencyControl> ActiveControls => board.Active;

    /// <summary>Every switch-on and lift of an emergency control, in order (a copy).</summary>
    public IReadOnlyList<EmergencyControlAuditEntry> AuditLog
    {
        get
        {
            lock (gate)
            {
                return board.AuditCopy();
            }
        }
    }

    /// <summary>Every emergency control ever switched on, in order (a copy).</summary>
    public IReadOnlyList<EmergencyControl> Controls
    {
        get
        {
            lock (gate)
            {
                return board.ControlsCopy();
            }
        }
    }

    /// <summary>The current scenario time.</summary>
    public DateTimeOffset Now => engine.At(scheduler.Now);

    /// <summary>The name of lane <paramref name="lane"/>.</summary>
    public string LaneName(int lane) => engine.LaneName(lane);

    /// <summary>Messages waiting in lane <paramref name="lane"/> now (not counting the one in service).</summary>
    public int LaneWaiting(int lane)
    {
        lock (gate)
        {
            return engine.LaneWaiting(lane);
        }
    }

    /// <summary>Scenario time lane <paramref name="lane"/> takes to serve one message (the inverse of its service rate).</summary>
    public TimeSpan LaneServiceTime(int lane) => engine.LaneServiceTime(lane);

    /// <summary>Messages lane <paramref name="lane"/> may hold waiting before it refuses more.</summary>
    public int LaneQueueCapacity(int lane) => engine.LaneQueueCapacity(lane);

    /// <summary>Messages lane <paramref name="lane"/> has served.</summary>
    public long LaneServed(int lane)
    {
        lock (gate)
        {
            return engine.LaneServed(lane);
        }
    }

    /// <summary>
    /// Takes a request that validation accepted. Unless refused (the sink is then told at once), it ends later in one
    /// outcome through the sink. Allocates nothing.
    /// </summary>
    public DccAdmission Submit(in DccRequest request)
    {
        var control = board.Find(in request);
        var reply = control is { Action: EmergencyAction.Shed } ? default : responder.Respond(request.Device, request.Srv);
        DccAdmission result;
        lock (gate)
        {
            ThrowIfDisposed();
            var now = scheduler.Now;
            result = engine.Submit(in request, control, in reply, now);
            engine.Pump(now);
        }

        outcomes.Flush();
        return result;
    }

    /// <summary>Takes an alert on its way to the users; it passes its lane and reaches <see cref="IDccOutcomeSink.OnAlert"/>, or is dropped and counted.</summary>
    public DccAdmission SubmitAlert(in DccAlert alert)
    {
        var control = board.Find(in alert);
        DccAdmission result;
        lock (gate)
        {
            ThrowIfDisposed();
            var now = scheduler.Now;
            result = engine.SubmitAlert(in alert, control, now);
            engine.Pump(now);
        }

        outcomes.Flush();
        return result;
    }

    /// <summary>
    /// Switches on a shed control: from now, requests it selects get <paramref name="code"/> (default E20) and alerts it
    /// selects are dropped, all counted, until it is lifted. Recorded in the audit list.
    /// </summary>
    public EmergencyControl Shed(TrafficSelector selector, string reason, ResponseCode? code = null)
        => SwitchOn(EmergencyAction.Shed, selector, code ?? ResponseCodes.CannotCommunicateWithDevice, reason);

    /// <summary>
    /// Switches on a defer control: from now, messages it selects are held inside the DCC until it is lifted, then
    /// released to their lanes in arrival order. Recorded in the audit list.
    /// </summary>
    public EmergencyControl Defer(TrafficSelector selector, string reason)
        => SwitchOn(EmergencyAction.Defer, selector, default, reason);

    /// <summary>Lifts a control (a defer control releases what it holds). False when it was already lifted.</summary>
    public bool Lift(EmergencyControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        lock (gate)
        {
            ThrowIfDisposed();
            if (!control.IsActive)
            {
                return false;
            }

            var now = scheduler.Now;
            var at = engine.At(now);
            board.SwitchOff(control, at);
            engine.ReleaseHeld(control, now);
            board.RecordLifted(control, at);
            engine.Pump(now);
        }

        outcomes.Flush();
        return true;
    }

    /// <summary>The accounting at this moment; see <see cref="DccCapacitySnapshot.IsBalanced"/>.</summary>
    public DccCapacitySnapshot Snapshot()
    {
        lock (gate)
        {
            var inFlight = engine.Tally();
            return counters.ToSnapshot(engine.At(scheduler.Now), in inFlight);
        }
    }

    /// <summary>Stops the scheduler; pending messages get no further outcome.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
        }

        scheduler.Dispose();
    }

    [DoesNotReturn]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(DccCapacityModel));

    private void ThrowIfDisposed()
    {
        if (disposed)
        {
            ThrowDisposed();
        }
    }

    private EmergencyControl SwitchOn(EmergencyAction action, TrafficSelector selector, ResponseCode code, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        lock (gate)
        {
            ThrowIfDisposed();
            return board.SwitchOn(action, selector, code, reason, engine.At(scheduler.Now));
        }
    }

    private void OnWake()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            engine.OnWake();
        }

        outcomes.Flush();
    }
}
