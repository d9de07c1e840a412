using System.IO.Pipelines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace CapacitySim.Load.Receiver;

/// <summary>
/// The users' response receiver: Kestrel accepting the DCC's asynchronous deliveries (device responses, errors,
/// time-outs, device and DCC alerts) by POST, each handed to a <see cref="ResponseIntake"/> and answered at once with
/// an empty 200 (400 for a body that is not a DUIS response, 413 for one over the size limit).
/// </summary>
public sealed class ResponseReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ResponseReceiver(WebApplication app, Uri baseAddress, string path, ResponseIntake intake)
    {
        _app = app;
        BaseAddress = baseAddress;
        DeliveryAddress = new Uri(baseAddress, path);
        Intake = intake;
    }

    /// <summary>The scheme, host and port the receiver listens on (with the port actually bound).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The URL the DCC must deliver responses and alerts to.</summary>
    public Uri DeliveryAddress { get; }

    /// <summary>What the deliveries go to.</summary>
    public ResponseIntake Intake { get; }

    /// <summary>Starts listening.</summary>
    public static async Task<ResponseReceiver> StartAsync(ResponseReceiverOptions options, ResponseIntake intake, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(intake);
        var path = new PathString(options.Path.TrimEnd('/'));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (options.ServerCertificate is not null)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = options.ServerCertificate,
                        ClientCertificateMode = options.ClientCertificateValidation is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
                        ClientCertificateValidation = options.ClientCertificateValidation,
                    });
                }
            });
        });

        var app = builder.Build();

        // One terminal handler, no routing: the delivery path and everything under it.
        app.Run(context => HandleAsync(context, path, intake));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var bound = app.Urls.FirstOrDefault()
            ?? $"{(options.ServerCertificate is null ? "http" : "https")}://{options.Address}:{options.Port}";
        var baseAddress = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal), UriKind.Absolute);
        return new ResponseReceiver(app, baseAddress, path.Value + "/", intake);
    }

    /// <summary>Stops accepting deliveries and lets those in progress finish (up to <paramref name="drain"/>).</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        using var timeout = new CancellationTokenSource(drain);
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private static async Task HandleAsync(HttpContext context, PathString path, ResponseIntake intake)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var reader = request.BodyReader;
        ReadResult read;
        long seen = 0;
        try
        {
            while (true)
            {
                read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
                seen = read.Buffer.Length;
                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }

                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            intake.CountTooLarge(seen);
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        int status;
        try
        {
            // Arrival is when the whole body is in: the latency the user sees ends here.
            status = intake.Accept(read.Buffer, intake.Time.GetTimestamp());
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }

        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
    }
}
