using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Writing;

/// <summary>
/// The <c>sr:Header</c> of a DUIS response or alert, in the schema's order: RequestID (optional), ResponseID
/// (optional), ResponseCode, ResponseDateTime.
/// </summary>
/// <param name="RequestId">The request answered; absent for alerts the DCC or a device raised on its own.</param>
/// <param name="ResponseId">The response's own identifier (device or DCC : user : counter); absent on synchronous
/// acknowledgements and errors, as in the DCC's samples.</param>
/// <param name="ResponseCode">I0, I99, an E-code or a W-code.</param>
/// <param name="ResponseDateTime">When the response was produced; written as UTC with milliseconds and <c>Z</c>.</param>
public readonly record struct ResponseHeaderFields(
    RequestId? RequestId,
    ResponseId? ResponseId,
    ResponseCode ResponseCode,
    DateTimeOffset ResponseDateTime);
