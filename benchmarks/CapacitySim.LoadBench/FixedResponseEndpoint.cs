using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Writing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace CapacitySim.LoadBench;

/// <summary>
/// A DUIS endpoint that answers every POST to /api/v1/serviceS, serviceD or serviceT with the same valid synchronous
/// response (I0 to Read Inventory, SRV 8.2, one device), written once at startup by the DUIS writers. Only the
/// request's RequestID is copied into the answer, so a client that correlates (the load engine) completes each
/// request with its synchronous answer, as the DCC does for a non-device request; the cost per request is a search and
/// three copies, the same for every client. Optionally it stalls every answer once for a while, as a server's
/// garbage-collection pause would: answers due during the stall are all held until it ends.
/// </summary>
internal static class FixedResponseEndpoint
{
    private static readonly Eui64 Originator = Eui64.Parse("90-B3-D5-1F-30-01-00-00");

    public static async Task<int> RunAsync(int port, TimeSpan stallAfter, TimeSpan stallFor)
    {
        var (prefix, suffix) = RenderAnswer();
        var stall = new Stall(stallAfter, stallFor);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.Run(context => AnswerAsync(context, prefix, suffix, stall));
        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine($"fixed-response DUIS endpoint on http://127.0.0.1:{port}/ ({prefix.Length + suffix.Length} bytes + RequestID per answer)");
        var stopped = new TaskCompletionSource();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stopped.TrySetResult();
        });
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stopped.TrySetResult();
        });
        await stopped.Task.ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        return 0;
    }

    // The answer with a placeholder RequestID, split around it.
    private static (byte[] Prefix, byte[] Suffix) RenderAnswer()
    {
        var placeholder = new RequestId(Originator, RequestBodies.DccTarget, 1_000_000_000_000_000);
        var output = new ArrayBufferWriter<byte>();
        var header = new ResponseHeaderFields(placeholder, null, ResponseCode.Success, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        InventoryDevice[] devices = [new(Eui64.Parse("00-DB-12-34-56-78-90-A0"), InventoryDeviceType.Esme, "BENCH"u8.ToArray(), "FIXED"u8.ToArray())];
        DuisSynchronousResponseWriter.WriteInventory(header, ServiceReferenceVariant.Parse("8.2"), devices, output);
        Span<byte> id = stackalloc byte[RequestId.MaxFormattedLength];
        placeholder.TryFormat(id, out var idLength);
        var at = output.WrittenSpan.IndexOf(id[..idLength]);
        return (output.WrittenSpan[..at].ToArray(), output.WrittenSpan[(at + idLength)..].ToArray());
    }

    private static async Task AnswerAsync(HttpContext context, byte[] prefix, byte[] suffix, Stall stall)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/api/v1", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // A stalled server holds the request unanswered, connection and all, until the stall ends.
        if (stall.Remaining() is { } wait)
        {
            await Task.Delay(wait).ConfigureAwait(false);
        }

        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync().ConfigureAwait(false);
            if (read.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var written = Write(read.Buffer, context.Response, prefix, suffix);
        reader.AdvanceTo(read.Buffer.End);
        if (written)
        {
            await context.Response.BodyWriter.FlushAsync().ConfigureAwait(false);
        }
    }

    private static bool Write(in ReadOnlySequence<byte> body, HttpResponse response, byte[] prefix, byte[] suffix)
    {
        var reader = new SequenceReader<byte>(body);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> _, "<sr:RequestID>"u8, advancePastDelimiter: true) || !reader.TryReadTo(out ReadOnlySequence<byte> id, "</sr:RequestID>"u8))
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }

        var length = prefix.Length + (int)id.Length + suffix.Length;
        response.ContentType = "application/xml";
        response.ContentLength = length;
        var output = response.BodyWriter;
        var span = output.GetSpan(length);
        prefix.CopyTo(span);
        id.CopyTo(span[prefix.Length..]);
        suffix.CopyTo(span[(prefix.Length + (int)id.Length)..]);
        output.Advance(length);
        return true;
    }

    /// <summary>One stall of every answer, starting a fixed time after the first request.</summary>
    private sealed class Stall(TimeSpan after, TimeSpan length)
    {
        private long start = long.MaxValue;
        private long end = long.MaxValue;

        public TimeSpan? Remaining()
        {
            if (length <= TimeSpan.Zero)
            {
                return null;
            }

            var now = Stopwatch.GetTimestamp();
            if (Volatile.Read(ref start) == long.MaxValue)
            {
                var at = now + (long)(after.TotalSeconds * Stopwatch.Frequency);
                if (Interlocked.CompareExchange(ref start, at, long.MaxValue) == long.MaxValue)
                {
                    Volatile.Write(ref end, at + (long)(length.TotalSeconds * Stopwatch.Frequency));
                    Console.WriteLine($"stall of {length.TotalMilliseconds} ms armed for {after.TotalSeconds} s after the first request");
                }
            }

            var from = Volatile.Read(ref start);
            var until = Volatile.Read(ref end);
            return now >= from && now < until ? Stopwatch.GetElapsedTime(now, until) : null;
        }
    }
}
