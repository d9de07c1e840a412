using System.Text;
using CapacitySim.Load.Http;

namespace CapacitySim.Load.Tests.Http;

public sealed class DuisConnectionPoolTests
{
    private static readonly DuisClientOptions Unreachable = new() { Endpoint = new Uri("http://127.0.0.1:9/services") };

    [Fact]
    public void A_pool_says_at_once_when_no_connection_is_free()
    {
        using var pool = new DuisConnectionPool(Unreachable, 2);

        Assert.True(pool.TryRent(out var first));
        Assert.True(pool.TryRent(out var second));
        Assert.NotSame(first, second);
        Assert.False(pool.HasFreeConnection);
        Assert.False(pool.TryRent(out _));

        pool.Return(first);
        Assert.True(pool.HasFreeConnection);
        Assert.Equal(1, pool.FreeCount);
        Assert.True(pool.TryRent(out var again));
        Assert.Same(first, again);
        Assert.Throws<ArgumentException>(() => pool.Return(new DuisConnection(Unreachable)));
        pool.Return(again);
        Assert.Throws<ArgumentException>(() => pool.Return(again));
    }

    [Fact]
    public async Task Workers_sharing_a_pool_never_open_more_connections_than_it_holds()
    {
        await using var server = await KestrelTestServer.StartAsync(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            await context.Response.Body.WriteAsync(buffer.ToArray());
        });
        using var pool = new DuisConnectionPool(new DuisClientOptions { Endpoint = server.Endpoint }, 3);
        Assert.Equal(3, await pool.ConnectAllAsync());
        var dropped = 0;
        var ok = 0;

        async Task Worker(int worker)
        {
            var handler = new CapturingHandler();
            for (var i = 0; i < 30; i++)
            {
                if (!pool.TryRent(out var connection))
                {
                    Interlocked.Increment(ref dropped);
                    await Task.Yield();
                    continue;
                }

                var body = Encoding.UTF8.GetBytes($"<r w=\"{worker}\" i=\"{i}\"/>");
                var result = await connection.SendAsync(new BytesBody(body), handler);
                pool.Return(connection);
                Assert.Equal(DuisHttpResult.Ok, result);
                Assert.Equal(body, handler.Body);
                Interlocked.Increment(ref ok);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 5).Select(w => Task.Run(() => Worker(w))));

        Assert.Equal(5 * 30, ok + dropped);
        Assert.True(ok > 0);
        Assert.Equal(3, pool.FreeCount);
        Assert.Equal(3, pool.ConnectCount);
        Assert.Equal(3, server.ConnectionCount);
    }
}
