using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace CapacitySim.Load.Http;

/// <summary>
/// A connected TCP socket as a stream whose waits are served by a <see cref="SocketLoop"/> instead of .NET's socket
/// engine: a read that finds nothing waits for the loop's readiness event and completes on the loop's thread, and a
/// read after a drained socket waits at once without trying a receive that cannot find anything yet.
/// </summary>
/// <remarks>
/// <para>
/// Each direction has three states: <c>NotReady</c> (the last call found the socket drained or full, and the loop
/// will tell when that changes), <c>Ready</c> (the loop reported an event since) and <c>Waiting</c> (a caller is
/// parked and the loop must serve it). A caller marks <c>NotReady</c> before the call that may fail with
/// EAGAIN, so an event that comes meanwhile is never lost: it turns the state back to <c>Ready</c>, which the
/// caller's move to <c>Waiting</c> then finds.
/// </para>
/// <para>
/// A read allocates nothing: its wait is this stream's own value-task source. A write is one <c>send</c>; only a
/// write that finds the socket's buffer full (a server that stopped reading) waits, through a task, and allocates.
/// </para>
/// </remarks>
internal sealed class LoopSocketStream : Stream, IValueTaskSource<int>
{
    private const int NotReady = 0;
    private const int Ready = 1;
    private const int Waiting = 2;

    private readonly Socket _socket;
    private readonly SafeSocketHandle _handle;
    private readonly int _fd;
    private readonly SocketLoop _loop;
    private GCHandle _registration;
    private int _disposed;

    private int _readState;

    // Set once the loop reports the peer's close or an error: from then on reads never wait, since the close is
    // reported only once and a receive that returns the last bytes before it would otherwise leave it unseen.
    private volatile bool _hungUp;
    private ManualResetValueTaskSourceCore<int> _read;
    private Memory<byte> _readBuffer;
    private CancellationTokenRegistration _readCancellation;

    private int _writeState;
    private TaskCompletionSource? _writable;

    // Writes made on the loop's thread, sent when the loop has handled its batch of events (see WriteAsync); guarded
    // by _deferLock. While bytes are held they are either queued for the loop's flush or wait for room in the socket.
    private readonly Lock _deferLock = new();
    private byte[]? _deferred;
    private int _deferredLength;
    private bool _deferQueued;
    private volatile bool _deferAwaitingRoom;
    private volatile IOException? _sendFailure;

    private LoopSocketStream(Socket socket)
    {
        _socket = socket;
        _handle = socket.SafeHandle;
        _fd = (int)_handle.DangerousGetHandle();
        _loop = SocketLoop.Next();
        _registration = _loop.Add(_fd, this);
    }

    /// <summary>Whether streams of this kind can be made here (Linux on x86-64 or arm64).</summary>
    public static bool IsSupported => LinuxSockets.IsSupported;

    /// <summary>Whether the caller runs on the thread of the loop that serves this stream.</summary>
    internal bool OnLoopThread => _loop.IsCurrentThread;

    /// <summary>The socket under the stream (for options and polls; reads and writes go through the stream).</summary>
    public Socket Socket => _socket;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Opens a TCP connection to the first of <paramref name="addresses"/> that accepts one, without blocking a
    /// thread: the connect is started non-blocking and completes when the loop reports the socket writable.
    /// </summary>
    /// <exception cref="SocketException">No address accepted a connection (the last address's error).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<LoopSocketStream> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellationToken)
    {
        if (addresses.Count == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        for (var i = 0; ; i++)
        {
            var socket = new Socket(addresses[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            LoopSocketStream? stream = null;
            try
            {
                // Requests are whole messages written at once; Nagle would hold the last segment back for an ACK.
                socket.NoDelay = true;
                socket.Blocking = false;
                var pending = false;
                try
                {
                    socket.Connect(new IPEndPoint(addresses[i], port));
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
                {
                    pending = true;
                }

                // Added only now: an unconnected socket reports a hang-up, which would read as "connected".
                stream = new LoopSocketStream(socket);
                if (pending)
                {
                    await stream.WaitWritableAsync(cancellationToken).ConfigureAwait(false);
                    var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                    if (error != SocketError.Success)
                    {
                        throw new SocketException((int)error);
                    }
                }

                return stream;
            }
            catch (SocketException) when (i + 1 < addresses.Count && !cancellationToken.IsCancellationRequested)
            {
                Discard(stream, socket);
            }
            catch
            {
                Discard(stream, socket);
                throw;
            }
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        if (_sendFailure is { } failure)
        {
            // A held write failed after WriteAsync had returned: what it sent can never be answered.
            return ValueTask.FromException<int>(failure);
        }

        while (true)
        {
            var state = Volatile.Read(ref _readState);
            if (state == Waiting)
            {
                ThrowConcurrentRead();
            }

            if (state == Ready)
            {
                if (buffer.IsEmpty)
                {
                    // A zero-byte read asks only for readiness, which an event since the last drain promises.
                    return new ValueTask<int>(0);
                }

                Interlocked.Exchange(ref _readState, NotReady);
                var received = Receive(buffer.Span, out var errno);
                if (received >= 0)
                {
                    Received(buffer.Length, received);
                    return new ValueTask<int>((int)received);
                }

                if (errno != LinuxSockets.EAgain)
                {
                    // A failed socket fails every read from now on; none may wait for an event.
                    Signal(ref _readState);
                    return ValueTask.FromException<int>(LinuxSockets.Failure("recv", errno));
                }
            }

            _read.Reset();
            _readBuffer = buffer;
            if (cancellationToken.CanBeCanceled)
            {
                // Registered before the wait is published, so that the read's completion always finds it to dispose.
                _readCancellation = cancellationToken.UnsafeRegister(static (state, token) => ((LoopSocketStream)state!).CancelRead(token), this);
            }

            var version = _read.Version;
            if (Interlocked.CompareExchange(ref _readState, Waiting, NotReady) == NotReady)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    CancelRead(cancellationToken);
                }

                AbandonIfDisposed();
                return new ValueTask<int>(this, version);
            }

            // An event came since the state was read: try the socket again.
            _readCancellation.Dispose();
            _readCancellation = default;
            _readBuffer = default;
        }
    }

    /// <remarks>
    /// A write made on the loop's own thread (a request sent from the continuation of a response) is copied and held
    /// until the loop has handled the batch of events it is in, and then sent with the batch's other held writes:
    /// the server then finds several requests at once when it wakes, rather than being woken for each one, which
    /// on a machine the server shares costs both sides less per request. It completes at once; a send that fails
    /// later fails the stream's next read (and the one waiting).
    /// </remarks>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (_loop.IsCurrentThread || _deferAwaitingRoom || Volatile.Read(ref _deferredLength) != 0)
        {
            if (Hold(buffer.Span))
            {
                return default;
            }
        }

        var sent = SendSome(buffer.Span, out var errno);
        if (sent == buffer.Length)
        {
            return default;
        }

        if (errno != LinuxSockets.EAgain)
        {
            return ValueTask.FromException(LinuxSockets.Failure("send", errno));
        }

        return new ValueTask(WriteRestAsync(buffer[sent..], cancellationToken));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    int IValueTaskSource<int>.GetResult(short token)
    {
        _readCancellation.Dispose();
        _readCancellation = default;
        return _read.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);

    /// <summary>Called by the loop with the events the socket reported.</summary>
    internal void OnEvents(uint events)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        const uint Failed = LinuxSockets.EpollErr | LinuxSockets.EpollHup;
        if ((events & (LinuxSockets.EpollRdHup | Failed)) != 0)
        {
            _hungUp = true;
        }

        if ((events & (LinuxSockets.EpollOut | Failed)) != 0)
        {
            if (Signal(ref _writeState))
            {
                _writable!.TrySetResult();
            }

            if (_deferAwaitingRoom)
            {
                lock (_deferLock)
                {
                    _deferAwaitingRoom = false;
                    QueueFlush();
                }
            }
        }

        if ((events & (LinuxSockets.EpollIn | LinuxSockets.EpollRdHup | Failed)) != 0 && Signal(ref _readState))
        {
            CompleteRead();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (disposing)
        {
            _loop.Remove(_fd, _registration);
            _registration = default;
            _socket.Dispose();
            AbandonWaits();
        }

        base.Dispose(disposing);
    }

    /// <summary>Sends the held writes (on the loop's thread, after a batch of events); what the socket cannot take waits for room.</summary>
    internal void FlushHeld()
    {
        IOException? failure = null;
        lock (_deferLock)
        {
            _deferQueued = false;
            if (_deferredLength == 0)
            {
                return;
            }

            if (Volatile.Read(ref _disposed) != 0)
            {
                _deferredLength = 0;
                return;
            }

            int sent;
            int errno;
            try
            {
                sent = SendSome(_deferred.AsSpan(0, _deferredLength), out errno);
            }
            catch (ObjectDisposedException)
            {
                _deferredLength = 0;
                return;
            }

            if (sent == _deferredLength)
            {
                _deferredLength = 0;
                return;
            }

            if (errno == LinuxSockets.EAgain)
            {
                _deferred.AsSpan(sent, _deferredLength - sent).CopyTo(_deferred);
                _deferredLength -= sent;
                _deferAwaitingRoom = true;
                return;
            }

            _deferredLength = 0;
            failure = LinuxSockets.Failure("send", errno);
            _sendFailure = failure;
        }

        FailParkedRead(failure);
    }

    // Copies a write to be sent after the loop's batch; false when the stream holds nothing and the caller is not
    // the loop's thread after all (the loop flushed in between), so the caller sends it itself.
    private bool Hold(ReadOnlySpan<byte> data)
    {
        lock (_deferLock)
        {
            var loopThread = _loop.IsCurrentThread;
            if (!loopThread && _deferredLength == 0 && !_deferAwaitingRoom)
            {
                return false;
            }

            var needed = _deferredLength + data.Length;
            if (_deferred is null || _deferred.Length < needed)
            {
                // Grows to the largest batch of writes one stream sees: a request or two.
                var larger = new byte[Math.Max(needed, Math.Max(4096, (_deferred?.Length ?? 0) * 2))];
                _deferred?.AsSpan(0, _deferredLength).CopyTo(larger);
                _deferred = larger;
            }

            data.CopyTo(_deferred.AsSpan(_deferredLength));
            _deferredLength = needed;

            // Bytes already held are already queued or waiting for room; the first ones are queued by the loop's thread.
            if (loopThread && !_deferAwaitingRoom)
            {
                QueueFlush();
            }

            return true;
        }
    }

    // Under _deferLock, on the loop's thread.
    private void QueueFlush()
    {
        if (!_deferQueued)
        {
            _deferQueued = true;
            _loop.QueueFlush(this);
        }
    }

    // True when the caller (the loop) must serve a parked wait: the state was Waiting and is now NotReady;
    // otherwise the state is now Ready.
    private static bool Signal(ref int state)
    {
        while (true)
        {
            var current = Volatile.Read(ref state);
            if (current == Waiting)
            {
                if (Interlocked.CompareExchange(ref state, NotReady, Waiting) == Waiting)
                {
                    return true;
                }
            }
            else if (current == Ready || Interlocked.CompareExchange(ref state, Ready, NotReady) == NotReady)
            {
                return false;
            }
        }
    }

    private static void Discard(LoopSocketStream? stream, Socket socket)
    {
        if (stream is null)
        {
            socket.Dispose();
        }
        else
        {
            stream.Dispose();
        }
    }

    // On the loop's thread, for the parked read it took over.
    private void CompleteRead()
    {
        var buffer = _readBuffer;
        _readBuffer = default;
        if (buffer.IsEmpty)
        {
            Volatile.Write(ref _readState, Ready);
            _read.SetResult(0);
            return;
        }

        nint received;
        int errno;
        try
        {
            received = Receive(buffer.Span, out errno);
        }
        catch (ObjectDisposedException e)
        {
            _read.SetException(e);
            return;
        }

        if (received >= 0)
        {
            Received(buffer.Length, received);
            _read.SetResult((int)received);
        }
        else if (errno != LinuxSockets.EAgain)
        {
            Signal(ref _readState);
            _read.SetException(LinuxSockets.Failure("recv", errno));
        }
        else
        {
            // The event was for something else (the peer acknowledged data, say): wait on. Only this thread makes
            // the state Ready, so it is still NotReady.
            _readBuffer = buffer;
            Volatile.Write(ref _readState, Waiting);
            AbandonIfDisposed();
        }
    }

    // After a receive of `received` bytes into `length` (the state is NotReady): a full buffer may have left bytes in
    // the socket, and the end of the stream (or the peer's close behind the bytes received) stays readable, and an
    // edge-triggered loop reports neither again.
    private void Received(int length, nint received)
    {
        if (received == length || received == 0 || _hungUp)
        {
            Signal(ref _readState);
        }
    }

    private void CancelRead(CancellationToken token) => FailParkedRead(new OperationCanceledException(token));

    // Ends the parked read with an error, unless the loop (or another failure) has taken it over already.
    private void FailParkedRead(Exception error)
    {
        if (Interlocked.CompareExchange(ref _readState, NotReady, Waiting) == Waiting)
        {
            _readBuffer = default;
            _read.SetException(error);
        }
    }

    // A wait parked as the stream was disposed would never be served: ends it if Dispose has not.
    private void AbandonIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            AbandonWaits();
        }
    }

    private void AbandonWaits()
    {
        FailParkedRead(new ObjectDisposedException(nameof(LoopSocketStream)));
        if (Interlocked.CompareExchange(ref _writeState, NotReady, Waiting) == Waiting)
        {
            _writable!.TrySetException(new ObjectDisposedException(nameof(LoopSocketStream)));
        }
    }

    // The rare write that found the socket's buffer full: waits for room and sends the rest.
    private async Task WriteRestAsync(ReadOnlyMemory<byte> rest, CancellationToken cancellationToken)
    {
        while (true)
        {
            await WaitWritableAsync(cancellationToken).ConfigureAwait(false);
            ThrowIfDisposed();
            var sent = SendSome(rest.Span, out var errno);
            if (sent == rest.Length)
            {
                return;
            }

            if (errno != LinuxSockets.EAgain)
            {
                throw LinuxSockets.Failure("send", errno);
            }

            rest = rest[sent..];
        }
    }

    // Completes when the loop reports the socket writable after the last send found it full (or after a connect).
    private async Task WaitWritableAsync(CancellationToken cancellationToken)
    {
        var writable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writable = writable;
        if (Interlocked.CompareExchange(ref _writeState, Waiting, NotReady) != NotReady)
        {
            // Writable since the send found it full (the state is Ready): go on at once.
            Volatile.Write(ref _writeState, NotReady);
            return;
        }

        AbandonIfDisposed();
        using (cancellationToken.UnsafeRegister(static (state, token) => ((LoopSocketStream)state!).CancelWrite(token), this))
        {
            await writable.Task.ConfigureAwait(false);
        }
    }

    private void CancelWrite(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _writeState, NotReady, Waiting) == Waiting)
        {
            _writable!.TrySetCanceled(token);
        }
    }

    // Sends what the socket takes: all of it, or less with errno EAGAIN (the buffer is full) or another errno.
    // When the socket is full the state is NotReady, marked before the last try so that an event after it counts.
    private int SendSome(ReadOnlySpan<byte> data, out int errno)
    {
        var sent = 0;
        var marked = false;
        errno = 0;
        while (sent < data.Length)
        {
            var result = Send(data[sent..], out errno);
            if (result >= 0)
            {
                sent += (int)result;
                continue;
            }

            if (errno == LinuxSockets.EIntr)
            {
                continue;
            }

            if (errno != LinuxSockets.EAgain || marked)
            {
                break;
            }

            Interlocked.Exchange(ref _writeState, NotReady);
            marked = true;
        }

        if (sent == data.Length)
        {
            errno = 0;
        }

        return sent;
    }

    private unsafe nint Send(ReadOnlySpan<byte> data, out int errno)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            fixed (byte* bytes = data)
            {
                var result = LinuxSockets.Send(_fd, bytes, data.Length, LinuxSockets.MsgNoSignal);
                errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
                return result;
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private unsafe nint Receive(Span<byte> buffer, out int errno)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            fixed (byte* bytes = buffer)
            {
                while (true)
                {
                    var result = LinuxSockets.Receive(_fd, bytes, buffer.Length, 0);
                    errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
                    if (errno != LinuxSockets.EIntr)
                    {
                        return result;
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            ThrowDisposed();
        }
    }

    [DoesNotReturn]
    private static void ThrowConcurrentRead() => throw new InvalidOperationException("A read is already waiting on this stream; a stream serves one read at a time.");

    [DoesNotReturn]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(LoopSocketStream));
}
