using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace CapacitySim.Dcc.Delivery;

/// <summary>
/// One user endpoint: its connection pool, its intake channel, its workers, its failed queue and its counters.
/// Obtain it from <see cref="DeliveryService.Endpoint(Uri)"/> and keep it, so accepting a message needs no lookup.
/// </summary>
/// <remarks>
/// Every counter that places a message (queued, retrying, failed queue, redelivering, delivered, expired, accepted)
/// changes under the endpoint's one lock, each transition moving a message from one place to the next in a single
/// critical section, and the snapshot reads them under the same lock: so
/// <c>Accepted = Delivered + Expired + Pending</c> holds in every snapshot, not just at rest.
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The DeliveryService that creates an endpoint owns it and stops it (closing its client) when disposed.")]
public sealed class DeliveryEndpoint
{
    /// <summary>The shortest real time a delivery attempt is given, whatever the time compression.</summary>
    internal static readonly TimeSpan MinimumWallTimeout = TimeSpan.FromSeconds(2);

    private readonly DeliveryOptions options;
    private readonly TimeProvider time;
    private readonly IDeliveryObserver? observer;
    private readonly HttpClient client;
    private readonly Channel<Item> intake = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly FailedQueue<Item> failed = new();
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task[] workers;
    private readonly ITimer timer;
    private readonly long holdUnits;
    private DeliveryEndpointState state = DeliveryEndpointState.Up;
    private bool stopped;
    private bool probeInFlight;
    private Task probe = Task.CompletedTask;

    // Placement counters: changed only under the gate.
    private long accepted, delivered, expired, queued, retrying, failedQueued, redelivering, bytesHeld;

    // Activity counters: not part of the identity, changed under the gate too so a snapshot is one consistent read.
    private long refused, attempts, failedAttempts, movedToFailedQueue, redelivered, probes;

    internal DeliveryEndpoint(Uri uri, DeliveryOptions options, TimeProvider time, IDeliveryObserver? observer)
    {
        Uri = uri;
        this.options = options;
        this.time = time;
        this.observer = observer;
        holdUnits = (long)(options.FailedQueueHold.TotalSeconds * time.TimestampFrequency);

        // SocketsHttpHandler is the pooled HTTP/1.1 client of .NET: keep-alive connections capped per server, TLS with
        // client certificates for mutual TLS, proxies off, and connections recycled by lifetime. Delivery is bounded by
        // the user's endpoint rather than by the client's own cost, and user systems vary in how strictly they speak
        // HTTP, so a complete, well-tried client is worth more here than a hand-written zero-allocation one.
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.ConnectionsPerEndpoint,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        options.ConfigureHandler?.Invoke(handler);

        // The time-out is applied per attempt in scenario time (see PostAsync), so the client's own real-time one is off.
        client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        workers = new Task[options.ConnectionsPerEndpoint];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkerAsync(stopping.Token));
        }

        timer = time.CreateTimer(static s => ((DeliveryEndpoint)s!).OnTimer(), this, options.ProbeInterval, options.ProbeInterval);
    }

    /// <summary>The endpoint's address.</summary>
    public Uri Uri { get; }

    /// <summary>
    /// Hands a rendered message to delivery. The bytes are copied into a pooled buffer, so the caller may reuse
    /// <paramref name="body"/> at once.
    /// </summary>
    /// <param name="info">The message's kind and identifiers, for accounting.</param>
    /// <param name="body">The complete DUIS document.</param>
    public DeliveryAcceptResult Accept(in DeliveryMessageInfo info, ReadOnlySpan<byte> body)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, body.Length));
        body.CopyTo(buffer);
        var item = new Item(buffer, body.Length, info);
        DeliveryAcceptResult result;
        lock (gate)
        {
            if (stopped)
            {
                refused++;
                result = DeliveryAcceptResult.RefusedStopped;
            }
            else if (bytesHeld + body.Length > options.MaxBytesHeldPerEndpoint)
            {
                refused++;
                result = DeliveryAcceptResult.RefusedOverCapacity;
            }
            else
            {
                // Written inside the gate so shutdown (which completes the channel under the gate) cannot slip between
                // counting the message and queueing it.
                accepted++;
                queued++;
                bytesHeld += body.Length;
                intake.Writer.TryWrite(item);
                return DeliveryAcceptResult.Accepted;
            }
        }

        ArrayPool<byte>.Shared.Return(buffer);
        return result;
    }

    internal EndpointDeliverySnapshot Snapshot()
    {
        lock (gate)
        {
            return new EndpointDeliverySnapshot(Uri, state, new DeliveryCounters(
                accepted, delivered, expired, queued, retrying, failedQueued, redelivering,
                refused, attempts, failedAttempts, movedToFailedQueue, redelivered, probes, bytesHeld));
        }
    }

    internal async Task StopAsync()
    {
        lock (gate)
        {
            stopped = true;
            intake.Writer.TryComplete();
        }

        await timer.DisposeAsync().ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
            await probe.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Workers stop on cancellation; the messages they held stay counted as pending.
        }

        client.Dispose();
        stopping.Dispose();
    }

    private async Task WorkerAsync(CancellationToken stop)
    {
        var reader = intake.Reader;
        try
        {
            while (true)
            {
                while (TryTakeForRedelivery(out var again))
                {
                    await RedeliverAsync(again, stop).ConfigureAwait(false);
                }

                if (!await reader.WaitToReadAsync(stop).ConfigureAwait(false))
                {
                    return;
                }

                if (!reader.TryRead(out var item) || item.Buffer is null || !TryStartFresh(ref item))
                {
                    // Nothing, a wake-up to drain the failed queue, or a message parked behind the failed queue.
                    continue;
                }

                await DeliverWithRetryAsync(item, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>A fresh message goes out only while the endpoint is up; otherwise it joins the failed queue, so the
    /// failed queue is re-delivered in order before anything newer.</summary>
    private bool TryStartFresh(ref Item item)
    {
        lock (gate)
        {
            if (state == DeliveryEndpointState.Up)
            {
                return true;
            }

            queued--;
            ParkLocked(item);
            return false;
        }
    }

    private async Task DeliverWithRetryAsync(Item item, CancellationToken stop)
    {
        item.Attempts++;
        if (await PostAsync(item, stop).ConfigureAwait(false))
        {
            CompleteDelivered(item, Placement.Queued);
            return;
        }

        var deadline = time.GetUtcNow() + options.RetryWindow;
        lock (gate)
        {
            queued--;
            retrying++;
        }

        var backoff = options.InitialBackoff;
        var retries = 0;
        while (true)
        {
            var delay = backoff;
            if (retries >= options.MinimumRetries)
            {
                var remaining = deadline - time.GetUtcNow();
                bool park;
                lock (gate)
                {
                    // Retried enough and either out of window, or the endpoint is already known down: stop retrying.
                    park = remaining <= TimeSpan.Zero || state != DeliveryEndpointState.Up;
                    if (park)
                    {
                        retrying--;
                        ParkLocked(item);
                    }
                }

                if (park)
                {
                    return;
                }

                delay = delay < remaining ? delay : remaining;
            }

            await Task.Delay(delay, time, stop).ConfigureAwait(false);
            retries++;
            item.Attempts++;
            if (await PostAsync(item, stop).ConfigureAwait(false))
            {
                CompleteDelivered(item, Placement.Retrying);
                return;
            }

            backoff = backoff * 2 < options.MaxBackoff ? backoff * 2 : options.MaxBackoff;
        }
    }

    private bool TryTakeForRedelivery(out Item item)
    {
        List<Item>? gone = null;
        var taken = false;
        item = default;
        lock (gate)
        {
            if (state == DeliveryEndpointState.Recovering)
            {
                taken = TryTakeHeadLocked(ref gone, out item);
                if (!taken && redelivering == 0)
                {
                    state = DeliveryEndpointState.Up;
                }
            }
        }

        ReportExpired(gone);
        return taken;
    }

    /// <summary>Takes the failed queue's head for a POST, expiring heads past their hold time on the way.</summary>
    private bool TryTakeHeadLocked(ref List<Item>? gone, out Item item)
    {
        var now = time.GetTimestamp();
        while (failed.Count > 0)
        {
            item = failed.RemoveFirst();
            failedQueued--;
            if (now - item.ParkedAt >= holdUnits)
            {
                ExpireLocked(item, ref gone);
                continue;
            }

            redelivering++;
            return true;
        }

        item = default;
        return false;
    }

    private async Task RedeliverAsync(Item item, CancellationToken stop)
    {
        item.Attempts++;
        if (await PostAsync(item, stop).ConfigureAwait(false))
        {
            CompleteDelivered(item, Placement.Redelivering);
            return;
        }

        lock (gate)
        {
            // Back to the head with its original hold time: the endpoint is down again.
            redelivering--;
            failedQueued++;
            failed.AddFirst(item);
            state = DeliveryEndpointState.Down;
        }
    }

    private void OnTimer()
    {
        List<Item>? gone = null;
        Item head = default;
        var startProbe = false;
        lock (gate)
        {
            if (stopped)
            {
                return;
            }

            var now = time.GetTimestamp();
            while (failed.Count > 0 && now - failed.PeekFirst().ParkedAt >= holdUnits)
            {
                failedQueued--;
                ExpireLocked(failed.RemoveFirst(), ref gone);
            }

            if (state == DeliveryEndpointState.Down && failed.Count == 0 && redelivering == 0)
            {
                // Everything held has expired: nothing to keep in order, so new messages may go out again.
                state = DeliveryEndpointState.Up;
            }
            else if (state == DeliveryEndpointState.Down && !probeInFlight && TryTakeHeadLocked(ref gone, out head))
            {
                probeInFlight = true;
                probes++;
                startProbe = true;
            }
        }

        ReportExpired(gone);
        if (startProbe)
        {
            probe = ProbeAsync(head);
        }
    }

    private async Task ProbeAsync(Item head)
    {
        try
        {
            await RedeliverAsync(head, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the message stays counted as redelivering.
        }
        finally
        {
            lock (gate)
            {
                probeInFlight = false;
            }
        }
    }

    private async Task<bool> PostAsync(Item item, CancellationToken stop)
    {
        lock (gate)
        {
            attempts++;
        }

        bool ok;
        try
        {
            // The per-attempt time-out runs on the scenario clock, so compressed runs time out in compressed time, but
            // never in less than MinimumWallTimeout of real time: an HTTP POST takes real time whatever the
            // compression, and a time-out shorter than the machine's own latency would retry deliveries that arrived.
            using var timeout = time is Devices.Time.CompressedTimeProvider compressed && compressed.ToReal(options.RequestTimeout) < MinimumWallTimeout
                ? new CancellationTokenSource(MinimumWallTimeout)
                : new CancellationTokenSource(options.RequestTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stop);
            using var request = new HttpRequestMessage(HttpMethod.Post, Uri)
            {
                Content = new ByteArrayContent(item.Buffer!, 0, item.Length),
            };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/xml");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            ok = response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            // Refused, reset, timed out, or anything else the client throws: a failed attempt, never a lost message
            // (a worker that died here would strand the message it holds).
            ok = false;
        }

        if (!ok)
        {
            lock (gate)
            {
                failedAttempts++;
            }
        }

        return ok;
    }

    private void CompleteDelivered(Item item, Placement from)
    {
        var wake = false;
        lock (gate)
        {
            switch (from)
            {
                case Placement.Queued:
                    queued--;
                    break;
                case Placement.Retrying:
                    retrying--;
                    break;
                default:
                    redelivering--;
                    redelivered++;
                    break;
            }

            delivered++;
            bytesHeld -= item.Length;
            if (state == DeliveryEndpointState.Down)
            {
                // The endpoint answers again: drain the failed queue, in order, before anything newer.
                state = DeliveryEndpointState.Recovering;
                wake = true;
            }
            else if (state == DeliveryEndpointState.Recovering && failed.Count == 0 && redelivering == 0)
            {
                state = DeliveryEndpointState.Up;
            }
        }

        if (wake)
        {
            // Workers may be waiting on the intake: an empty item wakes each to drain the failed queue.
            for (var i = 0; i < workers.Length; i++)
            {
                intake.Writer.TryWrite(default);
            }
        }

        ArrayPool<byte>.Shared.Return(item.Buffer!);
        observer?.Delivered(Uri, in item.Info, item.Attempts, from == Placement.Redelivering);
    }

    private void ParkLocked(Item item)
    {
        item.ParkedAt = time.GetTimestamp();
        failedQueued++;
        movedToFailedQueue++;
        failed.AddLast(item);

        if (state == DeliveryEndpointState.Up)
        {
            state = DeliveryEndpointState.Down;
        }
    }

    private void ExpireLocked(Item item, ref List<Item>? gone)
    {
        expired++;
        bytesHeld -= item.Length;
        (gone ??= []).Add(item);
    }

    private void ReportExpired(List<Item>? gone)
    {
        if (gone is null)
        {
            return;
        }

        foreach (var item in gone)
        {
            ArrayPool<byte>.Shared.Return(item.Buffer!);
            observer?.Expired(Uri, in item.Info, item.Attempts);
        }
    }

    private enum Placement : byte
    {
        Queued,
        Retrying,
        Redelivering,
    }

    /// <summary>A pending message: the pooled bytes it owns, its identity, the POSTs made so far and, on the failed
    /// queue, when it was put there. A struct, so queueing it allocates nothing; whoever holds it updates its copy.</summary>
    private struct Item(byte[] buffer, int length, DeliveryMessageInfo info)
    {
        public readonly byte[]? Buffer = buffer;
        public readonly int Length = length;
        public readonly DeliveryMessageInfo Info = info;
        public int Attempts;
        public long ParkedAt;
    }
}
