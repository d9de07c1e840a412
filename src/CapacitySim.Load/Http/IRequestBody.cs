using System.Buffers;

namespace CapacitySim.Load.Http;

/// <summary>
/// Renders one request body. Implement it on a struct and pass it as a generic argument so that the JIT
/// specialises the send path for it: no delegate, no boxing, no allocation per request.
/// </summary>
public interface IRequestBody
{
    /// <summary>Writes the body to <paramref name="output"/> and returns the number of bytes written.</summary>
    int Write(IBufferWriter<byte> output);
}
