using System.Collections.Concurrent;
using System.Net;
using CapacitySim.Duis.Reading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>One DUIS message a user's endpoint received: its header and its exact bytes (to check signatures).</summary>
internal sealed record ReceivedMessage(DuisHeader Header, byte[] Body);

/// <summary>
/// A user's response endpoint: a real Kestrel server on 127.0.0.1 that keeps every DUIS message POSTed to it, whole.
/// It can be stopped and started again on the same port, as a user system that goes down and comes back.
/// </summary>
internal sealed class UserEndpoint : IAsyncDisposable
{
    private WebApplication? app;

    private UserEndpoint(int port) => Port = port;

    public int Port { get; private set; }

    public Uri Address => new($"http://127.0.0.1:{Port}/duis/responses");

    public ConcurrentQueue<ReceivedMessage> Received { get; } = new();

    /// <summary>POSTs whose body was not a DUIS message (answered 400).</summary>
    public int Unreadable => unreadable;

    /// <summary>The Content-Type of every delivery read.</summary>
    public ConcurrentBag<string> ContentTypes { get; } = [];

    /// <summary>Deliveries per HTTP connection (by Kestrel's connection id): how many keep-alive connections were used.</summary>
    public ConcurrentDictionary<string, int> Connections { get; } = new();

    private int unreadable;

    public static async Task<UserEndpoint> StartAsync(int port = 0)
    {
        var endpoint = new UserEndpoint(port);
        await endpoint.StartAsync().ConfigureAwait(false);
        return endpoint;
    }

    /// <summary>An endpoint bound to a free port and stopped again: its address refuses connections until started.</summary>
    public static async Task<UserEndpoint> ReserveStoppedAsync()
    {
        var endpoint = await StartAsync().ConfigureAwait(false);
        await endpoint.StopAsync().ConfigureAwait(false);
        return endpoint;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var web = builder.Build();
        web.MapPost("/duis/responses", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body).ConfigureAwait(false);
            var bytes = body.ToArray();
            if (DuisHeaderReader.TryRead(bytes, out var header) != DuisReadStatus.Ok)
            {
                Interlocked.Increment(ref unreadable);
                return Results.BadRequest();
            }

            ContentTypes.Add(context.Request.ContentType ?? string.Empty);
            Connections.AddOrUpdate(context.Connection.Id, 1, static (_, n) => n + 1);
            Received.Enqueue(new ReceivedMessage(header, bytes));
            return Results.Ok();
        });
        await web.StartAsync().ConfigureAwait(false);
        Port = new Uri(web.Urls.First()).Port;
        app = web;
    }

    public async Task StopAsync()
    {
        if (app is { } web)
        {
            app = null;
            await web.StopAsync().ConfigureAwait(false);
            await web.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until <paramref name="done"/> holds for what has arrived, up to <paramref name="limit"/> (real time); returns
    /// what has arrived either way, so the caller's assertions say what is missing.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitForAsync(Func<IReadOnlyList<ReceivedMessage>, bool> done, TimeSpan? limit = null)
    {
        var until = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var now = Received.ToArray();
            if (done(now) || DateTime.UtcNow >= until)
            {
                return now;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
