using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Capacity;

/// <summary>How a device (through its WAN and, for SMETS1, its service provider) answers a request.</summary>
public enum DeviceReplyKind : byte
{
    /// <summary>The device answers after <see cref="DeviceReply.Latency"/>.</summary>
    Responds = 0,

    /// <summary>The device never answers; the DCC's deadline decides the outcome.</summary>
    NoResponse = 1,

    /// <summary>The communications provider reports after <see cref="DeviceReply.Latency"/> that the device cannot be reached.</summary>
    Unreachable = 2,
}

/// <summary>The device's answer to one request, decided when the DCC accepts it.</summary>
/// <param name="Latency">Time from leaving the DCC's lane to the answer arriving back (ignored for no response).</param>
/// <param name="Kind">Whether the device answers.</param>
/// <param name="Code">The response code the device's answer carries (I0, or a Service Reference specific code).</param>
/// <param name="Payload">The responder's value for building the response body later (for example a register snapshot id).</param>
public readonly record struct DeviceReply(TimeSpan Latency, DeviceReplyKind Kind, ResponseCode Code, long Payload)
{
    /// <summary>A successful (I0) answer after <paramref name="latency"/>.</summary>
    public static DeviceReply Success(TimeSpan latency, long payload = 0) => new(latency, DeviceReplyKind.Responds, ResponseCode.Success, payload);

    /// <summary>No answer at all.</summary>
    public static DeviceReply None => new(TimeSpan.Zero, DeviceReplyKind.NoResponse, default, 0);

    /// <summary>The provider reports the device unreachable after <paramref name="latency"/>.</summary>
    public static DeviceReply Unreachable(TimeSpan latency) => new(latency, DeviceReplyKind.Unreachable, default, 0);
}

/// <summary>
/// The device side of the DCC's capacity model, implemented from device behaviour. Both methods run on the DCC's
/// request or scheduler threads, possibly concurrently, and must not allocate or call back into the model.
/// </summary>
public interface IDeviceResponder
{
    /// <summary>Decides how <paramref name="device"/> answers a request for <paramref name="srv"/>: latency and outcome.</summary>
    DeviceReply Respond(in DeviceRecord device, ServiceReferenceVariant srv);

    /// <summary>
    /// The device's answer arrived at the DCC: the device carried the request out, so its state changes now. Called for
    /// every answer of kind <see cref="DeviceReplyKind.Responds"/>, also when it came after the DCC's deadline
    /// (<paramref name="afterDccFailure"/>), when the user has already been told the request failed.
    /// </summary>
    void OnDeviceAnswered(in DeviceRecord device, ServiceReferenceVariant srv, in DeviceReply reply, bool afterDccFailure);
}

/// <summary>
/// Where the DCC's capacity model hands each outcome (the host wires delivery to the user). Every accepted request
/// gets exactly one of <see cref="OnResponse"/>, <see cref="OnError"/> or <see cref="OnTimeout"/>; a late answer after
/// a time-out also gets <see cref="OnLateDeviceAnswer"/>. Calls come one at a time, in decision order, from one thread
/// at a time; they must not block for long.
/// </summary>
public interface IDccOutcomeSink
{
    /// <summary>The device answered within the DCC's deadline: deliver its response to the user.</summary>
    void OnResponse(in DccRequest request, in DeviceReply reply, in DccTimes times);

    /// <summary>The DCC ends the request with a DUIS error (overload, shed, unreachable device): deliver it to the user.</summary>
    void OnError(in DccRequest request, ResponseCode code, DccFailureReason reason, in DccTimes times);

    /// <summary>The DCC's deadline passed before the device answered: deliver the failure (<paramref name="code"/>) to the user.</summary>
    void OnTimeout(in DccRequest request, ResponseCode code, DccFailureReason reason, in DccTimes times);

    /// <summary>
    /// The device answered after the DCC had already told the user the request failed: the change happened although the
    /// user was told it did not. Informational (for logs and counters); the request's outcome was its time-out.
    /// </summary>
    void OnLateDeviceAnswer(in DccRequest request, in DeviceReply reply, in DccTimes times);

    /// <summary>An alert passed its lane: deliver it to the users who receive it.</summary>
    void OnAlert(in DccAlert alert, in DccTimes times);

    /// <summary>An alert was dropped (operator shed, or its lane's queue full) and counted.</summary>
    void OnAlertDropped(in DccAlert alert, DccFailureReason reason, in DccTimes times);
}
