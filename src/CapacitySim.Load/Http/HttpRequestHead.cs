using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace CapacitySim.Load.Http;

/// <summary>
/// The fixed part of every request's head, encoded once per endpoint: request line, Host and Content-Type, up to
/// the Content-Length value. Only the length digits differ from one request to the next.
/// </summary>
internal sealed class HttpRequestHead
{
    private const int MaxLengthDigits = 10;
    private readonly byte[] _prefix;

    public HttpRequestHead(Uri endpoint, string contentType)
    {
        // PathAndQuery is already percent-encoded ASCII; Authority omits the default port, as Host should.
        var text = "POST " + endpoint.PathAndQuery + " HTTP/1.1\r\nHost: " + endpoint.Authority
            + "\r\nContent-Type: " + contentType + "\r\nContent-Length: ";
        _prefix = Encoding.ASCII.GetBytes(text);
    }

    /// <summary>The most bytes <see cref="Write"/> adds.</summary>
    public int MaxLength => _prefix.Length + MaxLengthDigits + 4;

    /// <summary>Writes the head for a body of <paramref name="contentLength"/> bytes, ending with the blank line.</summary>
    public void Write(IBufferWriter<byte> output, int contentLength)
    {
        var span = output.GetSpan(MaxLength);
        _prefix.CopyTo(span);
        var at = _prefix.Length;
        Utf8Formatter.TryFormat(contentLength, span[at..], out var digits);
        at += digits;
        "\r\n\r\n"u8.CopyTo(span[at..]);
        output.Advance(at + 4);
    }
}
