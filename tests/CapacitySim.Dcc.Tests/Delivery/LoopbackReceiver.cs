using System.Collections.Concurrent;
using System.Net;
using CapacitySim.Duis.Reading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CapacitySim.Dcc.Tests.Delivery;

/// <summary>
/// A user's response endpoint: a real Kestrel server on 127.0.0.1 that reads each POSTed DUIS message's header and
/// records it. It can be stopped and started again on the same port, as a user system that goes down and comes back.
/// </summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private WebApplication? app;

    private LoopbackReceiver(int port) => Port = port;

    public int Port { get; private set; }

    public Uri Address => new($"http://127.0.0.1:{Port}/duis/responses");

    /// <summary>Headers of received messages, in arrival order.</summary>
    public ConcurrentQueue<DuisHeader> Received { get; } = new();

    /// <summary>Content types seen.</summary>
    public ConcurrentBag<string> ContentTypes { get; } = [];

    /// <summary>Ids of the connections messages arrived on.</summary>
    public ConcurrentDictionary<string, int> Connections { get; } = new();

    /// <summary>Starts a receiver on a free port (port 0) or on <paramref name="port"/>.</summary>
    public static async Task<LoopbackReceiver> StartAsync(int port = 0)
    {
        var receiver = new LoopbackReceiver(port);
        await receiver.StartAsync().ConfigureAwait(false);
        return receiver;
    }

    /// <summary>A receiver bound to a port, stopped: its address refuses connections until <see cref="StartAsync()"/>.</summary>
    public static async Task<LoopbackReceiver> ReserveStoppedAsync()
    {
        var receiver = await StartAsync().ConfigureAwait(false);
        await receiver.StopAsync().ConfigureAwait(false);
        return receiver;
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
            if (DuisHeaderReader.TryRead(body.GetBuffer().AsSpan(0, (int)body.Length), out var header) != DuisReadStatus.Ok)
            {
                return Results.BadRequest();
            }

            ContentTypes.Add(context.Request.ContentType ?? string.Empty);
            Connections.AddOrUpdate(context.Connection.Id, 1, static (_, n) => n + 1);
            Received.Enqueue(header);
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

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
