using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace CapacitySim.Load.Http;

/// <summary>
/// The fixed part of every request's head, encoded once per endpoint path: request line, Host and Content-Type, up to
/// the Content-Length value. Only the length digits differ from one request to the next.
/// </summary>
internal sealed class HttpRequestHead
{
    private const int MaxLengthDigits = 10;
    private readonly byte[][] _prefixes;
    private readonly int _maxLength;

    /// <summary>Encodes the heads for the endpoint's path (index 0) and each alternate path (index 1 on).</summary>
    public HttpRequestHead(Uri endpoint, string contentType, IReadOnlyList<string>? alternatePaths = null)
    {
        alternatePaths ??= [];
        _prefixes = new byte[alternatePaths.Count + 1][];
        for (var i = 0; i < _prefixes.Length; i++)
        {
            // PathAndQuery is already percent-encoded ASCII; Authority omits the default port, as Host should.
            var path = i == 0 ? endpoint.PathAndQuery : alternatePaths[i - 1];
            var text = "POST " + path + " HTTP/1.1\r\nHost: " + endpoint.Authority
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: ";
            _prefixes[i] = Encoding.ASCII.GetBytes(text);
            _maxLength = Math.Max(_maxLength, _prefixes[i].Length + MaxLengthDigits + 4);
        }
    }

    /// <summary>The most bytes <see cref="Write"/> adds.</summary>
    public int MaxLength => _maxLength;

    /// <summary>How many paths there are (the endpoint's own and the alternates).</summary>
    public int PathCount => _prefixes.Length;

    /// <summary>Writes the head for a body of <paramref name="contentLength"/> bytes to path <paramref name="pathIndex"/>, ending with the blank line.</summary>
    public void Write(IBufferWriter<byte> output, int contentLength, int pathIndex = 0)
    {
        var prefix = _prefixes[pathIndex];
        var span = output.GetSpan(MaxLength);
        prefix.CopyTo(span);
        var at = prefix.Length;
        Utf8Formatter.TryFormat(contentLength, span[at..], out var digits);
        at += digits;
        "\r\n\r\n"u8.CopyTo(span[at..]);
        output.Advance(at + 4);
    }
}
