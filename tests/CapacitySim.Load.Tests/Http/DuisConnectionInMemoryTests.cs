using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Http;
using static CapacitySim.Load.Tests.Http.ExchangeSamples;

namespace CapacitySim.Load.Tests.Http;

/// <summary>
/// The connection over an in-memory pipe pair standing in for the socket: the exact bytes of each request, and the
/// allocation of the client's own send and parse path, which a Kestrel server in the same process would drown.
/// </summary>
public sealed class DuisConnectionInMemoryTests
{
    // "POST /api/v1/serviceD?x=1 HTTP/1.1\r\nHost: dcc.example:8080\r\nContent-Type: application/xml\r\nContent-Length: " is 107 bytes.
    private static readonly int RequestLength = 107 + RequestBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 4 + RequestBody.Length;

    private static DuisClientOptions Options => new() { Endpoint = new Uri("http://dcc.example:8080/api/v1/serviceD?x=1") };

    [Fact]
    public void Request_is_a_keep_alive_POST_with_the_body_and_its_exact_length()
    {
        var transport = new InMemoryTransport();
        using var connection = new DuisConnection(Options, transport);
        Write(transport.ToClient.Writer, ContentLengthResponse);
        var handler = new CapturingHandler();

        var result = Completed(connection.SendAsync(new BytesBody(RequestBody), handler));

        Assert.Equal(DuisHttpResult.Ok, result);
        Assert.Equal(200, handler.Status);
        Assert.Equal("<sr:Acknowledgement>I99</sr:Ack", handler.BodyText);
        var expected = "POST /api/v1/serviceD?x=1 HTTP/1.1\r\nHost: dcc.example:8080\r\nContent-Type: application/xml\r\nContent-Length: "
            + RequestBody.Length + "\r\n\r\n" + Encoding.UTF8.GetString(RequestBody);
        Assert.Equal(expected, Encoding.UTF8.GetString(Drain(transport.ToServer.Reader)));
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task Response_trickling_in_byte_by_byte_is_assembled()
    {
        var transport = new InMemoryTransport();
        using var connection = new DuisConnection(Options, transport);
        var handler = new CapturingHandler();

        var send = connection.SendAsync(new BytesBody(RequestBody), handler).AsTask();
        foreach (var b in ChunkedResponse)
        {
            Assert.False(send.IsCompleted);
            await transport.ToClient.Writer.WriteAsync(new[] { b });
        }

        Assert.Equal(DuisHttpResult.Ok, await send);
        Assert.Equal("<sr:Acknowledgement>I99</sr:Ack", handler.BodyText);
        Assert.Equal(ResponseBodyFraming.Chunked, connection.LastResponseFraming);
    }

    [Fact]
    public async Task Silence_beyond_the_response_time_out_is_TimedOut_and_closes_the_connection()
    {
        var transport = new InMemoryTransport();
        var options = new DuisClientOptions { Endpoint = new Uri("http://dcc.example/"), ResponseTimeout = TimeSpan.FromMilliseconds(100) };
        using var connection = new DuisConnection(options, transport);
        var handler = new CapturingHandler();

        var result = await connection.SendAsync(new BytesBody(RequestBody), handler);

        Assert.Equal(DuisHttpResult.TimedOut, result);
        Assert.Equal(0, handler.Count);
        Assert.False(connection.IsConnected);

        // An in-memory transport cannot be reopened: the next request says so instead of reusing a stale stream.
        Assert.Equal(DuisHttpResult.ConnectFailed, await connection.SendAsync(new BytesBody(RequestBody), handler));
    }

    [Fact]
    public void Garbage_from_the_server_is_a_ProtocolError_and_closes_the_connection()
    {
        var transport = new InMemoryTransport();
        using var connection = new DuisConnection(Options, transport);
        Write(transport.ToClient.Writer, Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.6\r\n\r\n"));

        var result = Completed(connection.SendAsync(new BytesBody(RequestBody), new CapturingHandler()));

        Assert.Equal(DuisHttpResult.ProtocolError, result);
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task Concurrent_use_of_one_connection_is_refused()
    {
        var transport = new InMemoryTransport();
        using var connection = new DuisConnection(Options, transport);
        var first = connection.SendAsync(new BytesBody(RequestBody), new CapturingHandler()).AsTask();

        Assert.False(first.IsCompleted);
        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.SendAsync(new BytesBody(RequestBody), new CapturingHandler()).AsTask());

        Write(transport.ToClient.Writer, ContentLengthResponse);
        Assert.Equal(DuisHttpResult.Ok, await first);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Steady_state_send_and_receive_allocate_nothing(bool chunked, bool timer)
    {
        // Measured on this thread only: the response is placed in the pipe before each send, so the whole exchange
        // completes synchronously here and no other thread's allocations (test runner, other tests) are counted.
        var transport = new InMemoryTransport();
        using var connection = new DuisConnection(timer ? Options : new DuisClientOptions { Endpoint = Options.Endpoint, ResponseTimeout = Timeout.InfiniteTimeSpan }, transport);
        var tally = new ResponseTally();
        var handler = new TallyHandler(tally);
        var body = new BytesBody(RequestBody);
        var response = chunked ? ChunkedResponse : ContentLengthResponse;

        for (var i = 0; i < 200; i++)
        {
            Exchange(connection, transport, body, handler, response);
        }

        var allocated = Allocations.Fewest(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                Exchange(connection, transport, body, handler, response);
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(200 + (3 * 1000), tally.Responses);
        Assert.Equal((200 + (3 * 1000)) * 31, tally.BodyBytes);
        Assert.Equal(chunked ? ResponseBodyFraming.Chunked : ResponseBodyFraming.ContentLength, connection.LastResponseFraming);
    }

    private static void Exchange(DuisConnection connection, InMemoryTransport transport, BytesBody body, TallyHandler handler, byte[] response)
    {
        Write(transport.ToClient.Writer, response);
        var pending = connection.SendAsync(body, handler);
        if (!pending.IsCompletedSuccessfully || pending.Result != DuisHttpResult.Ok)
        {
            throw new InvalidOperationException("The exchange did not complete synchronously.");
        }

        var reader = transport.ToServer.Reader;
        if (!reader.TryRead(out var request) || request.Buffer.Length != RequestLength)
        {
            throw new InvalidOperationException("The request was not written whole.");
        }

        reader.AdvanceTo(request.Buffer.End);
    }

    private static DuisHttpResult Completed(ValueTask<DuisHttpResult> pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The exchange did not complete synchronously.");
        }

        return pending.Result;
    }

    private static void Write(PipeWriter writer, byte[] bytes)
    {
        writer.Write(bytes);
        var flush = writer.FlushAsync();
        if (!flush.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("An in-memory flush did not complete synchronously.");
        }
    }

    private static byte[] Drain(PipeReader reader)
    {
        Assert.True(reader.TryRead(out var read));
        var bytes = read.Buffer.ToArray();
        reader.AdvanceTo(read.Buffer.End);
        return bytes;
    }
}
