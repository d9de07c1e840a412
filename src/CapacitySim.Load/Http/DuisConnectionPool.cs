using System.Diagnostics.CodeAnalysis;

namespace CapacitySim.Load.Http;

/// <summary>
/// A fixed set of keep-alive connections to one DUIS endpoint. A worker rents a connection for one request and
/// returns it; when none is free the caller learns so at once (the pacer counts the arrival as dropped) instead of
/// waiting in a queue that would hide the shortfall.
/// </summary>
/// <remarks>
/// Renting is lock-free: each connection has a busy flag taken with a compare-and-swap, scanned from a rotating
/// start so that connections are used evenly. With tens to a few hundred connections the scan is a handful of
/// cache lines and allocates nothing, unlike a concurrent queue of nodes.
/// </remarks>
public sealed class DuisConnectionPool : IDisposable
{
    private readonly DuisConnection[] _connections;
    private readonly int[] _busy;
    private int _free;
    private int _next;

    /// <summary>Creates <paramref name="connectionCount"/> connections to the options' endpoint; none is opened yet.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connectionCount"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public DuisConnectionPool(DuisClientOptions options, int connectionCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(connectionCount);
        options.Validate();
        Options = options;
        _connections = new DuisConnection[connectionCount];
        _busy = new int[connectionCount];
        for (var i = 0; i < connectionCount; i++)
        {
            _connections[i] = new DuisConnection(options) { PoolIndex = i };
        }

        _free = connectionCount;
    }

    /// <summary>The options every connection uses.</summary>
    public DuisClientOptions Options { get; }

    /// <summary>How many connections the pool holds.</summary>
    public int ConnectionCount => _connections.Length;

    /// <summary>How many connections are not rented right now.</summary>
    public int FreeCount => Volatile.Read(ref _free);

    /// <summary>Whether a connection is free right now; when not, an arrival has nowhere to go.</summary>
    public bool HasFreeConnection => Volatile.Read(ref _free) > 0;

    /// <summary>How many times the pool's connections were opened in all (reconnects included).</summary>
    public long ConnectCount
    {
        get
        {
            long total = 0;
            foreach (var connection in _connections)
            {
                total += connection.ConnectCount;
            }

            return total;
        }
    }

    /// <summary>Takes a free connection, or returns false at once when all are in use.</summary>
    public bool TryRent([NotNullWhen(true)] out DuisConnection? connection)
    {
        if (Volatile.Read(ref _free) > 0)
        {
            var count = _busy.Length;
            var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
            for (var i = 0; i < count; i++)
            {
                var index = start + i;
                if (index >= count)
                {
                    index -= count;
                }

                if (Volatile.Read(ref _busy[index]) == 0 && Interlocked.CompareExchange(ref _busy[index], 1, 0) == 0)
                {
                    Interlocked.Decrement(ref _free);
                    connection = _connections[index];
                    return true;
                }
            }
        }

        connection = null;
        return false;
    }

    /// <summary>Gives back a connection taken with <see cref="TryRent"/>.</summary>
    /// <exception cref="ArgumentException">The connection is not this pool's or is not rented.</exception>
    public void Return(DuisConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var index = connection.PoolIndex;
        if ((uint)index >= (uint)_connections.Length || !ReferenceEquals(_connections[index], connection)
            || Interlocked.Exchange(ref _busy[index], 0) != 1)
        {
            throw new ArgumentException("The connection was not rented from this pool.", nameof(connection));
        }

        Interlocked.Increment(ref _free);
    }

    /// <summary>
    /// Opens every connection now, so that the run's first arrivals do not pay for handshakes. Returns how many
    /// opened; the rest report their failure on first use.
    /// </summary>
    public async ValueTask<int> ConnectAllAsync(CancellationToken cancellationToken = default)
    {
        var tasks = new Task<DuisHttpResult>[_connections.Length];
        for (var i = 0; i < _connections.Length; i++)
        {
            tasks[i] = _connections[i].ConnectAsync(cancellationToken).AsTask();
        }

        var opened = 0;
        foreach (var task in tasks)
        {
            if (await task.ConfigureAwait(false) == DuisHttpResult.Ok)
            {
                opened++;
            }
        }

        return opened;
    }

    /// <summary>Closes every connection. Call it once no worker uses the pool any more.</summary>
    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }
}
