using System.Buffers;
using System.IO.Pipelines;
using CapacitySim.Duis.Catalogue;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace CapacitySim.Dcc.Host;

/// <summary>
/// The simulated DCC's HTTP face: Kestrel serving DUIS's three web services at the paths DCC Boxed uses
/// (<c>/api/v1/serviceS</c> Send Command, <c>/api/v1/serviceD</c> Non-Device, <c>/api/v1/serviceT</c> Transform),
/// <c>application/xml</c> both ways, optionally HTTPS with mutual TLS, and Prometheus metrics at <c>/metrics</c>.
/// </summary>
public sealed class DccHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private DccHttpServer(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        this.app = app;
        Addresses = addresses;
    }

    /// <summary>The addresses the server listens on.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The base address (the first listening address).</summary>
    public Uri BaseAddress => Addresses[0];

    /// <summary>Starts listening.</summary>
    public static async Task<DccHttpServer> StartAsync(DccHttpServerOptions options, IDuisRequestProcessor processor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(processor);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            kestrel.RequestHeaderEncodingSelector = DigitsOnlyContentLength.Select;
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (options.ServerCertificate is not null)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = options.ServerCertificate,
                        ClientCertificateMode = options.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
                        // Without a CA to check against, any certificate: test PKIs are self-signed, and the DCC checks who
                        // signs each request in DUIS itself.
                        ClientCertificateValidation = options.ClientCertificateValidation ?? ((_, _, _) => true),
                    });
                }
            });
        });

        var app = builder.Build();
        foreach (var service in new[] { DuisWebService.SendCommand, DuisWebService.NonDevice, DuisWebService.Transform })
        {
            var current = service;
            app.MapPost(DuisWebServices.GetPath(service), context => HandleAsync(current, context, processor));
        }

        if (options.ExposeMetrics)
        {
            // A scrape is a read: other methods get 405 (from routing) instead of the metrics.
            app.MapMetrics("/metrics", options.Registry).WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        }

        options.MapAdditionalEndpoints?.Invoke(app);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var scheme = options.ServerCertificate is null ? "http" : "https";
        var addresses = app.Urls.Select(u => new Uri(u.Replace("[::]", "localhost", StringComparison.Ordinal), UriKind.Absolute)).ToList();
        if (addresses.Count == 0)
        {
            addresses.Add(new Uri($"{scheme}://{options.Address}:{options.Port}/"));
        }

        return new DccHttpServer(app, addresses);
    }

    /// <summary>Stops accepting requests and lets those in progress finish (up to <paramref name="drain"/>).</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        using var timeout = new CancellationTokenSource(drain);
        await app.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await app.DisposeAsync().ConfigureAwait(false);

    private static async Task HandleAsync(DuisWebService service, HttpContext context, IDuisRequestProcessor processor)
    {
        var reader = context.Request.BodyReader;
        ReadResult read;
        try
        {
            while (true)
            {
                read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }

                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (Exception e) when (e is IOException or Microsoft.AspNetCore.Http.BadHttpRequestException && !context.RequestAborted.IsCancellationRequested)
        {
            // The body's framing is broken (a chunk size that is not hex or overflows, data longer than its chunk, a
            // body over the size limit): Kestrel reports some of these as BadHttpRequestException, which it would
            // answer itself, but a chunk size that overflows as a bare IOException, which it would answer with 500.
            await RefuseBrokenBodyAsync(context, e).ConfigureAwait(false);
            return;
        }

        var answer = new ArrayBufferWriter<byte>(2048);
        int status;
        try
        {
            status = processor.Process(service, read.Buffer, answer);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = status == StatusCodes.Status200OK ? "application/xml" : "text/plain; charset=utf-8";
        context.Response.ContentLength = answer.WrittenCount;
        await context.Response.BodyWriter.WriteAsync(answer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    // Nothing after a broken body can be trusted to start a request: answer and close the connection (RFC 9112
    // section 6.3). Not handed to the DCC, so not counted as a request received, like Kestrel's own refusals.
    private static async Task RefuseBrokenBodyAsync(HttpContext context, Exception error)
    {
        var status = error is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
        var text = System.Text.Encoding.UTF8.GetBytes($"malformed request body: {error.Message}\n");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = text.Length;
        context.Response.Headers.Connection = "close";
        await context.Response.Body.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }
}
