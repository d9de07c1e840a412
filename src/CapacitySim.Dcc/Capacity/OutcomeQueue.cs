using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Capacity;

/// <summary>Which call of the outcome sink (or the device responder) an outcome becomes.</summary>
internal enum DccOutcomeKind : byte
{
    Response,
    Error,
    Timeout,
    DeviceAnswered,
    LateAnswer,
    Alert,
    AlertDropped,
}

/// <summary>
/// The outcomes the DCC has decided but not yet handed out. The lane engine adds them under the DCC's lock, in decision
/// order; <see cref="Flush"/> hands them to the outcome sink and the device responder outside it, so a slow sink
/// never holds up admission. The ring grows only when the backlog reaches a new high; in steady state nothing is
/// allocated.
/// </summary>
internal sealed class OutcomeQueue(Lock gate, IDeviceResponder responder, IDccOutcomeSink sink)
{
    private const int DeliveryChunk = 64;

    private readonly Outcome[] delivery = new Outcome[DeliveryChunk];
    private Outcome[] pending = new Outcome[256];
    private int pendingHead;
    private int pendingCount;
    private int flushing;

    /// <summary>Adds a request's outcome (under the lock) and returns it for any further detail.</summary>
    public ref Outcome AddRequest(DccOutcomeKind kind, in DccRequest request, in DeviceReply reply, ResponseCode code, DccFailureReason reason, DccTimes times)
    {
        ref var o = ref Add();
        o.Kind = kind;
        o.Request = request;
        o.Reply = reply;
        o.Code = code;
        o.Reason = reason;
        o.Times = times;
        return ref o;
    }

    /// <summary>Adds an alert's outcome (under the lock).</summary>
    public void AddAlert(DccOutcomeKind kind, in DccAlert alert, DccFailureReason reason, DccTimes times)
    {
        ref var o = ref Add();
        o.Kind = kind;
        o.Alert = alert;
        o.Reason = reason;
        o.Times = times;
    }

    /// <summary>
    /// Hands decided outcomes to the sink outside the lock. One thread at a time delivers (in decision order); a thread
    /// that finds another delivering leaves its outcomes to it.
    /// </summary>
    public void Flush()
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

    private ref Outcome Add()
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

    private void Deliver(in Outcome o)
    {
        switch (o.Kind)
        {
            case DccOutcomeKind.Response:
                sink.OnResponse(in o.Request, in o.Reply, in o.Times);
                break;
            case DccOutcomeKind.Error:
                sink.OnError(in o.Request, o.Code, o.Reason, in o.Times);
                break;
            case DccOutcomeKind.Timeout:
                sink.OnTimeout(in o.Request, o.Code, o.Reason, in o.Times);
                break;
            case DccOutcomeKind.DeviceAnswered:
                responder.OnDeviceAnswered(o.Request.Device, o.Request.Srv, in o.Reply, o.AfterFailure);
                break;
            case DccOutcomeKind.LateAnswer:
                sink.OnLateDeviceAnswer(in o.Request, in o.Reply, in o.Times);
                break;
            case DccOutcomeKind.Alert:
                sink.OnAlert(in o.Alert, in o.Times);
                break;
            default:
                sink.OnAlertDropped(in o.Alert, o.Reason, in o.Times);
                break;
        }
    }

    /// <summary>One decided outcome, with everything its sink call needs.</summary>
    internal struct Outcome
    {
        public DccOutcomeKind Kind;
        public bool AfterFailure;
        public DccFailureReason Reason;
        public ResponseCode Code;
        public DccRequest Request;
        public DccAlert Alert;
        public DeviceReply Reply;
        public DccTimes Times;
    }
}
