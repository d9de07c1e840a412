using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Reading;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Http;
using HdrHistogram;

namespace CapacitySim.Reporting.Capture;

/// <summary>How <see cref="TrafficReplay"/> re-sends a capture.</summary>
public sealed class TrafficReplayOptions
{
    /// <summary>Base URL of the DUIS endpoint (<c>http://127.0.0.1:8079</c>); each request goes to its web service's path under it.</summary>
    public required Uri Target { get; init; }

    /// <summary>Pacing factor: 2 sends twice as fast as captured. Default 1 (the original pacing).</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Keep-alive connections per DUIS web service used. Default 8.</summary>
    public int Connections { get; init; } = 8;

    /// <summary>How long one request may wait for its synchronous answer. Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Decides whether an https target's certificate is accepted; null uses the system's trust store.</summary>
    public System.Net.Security.RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }
}

/// <summary>What a replay did.</summary>
public sealed class TrafficReplayResult
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, long> _http = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _codes = new(StringComparer.Ordinal);

    /// <summary>Requests in the capture.</summary>
    public long Requests { get; internal set; }

    /// <summary>Requests sent.</summary>
    public long Sent { get; internal set; }

    /// <summary>Requests not sent because every connection to their web service was busy (counted, never delayed).</summary>
    public long Dropped { get; internal set; }

    /// <summary>Requests whose body names no command variant, so no web service to send them to.</summary>
    public long Unroutable { get; internal set; }

    /// <summary>Wall-clock duration of the replay.</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>HTTP outcomes: <c>200</c>, <c>400</c>… for answers, the client's result name (<c>ConnectFailed</c>, <c>TimedOut</c>) otherwise.</summary>
    public IReadOnlyDictionary<string, long> HttpResults => _http;

    /// <summary>Response codes of the synchronous answers (<c>I99</c>, <c>E53</c>); <c>unreadable</c> for bodies that are not DUIS.</summary>
    public IReadOnlyDictionary<string, long> ResponseCodes => _codes;

    /// <summary>
    /// Wall-clock latency of the synchronous answers in microseconds, from each request's intended (paced) send time,
    /// so that a target that falls behind shows its queueing.
    /// </summary>
    public LongHistogram Latency { get; } = new(3_600_000_000, 2);

    /// <summary>Writes the replay's summary as text.</summary>
    public void Write(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"requests: {Requests} in the capture, {Sent} sent, {Dropped} dropped (no free connection), {Unroutable} unroutable (no command variant) in {Duration.TotalSeconds:0.000} s"));
        output.WriteLine("HTTP results: " + Join(_http));
        output.WriteLine("synchronous response codes: " + Join(_codes));
        if (Latency.TotalCount > 0)
        {
            output.WriteLine(string.Create(
                c,
                $"latency of synchronous answers (ms wall-clock, from the paced send time): p50 {Latency.GetValueAtPercentile(50) / 1000.0:0.###}, p90 {Latency.GetValueAtPercentile(90) / 1000.0:0.###}, p99 {Latency.GetValueAtPercentile(99) / 1000.0:0.###}, max {Latency.GetMaxValue() / 1000.0:0.###}"));
        }

        if (_codes.ContainsKey("E53"))
        {
            output.WriteLine("note: E53 answers are replay refusals: the target had already seen these OriginatorCounters. Replay against a fresh DCC, or an endpoint under investigation.");
        }
    }

    internal void Count(string http, string? code, long latencyMicroseconds)
    {
        lock (_gate)
        {
            _http[http] = _http.GetValueOrDefault(http) + 1;
            if (code is not null)
            {
                _codes[code] = _codes.GetValueOrDefault(code) + 1;
                Latency.RecordValue(Math.Clamp(latencyMicroseconds, 0, Latency.HighestTrackableValue));
            }
        }
    }

    private static string Join(SortedDictionary<string, long> counts)
    {
        if (counts.Count == 0)
        {
            return "none";
        }

        var parts = new List<string>(counts.Count);
        foreach (var (key, count) in counts)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{key} {count}"));
        }

        return string.Join(", ", parts);
    }
}

/// <summary>
/// Re-sends the requests of a capture taken with bodies to a DUIS endpoint, at the captured pacing divided by a
/// speed factor: each request goes to the web service its command variant belongs to (<c>/api/v1/serviceS</c>,
/// <c>serviceD</c> or <c>serviceT</c> under the target), over a fixed pool of keep-alive connections per service.
/// As in a load run, a request due when no connection is free is dropped and counted, not delayed.
/// </summary>
/// <remarks>
/// The bodies are re-sent byte for byte, signatures and OriginatorCounters included. A DCC that checks counters
/// (as the DCC and <c>capacitysim dcc</c> do) and has already seen them refuses the replay with E53: replay is meant
/// for a fresh DCC instance, or for an endpoint under investigation that must see exactly the traffic of an incident.
/// </remarks>
public static class TrafficReplay
{
    private static readonly DuisWebService[] Services = [DuisWebService.SendCommand, DuisWebService.NonDevice, DuisWebService.Transform];

    /// <summary>Replays the capture's requests and returns what happened.</summary>
    /// <exception cref="InvalidOperationException">The capture was taken without bodies.</exception>
    /// <exception cref="TrafficCaptureFormatException">The capture is truncated or corrupt.</exception>
    public static async Task<TrafficReplayResult> RunAsync(TrafficCaptureReader reader, TrafficReplayOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Speed);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Connections);
        if (!reader.Header.IncludesBodies)
        {
            throw new InvalidOperationException("The capture holds metadata only: replay needs the request bodies. Capture the run again with bodies.");
        }

        var result = new TrafficReplayResult();
        var pools = new Dictionary<DuisWebService, DuisConnectionPool>();
        var inFlight = new InFlight();
        try
        {
            // Every connection is opened before the clock starts, so that handshakes do not count as the target's
            // slowness or turn the first arrivals into drops.
            foreach (var service in Services)
            {
                var pool = new DuisConnectionPool(
                    new DuisClientOptions
                    {
                        Endpoint = ServiceUri(options.Target, service),
                        ResponseTimeout = options.ResponseTimeout,
                        ServerCertificateValidation = options.ServerCertificateValidation,
                    },
                    options.Connections);
                pools.Add(service, pool);
                await pool.ConnectAllAsync(cancellationToken).ConfigureAwait(false);
            }

            var start = Stopwatch.GetTimestamp();
            long? firstAt = null;
            foreach (var message in reader.ReadMessages())
            {
                if (message.Event.Kind != TrafficEventKind.RequestSent)
                {
                    continue;
                }

                result.Requests++;
                if (DuisHeaderReader.TryRead(message.Body.Span, out var header) is not DuisReadStatus.Ok
                    || DuisWebServices.ForCommandVariant(header.CommandVariant) is var target && target == DuisWebService.None)
                {
                    result.Unroutable++;
                    continue;
                }

                firstAt ??= message.Event.AtMicroseconds;
                var due = start + (long)((message.Event.AtMicroseconds - firstAt.Value) / options.Speed * Stopwatch.Frequency / 1e6);
                await WaitUntilAsync(due, cancellationToken).ConfigureAwait(false);

                var pool = pools[target];
                if (!pool.TryRent(out var connection))
                {
                    result.Dropped++;
                    continue;
                }

                result.Sent++;
                inFlight.Add();
                _ = SendAsync(pool, connection, message.Body, due, result, inFlight, cancellationToken);
            }

            await inFlight.WhenDrainedAsync().ConfigureAwait(false);
            result.Duration = Stopwatch.GetElapsedTime(start);
            return result;
        }
        finally
        {
            foreach (var pool in pools.Values)
            {
                pool.Dispose();
            }
        }
    }

    // Never early, as the run's pacer: sleep until a millisecond before the due time (a timer may fire a little early
    // or late by its granularity), then poll the clock, yielding, until it is reached.
    private static async Task WaitUntilAsync(long due, CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            if (remaining > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(remaining - TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                Thread.Yield();
            }
        }
    }

    /// <summary>The web service's URL under <paramref name="target"/>, keeping any path prefix the target has.</summary>
    public static Uri ServiceUri(Uri target, DuisWebService service)
    {
        ArgumentNullException.ThrowIfNull(target);
        var builder = new UriBuilder(target) { Path = target.AbsolutePath.TrimEnd('/') + DuisWebServices.GetPath(service) };
        return builder.Uri;
    }

    private static async Task SendAsync(
        DuisConnectionPool pool, DuisConnection connection, ReadOnlyMemory<byte> body, long due, TrafficReplayResult result, InFlight inFlight, CancellationToken cancellationToken)
    {
        try
        {
            var handler = new ReplayHandler(result, due);
            var outcome = await connection.SendAsync(new MemoryBody(body), handler, cancellationToken).ConfigureAwait(false);
            if (outcome != DuisHttpResult.Ok)
            {
                result.Count(outcome.ToString(), null, 0);
            }
        }
        finally
        {
            pool.Return(connection);
            inFlight.Done();
        }
    }

    private readonly struct MemoryBody(ReadOnlyMemory<byte> body) : IRequestBody
    {
        public int Write(IBufferWriter<byte> output)
        {
            output.Write(body.Span);
            return body.Length;
        }
    }

    private readonly struct ReplayHandler(TrafficReplayResult result, long due) : IResponseHandler
    {
        public void OnResponse(int status, in ReadOnlySequence<byte> body)
        {
            var latency = (long)Stopwatch.GetElapsedTime(due).TotalMicroseconds;
            var code = DuisHeaderReader.TryRead(body, out var header) == DuisReadStatus.Ok && header.Fields.HasFlag(DuisHeaderFields.ResponseCode)
                ? header.ResponseCode.ToString()
                : "unreadable";
            result.Count(status.ToString(CultureInfo.InvariantCulture), code, latency);
        }
    }

    /// <summary>Counts requests in flight; completes once the reading loop is done and the last one has answered.</summary>
    private sealed class InFlight
    {
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Starts at 1 for the reading loop itself, so that the count cannot reach zero before every request is sent.
        private int _count = 1;

        public void Add() => Interlocked.Increment(ref _count);

        public void Done()
        {
            if (Interlocked.Decrement(ref _count) == 0)
            {
                _drained.TrySetResult();
            }
        }

        public Task WhenDrainedAsync()
        {
            Done();
            return _drained.Task;
        }
    }
}
