namespace CapacitySim.Dcc.Delivery;

/// <summary>Configuration of delivery to user endpoints. Durations are scenario time unless said otherwise.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Keep-alive connections per endpoint, which is also the number of concurrent POSTs to it. Default 8.</summary>
    public int ConnectionsPerEndpoint { get; set; } = 8;

    /// <summary>Time for one POST to be answered (connect included); past it the attempt failed. ASSUMPTION: 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Window after a message's first failure within which it is retried (SEC: at least once within 300 s).</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Retries made even when the window is shorter than the backoff. At least 1 (SEC: at least once).</summary>
    public int MinimumRetries { get; set; } = 1;

    /// <summary>First backoff after a failure; doubled after each retry. ASSUMPTION: 2 s.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest backoff. ASSUMPTION: 60 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a message is held on the failed queue before it is expired (SEC: 2 days).</summary>
    public TimeSpan FailedQueueHold { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// While an endpoint is down, how often its oldest failed message is re-posted to find out whether it answers
    /// again (also how often expiry is checked). ASSUMPTION: 30 s, well inside the 300 s in which SEC wants a retry.
    /// </summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most bytes of undelivered messages held for one endpoint (queued, retrying and failed queue together). A message
    /// that would exceed it is refused and counted (<see cref="DeliveryAcceptResult.RefusedOverCapacity"/>): spilling to
    /// disk is out of scope, and refusing at the door keeps the accounting honest. Default 256 MiB.
    /// </summary>
    public long MaxBytesHeldPerEndpoint { get; set; } = 256L << 20;

    /// <summary>Real-time lifetime of a pooled connection, so DNS and load-balancer changes are picked up. Default 5 min.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Adjusts each endpoint's handler, for example to add the DCC's TLS client certificate.</summary>
    public Action<SocketsHttpHandler>? ConfigureHandler { get; set; }
}
