using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace CapacitySim.Load.Http;

/// <summary>What one call of <see cref="HttpResponseParser.Parse{THandler}"/> reached.</summary>
internal enum ParseStep
{
    /// <summary>More bytes are needed; what was consumed so far is remembered.</summary>
    NeedMore,

    /// <summary>The response is complete and the handler has been called.</summary>
    Complete,

    /// <summary>The bytes are not a well-formed HTTP/1.1 response.</summary>
    ProtocolError,

    /// <summary>The head or body is larger than allowed.</summary>
    TooLarge,

    /// <summary>The server closed the connection before the response was complete.</summary>
    ClosedEarly,
}

/// <summary>
/// Reads one HTTP/1.1 response at a time from a connection's incoming bytes, as they arrive: status line and
/// headers, then a Content-Length, chunked or read-until-close body. The state between reads lives in this object,
/// so a response split anywhere across reads is parsed without re-reading what was already consumed.
/// </summary>
/// <remarks>
/// A Content-Length body is handed to the handler as a slice of the connection's own buffers (no copy). A chunked
/// body is copied, without its framing, into a reusable buffer owned by the parser. Nothing here allocates once
/// that buffer has grown to the largest chunked body seen.
/// </remarks>
internal sealed class HttpResponseParser : IDisposable
{
    // One header line is flattened here when it straddles two pipe segments; longer lines are refused, as Kestrel
    // refuses request lines over 8 KiB.
    private const int MaxLineBytes = 8 * 1024;
    private const int MaxChunkSizeLineBytes = 1024;

    private readonly int _maxHeadBytes;
    private readonly int _maxBodyBytes;
    private readonly byte[] _lineScratch = new byte[MaxLineBytes];
    private readonly PooledBufferWriter _chunkedBody = new(4096);

    private Phase _phase;
    private int _status;
    private long _contentLength;
    private long _chunkRemaining;
    private bool _chunked;
    private bool _transferEncoding;
    private bool _connectionClose;
    private bool _connectionKeepAlive;
    private bool _http10;

    public HttpResponseParser(int maxHeadBytes, int maxBodyBytes)
    {
        _maxHeadBytes = maxHeadBytes;
        _maxBodyBytes = maxBodyBytes;
    }

    private enum Phase
    {
        Head,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        UntilClose,
    }

    /// <summary>The status of the last complete response.</summary>
    public int Status => _status;

    /// <summary>Whether the connection must be closed after the last complete response.</summary>
    public bool CloseAfterResponse { get; private set; }

    /// <summary>How the last complete response's body was delimited.</summary>
    public ResponseBodyFraming Framing { get; private set; }

    /// <summary>Starts a new response.</summary>
    public void Reset()
    {
        _phase = Phase.Head;
        _status = 0;
        CloseAfterResponse = false;
        Framing = ResponseBodyFraming.None;
    }

    /// <summary>
    /// Parses as much of the response as <paramref name="buffer"/> holds. <paramref name="consumed"/> is where the
    /// pipe may release bytes up to; everything up to the buffer's end has been examined. When the response is
    /// complete, <paramref name="handler"/> has been called with the body before this returns.
    /// </summary>
    public ParseStep Parse<THandler>(in ReadOnlySequence<byte> buffer, bool isCompleted, ref THandler handler, out SequencePosition consumed)
        where THandler : IResponseHandler
    {
        var reader = new SequenceReader<byte>(buffer);
        var step = Run(ref reader, isCompleted, ref handler);
        consumed = reader.Position;
        if (step == ParseStep.NeedMore && isCompleted)
        {
            return ParseStep.ClosedEarly;
        }

        return step;
    }

    public void Dispose() => _chunkedBody.Dispose();

    private ParseStep Run<THandler>(ref SequenceReader<byte> reader, bool isCompleted, ref THandler handler)
        where THandler : IResponseHandler
    {
        while (true)
        {
            switch (_phase)
            {
                case Phase.Head:
                {
                    var head = ParseHead(ref reader);
                    if (head != ParseStep.Complete)
                    {
                        return head;
                    }

                    if (_status < 200)
                    {
                        // An interim response (100 Continue, 103 Early Hints) precedes the real one.
                        if (_status == 101)
                        {
                            return ParseStep.ProtocolError;
                        }

                        continue;
                    }

                    if (_status is 204 or 304)
                    {
                        Framing = ResponseBodyFraming.None;
                        return Deliver(ref handler, ReadOnlySequence<byte>.Empty);
                    }

                    if (_chunked)
                    {
                        Framing = ResponseBodyFraming.Chunked;
                        _chunkedBody.Reset();
                        _phase = Phase.ChunkSize;
                    }
                    else if (_transferEncoding || _contentLength < 0)
                    {
                        Framing = ResponseBodyFraming.UntilClose;
                        _phase = Phase.UntilClose;
                    }
                    else
                    {
                        if (_contentLength > _maxBodyBytes)
                        {
                            return ParseStep.TooLarge;
                        }

                        Framing = ResponseBodyFraming.ContentLength;
                        _phase = Phase.FixedBody;
                    }

                    continue;
                }

                case Phase.FixedBody:
                {
                    if (reader.Remaining < _contentLength)
                    {
                        return ParseStep.NeedMore;
                    }

                    var body = reader.UnreadSequence.Slice(0, _contentLength);
                    var step = Deliver(ref handler, body);
                    reader.Advance(_contentLength);
                    return step;
                }

                case Phase.ChunkSize:
                {
                    if (!reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8))
                    {
                        return reader.Remaining > MaxChunkSizeLineBytes ? ParseStep.ProtocolError : ParseStep.NeedMore;
                    }

                    if (line.Length > MaxChunkSizeLineBytes || !TryParseChunkSize(Flatten(line), out var size))
                    {
                        return ParseStep.ProtocolError;
                    }

                    if (size == 0)
                    {
                        _phase = Phase.Trailers;
                        continue;
                    }

                    if (size > _maxBodyBytes - _chunkedBody.WrittenCount)
                    {
                        return ParseStep.TooLarge;
                    }

                    _chunkRemaining = size;
                    _phase = Phase.ChunkData;
                    continue;
                }

                case Phase.ChunkData:
                {
                    var available = Math.Min(_chunkRemaining, reader.Remaining);
                    if (available > 0)
                    {
                        var part = reader.UnreadSequence.Slice(0, available);
                        var destination = _chunkedBody.GetSpan((int)available);
                        part.CopyTo(destination);
                        _chunkedBody.Advance((int)available);
                        reader.Advance(available);
                        _chunkRemaining -= available;
                    }

                    if (_chunkRemaining > 0)
                    {
                        return ParseStep.NeedMore;
                    }

                    _phase = Phase.ChunkDataEnd;
                    continue;
                }

                case Phase.ChunkDataEnd:
                {
                    if (reader.Remaining < 2)
                    {
                        return ParseStep.NeedMore;
                    }

                    if (!reader.IsNext("\r\n"u8, advancePast: true))
                    {
                        return ParseStep.ProtocolError;
                    }

                    _phase = Phase.ChunkSize;
                    continue;
                }

                case Phase.Trailers:
                {
                    // Trailer fields carry nothing a DUIS client uses; they are read and dropped up to the blank line.
                    if (!reader.TryReadTo(out ReadOnlySequence<byte> trailer, "\r\n"u8))
                    {
                        return reader.Remaining > MaxLineBytes ? ParseStep.TooLarge : ParseStep.NeedMore;
                    }

                    if (!trailer.IsEmpty)
                    {
                        continue;
                    }

                    return Deliver(ref handler, new ReadOnlySequence<byte>(_chunkedBody.WrittenMemory));
                }

                case Phase.UntilClose:
                {
                    if (reader.Remaining > _maxBodyBytes)
                    {
                        return ParseStep.TooLarge;
                    }

                    if (!isCompleted)
                    {
                        return ParseStep.NeedMore;
                    }

                    var body = reader.UnreadSequence;
                    var step = Deliver(ref handler, body);
                    reader.AdvanceToEnd();
                    return step;
                }

                default:
                    return ParseStep.ProtocolError;
            }
        }
    }

    private ParseStep Deliver<THandler>(ref THandler handler, in ReadOnlySequence<byte> body)
        where THandler : IResponseHandler
    {
        CloseAfterResponse = _connectionClose || (_http10 && !_connectionKeepAlive) || Framing == ResponseBodyFraming.UntilClose;
        _phase = Phase.Head;
        handler.OnResponse(_status, body);
        return ParseStep.Complete;
    }

    private ParseStep ParseHead(ref SequenceReader<byte> reader)
    {
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8))
        {
            return reader.Remaining > _maxHeadBytes ? ParseStep.TooLarge : ParseStep.NeedMore;
        }

        if (head.Length > _maxHeadBytes)
        {
            return ParseStep.TooLarge;
        }

        _contentLength = -1;
        _chunked = false;
        _transferEncoding = false;
        _connectionClose = false;
        _connectionKeepAlive = false;

        var lines = new SequenceReader<byte>(head);
        if (!TryReadLine(ref lines, out var statusLine) || statusLine.Length > MaxLineBytes
            || !TryParseStatusLine(Flatten(statusLine), out _status, out _http10))
        {
            return ParseStep.ProtocolError;
        }

        while (TryReadLine(ref lines, out var line))
        {
            if (line.Length > MaxLineBytes)
            {
                return ParseStep.TooLarge;
            }

            if (!TryParseHeader(Flatten(line)))
            {
                return ParseStep.ProtocolError;
            }
        }

        return ParseStep.Complete;
    }

    // The head arrives without its final CRLF CRLF, so its last line has no CRLF of its own.
    private static bool TryReadLine(ref SequenceReader<byte> lines, out ReadOnlySequence<byte> line)
    {
        if (lines.End)
        {
            line = default;
            return false;
        }

        if (!lines.TryReadTo(out line, "\r\n"u8))
        {
            line = lines.UnreadSequence;
            lines.AdvanceToEnd();
        }

        return true;
    }

    private ReadOnlySpan<byte> Flatten(in ReadOnlySequence<byte> line)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan;
        }

        var length = (int)Math.Min(line.Length, _lineScratch.Length);
        line.Slice(0, length).CopyTo(_lineScratch);
        return _lineScratch.AsSpan(0, length);
    }

    internal static bool TryParseStatusLine(ReadOnlySpan<byte> line, out int status, out bool http10)
    {
        // HTTP/1.x SP 3DIGIT [SP reason]
        status = 0;
        http10 = false;
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' ')
        {
            return false;
        }

        http10 = line[7] == (byte)'0';
        if (!http10 && line[7] != (byte)'1')
        {
            return false;
        }

        var code = line.Slice(9, 3);
        if (!IsDigit(code[0]) || !IsDigit(code[1]) || !IsDigit(code[2]) || (line.Length > 12 && line[12] != (byte)' '))
        {
            return false;
        }

        status = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
        return status >= 100;
    }

    private bool TryParseHeader(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var name = line[..colon];
        var value = TrimWhitespace(line[(colon + 1)..]);
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            if (!Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length || length < 0
                || (_contentLength >= 0 && _contentLength != length))
            {
                return false;
            }

            _contentLength = length;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            // Chunked must be the last coding; any other coding leaves the body delimited by the close.
            _transferEncoding = true;
            var lastComma = value.LastIndexOf((byte)',');
            var last = lastComma < 0 ? value : TrimWhitespace(value[(lastComma + 1)..]);
            _chunked = Ascii.EqualsIgnoreCase(last, "chunked"u8);
        }
        else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            while (!value.IsEmpty)
            {
                var comma = value.IndexOf((byte)',');
                var token = TrimWhitespace(comma < 0 ? value : value[..comma]);
                value = comma < 0 ? default : value[(comma + 1)..];
                if (Ascii.EqualsIgnoreCase(token, "close"u8))
                {
                    _connectionClose = true;
                }
                else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
                {
                    _connectionKeepAlive = true;
                }
            }
        }

        return true;
    }

    internal static bool TryParseChunkSize(ReadOnlySpan<byte> line, out long size)
    {
        // chunk-size [ chunk-ext ]: hex digits, then optionally ";name=value" extensions that are ignored.
        size = 0;
        var digits = 0;
        foreach (var b in line)
        {
            int nibble;
            if (IsDigit(b))
            {
                nibble = b - '0';
            }
            else if ((uint)((b | 0x20) - 'a') <= 'f' - 'a')
            {
                nibble = (b | 0x20) - 'a' + 10;
            }
            else if (b is (byte)';' or (byte)' ' or (byte)'\t')
            {
                break;
            }
            else
            {
                return false;
            }

            if (++digits > 15)
            {
                return false;
            }

            size = (size << 4) | (uint)nibble;
        }

        return digits > 0;
    }

    private static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length && value[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        var end = value.Length;
        while (end > start && value[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return value[start..end];
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
