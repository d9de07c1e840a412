using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using CapacitySim.Load.Http;

namespace CapacitySim.Load.Tests.Http;

/// <summary>
/// The connection's request writer over a real loopback socket: one stream write per flush, a buffer that grows to
/// the largest request, and the cancels the connection's response timer and the run's token rely on.
/// </summary>
public sealed class StreamRequestWriterTests
{
    [Fact]
    public async Task Each_flush_sends_what_was_written_since_the_last_one()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var writer = new StreamRequestWriter(pair.ClientStream);

        writer.Write("POST / HTTP/1.1\r\n"u8);
        writer.Write("\r\n"u8);
        var flushed = await writer.FlushAsync();
        Assert.False(flushed.IsCanceled);
        Assert.Equal("POST / HTTP/1.1\r\n\r\n", await pair.ReceiveAsync(19));

        writer.Write("second"u8);
        await writer.FlushAsync();
        Assert.Equal("second", await pair.ReceiveAsync(6));
        writer.Complete();
    }

    [Fact]
    public async Task A_request_larger_than_the_first_buffer_is_sent_whole()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var writer = new StreamRequestWriter(pair.ClientStream);
        var head = new string('h', 3000);
        var body = new string('b', 9000);

        writer.Write(Encoding.ASCII.GetBytes(head));
        writer.Write(Encoding.ASCII.GetBytes(body));
        await writer.FlushAsync();

        Assert.Equal(head + body, await pair.ReceiveAsync(12000));
    }

    [Fact]
    public async Task Cancel_with_no_flush_waiting_returns_the_next_flush_canceled_and_sends_nothing()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var writer = new StreamRequestWriter(pair.ClientStream);

        writer.CancelPendingFlush();
        writer.Write("late"u8);
        var canceled = await writer.FlushAsync();
        Assert.True(canceled.IsCanceled);

        // The cancel is used up: the next flush sends.
        var flushed = await writer.FlushAsync();
        Assert.False(flushed.IsCanceled);
        Assert.Equal("late", await pair.ReceiveAsync(4));
    }

    [Fact]
    public async Task A_flush_stuck_on_a_server_that_does_not_read_is_ended_by_the_response_timer_cancel()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var writer = new StreamRequestWriter(pair.ClientStream);

        var stuck = FlushUntilStuck(writer);
        writer.CancelPendingFlush();
        var canceled = await stuck;

        Assert.True(canceled.IsCanceled);
    }

    [Fact]
    public async Task A_flush_stuck_on_a_server_that_does_not_read_is_ended_by_the_callers_token()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var writer = new StreamRequestWriter(pair.ClientStream);
        using var stopping = new CancellationTokenSource();

        var stuck = FlushUntilStuck(writer, stopping.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stuck);
    }

    [Fact]
    public async Task Writing_after_complete_fails()
    {
        using var pair = await LoopbackSocketPair.OpenAsync();
        var writer = new StreamRequestWriter(pair.ClientStream);
        writer.Complete();

        Assert.Throws<InvalidOperationException>(() => writer.GetSpan(16));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.FlushAsync());
    }

    // Writes 1 MiB requests into a socket whose peer never reads until a flush cannot complete at once.
    private static ValueTask<FlushResult> FlushUntilStuck(PipeWriter writer, CancellationToken cancellationToken = default)
    {
        var chunk = new byte[1024 * 1024];
        for (var i = 0; i < 1000; i++)
        {
            writer.Write(chunk);
            var flush = writer.FlushAsync(cancellationToken);
            if (!flush.IsCompleted)
            {
                return flush;
            }

            Assert.False(flush.Result.IsCanceled);
        }

        throw new InvalidOperationException("A gigabyte went into a socket whose peer never reads.");
    }
}
