using System.Buffers;

namespace CapacitySim.Load.Http;

/// <summary>
/// Receives each complete response while its body is still in the connection's buffers. The body is only valid
/// during the call: the connection reuses the memory as soon as the handler returns, so copy what must be kept.
/// </summary>
/// <remarks>
/// Implement it on a struct that holds references to where results go (a recorder, a correlation table); the
/// connection works on its own copy of the struct, so state written into the struct's own fields is not seen by
/// the caller.
/// </remarks>
public interface IResponseHandler
{
    /// <summary>Called once per response with its status code and body (de-chunked when it was chunked).</summary>
    void OnResponse(int status, in ReadOnlySequence<byte> body);
}
