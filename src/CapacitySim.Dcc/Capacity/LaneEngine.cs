using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// The DCC's lanes and deadlines: in-flight slots, processing lanes with a service rate and a bounded queue each, the
/// device's answer after its latency, and the DCC's deadline per request, all as events on one preallocated
/// <see cref="EventQueue"/> that the <see cref="IDccScheduler"/> wakes. Its only clock is the scheduler's, so live
/// runs and virtual time run the same rules. Each event is processed at its own scenario time, however late the
/// wake-up, so a late timer does not distort queueing. Per message nothing is allocated. Not thread-safe: the DCC's
/// lock guards every call.
/// </summary>
internal sealed class LaneEngine
{
    private const byte RankLane = 0;
    private const byte RankReply = 1;
    private const byte RankDeadline = 2;

    private readonly IDccScheduler scheduler;
    private readonly OutcomeQueue outcomes;
    private readonly DccCapacityCounters counters;
    private readonly DateTimeOffset start;

    private readonly Slot[] slots;
    private readonly DccLanes lanes;
    private readonly DccDeadlines deadlines;
    private readonly EventQueue events;
    private readonly int laneEventBase;

    private readonly ResponseCode overloadCode;
    private readonly ResponseCode unreachableCode;

    private int freeHead;
    private long armedAt = long.MaxValue;
    private bool wakeRequested;

    /// <exception cref="ArgumentException">The options are inconsistent (no lanes, a rate or bound out of range, a class no lane carries).</exception>
    public LaneEngine(DccCapacityOptions options, IDccScheduler scheduler, OutcomeQueue outcomes, DccCapacityCounters counters)
    {
        lanes = new DccLanes(options);
        if (options.MaxInFlight < 1)
        {
            throw new ArgumentException("MaxInFlight must be at least 1.", nameof(options));
        }

        this.scheduler = scheduler;
        this.outcomes = outcomes;
        this.counters = counters;
        deadlines = new DccDeadlines(options);
        overloadCode = options.OverloadCode;
        unreachableCode = options.UnreachableCode;

        slots = new Slot[options.MaxInFlight];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i].Next = i + 1 < slots.Length ? i + 1 : -1;
        }

        freeHead = 0;
        laneEventBase = slots.Length * 2;
        events = new EventQueue(laneEventBase + lanes.Count);
        start = scheduler.Start;
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

    public int LaneCount => lanes.Count;

    public string LaneName(int lane) => lanes.Name(lane);

    public int LaneWaiting(int lane) => lanes[lane].Waiting;

    public TimeSpan LaneServiceTime(int lane) => TimeSpan.FromTicks(lanes[lane].ServiceTicks);

    public int LaneQueueCapacity(int lane) => lanes[lane].Capacity;

    public long LaneServed(int lane) => lanes[lane].Served;

    /// <summary>Scenario time of tick <paramref name="ticks"/> (default for a stage not reached).</summary>
    public DateTimeOffset At(long ticks) => ticks < 0 ? default : start.AddTicks(ticks);

    /// <summary>
    /// Admits a request at <paramref name="now"/>: shed by <paramref name="control"/>, refused when no slot is free,
    /// held by a defer control, or placed on a lane. The device's <paramref name="reply"/> was decided beforehand.
    /// </summary>
    public DccAdmission Submit(in DccRequest request, EmergencyControl? control, in DeviceReply reply, long now)
    {
        counters.Accepted++;
        if (control is { Action: EmergencyAction.Shed })
        {
            control.CountAffected();
            counters.Shed++;
            counters.Errors++;
            outcomes.AddRequest(DccOutcomeKind.Error, in request, default, control.Code, DccFailureReason.Shed, Times(now, -1, -1, now));
            return DccAdmission.Shed;
        }

        if (freeHead < 0)
        {
            counters.RejectedOverload++;
            counters.Errors++;
            outcomes.AddRequest(DccOutcomeKind.Error, in request, default, overloadCode, DccFailureReason.Overload, Times(now, -1, -1, now));
            return DccAdmission.RejectedOverload;
        }

        var slot = Allocate(now);
        ref var s = ref slots[slot];
        s.IsAlert = false;
        s.Request = request;
        s.Reply = reply;
        return Place(slot, control, now);
    }

    /// <summary>Admits an alert at <paramref name="now"/>, as <see cref="Submit"/> does a request.</summary>
    public DccAdmission SubmitAlert(in DccAlert alert, EmergencyControl? control, long now)
    {
        counters.AlertsAccepted++;
        if (control is { Action: EmergencyAction.Shed })
        {
            control.CountAffected();
            counters.AlertsShed++;
            outcomes.AddAlert(DccOutcomeKind.AlertDropped, in alert, DccFailureReason.Shed, Times(now, -1, -1, now));
            return DccAdmission.Shed;
        }

        if (freeHead < 0)
        {
            counters.AlertsRejected++;
            outcomes.AddAlert(DccOutcomeKind.AlertDropped, in alert, DccFailureReason.Overload, Times(now, -1, -1, now));
            return DccAdmission.RejectedOverload;
        }

        var slot = Allocate(now);
        ref var s = ref slots[slot];
        s.IsAlert = true;
        s.Alert = alert;
        return Place(slot, control, now);
    }

    /// <summary>Releases what a lifted defer control held to the lanes at <paramref name="now"/>, in arrival order.</summary>
    public void ReleaseHeld(EmergencyControl control, long now)
    {
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
    }

    /// <summary>The scheduler's wake-up: the requested time is used up; process what is due now.</summary>
    public void OnWake()
    {
        armedAt = long.MaxValue;
        Pump(scheduler.Now);
    }

    /// <summary>Processes every event due by <paramref name="now"/> in time order, then asks the scheduler to wake it for the next.</summary>
    public void Pump(long now)
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

        if (!events.TryPeek(out _, out var next))
        {
            if (wakeRequested)
            {
                wakeRequested = false;
                armedAt = long.MaxValue;
                scheduler.Idle();
            }

            return;
        }

        if (next >= armedAt)
        {
            return;
        }

        armedAt = next;
        wakeRequested = true;
        scheduler.WakeAt(next, now);
    }

    /// <summary>The slots by state now: what is still inside the DCC.</summary>
    public DccSlotTally Tally()
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

        return new DccSlotTally(deferred, inLanes, atDevice, awaitingLate, alertsInFlight);
    }

    private DccTimes Times(long admitted, long entered, long sent, long done) => new(At(admitted), At(entered), At(sent), At(done));

    private DccTimes Times(in Slot s, long done) => Times(s.Admitted, s.Entered, s.Sent, done);

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

    /// <summary>Sends a newly admitted message to its lane, or to the defer control that selected it.</summary>
    private DccAdmission Place(int slot, EmergencyControl? control, long now)
        => control is { Action: EmergencyAction.Defer, IsActive: true } ? Hold(control, slot) : EnterLane(slot, now);

    /// <summary>Appends <paramref name="slot"/> to a list through the slots (a lane's queue, or what a defer control holds).</summary>
    private void Append(ref int head, ref int tail, int slot)
    {
        slots[slot].Next = -1;
        if (tail < 0)
        {
            head = slot;
        }
        else
        {
            slots[tail].Next = slot;
        }

        tail = slot;
    }

    private DccAdmission Hold(EmergencyControl control, int slot)
    {
        slots[slot].State = SlotState.Deferred;
        Append(ref control.HeldHead, ref control.HeldTail, slot);
        control.CountAffected();
        return DccAdmission.Deferred;
    }

    private DccAdmission EnterLane(int slot, long now)
    {
        ref var s = ref slots[slot];
        var trafficClass = s.IsAlert ? DccTrafficClass.Alert : s.Request.Class;
        var laneIndex = lanes.Choose(trafficClass);
        ref var lane = ref lanes[laneIndex];
        if (lane.Current >= 0 && lane.Waiting >= lane.Capacity)
        {
            if (s.IsAlert)
            {
                counters.AlertsRejected++;
                outcomes.AddAlert(DccOutcomeKind.AlertDropped, in s.Alert, DccFailureReason.Overload, Times(in s, now));
            }
            else
            {
                counters.RejectedOverload++;
                counters.Errors++;
                outcomes.AddRequest(DccOutcomeKind.Error, in s.Request, default, overloadCode, DccFailureReason.Overload, Times(in s, now));
            }

            Free(slot);
            return DccAdmission.RejectedOverload;
        }

        s.Lane = laneIndex;
        s.Entered = now;
        if (!s.IsAlert)
        {
            events.Set(slot * 2, now + deadlines.Ticks(in s.Request), RankDeadline);
        }

        if (lane.Current < 0)
        {
            StartService(laneIndex, slot, Math.Max(now, lane.FreeAt));
        }
        else
        {
            s.State = SlotState.Waiting;
            Append(ref lane.Head, ref lane.Tail, slot);
            lane.Waiting++;
        }

        return DccAdmission.Queued;
    }

    private void StartService(int laneIndex, int slot, long at)
    {
        ref var lane = ref lanes[laneIndex];
        slots[slot].State = SlotState.InService;
        lane.Current = slot;
        lane.FreeAt = at + lane.ServiceTicks;
        events.Set(laneEventBase + laneIndex, lane.FreeAt, RankLane);
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
                counters.AlertsForwarded++;
                outcomes.AddAlert(DccOutcomeKind.Alert, in s.Alert, DccFailureReason.None, Times(in s, at));
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
                counters.TimedOutInQueue++;
                reason = DccFailureReason.QueuedPastDeadline;
                break;
            case SlotState.InService:
                s.State = SlotState.TimedOutInLane;
                counters.TimedOutInQueue++;
                reason = DccFailureReason.QueuedPastDeadline;
                break;
            case SlotState.AtDevice when s.Reply.Kind == DeviceReplyKind.NoResponse:
                counters.TimedOutNoResponse++;
                reason = DccFailureReason.NoResponse;
                break;
            case SlotState.AtDevice:
                s.State = SlotState.AwaitingLateAnswer;
                counters.TimedOutLate++;
                reason = DccFailureReason.DeviceLate;
                break;
            default:
                return;
        }

        counters.TimedOut++;
        outcomes.AddRequest(DccOutcomeKind.Timeout, in s.Request, default, deadlines.TimeoutCode(in s.Request), reason, Times(in s, at));
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
                counters.Completed++;
                outcomes.AddRequest(DccOutcomeKind.DeviceAnswered, in s.Request, in s.Reply, default, DccFailureReason.None, Times(in s, at));
                outcomes.AddRequest(DccOutcomeKind.Response, in s.Request, in s.Reply, s.Reply.Code, DccFailureReason.None, Times(in s, at));
            }
            else
            {
                counters.Unreachable++;
                counters.Errors++;
                outcomes.AddRequest(DccOutcomeKind.Error, in s.Request, in s.Reply, unreachableCode, DccFailureReason.Unreachable, Times(in s, at));
            }
        }
        else if (s.State == SlotState.AwaitingLateAnswer && answered)
        {
            counters.LateDeviceSuccesses++;
            ref var o = ref outcomes.AddRequest(DccOutcomeKind.DeviceAnswered, in s.Request, in s.Reply, default, DccFailureReason.DeviceLate, Times(in s, at));
            o.AfterFailure = true;
            outcomes.AddRequest(DccOutcomeKind.LateAnswer, in s.Request, in s.Reply, s.Reply.Code, DccFailureReason.DeviceLate, Times(in s, at));
        }

        Free(slot);
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
}
