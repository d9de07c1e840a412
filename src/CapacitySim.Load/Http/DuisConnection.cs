using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Threading.Tasks.Sources;

namespace CapacitySim.Load.Http;

/// <summary>
/// One keep-alive HTTP/1.1 connection to a DUIS endpoint, used by one worker at a time: it POSTs a request whose
/// body the caller renders, waits for the whole response and hands it to the caller's handler. It reconnects by
/// itself when the server closed it or a request failed.
/// </summary>
/// <remarks>
/// <para>
/// Hand-written rather than <c>HttpClient</c> because a load generator must send exactly when its pacer says and
/// allocate nothing per request: <c>HttpClient</c> allocates request and response objects, headers and content
/// streams for every call, and its pool decides on its own when to open, reuse or queue connections, which hides
/// the very thing a capacity test must count (an arrival with no free connection is a dropped arrival, not a
/// silently delayed one). Here a request is rendered straight into the connection's pipe and the response is
/// parsed in place from the pipe's buffers.
/// </para>
/// <para>
/// The body is rendered into a reusable pooled buffer first and then copied after the head, because HTTP/1.1 needs
/// Content-Length before the body and rendering cannot know the length in advance (a signed request's length is
/// only known once signed, and signing needs the whole unsigned body anyway). Reserving digits in the pipe and
/// patching them afterwards would write into pipe memory after it was advanced, which the pipe contract forbids;
/// the copy costs tens of nanoseconds for a DUIS request of a few kilobytes, against microseconds for the send.
/// </para>
/// <para>
/// One request is in flight at a time (no pipelining), so a slow response holds only its own connection and a
/// late response can never be taken for the next request's: after a time-out the connection is closed.
/// </para>
/// </remarks>
public sealed class DuisConnection : IDisposable
{
    // An idle connection may have been closed by the server (keep-alive time-out); it is checked before reuse
    // after this long, so that an idle close costs a reconnect, not a failed request.
    private static readonly long IdleCheckTicks = Stopwatch.Frequency;

    // Not a result: the exchange goes on (the send is done, or the response is not complete yet).
    private const DuisHttpResult Pending = (DuisHttpResult)(-1);

    private readonly DuisClientOptions _options;
    private readonly HttpRequestHead _head;
    private readonly HttpResponseParser _parser;
    private readonly PooledBufferWriter _body = new(8 * 1024);
    private readonly SslClientAuthenticationOptions? _tls;
    private readonly IDuplexPipe? _fixedTransport;
    private readonly Timer? _timer;
    private readonly long _responseTimeoutTicks;
    private readonly string _host;
    private readonly int _port;
    private readonly int _readBufferLimit;

    private Socket? _socket;
    private Stream? _stream;
    private PipeReader? _reader;
    private PipeWriter? _writer;
    private long _deadline;
    private long _lastUsed;
    private int _inFlight;
    private int _flushing;
    private int _busy;
    private int _pathIndex;
    private bool _disposed;

    // The exchange that waits for a flush or read, made once for the handler type the connection is used with.
    private object? _exchange;

    /// <summary>Creates a connection to <see cref="DuisClientOptions.Endpoint"/>; it connects on first use or on <see cref="ConnectAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public DuisConnection(DuisClientOptions options)
        : this(options, transport: null)
    {
    }

    /// <summary>A connection over a given transport (tests stand an in-memory pipe pair in for the socket); it cannot reconnect.</summary>
    internal DuisConnection(DuisClientOptions options, IDuplexPipe? transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _head = new HttpRequestHead(options.Endpoint, options.ContentType, options.AlternatePaths);
        _parser = new HttpResponseParser(options.MaxResponseHeadBytes, options.MaxResponseBodyBytes);

        // Above anything the parser keeps unconsumed before it refuses a response: a head, a body, a line.
        _readBufferLimit = (int)Math.Min(Array.MaxLength, (long)Math.Max(options.MaxResponseHeadBytes, options.MaxResponseBodyBytes) + (16 * 1024));
        _host = options.Endpoint.IdnHost;
        _port = options.Endpoint.Port;
        _fixedTransport = transport;
        if (transport is not null)
        {
            _reader = transport.Input;
            _writer = transport.Output;
        }

        if (options.Endpoint.Scheme == Uri.UriSchemeHttps)
        {
            _tls = new SslClientAuthenticationOptions
            {
                TargetHost = options.TlsTargetHost ?? _host,
                RemoteCertificateValidationCallback = options.ServerCertificateValidation,
                // A context rather than a list: the certificate is presented whatever CA names the server lists as acceptable.
                ClientCertificateContext = options.ClientCertificate is null ? null : SslStreamCertificateContext.Create(options.ClientCertificate, additionalCertificates: null, offline: true),
            };
        }

        if (options.ResponseTimeout == Timeout.InfiniteTimeSpan)
        {
            _responseTimeoutTicks = -1;
        }
        else
        {
            _responseTimeoutTicks = (long)(options.ResponseTimeout.TotalSeconds * Stopwatch.Frequency);
            _timer = new Timer(static state => ((DuisConnection)state!).OnResponseTimer(), this, Timeout.Infinite, Timeout.Infinite);
        }
    }

    /// <summary>The options this connection was made with.</summary>
    public DuisClientOptions Options => _options;

    /// <summary>Whether a transport is open now (it may still have been closed by the peer without notice).</summary>
    public bool IsConnected => _reader is not null;

    /// <summary>How many times a connection (TCP, and TLS for https) was opened: 1 for a connection kept alive throughout.</summary>
    public long ConnectCount { get; private set; }

    /// <summary>How many complete responses were received.</summary>
    public long ResponseCount { get; private set; }

    /// <summary>How many times the server asked for the connection to be closed after a response (Connection: close).</summary>
    public long ServerCloseCount { get; private set; }

    /// <summary>Whether the open transport is served by the socket loop (<see cref="LoopSocketStream"/>; never under TLS).</summary>
    internal bool UsesSocketLoop { get; private set; }

    /// <summary>The position in a <see cref="DuisConnectionPool"/>, or -1.</summary>
    internal int PoolIndex { get; set; } = -1;

    /// <summary>How the last response's body was delimited.</summary>
    internal ResponseBodyFraming LastResponseFraming => _parser.Framing;

    /// <summary>
    /// Opens the connection now (closing any open one), so that the first request of a run does not pay for the
    /// handshake. Not needed otherwise: <see cref="SendAsync{TBody, THandler}(TBody, THandler, CancellationToken)"/> connects when it has to.
    /// </summary>
    public async ValueTask<DuisHttpResult> ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fixedTransport is not null)
        {
            return _reader is null ? DuisHttpResult.ConnectFailed : DuisHttpResult.Ok;
        }

        Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(_options.ConnectTimeout);
        }

        Socket? socket = null;
        Stream? network = null;
        Stream? stream = null;
        try
        {
            // TLS stays on .NET's sockets: over the loop, BenchmarkDotNet once measured a 32 KB allocation in a
            // TLS round-trip run (2 B per request; its cause is not found, and nothing in the loop allocates 32 KB),
            // which the hot path's 0 B budget does not allow; plain HTTP, where the throughput is, measured 0 B in
            // every run.
            if (_options.UseSocketLoop && LoopSocketStream.IsSupported && _tls is null)
            {
                var addresses = IPAddress.TryParse(_host, out var literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(_host, timeout.Token).ConfigureAwait(false);
                var loopStream = await LoopSocketStream.ConnectAsync(addresses, _port, timeout.Token).ConfigureAwait(false);
                socket = loopStream.Socket;
                network = loopStream;
            }
            else
            {
                (socket, network) = await ConnectNetworkStreamAsync(timeout.Token).ConfigureAwait(false);
            }

            stream = network;
            if (_tls is not null)
            {
                var ssl = new SslStream(network, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(_tls, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            Discard(socket, stream);
            return cancellationToken.IsCancellationRequested ? DuisHttpResult.Canceled : DuisHttpResult.ConnectTimedOut;
        }
        catch (AuthenticationException)
        {
            Discard(socket, stream);
            return DuisHttpResult.TlsFailed;
        }
        catch (SocketException)
        {
            Discard(socket, stream);
            return DuisHttpResult.ConnectFailed;
        }
        catch (IOException)
        {
            Discard(socket, stream);
            return _tls is null ? DuisHttpResult.ConnectFailed : DuisHttpResult.TlsFailed;
        }

        _socket = socket;
        _stream = stream;
        UsesSocketLoop = network is LoopSocketStream;
        _reader = new StreamResponseReader(stream, _readBufferLimit, readiness: stream is SslStream ? network : null);
        _writer = new StreamRequestWriter(stream);
        _lastUsed = Stopwatch.GetTimestamp();
        ConnectCount++;
        return DuisHttpResult.Ok;
    }

    // The connection through .NET's socket engine, where the socket loop is not supported or turned off.
    private async Task<(Socket Socket, Stream Network)> ConnectNetworkStreamAsync(CancellationToken cancellationToken)
    {
        Socket? socket = null;
        try
        {
            EndPoint endPoint;
            if (IPAddress.TryParse(_host, out var address))
            {
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                endPoint = new IPEndPoint(address, _port);
            }
            else
            {
                socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                endPoint = new DnsEndPoint(_host, _port);
            }

            // Requests are whole messages written at once; Nagle would hold the last segment back for an ACK.
            socket.NoDelay = true;
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return (socket, new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// POSTs one request whose body <paramref name="body"/> renders and waits for its response, which is handed to
    /// <paramref name="handler"/> before the connection reuses its buffers. Failures come back as a result code.
    /// </summary>
    /// <remarks>
    /// Allocates nothing in steady state: the body, head and response buffers are reused; whatever completes at
    /// once (rendering, usually the send, sometimes the response) runs without an asynchronous state machine, and a
    /// wait for the send or the response is the connection's own reusable value-task source. The returned value
    /// task must be awaited (or its result taken) before the next request on this connection.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Another request is in flight on this connection.</exception>
    public ValueTask<DuisHttpResult> SendAsync<TBody, THandler>(TBody body, THandler handler, CancellationToken cancellationToken = default)
        where TBody : IRequestBody
        where THandler : IResponseHandler
        => SendAsync(body, handler, 0, cancellationToken);

    /// <summary>
    /// As <see cref="SendAsync{TBody, THandler}(TBody, THandler, CancellationToken)"/>, posting to
    /// <see cref="DuisClientOptions.AlternatePaths"/>[<paramref name="pathIndex"/> − 1] instead of the endpoint's own
    /// path when <paramref name="pathIndex"/> is above 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pathIndex"/> names no path.</exception>
    /// <exception cref="InvalidOperationException">Another request is in flight on this connection.</exception>
    public ValueTask<DuisHttpResult> SendAsync<TBody, THandler>(TBody body, THandler handler, int pathIndex, CancellationToken cancellationToken = default)
        where TBody : IRequestBody
        where THandler : IResponseHandler
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(pathIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pathIndex, _head.PathCount);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            ThrowConcurrentUse();
        }

        _pathIndex = pathIndex;

        if (_reader is not null && _fixedTransport is null && Stopwatch.GetTimestamp() - _lastUsed > IdleCheckTicks && PeerClosedWhileIdle())
        {
            Close();
        }

        return _reader is null ? ConnectThenSendAsync(body, handler, cancellationToken) : SendConnected(body, handler, cancellationToken);
    }

    /// <summary>Closes the connection; a later <see cref="SendAsync{TBody, THandler}(TBody, THandler, CancellationToken)"/> would fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _timer?.Dispose();
        Close();
        _parser.Dispose();
        _body.Dispose();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<DuisHttpResult> ConnectThenSendAsync<TBody, THandler>(TBody body, THandler handler, CancellationToken cancellationToken)
        where TBody : IRequestBody
        where THandler : IResponseHandler
    {
        DuisHttpResult connected;
        try
        {
            connected = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            EndRequest();
            throw;
        }

        if (connected != DuisHttpResult.Ok)
        {
            EndRequest();
            return connected;
        }

        return await SendConnected(body, handler, cancellationToken).ConfigureAwait(false);
    }

    // Runs the exchange synchronously for as long as each step completes at once, and hands over to the
    // connection's Exchange at the first step that has to wait.
    private ValueTask<DuisHttpResult> SendConnected<TBody, THandler>(TBody body, THandler handler, CancellationToken cancellationToken)
        where TBody : IRequestBody
        where THandler : IResponseHandler
    {
        DuisHttpResult result;
        try
        {
            WriteRequest(body);
            Volatile.Write(ref _flushing, 1);
            var flush = _writer!.FlushAsync(cancellationToken);
            if (!flush.IsCompletedSuccessfully)
            {
                return GetExchange<THandler>().AwaitFlush(flush, handler, cancellationToken);
            }

            result = OnFlushed(flush.Result);
            while (result == Pending)
            {
                var read = _reader!.ReadAsync(cancellationToken);
                if (!read.IsCompletedSuccessfully)
                {
                    return GetExchange<THandler>().AwaitRead(read, handler, cancellationToken);
                }

                result = OnRead(read.Result, ref handler);
            }
        }
        catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
        {
            result = FailOn(cancellationToken);
        }
        catch
        {
            EndRequest();
            throw;
        }

        EndRequest();
        return new ValueTask<DuisHttpResult>(result);
    }

    private Exchange<THandler> GetExchange<THandler>()
        where THandler : IResponseHandler
    {
        if (_exchange is Exchange<THandler> exchange)
        {
            return exchange;
        }

        exchange = new Exchange<THandler>(this);
        _exchange = exchange;
        return exchange;
    }

    private void WriteRequest<TBody>(TBody body)
        where TBody : IRequestBody
    {
        _body.Reset();
        var length = body.Write(_body);
        if (length != _body.WrittenCount)
        {
            ThrowBodyLengthMismatch(length, _body.WrittenCount);
        }

        var writer = _writer!;
        _head.Write(writer, length, _pathIndex);
        writer.Write(_body.WrittenSpan);
        _parser.Reset();
        (_reader as StreamResponseReader)?.ExpectResponse();
        Arm();
    }

    private DuisHttpResult OnFlushed(FlushResult flush)
    {
        Volatile.Write(ref _flushing, 0);
        if (flush.IsCanceled)
        {
            return Fail(DuisHttpResult.TimedOut);
        }

        return flush.IsCompleted ? Fail(DuisHttpResult.ConnectionClosed) : Pending;
    }

    private DuisHttpResult OnRead<THandler>(ReadResult read, ref THandler handler)
        where THandler : IResponseHandler
    {
        var reader = _reader!;
        if (read.IsCanceled)
        {
            reader.AdvanceTo(read.Buffer.Start);

            // Not yet due: the response timer of an earlier request fired just as that one completed.
            return DeadlinePassed() ? Fail(DuisHttpResult.TimedOut) : Pending;
        }

        var step = _parser.Parse(read.Buffer, read.IsCompleted, ref handler, out var consumed);
        if (step == ParseStep.NeedMore)
        {
            reader.AdvanceTo(consumed, read.Buffer.End);
            return Pending;
        }

        reader.AdvanceTo(consumed);
        switch (step)
        {
            case ParseStep.Complete:
                Disarm();
                ResponseCount++;
                _lastUsed = Stopwatch.GetTimestamp();
                if (_parser.CloseAfterResponse)
                {
                    ServerCloseCount++;
                    Close();
                }

                return DuisHttpResult.Ok;
            case ParseStep.ClosedEarly:
                return Fail(DuisHttpResult.ConnectionClosed);
            case ParseStep.TooLarge:
                return Fail(DuisHttpResult.ResponseTooLarge);
            default:
                return Fail(DuisHttpResult.ProtocolError);
        }
    }

    private bool IsConnectionFailure(Exception e, CancellationToken cancellationToken) =>
        e is IOException or SocketException or ObjectDisposedException
        || (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        || (e is InvalidOperationException && _disposed);

    private DuisHttpResult FailOn(CancellationToken cancellationToken) =>
        Fail(cancellationToken.IsCancellationRequested ? DuisHttpResult.Canceled : DuisHttpResult.ConnectionClosed);

    private void EndRequest()
    {
        EndExchange();
        ReleaseBusy();
    }

    private void EndExchange()
    {
        Volatile.Write(ref _flushing, 0);
        Disarm();
    }

    private void ReleaseBusy() => Volatile.Write(ref _busy, 0);

    private DuisHttpResult Fail(DuisHttpResult result)
    {
        Disarm();
        Close();
        return result;
    }

    private void Arm()
    {
        if (_timer is null)
        {
            return;
        }

        Volatile.Write(ref _deadline, Stopwatch.GetTimestamp() + _responseTimeoutTicks);
        Volatile.Write(ref _inFlight, 1);
        _timer.Change(_options.ResponseTimeout, Timeout.InfiniteTimeSpan);
    }

    // The timer is left to fire: it finds nothing in flight and does nothing, which saves a timer-queue update per request.
    private void Disarm() => Volatile.Write(ref _inFlight, 0);

    private bool DeadlinePassed() => _timer is not null && Stopwatch.GetTimestamp() >= Volatile.Read(ref _deadline);

    private void OnResponseTimer()
    {
        if (Volatile.Read(ref _inFlight) == 0)
        {
            return;
        }

        var remaining = Volatile.Read(ref _deadline) - Stopwatch.GetTimestamp();
        try
        {
            if (remaining > 0)
            {
                // Timers may fire a little early; wait out the rest rather than leave the request unguarded.
                _timer!.Change((remaining * 1000 / Stopwatch.Frequency) + 1, Timeout.Infinite);
                return;
            }

            // Cancelling the pending read (or a flush stuck on a full send buffer) ends the wait without an exception;
            // SendAsync sees IsCanceled, confirms the deadline has passed and reports TimedOut.
            _reader?.CancelPendingRead();
            if (Volatile.Read(ref _flushing) != 0)
            {
                _writer?.CancelPendingFlush();
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while the timer fired: nothing left to cancel.
        }
        catch (InvalidOperationException)
        {
            // The pipe was completed by a concurrent close: nothing left to cancel.
        }
    }

    // Between requests nothing should arrive: readable with nothing to read means the peer closed, and anything
    // readable (a 408 before closing, a TLS close_notify) means the server is done with this connection.
    private bool PeerClosedWhileIdle()
    {
        try
        {
            return _socket is not null && _socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return true;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    private void Close()
    {
        if (_fixedTransport is not null)
        {
            // A fixed transport cannot be reopened: once closed, requests fail with ConnectFailed.
            _reader = null;
            _writer = null;
            return;
        }

        var reader = _reader;
        var writer = _writer;
        var stream = _stream;
        _reader = null;
        _writer = null;
        _stream = null;
        _socket = null;

        // The stream goes first so that completing the writer cannot block flushing into a stalled socket.
        stream?.Dispose();
        try
        {
            writer?.Complete();
        }
        catch (IOException)
        {
            // Unflushed bytes of a failed request have nowhere to go.
        }
        catch (ObjectDisposedException)
        {
            // As above, through the disposed stream.
        }

        reader?.Complete();
    }

    private static void Discard(Socket? socket, Stream? stream)
    {
        if (stream is not null)
        {
            stream.Dispose();
        }
        else
        {
            socket?.Dispose();
        }
    }

    [DoesNotReturn]
    private static void ThrowConcurrentUse() =>
        throw new InvalidOperationException("A request is already in flight on this connection; each connection serves one worker at a time.");

    [DoesNotReturn]
    private static void ThrowBodyLengthMismatch(int reported, int written) =>
        throw new InvalidOperationException($"The request body reported {reported} bytes but wrote {written}.");

    /// <summary>
    /// The part of a request that waits for the send to flush or the response to arrive, as a value-task source the
    /// connection reuses for every request: continuations are cached delegates on the flush and read awaiters.
    /// </summary>
    /// <remarks>
    /// Not a pooled async method: its state-machine box is rented on the thread that starts the wait and returned
    /// on the one that completes it (the socket's), so under load the pool's per-thread cache misses and a box is
    /// allocated for most requests. The connection runs one request at a time, so one source per connection is
    /// enough; it is released for the next request when the caller takes the result.
    /// </remarks>
    private sealed class Exchange<THandler> : IValueTaskSource<DuisHttpResult>
        where THandler : IResponseHandler
    {
        private readonly DuisConnection _connection;
        private readonly Action _onFlushed;
        private readonly Action _onRead;
        private ManualResetValueTaskSourceCore<DuisHttpResult> _core;
        private ConfiguredValueTaskAwaitable<FlushResult>.ConfiguredValueTaskAwaiter _flush;
        private ConfiguredValueTaskAwaitable<ReadResult>.ConfiguredValueTaskAwaiter _read;
        private THandler _handler = default!;
        private CancellationToken _cancellationToken;

        public Exchange(DuisConnection connection)
        {
            _connection = connection;
            _onFlushed = OnFlushed;
            _onRead = OnRead;
        }

        public ValueTask<DuisHttpResult> AwaitFlush(ValueTask<FlushResult> flush, THandler handler, CancellationToken cancellationToken)
        {
            var token = Begin(handler, cancellationToken);
            _flush = flush.ConfigureAwait(false).GetAwaiter();
            _flush.UnsafeOnCompleted(_onFlushed);
            return new ValueTask<DuisHttpResult>(this, token);
        }

        public ValueTask<DuisHttpResult> AwaitRead(ValueTask<ReadResult> read, THandler handler, CancellationToken cancellationToken)
        {
            var token = Begin(handler, cancellationToken);
            _read = read.ConfigureAwait(false).GetAwaiter();
            _read.UnsafeOnCompleted(_onRead);
            return new ValueTask<DuisHttpResult>(this, token);
        }

        public DuisHttpResult GetResult(short token)
        {
            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                // Only now may the next request reset this source: its caller has what it was waiting for.
                _connection.ReleaseBusy();
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        private short Begin(THandler handler, CancellationToken cancellationToken)
        {
            _core.Reset();
            _handler = handler;
            _cancellationToken = cancellationToken;
            return _core.Version;
        }

        private void OnFlushed() => Continue(flushed: true);

        private void OnRead() => Continue(flushed: false);

        // Takes the result of the flush or read that completed and carries the exchange on; a failure of the
        // connection becomes a result, anything else faults the caller's task.
        private void Continue(bool flushed)
        {
            DuisHttpResult result;
            try
            {
                if (flushed)
                {
                    var flush = _flush.GetResult();
                    _flush = default;
                    result = _connection.OnFlushed(flush);
                }
                else
                {
                    var read = _read.GetResult();
                    _read = default;
                    result = _connection.OnRead(read, ref _handler);
                }

                if (result == Pending && !ReadOn(ref result))
                {
                    return;
                }
            }
            catch (Exception e) when (_connection.IsConnectionFailure(e, _cancellationToken))
            {
                result = _connection.FailOn(_cancellationToken);
            }
            catch (Exception e)
            {
                Fault(e);
                return;
            }

            Finish(result);
        }

        // Reads on while reads complete at once: true with the result once the response is done, false when a read
        // has to wait (its continuation carries on).
        private bool ReadOn(ref DuisHttpResult result)
        {
            var reader = _connection._reader!;
            while (true)
            {
#pragma warning disable CA2012 // Consumed exactly once: GetResult below or in the continuation, never both.
                var read = reader.ReadAsync(_cancellationToken).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
                if (!read.IsCompleted)
                {
                    _read = read;
                    read.UnsafeOnCompleted(_onRead);
                    return false;
                }

                result = _connection.OnRead(read.GetResult(), ref _handler);
                if (result != Pending)
                {
                    return true;
                }
            }
        }

        private void Finish(DuisHttpResult result)
        {
            _handler = default!;
            _connection.EndExchange();
            _core.SetResult(result);
        }

        private void Fault(Exception exception)
        {
            _handler = default!;
            _connection.EndExchange();
            _core.SetException(exception);
        }
    }
}
