using System.Collections.Concurrent;

namespace CapacitySim.Dcc.Delivery;

/// <summary>
/// Delivers rendered DUIS responses and alerts to users' response endpoints by HTTP POST
/// (<c>Content-Type: application/xml</c>), as the DCC does: a 2xx answer is delivery; a failure (connection refused,
/// time-out, non-2xx) is retried with backoff within the retry window (300 s, at least once); after that the message
/// waits on the endpoint's failed queue for up to 2 days and is re-delivered, in order, once the endpoint answers
/// again (found by a periodic probe that re-posts the oldest failed message, or by any other delivery succeeding).
/// </summary>
/// <remarks>
/// <para>
/// Nothing accepted is dropped silently: each accepted message ends delivered or expired (counted, and told to the
/// <see cref="IDeliveryObserver"/>), and until then is counted in exactly one pending place, so every
/// <see cref="Snapshot"/> satisfies <c>Accepted = Delivered + Expired + Pending</c>. A message that cannot be held
/// (byte cap reached, or shutting down) is refused at the door and counted as refused.
/// </para>
/// <para>
/// Each endpoint has an unbounded intake channel read by <see cref="DeliveryOptions.ConnectionsPerEndpoint"/> workers,
/// each posting one message at a time over a shared pool of as many keep-alive connections. Retry back-off, the
/// per-attempt time-out, the probe and the failed-queue hold all run on the given <see cref="TimeProvider"/>, so a
/// compressed run compresses them too. While an endpoint is down, new messages join its failed queue without a POST of
/// their own (the probe re-posts the oldest every probe interval), which keeps order and keeps a dead endpoint from
/// tying every worker up for the whole retry window per message.
/// </para>
/// <para>
/// Delivery is at least once: a POST that times out after the user system stored it is posted again. A message the
/// endpoint rejects forever with a non-2xx status holds up the failed queue behind it until it expires.
/// </para>
/// </remarks>
public sealed class DeliveryService : IAsyncDisposable
{
    private readonly DeliveryOptions options;
    private readonly TimeProvider time;
    private readonly IDeliveryObserver? observer;
    private readonly ConcurrentDictionary<Uri, DeliveryEndpoint> endpoints = new();
    private readonly Lock creating = new();
    private bool disposed;

    /// <summary>Creates delivery on the run clock <paramref name="time"/>.</summary>
    /// <param name="options">Delivery settings; read once here.</param>
    /// <param name="time">The run clock (scenario time).</param>
    /// <param name="observer">Told of each delivery and expiry; optional.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public DeliveryService(DeliveryOptions options, TimeProvider time, IDeliveryObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        Check(options.ConnectionsPerEndpoint >= 1, "ConnectionsPerEndpoint must be at least 1.");
        Check(options.MinimumRetries >= 1, "MinimumRetries must be at least 1: the DCC retries a failed delivery at least once.");
        Check(options.RequestTimeout > TimeSpan.Zero, "RequestTimeout must be positive.");
        Check(options.RetryWindow >= TimeSpan.Zero, "RetryWindow must not be negative.");
        Check(options.InitialBackoff > TimeSpan.Zero && options.MaxBackoff >= options.InitialBackoff, "Backoff must be positive, with MaxBackoff at least InitialBackoff.");
        Check(options.FailedQueueHold > TimeSpan.Zero, "FailedQueueHold must be positive.");
        Check(options.ProbeInterval > TimeSpan.Zero, "ProbeInterval must be positive.");
        Check(options.MaxBytesHeldPerEndpoint > 0, "MaxBytesHeldPerEndpoint must be positive.");
        this.options = options;
        this.time = time;
        this.observer = observer;
    }

    /// <summary>The endpoint at <paramref name="uri"/>, created with its connection pool and workers on first use.</summary>
    /// <exception cref="ArgumentException">The address is not an absolute http or https URI.</exception>
    /// <exception cref="ObjectDisposedException">Delivery has been disposed.</exception>
    public DeliveryEndpoint Endpoint(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (endpoints.TryGetValue(uri, out var existing))
        {
            return existing;
        }

        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"A response endpoint must be an absolute http or https address (was '{uri}').", nameof(uri));
        }

        lock (creating)
        {
            ObjectDisposedException.ThrowIf(disposed, this);

            // Created under a lock so an endpoint's workers and connections exist once, whoever asks first.
            return endpoints.TryGetValue(uri, out existing)
                ? existing
                : endpoints[uri] = new DeliveryEndpoint(uri, options, time, observer);
        }
    }

    /// <summary>
    /// Hands a rendered message for <paramref name="endpoint"/> to delivery (see <see cref="DeliveryEndpoint.Accept"/>);
    /// keep the <see cref="DeliveryEndpoint"/> instead to save the lookup.
    /// </summary>
    public DeliveryAcceptResult Accept(Uri endpoint, in DeliveryMessageInfo message, ReadOnlySpan<byte> body)
        => Endpoint(endpoint).Accept(in message, body);

    /// <summary>All endpoints' counters; each endpoint is read atomically, so each and the total are balanced.</summary>
    public DeliverySnapshot Snapshot()
    {
        var list = new List<EndpointDeliverySnapshot>(endpoints.Count);
        var totals = default(DeliveryCounters);
        foreach (var endpoint in endpoints.Values)
        {
            var s = endpoint.Snapshot();
            list.Add(s);
            totals += s.Counters;
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Endpoint.OriginalString, b.Endpoint.OriginalString));
        return new DeliverySnapshot(totals, list);
    }

    /// <summary>
    /// Waits until nothing is pending on any endpoint (delivered or expired), checking every 10 ms of real time.
    /// Returns false when <paramref name="cancellationToken"/> fires first.
    /// </summary>
    public async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Snapshot().Totals.Pending == 0)
            {
                return true;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Stops every endpoint: new messages are refused, workers and probes stop, connections close. Messages still
    /// pending stay counted as pending in later snapshots.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (creating)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        foreach (var endpoint in endpoints.Values)
        {
            await endpoint.StopAsync().ConfigureAwait(false);
        }
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
