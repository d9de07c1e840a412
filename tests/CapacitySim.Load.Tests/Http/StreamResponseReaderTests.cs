using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using CapacitySim.Load.Http;

namespace CapacitySim.Load.Tests.Http;

/// <summary>
/// The connection's response reader over a real loopback socket: the parts of the pipe-reader contract the
/// connection relies on, and the socket read it never cancels.
/// </summary>
public sealed class StreamResponseReaderTests
{
    [Fact]
    public async Task Read_cancelled_by_the_response_timer_leaves_the_socket_read_outstanding_for_the_next_read()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var reader = new StreamResponseReader(pair.ClientStream, 64 * 1024);

        var first = reader.ReadAsync();
        Assert.False(first.IsCompleted);
        reader.CancelPendingRead();
        var canceled = await first;
        Assert.True(canceled.IsCanceled);
        Assert.True(canceled.Buffer.IsEmpty);
        reader.AdvanceTo(canceled.Buffer.Start);

        // The next read waits on the same socket read, which then gets the bytes the server sends.
        var second = reader.ReadAsync();
        Assert.False(second.IsCompleted);
        pair.Server.Send("HTTP/1.1"u8);
        var read = await second;

        Assert.False(read.IsCanceled);
        Assert.Equal("HTTP/1.1", Encoding.ASCII.GetString(read.Buffer.ToArray()));
        reader.AdvanceTo(read.Buffer.End);
        reader.Complete();
    }

    [Fact]
    public async Task Cancel_with_no_read_waiting_returns_the_next_read_canceled_with_what_is_there()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var reader = new StreamResponseReader(pair.ClientStream, 64 * 1024);
        pair.Server.Send("HTTP/1.1 200"u8);
        var read = await ReadAtLeast(reader, 12);
        reader.AdvanceTo(read.Buffer.Start);

        reader.CancelPendingRead();
        var canceled = Completed(reader.ReadAsync());

        Assert.True(canceled.IsCanceled);
        Assert.Equal(12, canceled.Buffer.Length);
        reader.AdvanceTo(canceled.Buffer.Start);
        var again = Completed(reader.ReadAsync());
        Assert.False(again.IsCanceled);
        Assert.Equal("HTTP/1.1 200", Encoding.ASCII.GetString(again.Buffer.ToArray()));
        reader.Complete();
    }

    [Fact]
    public async Task Examined_bytes_are_not_returned_again_until_more_arrive()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var reader = new StreamResponseReader(pair.ClientStream, 64 * 1024);
        pair.Server.Send("HTTP/1.1 2"u8);
        var partial = await ReadAtLeast(reader, 10);
        var consumed = partial.Buffer.GetPosition(5);
        reader.AdvanceTo(consumed, partial.Buffer.End);

        var next = reader.ReadAsync();
        Assert.False(next.IsCompleted);
        pair.Server.Send("00"u8);
        var read = await next;

        Assert.Equal("1.1 200", Encoding.ASCII.GetString(read.Buffer.ToArray()));
        reader.Complete();
    }

    [Fact]
    public async Task Response_larger_than_the_first_buffer_is_kept_whole_while_unconsumed()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var reader = new StreamResponseReader(pair.ClientStream, 64 * 1024);
        var body = new byte[20_000];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        pair.Server.Send(body);
        var read = await ReadAtLeast(reader, body.Length);

        Assert.Equal(body, read.Buffer.ToArray());

        // Consuming part of it keeps the rest, from the same place.
        reader.AdvanceTo(read.Buffer.GetPosition(19_990));
        var rest = Completed(reader.ReadAsync());
        Assert.Equal(body.AsSpan(19_990).ToArray(), rest.Buffer.ToArray());
        reader.AdvanceTo(rest.Buffer.End);
        reader.Complete();
    }

    [Fact]
    public async Task Unconsumed_bytes_beyond_the_largest_buffer_fail_the_read()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var reader = new StreamResponseReader(pair.ClientStream, 8 * 1024);
        pair.Server.Send(new byte[10_000]);

        await Assert.ThrowsAsync<IOException>(async () => await ReadAtLeast(reader, 10_000));
        reader.Complete();
    }

    [Fact]
    public async Task Server_closing_ends_the_stream()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var reader = new StreamResponseReader(pair.ClientStream, 64 * 1024);

        var pending = reader.ReadAsync();
        pair.Server.Send("HTTP"u8);
        pair.Server.Shutdown(SocketShutdown.Send);
        var read = await ReadAtLeast(reader, 4, pending);
        reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        var end = await reader.ReadAsync();

        Assert.True(end.IsCompleted);
        Assert.Equal("HTTP", Encoding.ASCII.GetString(end.Buffer.ToArray()));
        reader.Complete();
    }

    [Fact]
    public async Task Caller_token_cancelled_while_waiting_ends_the_wait_with_OperationCanceled()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var reader = new StreamResponseReader(pair.ClientStream, 64 * 1024);
        using var stopping = new CancellationTokenSource();

        var pending = reader.ReadAsync(stopping.Token);
        Assert.False(pending.IsCompleted);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);

        // The socket read is still outstanding; closing the connection ends it and the reader lets go of its buffer.
        reader.Complete();
        pair.ClientStream.Dispose();
        Assert.Throws<InvalidOperationException>(() => reader.TryRead(out _));
    }

    [Fact]
    public async Task A_token_used_for_earlier_waits_still_ends_a_later_wait_and_only_a_wait_on_that_token()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var reader = new StreamResponseReader(pair.ClientStream, 64 * 1024);
        using var run = new CancellationTokenSource();
        using var other = new CancellationTokenSource();

        // Two waits on the run's token that end with bytes (the reader registers on a token once, not per wait).
        for (var i = 0; i < 2; i++)
        {
            var waiting = reader.ReadAsync(run.Token);
            Assert.False(waiting.IsCompleted);
            pair.Server.Send("x"u8);
            var read = await waiting;
            Assert.Equal(1, read.Buffer.Length);
            reader.AdvanceTo(read.Buffer.End);
        }

        // A wait on another token is not ended by the run's token...
        var onOther = reader.ReadAsync(other.Token);
        await run.CancelAsync();
        Assert.False(onOther.IsCompleted);
        pair.Server.Send("y"u8);
        var got = await onOther;
        Assert.Equal("y", Encoding.ASCII.GetString(got.Buffer.ToArray()));
        reader.AdvanceTo(got.Buffer.End);

        // ...but a wait on the run's token, canceled before the wait began, fails at once.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadAsync(run.Token));

        // And a wait whose own token is canceled while it waits ends canceled.
        var second = reader.ReadAsync(other.Token);
        Assert.False(second.IsCompleted);
        await other.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await second);
        reader.Complete();
    }

    [Fact]
    public async Task Closing_the_connection_under_a_waiting_read_ends_it_as_a_failure_or_the_end_of_the_stream()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var reader = new StreamResponseReader(pair.ClientStream, 64 * 1024);

        var pending = reader.ReadAsync();
        Assert.False(pending.IsCompleted);
        pair.ClientStream.Dispose();
        reader.Complete();

        // Closing a socket under a receive either aborts the receive or, having shut the socket down first, lets it
        // end with no bytes: the connection treats both as closed. Either way the wait ends.
        ReadResult? read = null;
        var failure = await Record.ExceptionAsync(async () => read = await pending);
        Assert.True(
            failure is IOException or ObjectDisposedException or SocketException || (failure is null && read!.Value.IsCompleted && read.Value.Buffer.IsEmpty),
            failure?.ToString() ?? "A read that neither failed nor ended the stream.");
    }

    // A read that must complete at once (the bytes are already in the reader's buffer).
    private static ReadResult Completed(ValueTask<ReadResult> read)
    {
        Assert.True(read.IsCompleted);
        return read.Result;
    }

    // Reads until at least count bytes are unconsumed, leaving them unconsumed.
    private static async Task<ReadResult> ReadAtLeast(PipeReader reader, int count, ValueTask<ReadResult>? first = null)
    {
        var read = first is { } pending ? await pending : await reader.ReadAsync();
        while (read.Buffer.Length < count && !read.IsCompleted)
        {
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await reader.ReadAsync();
        }

        return read;
    }
}
