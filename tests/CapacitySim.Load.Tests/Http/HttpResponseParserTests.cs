using System.Buffers;
using System.Text;
using CapacitySim.Load.Http;

namespace CapacitySim.Load.Tests.Http;

/// <summary>
/// The response parser fed the way a pipe feeds it: growing buffers, split at every possible byte, spread over
/// small segments so that header lines and chunk framing straddle segment boundaries.
/// </summary>
public sealed class HttpResponseParserTests
{
    private const string XmlBody = "<sr:Response xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\"><sr:ResponseCode>I99</sr:ResponseCode></sr:Response>";

    [Fact]
    public void Content_length_response_is_delivered_whole_whatever_the_split()
    {
        var wire = "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + Encoding.UTF8.GetByteCount(XmlBody) + "\r\n\r\n" + XmlBody;

        foreach (var segmentSize in new[] { 1, 3, 64 })
        {
            var (step, handler, parser) = FeedByteByByte(wire, segmentSize);
            Assert.Equal(ParseStep.Complete, step);
            Assert.Equal(200, handler.Status);
            Assert.Equal(XmlBody, handler.BodyText);
            Assert.Equal(ResponseBodyFraming.ContentLength, parser.Framing);
            Assert.False(parser.CloseAfterResponse);
        }
    }

    [Fact]
    public void Chunked_response_is_de_chunked_with_extensions_and_trailers_ignored()
    {
        var wire = "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\n<sr:R\r\n"
            + "1A;name=value\r\nesponse xmlns:sr=\"urn:x\"/>\r\n"
            + "0\r\nX-Trailer: dropped\r\n\r\n";

        foreach (var segmentSize in new[] { 1, 2, 7, 1000 })
        {
            var (step, handler, parser) = FeedByteByByte(wire, segmentSize);
            Assert.Equal(ParseStep.Complete, step);
            Assert.Equal(202, handler.Status);
            Assert.Equal("<sr:Response xmlns:sr=\"urn:x\"/>", handler.BodyText);
            Assert.Equal(ResponseBodyFraming.Chunked, parser.Framing);
        }
    }

    [Fact]
    public void Interim_100_continue_is_skipped_and_connection_close_is_noticed()
    {
        var wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 500 Internal Server Error\r\nconnection: Keep-Alive, CLOSE\r\ncontent-length: 3\r\n\r\nbad";

        var (step, handler, parser) = FeedByteByByte(wire, 5);

        Assert.Equal(ParseStep.Complete, step);
        Assert.Equal(500, handler.Status);
        Assert.Equal("bad", handler.BodyText);
        Assert.True(parser.CloseAfterResponse);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public void Http_1_0_response_without_keep_alive_closes_and_204_has_no_body()
    {
        var (step, handler, parser) = FeedByteByByte("HTTP/1.0 204 No Content\r\n\r\n", 4);

        Assert.Equal(ParseStep.Complete, step);
        Assert.Equal(204, handler.Status);
        Assert.Empty(handler.Body);
        Assert.True(parser.CloseAfterResponse);
        Assert.Equal(ResponseBodyFraming.None, parser.Framing);
    }

    [Fact]
    public void Body_without_length_runs_until_the_server_closes()
    {
        using var parser = new HttpResponseParser(64 * 1024, 1024 * 1024);
        parser.Reset();
        var handler = new CapturingHandler();
        var wire = Sequence(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n\r\n<a/>"), 3);

        Assert.Equal(ParseStep.NeedMore, parser.Parse(wire, isCompleted: false, ref handler, out _));
        parser.Reset();
        Assert.Equal(ParseStep.Complete, parser.Parse(wire, isCompleted: true, ref handler, out var consumed));
        Assert.Equal("<a/>", handler.BodyText);
        Assert.Equal(wire.End, consumed);
        Assert.True(parser.CloseAfterResponse);
        Assert.Equal(ResponseBodyFraming.UntilClose, parser.Framing);
    }

    [Fact]
    public void Close_before_the_body_is_complete_is_reported()
    {
        using var parser = new HttpResponseParser(64 * 1024, 1024 * 1024);
        parser.Reset();
        var handler = new CapturingHandler();
        var wire = Sequence(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n<a/>"), 1000);

        Assert.Equal(ParseStep.ClosedEarly, parser.Parse(wire, isCompleted: true, ref handler, out _));
        Assert.Equal(0, handler.Count);
    }

    [Theory]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\n\r\n")]
    public void Malformed_responses_are_protocol_errors(string wire)
    {
        using var parser = new HttpResponseParser(64 * 1024, 1024 * 1024);
        parser.Reset();
        var handler = new CapturingHandler();

        var step = parser.Parse(Sequence(Encoding.ASCII.GetBytes(wire), 2), isCompleted: false, ref handler, out _);

        Assert.Equal(ParseStep.ProtocolError, step);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public void Bodies_and_heads_over_the_limits_are_refused()
    {
        using var parser = new HttpResponseParser(256, 16);
        var handler = new CapturingHandler();

        parser.Reset();
        Assert.Equal(ParseStep.TooLarge, parser.Parse(Sequence(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n"), 8), false, ref handler, out _));
        parser.Reset();
        Assert.Equal(ParseStep.TooLarge, parser.Parse(Sequence(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n1\r\n"), 8), false, ref handler, out _));
        parser.Reset();
        Assert.Equal(ParseStep.TooLarge, parser.Parse(Sequence(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX: " + new string('a', 300)), 64), false, ref handler, out _));
        Assert.Equal(0, handler.Count);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1a", 26L)]
    [InlineData("FFFF;ext=1", 65535L)]
    [InlineData("10 ", 16L)]
    public void Chunk_sizes_are_hexadecimal(string line, long expected)
    {
        Assert.True(HttpResponseParser.TryParseChunkSize(Encoding.ASCII.GetBytes(line), out var size));
        Assert.Equal(expected, size);
    }

    /// <summary>
    /// Feeds <paramref name="wire"/> one more byte per call, keeping what the parser did not consume, as a pipe
    /// does after <c>AdvanceTo(consumed, examined)</c>; each buffer is spread over segments of the given size.
    /// </summary>
    private static (ParseStep Step, CapturingHandler Handler, HttpResponseParser Parser) FeedByteByByte(string wire, int segmentSize)
    {
        var bytes = Encoding.ASCII.GetBytes(wire);
        var parser = new HttpResponseParser(64 * 1024, 1024 * 1024);
        parser.Reset();
        var handler = new CapturingHandler();
        var start = 0;
        for (var available = 1; available <= bytes.Length; available++)
        {
            var buffer = Sequence(bytes.AsMemory(start, available - start), segmentSize);
            var step = parser.Parse(buffer, isCompleted: false, ref handler, out var consumed);
            start += (int)buffer.Slice(0, consumed).Length;
            if (step != ParseStep.NeedMore)
            {
                Assert.Equal(bytes.Length, start);
                return (step, handler, parser);
            }
        }

        return (ParseStep.NeedMore, handler, parser);
    }

    private static ReadOnlySequence<byte> Sequence(ReadOnlyMemory<byte> bytes, int segmentSize)
    {
        if (bytes.Length <= segmentSize)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new Segment(bytes[..segmentSize], 0);
        var last = first;
        for (var at = segmentSize; at < bytes.Length; at += segmentSize)
        {
            last = last.Append(bytes[at..Math.Min(at + segmentSize, bytes.Length)]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
