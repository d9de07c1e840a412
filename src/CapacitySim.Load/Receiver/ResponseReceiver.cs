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
/// an empty 200 (400 for a body that is not a DUIS response, 413 for one over the size limit, 503 once the receiver
/// is stopping, so that the DCC keeps the delivery and tries again).
/// </summary>
public sealed class ResponseReceiver : IAsyncDisposable
{
    // The intake gate's closed flag; the bits below it count deliveries being taken in.
    private const int Closed = 1 << 30;

    private readonly WebApplication _app;
    private int _gate;
    private Task? _stopping;

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
        ResponseReceiver? receiver = null;
        app.Run(context => receiver!.HandleAsync(context, path, intake));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var bound = app.Urls.FirstOrDefault()
            ?? $"{(options.ServerCertificate is null ? "http" : "https")}://{options.Address}:{options.Port}";
        var baseAddress = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal), UriKind.Absolute);
        receiver = new ResponseReceiver(app, baseAddress, path.Value + "/", intake);
        return receiver;
    }

    /// <summary>True once <see cref="StopAsync"/> has closed the intake: no delivery is taken in any more.</summary>
    public bool IsStopped => (Volatile.Read(ref _gate) & Closed) != 0;

    /// <summary>
    /// Stops accepting deliveries: the listener closes (no new connection), deliveries in progress finish (up to
    /// <paramref name="drain"/>), and then the intake closes, so that once this returns every delivery answered 200 is
    /// in the intake's counts and none is answered 200 again (a straggler gets 503 and the DCC keeps it). Call it
    /// before the run's final figures are taken. Calling it again waits for the first call.
    /// </summary>
    public Task StopAsync(TimeSpan drain)
    {
        lock (_app)
        {
            return _stopping ??= StopOnceAsync(drain);
        }
    }

    private async Task StopOnceAsync(TimeSpan drain)
    {
        using (var timeout = new CancellationTokenSource(drain))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        // A delivery Kestrel was still serving when the drain ran out either has been counted or finds the gate shut.
        Interlocked.Or(ref _gate, Closed);
        var spin = default(SpinWait);
        while ((Volatile.Read(ref _gate) & ~Closed) != 0)
        {
            spin.SpinOnce();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    // Enters the intake unless it has closed; a delivery that entered is counted before the gate can finish closing.
    private bool TryEnterIntake()
    {
        while (true)
        {
            var gate = Volatile.Read(ref _gate);
            if ((gate & Closed) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _gate, gate + 1, gate) == gate)
            {
                return true;
            }
        }
    }

    private async Task HandleAsync(HttpContext context, PathString path, ResponseIntake intake)
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

        if (!TryEnterIntake())
        {
            // The run's figures are final: the DCC must keep this delivery and try again later.
            reader.AdvanceTo(read.Buffer.End);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.Connection = "close";
            context.Response.ContentLength = 0;
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
            Interlocked.Decrement(ref _gate);
            reader.AdvanceTo(read.Buffer.End);
        }

        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
    }
}
