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
/// One timer from the <see cref="TimeProvider"/> drives every lane and request: it is armed for the earliest pending
/// event and, when it fires, processes every event due in time order, each at its own scenario time (so a late timer
/// does not distort queueing). Requests occupy preallocated slots from a free list; per request nothing is allocated.
/// All methods are thread-safe; the outcome sink is called outside the model's lock, one call at a time, in decision
/// order.
/// </para>
/// </summary>
public sealed class DccCapacityModel : IDisposable
{
    private const byte RankLane = 0;
    private const byte RankReply = 1;
    private const byte RankDeadline = 2;
    private const int DeliveryChunk = 64;

    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly IDeviceResponder responder;
    private readonly IDccOutcomeSink sink;
    private readonly long startTimestamp;
    private readonly DateTimeOffset startUtc;
    private readonly ITimer timer;

    private readonly Slot[] slots;
    private readonly LaneState[] lanes;
    private readonly string[] laneNames;
    private readonly int[][] lanesForClass;
    private readonly LaneAssignment assignment;
    private readonly EventQueue events;
    private readonly int laneEventBase;

    private readonly long[] classDeadline = new long[4];
    private readonly long[] classGasDeadline = new long[4];
    private readonly Dictionary<int, long> variantDeadline;
    private readonly ResponseCode overloadCode;
    private readonly ResponseCode unreachableCode;
    private readonly ResponseCode onDemandTimeoutCode;
    private readonly ResponseCode futureDatedTimeoutCode;

    private readonly List<EmergencyControl> controls = [];
    private readonly List<EmergencyControlAuditEntry> audit = [];
    private readonly Outcome[] delivery = new Outcome[DeliveryChunk];
    private EmergencyControl[] activeControls = [];
    private Outcome[] pending = new Outcome[256];
    private int pendingHead;
    private int pendingCount;
    private int flushing;

    private int freeHead;
    private int roundRobin;
    private long armedAt = long.MaxValue;
    private bool timerRunning;
    private bool disposed;

    private long accepted;
    private long completed;
    private long errors;
    private long timedOut;
    private long rejectedOverload;
    private long shed;
    private long unreachable;
    private long timedOutInQueue;
    private long timedOutNoResponse;
    private long timedOutLate;
    private long lateDeviceSuccesses;
    private long alertsAccepted;
    private long alertsForwarded;
    private long alertsShed;
    private long alertsRejected;

    /// <summary>Creates the model; its clock starts now on <paramref name="timeProvider"/>.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (no lanes, a rate or bound out of range, a class no lane carries).</exception>
    public DccCapacityModel(DccCapacityOptions options, IDeviceResponder responder, IDccOutcomeSink sink, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(responder);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.Lanes.Count == 0)
        {
            throw new ArgumentException("The DCC needs at least one processing lane.", nameof(options));
        }

        if (options.MaxInFlight < 1)
        {
            throw new ArgumentException("MaxInFlight must be at least 1.", nameof(options));
        }

        this.responder = responder;
        this.sink = sink;
        time = timeProvider;
        assignment = options.Assignment;

        lanes = new LaneState[options.Lanes.Count];
        laneNames = new string[lanes.Length];
        var perClass = new List<int>[4];
        for (var c = 0; c < perClass.Length; c++)
        {
            perClass[c] = [];
        }

        for (var i = 0; i < lanes.Length; i++)
        {
            var lane = options.Lanes[i];
            if (!(lane.ServiceRatePerSecond > 0) || double.IsInfinity(lane.ServiceRatePerSecond) || lane.QueueCapacity < 0)
            {
                throw new ArgumentException($"Lane '{lane.Name}' needs a positive, finite service rate and a queue capacity of 0 or more.", nameof(options));
            }

            laneNames[i] = lane.Name;
            lanes[i] = new LaneState
            {
                ServiceTicks = Math.Max(1, (long)Math.Round(TimeSpan.TicksPerSecond / lane.ServiceRatePerSecond)),
                Capacity = lane.QueueCapacity,
                Current = -1,
                Head = -1,
                Tail = -1,
            };
            foreach (var c in lane.Carries)
            {
                if (!perClass[(int)c].Contains(i))
                {
                    perClass[(int)c].Add(i);
                }
            }
        }

        lanesForClass = new int[4][];
        for (var c = 0; c < perClass.Length; c++)
        {
            if (assignment == LaneAssignment.ByClass && perClass[c].Count == 0)
            {
                throw new ArgumentException($"No lane carries {(DccTrafficClass)c} traffic.", nameof(options));
            }

            lanesForClass[c] = [.. perClass[c]];
        }

        SetClassDeadlines(DccTrafficClass.OnDemand, options.OnDemandDeadline, options.OnDemandGasDeadline);
        SetClassDeadlines(DccTrafficClass.FutureDated, options.FutureDatedDeadline, options.FutureDatedGasDeadline);
        SetClassDeadlines(DccTrafficClass.DccScheduled, options.FutureDatedDeadline, options.FutureDatedGasDeadline);
        variantDeadline = [];
        foreach (var (srv, deadline) in options.ServiceVariantDeadlines)
        {
            variantDeadline[srv.Key] = PositiveTicks(deadline);
        }

        overloadCode = options.OverloadCode;
        unreachableCode = options.UnreachableCode;
        onDemandTimeoutCode = options.OnDemandTimeoutCode;
        futureDatedTimeoutCode = options.FutureDatedTimeoutCode;

        slots = new Slot[options.MaxInFlight];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i].Next = i + 1 < slots.Length ? i + 1 : -1;
        }

        freeHead = 0;
        laneEventBase = slots.Length * 2;
        events = new EventQueue(laneEventBase + lanes.Length);

        startTimestamp = timeProvider.GetTimestamp();
        startUtc = timeProvider.GetUtcNow();
        timer = timeProvider.CreateTimer(static state => ((DccCapacityModel)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private enum SlotState : byte
    {
        Free = 0,
        Deferred,
        Waiting,
        InService,
        AtDevice,
        TimedOutInLane,
        AwaitingLateAnswer,
    }

    private enum OutcomeKind : byte
    {
        Response,
        Error,
        Timeout,
        DeviceAnswered,
        LateAnswer,
        Alert,
        AlertDropped,
    }

    /// <summary>Number of lanes.</summary>
    public int LaneCount => lanes.Length;

    /// <summary>The emergency controls in force now, in the order they were switched on.</summary>
    public IReadOnlyList<EmergencyControl> ActiveControls => Volatile.Read(ref activeControls);

    /// <summary>Every switch-on and lift of an emergency control, in order (a copy).</summary>
    public IReadOnlyList<EmergencyControlAuditEntry> AuditLog
    {
        get
        {
            lock (gate)
            {
                return [.. audit];
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
                return [.. controls];
            }
        }
    }

    /// <summary>The current scenario time.</summary>
    public DateTimeOffset Now => At(Ticks());

    /// <summary>The name of lane <paramref name="lane"/>.</summary>
    public string LaneName(int lane) => laneNames[lane];

    /// <summary>Messages waiting in lane <paramref name="lane"/> now (not counting the one in service).</summary>
    public int LaneWaiting(int lane)
    {
        lock (gate)
        {
            return lanes[lane].Waiting;
        }
    }

    /// <summary>Scenario time lane <paramref name="lane"/> takes to serve one message (the inverse of its service rate).</summary>
    public TimeSpan LaneServiceTime(int lane) => TimeSpan.FromTicks(lanes[lane].ServiceTicks);

    /// <summary>Messages lane <paramref name="lane"/> may hold waiting before it refuses more.</summary>
    public int LaneQueueCapacity(int lane) => lanes[lane].Capacity;

    /// <summary>Messages lane <paramref name="lane"/> has served.</summary>
    public long LaneServed(int lane)
    {
        lock (gate)
        {
            return lanes[lane].Served;
        }
    }

    /// <summary>
    /// Takes a request that validation accepted. Unless refused (the sink is then told at once), it ends later in one
    /// outcome through the sink. Allocates nothing.
    /// </summary>
    public DccAdmission Submit(in DccRequest request)
    {
        var control = FindControl(in request);
        var isShed = control is { Action: EmergencyAction.Shed };
        var reply = isShed ? default : responder.Respond(request.Device, request.Srv);
        DccAdmission result;
        lock (gate)
        {
            ThrowIfDisposed();
            var now = Ticks();
            accepted++;
            if (isShed)
            {
                control!.CountAffected();
                shed++;
                errors++;
                AddRequestOutcome(OutcomeKind.Error, in request, default, control.Code, DccFailureReason.Shed, Times(now, -1, -1, now));
                result = DccAdmission.Shed;
            }
            else if (freeHead < 0)
            {
                rejectedOverload++;
                errors++;
                AddRequestOutcome(OutcomeKind.Error, in request, default, overloadCode, DccFailureReason.Overload, Times(now, -1, -1, now));
                result = DccAdmission.RejectedOverload;
            }
            else
            {
                var slot = Allocate(now);
                ref var s = ref slots[slot];
                s.IsAlert = false;
                s.Request = request;
                s.Reply = reply;
                result = control is { Action: EmergencyAction.Defer, IsActive: true } ? Hold(control, slot) : EnterLane(slot, now);
            }

            Pump(now);
        }

        Flush();
        return result;
    }

    /// <summary>Takes an alert on its way to the users; it passes its lane and reaches <see cref="IDccOutcomeSink.OnAlert"/>, or is dropped and counted.</summary>
    public DccAdmission SubmitAlert(in DccAlert alert)
    {
        var control = FindControl(in alert);
        DccAdmission result;
        lock (gate)
        {
            ThrowIfDisposed();
            var now = Ticks();
            alertsAccepted++;
            if (control is { Action: EmergencyAction.Shed })
            {
                control.CountAffected();
                alertsShed++;
                AddAlertOutcome(OutcomeKind.AlertDropped, in alert, DccFailureReason.Shed, Times(now, -1, -1, now));
                result = DccAdmission.Shed;
            }
            else if (freeHead < 0)
            {
                alertsRejected++;
                AddAlertOutcome(OutcomeKind.AlertDropped, in alert, DccFailureReason.Overload, Times(now, -1, -1, now));
                result = DccAdmission.RejectedOverload;
            }
            else
            {
                var slot = Allocate(now);
                ref var s = ref slots[slot];
                s.IsAlert = true;
                s.Alert = alert;
                result = control is { Action: EmergencyAction.Defer, IsActive: true } ? Hold(control, slot) : EnterLane(slot, now);
            }

            Pump(now);
        }

        Flush();
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

            var now = Ticks();
            control.SwitchOff(At(now));
            var remaining = new List<EmergencyControl>(activeControls.Length);
            foreach (var c in activeControls)
            {
                if (!ReferenceEquals(c, control))
                {
                    remaining.Add(c);
                }
            }

            Volatile.Write(ref activeControls, [.. remaining]);
            var slot = control.HeldHead;
            control.HeldHead = -1;
            control.HeldTail = -1;
            while (slot >= 0)
            {
                var next = slots[slot].Next;
                control.CountReleased();
                _ = EnterLane(slot, now);
                slot = next;
            }

            audit.Add(new EmergencyControlAuditEntry(At(now), control, false, control.Affected, control.Released));
            Pump(now);
        }

        Flush();
        return true;
    }

    /// <summary>The accounting at this moment; see <see cref="DccCapacitySnapshot.IsBalanced"/>.</summary>
    public DccCapacitySnapshot Snapshot()
    {
        lock (gate)
        {
            long deferred = 0, inLanes = 0, atDevice = 0, awaitingLate = 0, alertsInFlight = 0;
            foreach (ref readonly var s in slots.AsSpan())
            {
                if (s.State == SlotState.Free)
                {
                    continue;
                }

                if (s.IsAlert)
                {
                    alertsInFlight++;
                    continue;
                }

                switch (s.State)
                {
                    case SlotState.Deferred:
                        deferred++;
                        break;
                    case SlotState.Waiting or SlotState.InService:
                        inLanes++;
                        break;
                    case SlotState.AtDevice:
                        atDevice++;
                        break;
                    case SlotState.AwaitingLateAnswer:
                        awaitingLate++;
                        break;
                    default:
                        // Timed out in its lane: the outcome is decided; the slot waits to be skipped by the lane.
                        break;
                }
            }

            return new DccCapacitySnapshot
            {
                At = At(Ticks()),
                Accepted = accepted,
                Completed = completed,
                Errors = errors,
                TimedOut = timedOut,
                RejectedOverload = rejectedOverload,
                Shed = shed,
                Unreachable = unreachable,
                TimedOutInQueue = timedOutInQueue,
                TimedOutNoResponse = timedOutNoResponse,
                TimedOutLate = timedOutLate,
                LateDeviceSuccesses = lateDeviceSuccesses,
                AwaitingLateAnswer = awaitingLate,
                Deferred = deferred,
                InLanes = inLanes,
                AtDevice = atDevice,
                AlertsAccepted = alertsAccepted,
                AlertsForwarded = alertsForwarded,
                AlertsShed = alertsShed,
                AlertsRejectedOverload = alertsRejected,
                AlertsInFlight = alertsInFlight,
            };
        }
    }

    /// <summary>Stops the scheduler; pending messages get no further outcome.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
        }

        timer.Dispose();
    }

    private static long PositiveTicks(TimeSpan value)
        => value > TimeSpan.Zero ? value.Ticks : throw new ArgumentOutOfRangeException(nameof(value), value, "A DCC deadline must be positive.");

    [DoesNotReturn]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(DccCapacityModel));

    private void ThrowIfDisposed()
    {
        if (disposed)
        {
            ThrowDisposed();
        }
    }

    private void SetClassDeadlines(DccTrafficClass trafficClass, TimeSpan deadline, TimeSpan gasDeadline)
    {
        classDeadline[(int)trafficClass] = PositiveTicks(deadline);
        classGasDeadline[(int)trafficClass] = PositiveTicks(gasDeadline);
    }

    private long Ticks() => time.GetElapsedTime(startTimestamp).Ticks;

    private DateTimeOffset At(long ticks) => ticks < 0 ? default : startUtc.AddTicks(ticks);

    private DccTimes Times(long admitted, long entered, long sent, long done) => new(At(admitted), At(entered), At(sent), At(done));

    private DccTimes Times(in Slot s, long done) => Times(s.Admitted, s.Entered, s.Sent, done);

    private EmergencyControl? FindControl(in DccRequest request)
    {
        foreach (var c in Volatile.Read(ref activeControls))
        {
            if (c.Selector.Matches(in request))
            {
                return c;
            }
        }

        return null;
    }

    private EmergencyControl? FindControl(in DccAlert alert)
    {
        foreach (var c in Volatile.Read(ref activeControls))
        {
            if (c.Selector.Matches(in alert))
            {
                return c;
            }
        }

        return null;
    }

    private EmergencyControl SwitchOn(EmergencyAction action, TrafficSelector selector, ResponseCode code, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        lock (gate)
        {
            ThrowIfDisposed();
            var at = At(Ticks());
            var control = new EmergencyControl(controls.Count + 1, action, selector, code, reason, at);
            controls.Add(control);
            Volatile.Write(ref activeControls, [.. activeControls, control]);
            audit.Add(new EmergencyControlAuditEntry(at, control, true, 0, 0));
            return control;
        }
    }

    private int Allocate(long now)
    {
        var slot = freeHead;
        ref var s = ref slots[slot];
        freeHead = s.Next;
        s.Next = -1;
        s.Admitted = now;
        s.Entered = -1;
        s.Sent = -1;
        return slot;
    }

    private void Free(int slot)
    {
        ref var s = ref slots[slot];
        s.State = SlotState.Free;
        s.Next = freeHead;
        freeHead = slot;
    }

    private DccAdmission Hold(EmergencyControl control, int slot)
    {
        ref var s = ref slots[slot];
        s.State = SlotState.Deferred;
        s.Next = -1;
        if (control.HeldTail < 0)
        {
            control.HeldHead = slot;
        }
        else
        {
            slots[control.HeldTail].Next = slot;
        }

        control.HeldTail = slot;
        control.CountAffected();
        return DccAdmission.Deferred;
    }

    private int ChooseLane(DccTrafficClass trafficClass)
    {
        if (assignment == LaneAssignment.RoundRobin)
        {
            var lane = roundRobin;
            roundRobin = lane + 1 == lanes.Length ? 0 : lane + 1;
            return lane;
        }

        // Shortest queue among the lanes that carry the class; ties go to the first listed.
        var candidates = lanesForClass[(int)trafficClass];
        var best = candidates[0];
        var bestLoad = Load(best);
        for (var i = 1; i < candidates.Length; i++)
        {
            var load = Load(candidates[i]);
            if (load < bestLoad)
            {
                best = candidates[i];
                bestLoad = load;
            }
        }

        return best;

        int Load(int lane) => lanes[lane].Waiting + (lanes[lane].Current >= 0 ? 1 : 0);
    }

    private DccAdmission EnterLane(int slot, long now)
    {
        ref var s = ref slots[slot];
        var trafficClass = s.IsAlert ? DccTrafficClass.Alert : s.Request.Class;
        var laneIndex = ChooseLane(trafficClass);
        ref var lane = ref lanes[laneIndex];
        if (lane.Current >= 0 && lane.Waiting >= lane.Capacity)
        {
            if (s.IsAlert)
            {
                alertsRejected++;
                AddAlertOutcome(OutcomeKind.AlertDropped, in s.Alert, DccFailureReason.Overload, Times(in s, now));
            }
            else
            {
                rejectedOverload++;
                errors++;
                AddRequestOutcome(OutcomeKind.Error, in s.Request, default, overloadCode, DccFailureReason.Overload, Times(in s, now));
            }

            Free(slot);
            return DccAdmission.RejectedOverload;
        }

        s.Lane = laneIndex;
        s.Entered = now;
        if (!s.IsAlert)
        {
            events.Set(slot * 2, now + DeadlineTicks(in s.Request), RankDeadline);
        }

        if (lane.Current < 0)
        {
            StartService(laneIndex, slot, Math.Max(now, lane.FreeAt));
        }
        else
        {
            s.State = SlotState.Waiting;
            s.Next = -1;
            if (lane.Tail < 0)
            {
                lane.Head = slot;
            }
            else
            {
                slots[lane.Tail].Next = slot;
            }

            lane.Tail = slot;
            lane.Waiting++;
        }

        return DccAdmission.Queued;
    }

    private long DeadlineTicks(in DccRequest request)
    {
        if (variantDeadline.Count != 0 && variantDeadline.TryGetValue(request.Srv.Key, out var ticks))
        {
            return ticks;
        }

        var c = (int)request.Class;
        return request.IsGas ? classGasDeadline[c] : classDeadline[c];
    }

    private ResponseCode TimeoutCode(in DccRequest request)
        => request.Class == DccTrafficClass.OnDemand ? onDemandTimeoutCode : futureDatedTimeoutCode;

    private void StartService(int laneIndex, int slot, long at)
    {
        ref var lane = ref lanes[laneIndex];
        slots[slot].State = SlotState.InService;
        lane.Current = slot;
        lane.FreeAt = at + lane.ServiceTicks;
        events.Set(laneEventBase + laneIndex, lane.FreeAt, RankLane);
    }

    /// <summary>Processes every event due by <paramref name="now"/> in time order, then arms the timer for the next.</summary>
    private void Pump(long now)
    {
        while (events.TryPeek(out var id, out var at) && at <= now)
        {
            events.Remove(id);
            if (id >= laneEventBase)
            {
                OnLaneDone(id - laneEventBase, at);
            }
            else if ((id & 1) == 0)
            {
                OnDeadline(id >> 1, at);
            }
            else
            {
                OnReply(id >> 1, at);
            }
        }

        if (disposed)
        {
            return;
        }

        if (!events.TryPeek(out _, out var next))
        {
            // Nothing left to wait for: stop the timer, or its period would keep it firing for as long as the DCC is
            // idle (every millisecond of scenario time: a busy loop under compressed time, and endless under fake time).
            if (timerRunning)
            {
                timerRunning = false;
                armedAt = long.MaxValue;
                timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        if (next >= armedAt)
        {
            return;
        }

        // Timers count whole milliseconds: round up so the timer never fires before the event is due. The period
        // re-arms the timer should a firing find nothing due (a timer may fire early or be re-armed from its callback).
        armedAt = next;
        timerRunning = true;
        var due = TimeSpan.FromMilliseconds((next - now + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
        timer.Change(due, due);
    }

    private void OnTimer()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            armedAt = long.MaxValue;
            Pump(Ticks());
        }

        Flush();
    }

    private void OnLaneDone(int laneIndex, long at)
    {
        ref var lane = ref lanes[laneIndex];
        var current = lane.Current;
        lane.Current = -1;
        lane.Served++;
        ref var s = ref slots[current];
        if (s.State == SlotState.InService)
        {
            s.Sent = at;
            if (s.IsAlert)
            {
                alertsForwarded++;
                AddAlertOutcome(OutcomeKind.Alert, in s.Alert, DccFailureReason.None, Times(in s, at));
                Free(current);
            }
            else
            {
                s.State = SlotState.AtDevice;
                if (s.Reply.Kind != DeviceReplyKind.NoResponse)
                {
                    events.Set((current * 2) + 1, at + Math.Max(0, s.Reply.Latency.Ticks), RankReply);
                }
            }
        }
        else
        {
            // Timed out while in service: the DCC gave up on it before sending it.
            Free(current);
        }

        while (lane.Head >= 0)
        {
            var next = lane.Head;
            ref var n = ref slots[next];
            lane.Head = n.Next;
            if (lane.Head < 0)
            {
                lane.Tail = -1;
            }

            if (n.State == SlotState.TimedOutInLane)
            {
                Free(next);
                continue;
            }

            lane.Waiting--;
            StartService(laneIndex, next, Math.Max(at, n.Entered));
            break;
        }
    }

    private void OnDeadline(int slot, long at)
    {
        ref var s = ref slots[slot];
        DccFailureReason reason;
        switch (s.State)
        {
            case SlotState.Waiting:
                lanes[s.Lane].Waiting--;
                s.State = SlotState.TimedOutInLane;
                timedOutInQueue++;
                reason = DccFailureReason.QueuedPastDeadline;
                break;
            case SlotState.InService:
                s.State = SlotState.TimedOutInLane;
                timedOutInQueue++;
                reason = DccFailureReason.QueuedPastDeadline;
                break;
            case SlotState.AtDevice when s.Reply.Kind == DeviceReplyKind.NoResponse:
                timedOutNoResponse++;
                reason = DccFailureReason.NoResponse;
                break;
            case SlotState.AtDevice:
                s.State = SlotState.AwaitingLateAnswer;
                timedOutLate++;
                reason = DccFailureReason.DeviceLate;
                break;
            default:
                return;
        }

        timedOut++;
        AddRequestOutcome(OutcomeKind.Timeout, in s.Request, default, TimeoutCode(in s.Request), reason, Times(in s, at));
        if (reason == DccFailureReason.NoResponse)
        {
            Free(slot);
        }
    }

    private void OnReply(int slot, long at)
    {
        ref var s = ref slots[slot];
        var answered = s.Reply.Kind == DeviceReplyKind.Responds;
        if (s.State == SlotState.AtDevice)
        {
            events.Remove(slot * 2);
            if (answered)
            {
                completed++;
                AddRequestOutcome(OutcomeKind.DeviceAnswered, in s.Request, in s.Reply, default, DccFailureReason.None, Times(in s, at));
                AddRequestOutcome(OutcomeKind.Response, in s.Request, in s.Reply, s.Reply.Code, DccFailureReason.None, Times(in s, at));
            }
            else
            {
                unreachable++;
                errors++;
                AddRequestOutcome(OutcomeKind.Error, in s.Request, in s.Reply, unreachableCode, DccFailureReason.Unreachable, Times(in s, at));
            }
        }
        else if (s.State == SlotState.AwaitingLateAnswer && answered)
        {
            lateDeviceSuccesses++;
            ref var o = ref AddRequestOutcome(OutcomeKind.DeviceAnswered, in s.Request, in s.Reply, default, DccFailureReason.DeviceLate, Times(in s, at));
            o.AfterFailure = true;
            AddRequestOutcome(OutcomeKind.LateAnswer, in s.Request, in s.Reply, s.Reply.Code, DccFailureReason.DeviceLate, Times(in s, at));
        }

        Free(slot);
    }

    private ref Outcome NewOutcome()
    {
        if (pendingCount == pending.Length)
        {
            // Grows only while the backlog of undelivered outcomes reaches a new high: not in steady state.
            var bigger = new Outcome[pending.Length * 2];
            for (var i = 0; i < pendingCount; i++)
            {
                bigger[i] = pending[(pendingHead + i) % pending.Length];
            }

            pending = bigger;
            pendingHead = 0;
        }

        ref var o = ref pending[(pendingHead + pendingCount) % pending.Length];
        pendingCount++;
        o = default;
        return ref o;
    }

    private ref Outcome AddRequestOutcome(OutcomeKind kind, in DccRequest request, in DeviceReply reply, ResponseCode code, DccFailureReason reason, DccTimes times)
    {
        ref var o = ref NewOutcome();
        o.Kind = kind;
        o.Request = request;
        o.Reply = reply;
        o.Code = code;
        o.Reason = reason;
        o.Times = times;
        return ref o;
    }

    private void AddAlertOutcome(OutcomeKind kind, in DccAlert alert, DccFailureReason reason, DccTimes times)
    {
        ref var o = ref NewOutcome();
        o.Kind = kind;
        o.Alert = alert;
        o.Reason = reason;
        o.Times = times;
    }

    /// <summary>
    /// Hands decided outcomes to the sink outside the lock. One thread at a time delivers (in decision order); a thread
    /// that finds another delivering leaves its outcomes to it.
    /// </summary>
    private void Flush()
    {
        while (true)
        {
            if (Interlocked.CompareExchange(ref flushing, 1, 0) != 0)
            {
                return;
            }

            try
            {
                while (true)
                {
                    int n;
                    lock (gate)
                    {
                        n = Math.Min(pendingCount, delivery.Length);
                        for (var i = 0; i < n; i++)
                        {
                            ref var from = ref pending[pendingHead];
                            delivery[i] = from;
                            from = default;
                            pendingHead = pendingHead + 1 == pending.Length ? 0 : pendingHead + 1;
                        }

                        pendingCount -= n;
                    }

                    if (n == 0)
                    {
                        break;
                    }

                    for (var i = 0; i < n; i++)
                    {
                        Deliver(in delivery[i]);
                    }
                }
            }
            finally
            {
                Volatile.Write(ref flushing, 0);
            }

            lock (gate)
            {
                if (pendingCount == 0)
                {
                    return;
                }
            }
        }
    }

    private void Deliver(in Outcome o)
    {
        switch (o.Kind)
        {
            case OutcomeKind.Response:
                sink.OnResponse(in o.Request, in o.Reply, in o.Times);
                break;
            case OutcomeKind.Error:
                sink.OnError(in o.Request, o.Code, o.Reason, in o.Times);
                break;
            case OutcomeKind.Timeout:
                sink.OnTimeout(in o.Request, o.Code, o.Reason, in o.Times);
                break;
            case OutcomeKind.DeviceAnswered:
                responder.OnDeviceAnswered(o.Request.Device, o.Request.Srv, in o.Reply, o.AfterFailure);
                break;
            case OutcomeKind.LateAnswer:
                sink.OnLateDeviceAnswer(in o.Request, in o.Reply, in o.Times);
                break;
            case OutcomeKind.Alert:
                sink.OnAlert(in o.Alert, in o.Times);
                break;
            default:
                sink.OnAlertDropped(in o.Alert, o.Reason, in o.Times);
                break;
        }
    }

    private struct Slot
    {
        public SlotState State;
        public bool IsAlert;
        public int Lane;
        public int Next;
        public long Admitted;
        public long Entered;
        public long Sent;
        public DccRequest Request;
        public DccAlert Alert;
        public DeviceReply Reply;
    }

    private struct LaneState
    {
        public long ServiceTicks;
        public long FreeAt;
        public long Served;
        public int Capacity;
        public int Waiting;
        public int Current;
        public int Head;
        public int Tail;
    }

    private struct Outcome
    {
        public OutcomeKind Kind;
        public bool AfterFailure;
        public DccFailureReason Reason;
        public ResponseCode Code;
        public DccRequest Request;
        public DccAlert Alert;
        public DeviceReply Reply;
        public DccTimes Times;
    }
}
