using System.Buffers;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Load.Engine;

/// <summary>What happened to one message of a run, as a <see cref="ITrafficObserver"/> sees it.</summary>
public enum TrafficEventKind : byte
{
    /// <summary>A request left on a connection.</summary>
    RequestSent = 1,

    /// <summary>The synchronous answer to a request arrived (I99 acknowledgement, a synchronous response, or a refusal).</summary>
    SynchronousResponse,

    /// <summary>An asynchronous final response was delivered to the users' receiver.</summary>
    DeliveredResponse,

    /// <summary>An alert was delivered to the users' receiver.</summary>
    Alert,

    /// <summary>A request could not be sent or got no HTTP answer (connection failure, time-out); the code is E0 and the client result is in <see cref="TrafficEvent.Detail"/>.</summary>
    SendFailed,
}

/// <summary>
/// One message of a run. Times are microseconds of wall-clock time since the run start; latency is microseconds of
/// wall-clock time from the request's intended send time (corrected) for responses, and from the alert's
/// ResponseDateTime for alerts. Multiply by the run's compression for scenario time.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="AtMicroseconds">When it happened.</param>
/// <param name="RequestId">The RequestID (of the request, or the alert's own).</param>
/// <param name="Srv">The Service Reference Variant (default for alerts).</param>
/// <param name="Code">The response code (default for a request sent; for alerts, default).</param>
/// <param name="AlertCode">The alert code (<c>0x8F35</c> for a device alert, the number of an N-code for a DCC alert), or 0.</param>
/// <param name="IsDccAlert">True when <paramref name="AlertCode"/> is a DCC alert's number.</param>
/// <param name="LatencyMicroseconds">Latency as described above, or 0 when none applies.</param>
/// <param name="Bytes">Size of the message body in bytes.</param>
/// <param name="Detail">For <see cref="TrafficEventKind.SendFailed"/>, the client's result code; else 0.</param>
public readonly record struct TrafficEvent(
    TrafficEventKind Kind,
    long AtMicroseconds,
    RequestId RequestId,
    ServiceReferenceVariant Srv,
    ResponseCode Code,
    ushort AlertCode,
    bool IsDccAlert,
    long LatencyMicroseconds,
    int Bytes,
    int Detail);

/// <summary>
/// Sees every message of a run (a traffic capture). Called on the sending and receiving threads, concurrently, for
/// every message: it must not block and must not allocate per call in steady state (copy into preallocated buffers
/// and write elsewhere). The body is only valid during the call.
/// </summary>
public interface ITrafficObserver
{
    /// <summary>Takes one message; <paramref name="body"/> is its bytes (empty when unavailable).</summary>
    void Observe(in TrafficEvent traffic, in ReadOnlySequence<byte> body);
}
