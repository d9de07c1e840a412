using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Dcc.Delivery;

/// <summary>What a delivered message is, for accounting.</summary>
public enum DeliveryKind : byte
{
    /// <summary>The asynchronous response to a user's request.</summary>
    Response = 0,

    /// <summary>A device alert.</summary>
    DeviceAlert = 1,

    /// <summary>A DCC alert.</summary>
    DccAlert = 2,
}

/// <summary>The identity of a message handed to delivery: its kind and DUIS identifiers.</summary>
/// <param name="Kind">Response, device alert or DCC alert.</param>
/// <param name="RequestId">The RequestID the message answers, when it has one.</param>
/// <param name="ResponseId">The message's ResponseID, when it has one.</param>
public readonly record struct DeliveryMessageInfo(DeliveryKind Kind, RequestId? RequestId, ResponseId? ResponseId);

/// <summary>The outcome of handing a message to delivery.</summary>
public enum DeliveryAcceptResult : byte
{
    /// <summary>Accepted: it will end delivered or expired, and is pending until then.</summary>
    Accepted = 1,

    /// <summary>
    /// Refused, because the endpoint already holds <see cref="DeliveryOptions.MaxBytesHeldPerEndpoint"/> bytes of
    /// undelivered messages. Counted as refused; the caller owns the message's fate (count it as a DCC-side failure).
    /// </summary>
    RefusedOverCapacity = 2,

    /// <summary>Refused, because delivery is shutting down. Counted as refused.</summary>
    RefusedStopped = 3,
}

/// <summary>Where a user endpoint stands.</summary>
public enum DeliveryEndpointState : byte
{
    /// <summary>Answering: new messages are posted, failures retried within the retry window.</summary>
    Up = 1,

    /// <summary>
    /// A message exhausted its retry window: new messages join the failed queue, and the queue's oldest message is
    /// re-posted every probe interval until one is delivered.
    /// </summary>
    Down = 2,

    /// <summary>The endpoint answered again: the failed queue is re-delivered in order before new messages.</summary>
    Recovering = 3,
}

/// <summary>Told of each accepted message's end. Called on delivery threads, outside any delivery lock.</summary>
public interface IDeliveryObserver
{
    /// <summary>The endpoint answered 2xx to the message.</summary>
    /// <param name="endpoint">The user endpoint.</param>
    /// <param name="message">The message.</param>
    /// <param name="attempts">POSTs it took, this one included.</param>
    /// <param name="fromFailedQueue">True when it was re-delivered from the failed queue.</param>
    void Delivered(Uri endpoint, in DeliveryMessageInfo message, int attempts, bool fromFailedQueue);

    /// <summary>The message was held on the failed queue for the hold time and is given up.</summary>
    /// <param name="endpoint">The user endpoint.</param>
    /// <param name="message">The message.</param>
    /// <param name="attempts">POSTs made for it.</param>
    void Expired(Uri endpoint, in DeliveryMessageInfo message, int attempts);
}

/// <summary>
/// Delivery counters of one endpoint or of all. Every accepted message is in exactly one place:
/// <c>Accepted = Delivered + Expired + Pending</c>, where <c>Pending = Queued + Retrying + FailedQueue + Redelivering</c>.
/// </summary>
/// <param name="Accepted">Messages accepted.</param>
/// <param name="Delivered">Messages the endpoint answered 2xx.</param>
/// <param name="Expired">Messages given up after the failed-queue hold time.</param>
/// <param name="Queued">Pending: waiting for a worker, or on their first POST.</param>
/// <param name="Retrying">Pending: failed at least once and within the retry window (backing off or re-posting).</param>
/// <param name="FailedQueue">Pending: held on the failed queue.</param>
/// <param name="Redelivering">Pending: taken from the failed queue, POST in flight.</param>
/// <param name="Refused">Messages refused at the door (over capacity or stopping); never accepted.</param>
/// <param name="Attempts">POSTs made.</param>
/// <param name="FailedAttempts">POSTs that failed (connection refused, time-out, non-2xx).</param>
/// <param name="MovedToFailedQueue">Times a message entered the failed queue.</param>
/// <param name="Redelivered">Messages delivered from the failed queue.</param>
/// <param name="Probes">POSTs made by the probe timer while the endpoint was down.</param>
/// <param name="BytesHeld">Bytes of pending messages held now.</param>
public readonly record struct DeliveryCounters(
    long Accepted,
    long Delivered,
    long Expired,
    long Queued,
    long Retrying,
    long FailedQueue,
    long Redelivering,
    long Refused,
    long Attempts,
    long FailedAttempts,
    long MovedToFailedQueue,
    long Redelivered,
    long Probes,
    long BytesHeld)
{
    /// <summary>Messages accepted and not yet delivered or expired.</summary>
    public long Pending => Queued + Retrying + FailedQueue + Redelivering;

    /// <summary>True when <c>Accepted = Delivered + Expired + Pending</c>.</summary>
    public bool IsBalanced => Accepted == Delivered + Expired + Pending;

    /// <summary>Sum of two sets of counters.</summary>
    public static DeliveryCounters operator +(DeliveryCounters a, DeliveryCounters b) => new(
        a.Accepted + b.Accepted,
        a.Delivered + b.Delivered,
        a.Expired + b.Expired,
        a.Queued + b.Queued,
        a.Retrying + b.Retrying,
        a.FailedQueue + b.FailedQueue,
        a.Redelivering + b.Redelivering,
        a.Refused + b.Refused,
        a.Attempts + b.Attempts,
        a.FailedAttempts + b.FailedAttempts,
        a.MovedToFailedQueue + b.MovedToFailedQueue,
        a.Redelivered + b.Redelivered,
        a.Probes + b.Probes,
        a.BytesHeld + b.BytesHeld);
}

/// <summary>One endpoint's state and counters.</summary>
/// <param name="Endpoint">The user endpoint.</param>
/// <param name="State">Up, down or recovering.</param>
/// <param name="Counters">Its counters, read atomically (balanced).</param>
public sealed record EndpointDeliverySnapshot(Uri Endpoint, DeliveryEndpointState State, DeliveryCounters Counters);

/// <summary>Delivery as a whole at one moment.</summary>
/// <param name="Totals">Sum over endpoints (balanced, as each endpoint's counters are).</param>
/// <param name="Endpoints">Each endpoint.</param>
public sealed record DeliverySnapshot(DeliveryCounters Totals, IReadOnlyList<EndpointDeliverySnapshot> Endpoints);
