using System.Buffers;
using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Host;

/// <summary>
/// What the HTTP layer hands a DUIS request to: it validates, answers synchronously (I99 acknowledgement, a DUIS
/// error, a non-device or Transform answer) and starts the asynchronous part. Knows nothing of HTTP.
/// </summary>
public interface IDuisRequestProcessor
{
    /// <summary>
    /// Processes one request received on <paramref name="service"/>; writes the synchronous answer body to
    /// <paramref name="response"/> and returns the HTTP status to send with it (200 with a DUIS response, or 400
    /// with a plain-text reason when the body is not DUIS at all).
    /// </summary>
    int Process(DuisWebService service, in ReadOnlySequence<byte> request, IBufferWriter<byte> response);
}
