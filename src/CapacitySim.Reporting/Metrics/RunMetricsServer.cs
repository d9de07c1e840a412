using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace CapacitySim.Reporting.Metrics;

/// <summary>
/// Serves a run's metrics at <c>/metrics</c> in the Prometheus text format, from one or more registries (the run's
/// <see cref="RunMetrics"/> and the embedded DCC's <c>DccMetrics</c>, each in its own registry so that no family is
/// written twice), until disposed. Scrapes read what the last interval update wrote; they never touch the message path.
/// </summary>
public sealed class RunMetricsServer : IAsyncDisposable
{
    /// <summary>The content type of the Prometheus text exposition format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly WebApplication app;

    private RunMetricsServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the server listens (<c>http://127.0.0.1:PORT/</c>; <c>localhost</c> when bound to every address).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The metrics URL a Prometheus scrapes (<c>http://127.0.0.1:PORT/metrics</c>).</summary>
    public Uri MetricsUrl => new(BaseAddress, "metrics");

    /// <summary>The port bound (the real one when 0 was asked for).</summary>
    public int Port => BaseAddress.Port;

    /// <summary>
    /// Starts serving <paramref name="registries"/> at <c>/metrics</c> on <paramref name="port"/> (0 picks a free one)
    /// of <paramref name="address"/> (default loopback; <see cref="IPAddress.Any"/> lets a Prometheus in a container
    /// reach it through the Docker bridge).
    /// </summary>
    /// <exception cref="IOException">The port is taken (Kestrel's error, with the address).</exception>
    public static async Task<RunMetricsServer> StartAsync(
        int port,
        IReadOnlyList<CollectorRegistry> registries,
        IPAddress? address = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registries);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        if (registries.Count == 0)
        {
            throw new ArgumentException("At least one registry is needed.", nameof(registries));
        }

        var bind = address ?? IPAddress.Loopback;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(bind, port, listen => listen.Protocols = HttpProtocols.Http1);
        });

        var app = builder.Build();
        var serving = registries.ToArray();
        app.MapGet("/metrics", context => ExportAsync(context, serving));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        // Kestrel reports the port it really bound (port 0 asks for any free one).
        var bound = new Uri(app.Urls.First(), UriKind.Absolute).Port;
        var host = bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any) ? "localhost"
            : bind.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{bind}]" : bind.ToString();
        return new RunMetricsServer(app, new Uri($"http://{host}:{bound}/"));
    }

    /// <summary>Stops serving.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task ExportAsync(HttpContext context, CollectorRegistry[] registries)
    {
        context.Response.ContentType = ContentType;
        foreach (var registry in registries)
        {
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
