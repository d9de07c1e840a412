using System.Net;
using System.Net.Sockets;
using System.Text;
using CapacitySim.Load.Http;

namespace CapacitySim.Load.Tests.Http;

/// <summary>
/// The socket loop's stream over real loopback sockets (Linux, where the loop runs): reads that wait and are
/// completed by the loop, data larger than a read, the end of the stream, cancellation, disposal, a write that finds
/// the socket's buffer full, and failed connects.
/// </summary>
public sealed class LoopSocketStreamTests : IDisposable
{
    // Only bounds a wait that would otherwise hang the test run; no test asserts on time.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public LoopSocketStreamTests()
    {
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
    }

    private int Port => ((IPEndPoint)listener.LocalEndPoint!).Port;

    [Fact]
    public async Task A_read_that_waits_completes_with_what_the_peer_sends_later()
    {
        using var pair = await OpenAsync();
        var (stream, server) = (pair.Stream, pair.Server);
        var buffer = new byte[64];

        var read = Parked(stream.ReadAsync(buffer));
        await server.SendAsync("hello"u8.ToArray());

        Assert.Equal(5, await read.AsTask().WaitAsync(Bound));
        Assert.Equal("hello", Encoding.ASCII.GetString(buffer, 0, 5));
    }

    [Fact]
    public async Task Data_larger_than_each_read_is_read_whole_without_further_sends()
    {
        // Edge-triggered readiness reports the arrival once: a read that fills its buffer must leave the stream
        // ready, or the bytes behind it would wait for an event that never comes.
        using var pair = await OpenAsync();
        var (stream, server) = (pair.Stream, pair.Server);
        var sent = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        Assert.Equal(sent.Length, await server.SendAsync(sent));

        var received = new List<byte>();
        var buffer = new byte[997];
        while (received.Count < sent.Length)
        {
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Bound);
            Assert.NotEqual(0, read);
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task The_end_of_the_stream_reads_as_zero_every_time()
    {
        var (stream, server) = await OpenAsync();
        using var _ = stream;
        var buffer = new byte[16];
        var waiting = stream.ReadAsync(buffer);

        await server.SendAsync("bye"u8.ToArray());
        server.Shutdown(SocketShutdown.Both);
        server.Dispose();

        Assert.Equal(3, await waiting.AsTask().WaitAsync(Bound));
        Assert.Equal(0, await stream.ReadAsync(buffer).AsTask().WaitAsync(Bound));
        Assert.Equal(0, await stream.ReadAsync(buffer).AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task The_end_of_the_stream_right_behind_the_last_bytes_reads_as_zero_after_them()
    {
        // The bytes and the close may come as one readiness event, which a read of the bytes takes: the next read
        // must still see the end rather than wait for another event.
        for (var round = 0; round < 20; round++)
        {
            var (stream, server) = await OpenAsync();
            using var _ = stream;
            await server.SendAsync("last"u8.ToArray());
            server.Shutdown(SocketShutdown.Both);
            server.Dispose();
            var buffer = new byte[16];

            Assert.Equal(4, await stream.ReadAsync(buffer).AsTask().WaitAsync(Bound));
            Assert.Equal(0, await stream.ReadAsync(buffer).AsTask().WaitAsync(Bound));
        }
    }

    [Fact]
    public async Task A_zero_byte_read_waits_for_data_and_leaves_it_to_be_read()
    {
        using var pair = await OpenAsync();
        var (stream, server) = (pair.Stream, pair.Server);

        var ready = Parked(stream.ReadAsync(Memory<byte>.Empty));
        await server.SendAsync("data"u8.ToArray());

        Assert.Equal(0, await ready.AsTask().WaitAsync(Bound));
        await ExpectTextAsync(stream, "data");
    }

    [Fact]
    public async Task A_waiting_read_ends_when_its_token_is_canceled_and_the_next_read_gets_the_data()
    {
        using var pair = await OpenAsync();
        var (stream, server) = (pair.Stream, pair.Server);
        using var cancel = new CancellationTokenSource();
        var buffer = new byte[16];

        var read = Parked(stream.ReadAsync(buffer, cancel.Token));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.AsTask().WaitAsync(Bound));
        await server.SendAsync("after"u8.ToArray());
        await ExpectTextAsync(stream, "after");
    }

    [Fact]
    public async Task A_second_read_while_one_waits_is_refused_and_the_first_still_gets_the_data()
    {
        using var pair = await OpenAsync();
        var (stream, server) = (pair.Stream, pair.Server);
        var buffer = new byte[16];
        var first = stream.ReadAsync(buffer);

        await Assert.ThrowsAsync<InvalidOperationException>(() => stream.ReadAsync(new byte[16]).AsTask());
        await server.SendAsync("one"u8.ToArray());

        Assert.Equal(3, await first.AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task A_waiting_read_ends_with_ObjectDisposedException_when_the_stream_is_disposed()
    {
        var (stream, server) = await OpenAsync();
        using var _ = server;
        var read = Parked(stream.ReadAsync(new byte[16]));

        await stream.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => read.AsTask().WaitAsync(Bound));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stream.ReadAsync(new byte[16]).AsTask());
    }

    [Fact]
    public async Task A_write_larger_than_the_socket_buffers_waits_for_the_peer_to_read_and_sends_everything()
    {
        using var pair = await OpenAsync();
        var (stream, server) = (pair.Stream, pair.Server);
        var sent = Enumerable.Range(0, 16 * 1024 * 1024).Select(i => (byte)(i % 251)).ToArray();

        // Nobody reads yet: far more than the loopback socket buffers hold cannot be sent at once.
        var write = stream.WriteAsync(sent);
        Assert.False(write.IsCompleted);

        var received = await ReceiveAllAsync(server, sent.Length);

        await write.AsTask().WaitAsync(Bound);
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task Requests_written_from_read_continuations_on_the_loop_reach_the_peer_in_order()
    {
        // As the engine does: each answer's continuation runs on the loop's thread and writes the next request
        // there, which the loop holds and sends after its batch of events.
        using var pair = await OpenAsync();
        var (stream, server) = (pair.Stream, pair.Server);
        const int Exchanges = 2_000;
        var onLoop = 0;

        var client = Task.Run(async () =>
        {
            var buffer = new byte[16];
            await stream.WriteAsync(BitConverter.GetBytes(0)).ConfigureAwait(false);
            for (var i = 1; i < Exchanges; i++)
            {
                Assert.Equal(4, await stream.ReadAsync(buffer).ConfigureAwait(false));
                Assert.Equal(i - 1, BitConverter.ToInt32(buffer));
                onLoop += stream.OnLoopThread ? 1 : 0;
                var write = stream.WriteAsync(BitConverter.GetBytes(i));
                Assert.True(write.IsCompletedSuccessfully);
                await write.ConfigureAwait(false);
            }
        });

        var received = new byte[4];
        for (var i = 0; i < Exchanges; i++)
        {
            Assert.Equal(4, await server.ReceiveAsync(received.AsMemory()).AsTask().WaitAsync(Bound));
            Assert.Equal(i, BitConverter.ToInt32(received));
            if (i < Exchanges - 1)
            {
                await server.SendAsync(received);
            }
        }

        await client.WaitAsync(Bound);
        Assert.True(onLoop > Exchanges / 2, $"only {onLoop} of {Exchanges - 1} writes were made on the loop's thread");
    }

    [Fact]
    public async Task A_write_held_on_the_loop_that_the_socket_cannot_take_at_once_is_all_sent_when_the_peer_reads()
    {
        using var pair = await OpenAsync();
        var (stream, server) = (pair.Stream, pair.Server);
        var sent = Enumerable.Range(0, 16 * 1024 * 1024).Select(i => (byte)(i % 253)).ToArray();

        var first = Parked(stream.ReadAsync(new byte[1]));
        var writer = WriteOnceReadAsync(first);
        await server.SendAsync(new byte[] { 1 });
        await writer.WaitAsync(Bound);

        var received = await ReceiveAllAsync(server, sent.Length);

        Assert.Equal(sent, received);

        // Continues on the thread that completes the read: the loop's, where the write is held.
        async Task WriteOnceReadAsync(ValueTask<int> pending)
        {
            Assert.Equal(1, await pending.ConfigureAwait(false));
            Assert.True(stream.OnLoopThread);
            var write = stream.WriteAsync(sent);
            Assert.True(write.IsCompletedSuccessfully);
            await write.ConfigureAwait(false);
        }
    }

    [Fact]
    public async Task Connecting_where_nothing_listens_fails_with_ConnectionRefused()
    {
        var port = Port;
        listener.Dispose();

        var error = await Assert.ThrowsAsync<SocketException>(() => LoopSocketStream.ConnectAsync([IPAddress.Loopback], port, CancellationToken.None).WaitAsync(Bound));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task Connecting_tries_each_address_in_turn()
    {
        // 127.0.0.2 is loopback too, but the listener is bound to 127.0.0.1 only: the first address refuses.
        var accepting = listener.AcceptAsync();

        using var stream = await LoopSocketStream.ConnectAsync([IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], Port, CancellationToken.None).WaitAsync(Bound);
        using var server = await accepting.WaitAsync(Bound);

        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)stream.Socket.RemoteEndPoint!).Address);
    }

    [Fact]
    public async Task Many_streams_opened_and_closed_in_turn_and_at_once_each_get_their_own_data()
    {
        // Streams come and go while the loop runs: each must get its own socket's events and none of a closed one's.
        for (var round = 0; round < 20; round++)
        {
            var pairs = new List<Pair>();
            for (var i = 0; i < 20; i++)
            {
                pairs.Add(await OpenAsync());
            }

            var reads = pairs.Select(async (pair, i) =>
            {
                var buffer = new byte[16];
                var read = pair.Stream.ReadAsync(buffer);
                await pair.Server.SendAsync(BitConverter.GetBytes((round * 100) + i));
                var count = await read.AsTask().WaitAsync(Bound);
                return (Count: count, Value: BitConverter.ToInt32(buffer));
            }).ToArray();
            var results = await Task.WhenAll(reads);

            for (var i = 0; i < pairs.Count; i++)
            {
                Assert.Equal((4, (round * 100) + i), results[i]);
                pairs[i].Stream.Dispose();
                pairs[i].Server.Dispose();
            }
        }
    }

    [Fact]
    public async Task The_loop_threads_run_under_the_batch_scheduling_policy()
    {
        // SCHED_BATCH (3): a loop thread that wakes does not preempt the thread running on its core.
        using var pair = await OpenAsync();
        var (stream, server) = (pair.Stream, pair.Server);

        var policies = Directory.GetDirectories("/proc/self/task")
            .Select(task => (Name: ReadOrNull(Path.Combine(task, "comm")), Stat: ReadOrNull(Path.Combine(task, "stat"))))
            .Where(task => task.Name is not null && task.Stat is not null && task.Name.StartsWith("CapacitySim soc", StringComparison.Ordinal))
            .Select(task => task.Stat!.Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[38])
            .ToArray();

        Assert.Equal(SocketLoop.Count, policies.Length);
        Assert.All(policies, policy => Assert.Equal("3", policy));

        // Other threads of the test host come and go while the folder is read.
        static string? ReadOrNull(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public void Dispose() => listener.Dispose();

    private static async Task<byte[]> ReceiveAllAsync(Socket server, int count)
    {
        var received = new byte[count];
        var at = 0;
        while (at < count)
        {
            var read = await server.ReceiveAsync(received.AsMemory(at)).AsTask().WaitAsync(Bound);
            Assert.NotEqual(0, read);
            at += read;
        }

        return received;
    }

    // Reads once and expects exactly this text.
    private static async Task ExpectTextAsync(LoopSocketStream stream, string text)
    {
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Bound);
        Assert.Equal(text, Encoding.ASCII.GetString(buffer, 0, read));
    }

    // A read that has to wait: nothing was sent for it yet.
    private static ValueTask<int> Parked(ValueTask<int> read)
    {
        Assert.False(read.IsCompleted);
        return read;
    }

    private async Task<Pair> OpenAsync()
    {
        var accepting = listener.AcceptAsync();
        var stream = await LoopSocketStream.ConnectAsync([IPAddress.Loopback], Port, CancellationToken.None).WaitAsync(Bound);
        var server = await accepting.WaitAsync(Bound);
        return new Pair(stream, server);
    }

    /// <summary>The client's stream and the server's socket of one connection, closed together.</summary>
    private sealed record Pair(LoopSocketStream Stream, Socket Server) : IDisposable
    {
        public void Dispose()
        {
            Stream.Dispose();
            Server.Dispose();
        }
    }
}
