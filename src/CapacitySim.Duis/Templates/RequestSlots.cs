using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Templates;

/// <summary>
/// The values a <see cref="RequestTemplate"/> fills in on each render.
/// </summary>
/// <param name="RequestId">
/// The header RequestID: originator, target device and counter. The counter must keep increasing per originator,
/// or the DCC rejects the request as a replay.
/// </param>
/// <param name="ExecutionDateTime">
/// When a future-dated command is to run on the device; rendered as UTC. Null keeps the template's original value.
/// Only templates with <see cref="RequestTemplate.HasExecutionDateTime"/> accept a value.
/// </param>
public readonly record struct RequestSlots(RequestId RequestId, DateTimeOffset? ExecutionDateTime = null);
