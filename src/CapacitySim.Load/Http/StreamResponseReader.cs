using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace CapacitySim.Load.Http;

/// <summary>
/// The connection's response reader over its socket (or TLS) stream: one pooled buffer that the stream reads
/// into, handed out as a <see cref="PipeReader"/> with only what <see cref="DuisConnection"/> needs (one reader,
/// one read at a time, <see cref="AdvanceTo(SequencePosition, SequencePosition)"/>, <see cref="CancelPendingRead"/>
/// for the response timer, <see cref="Complete"/>).
/// </summary>
/// <remarks>
/// <para>
/// Hand-written rather than <c>PipeReader.Create(stream)</c> because the stream pipe reader allocates an async
/// state machine for every read that has to wait (about 180 B, a response that is not there yet, which is every
/// response under load). Here a waiting read is this object's own <see cref="IValueTaskSource{TResult}"/>, and the
/// stream read under it is <c>NetworkStream.ReadAsync(Memory&lt;byte&gt;)</c>, which is backed by the socket's
/// cached event args and allocates nothing either.
/// </para>
/// <para>
/// The stream read is never cancelled: cancelling a socket or TLS read can lose bytes or leave the TLS stream
/// unusable. <see cref="CancelPendingRead"/> and the caller's token end the caller's wait instead, and the stream
/// read stays outstanding: a later <see cref="ReadAsync"/> waits on it rather than starting another, and the buffer
/// it writes into is not given back to the pool until it has finished (after <see cref="Complete"/>, closing the
/// stream ends it).
/// </para>
/// <para>
/// The buffer is one contiguous array that grows, by doubling, only while a response needs more room than it has,
/// up to <paramref name="maxBufferBytes"/>, which is above anything the response parser accepts (it refuses a
/// larger head or body first). A DUIS acknowledgement or response fits the first 4 KiB.
/// </para>
/// </remarks>
/// <param name="stream">The connection's stream; not disposed here.</param>
/// <param name="maxBufferBytes">The most bytes the buffer may grow to.</param>
/// <param name="readiness">
/// For a TLS stream, the network stream under it. <c>SslStream.ReadAsync</c> is a pooled async method: when its
/// read has to wait, its state-machine box is rented on the thread that started the read and returned on the one
/// that completed it, so under load (a pacer thread sends, socket threads complete) the pool's per-thread cache
/// misses and it allocates about 100-200 B per response. So the first read for a response waits with a zero-byte
/// read on this stream, which allocates nothing, and only then reads through TLS, which finds the record there and
/// completes at once. Only the first: a request was just sent, so none of its response can be held in the TLS
/// stream's own buffer yet, whereas later reads of the same response may find the rest already buffered there.
/// </param>
internal sealed class StreamResponseReader(Stream stream, int maxBufferBytes, Stream? readiness = null) : PipeReader, IValueTaskSource<ReadResult>
{
    private const int InitialBufferBytes = 4096;

    // A read into less free space than this first moves the unconsumed bytes to the front, or grows the buffer.
    private const int MinimumReadBytes = 1024;

    private readonly Stream _stream = stream;
    private readonly Stream? _readiness = readiness;
    private readonly int _maxBufferBytes = Math.Max(maxBufferBytes, InitialBufferBytes);
    private readonly Lock _sync = new();
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private Action? _onStreamRead;
    private ManualResetValueTaskSourceCore<ReadResult> _core;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _streamRead;
    private CancellationTokenRegistration _cancellation;
    private CancellationToken _registeredToken;
    private CancellationToken _cancellationToken;

    // Indexes into _buffer: _start..._end are unconsumed bytes, of which _start..._examined were seen by the caller.
    private int _start;
    private int _examined;
    private int _end;

    // Guarded by _sync: a caller waits on _core (_waiting), a stream read is outstanding (_streamReading).
    private bool _waiting;
    private bool _streamReading;
    private bool _cancelRequested;
    private bool _endOfStream;
    private bool _completed;
    private Exception? _error;

    // Over TLS only: the next stream read first waits for the socket (_probeFirst); that wait is outstanding (_probing).
    private bool _probeFirst;
    private bool _probing;

    /// <inheritdoc/>
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            ThrowIfCompleted();
            if (TryTakeAvailable(out var available))
            {
                return new ValueTask<ReadResult>(available);
            }

            if (_streamReading)
            {
                // A read cancelled by the response timer is still outstanding: wait for it rather than read twice.
                return Wait(cancellationToken);
            }

            _streamReading = true;
        }

        // Only this caller starts stream reads and nothing else is reading now, so the buffer can be rearranged.
        ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter pending;
        int read;
        try
        {
            MakeRoom();
            if (TryReadNow(out read, out pending))
            {
                lock (_sync)
                {
                    EndStreamRead();
                    ThrowIfCompleted();
                    Received(read);
                    TryTakeAvailable(out var result);
                    return new ValueTask<ReadResult>(result);
                }
            }
        }
        catch
        {
            lock (_sync)
            {
                EndStreamRead();
            }

            throw;
        }

        ValueTask<ReadResult> waiting;
        lock (_sync)
        {
            waiting = Wait(cancellationToken);
        }

        _streamRead = pending;
        pending.UnsafeOnCompleted(_onStreamRead ??= OnStreamRead);
        return waiting;
    }

    /// <summary>
    /// Says that a request was just sent, so none of its response can be in the stream's own buffer yet: over TLS
    /// the next stream read first waits for the socket to be readable (see the remarks on the readiness stream).
    /// </summary>
    public void ExpectResponse() => _probeFirst = _readiness is not null;

    /// <inheritdoc/>
    public override bool TryRead(out ReadResult result)
    {
        lock (_sync)
        {
            ThrowIfCompleted();
            return TryTakeAvailable(out result);
        }
    }

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        lock (_sync)
        {
            ThrowIfCompleted();
            var start = IndexOf(consumed);
            var seen = IndexOf(examined);
            if (start < _start || seen < start || seen > _end)
            {
                ThrowInvalidPosition();
            }

            _start = start;
            _examined = seen;
            if (_start == _end && !_streamReading)
            {
                // Everything is consumed (the usual end of a response): the next read starts at the front again.
                _start = _examined = _end = 0;
            }
        }
    }

    /// <inheritdoc/>
    public override void CancelPendingRead()
    {
        ReadResult canceled;
        lock (_sync)
        {
            if (_completed)
            {
                return;
            }

            if (!_waiting)
            {
                // As a pipe does: the next read returns at once, canceled.
                _cancelRequested = true;
                return;
            }

            _waiting = false;
            canceled = new ReadResult(Unconsumed(), isCanceled: true, _endOfStream);
        }

        _core.SetResult(canceled);
    }

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null)
    {
        lock (_sync)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (!_streamReading)
            {
                ReturnBuffer();
            }
        }

        _cancellation.Dispose();
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    // Under _sync: whatever the caller has not seen yet, the end of the stream, a stored failure or a cancel request.
    private bool TryTakeAvailable(out ReadResult result)
    {
        if (_error is { } error)
        {
            // A failed stream read fails every read after it; the connection closes on the first.
            _cancelRequested = false;
            throw new IOException(error.Message, error);
        }

        if (_cancelRequested)
        {
            _cancelRequested = false;
            result = new ReadResult(Unconsumed(), isCanceled: true, _endOfStream);
            return true;
        }

        if (_end > _examined || _endOfStream)
        {
            result = new ReadResult(Unconsumed(), isCanceled: false, _endOfStream);
            return true;
        }

        result = default;
        return false;
    }

    // Under _sync: the caller waits for the outstanding stream read, a cancel or its token. The reader registers on
    // a token once, not once per wait: every connection of a run waits with the run's token, and registering and
    // unregistering on one token from every socket thread for every response contends on that token's lock.
    private ValueTask<ReadResult> Wait(CancellationToken cancellationToken)
    {
        _core.Reset();
        _waiting = true;
        _cancellationToken = cancellationToken;
        if (cancellationToken.CanBeCanceled && cancellationToken != _registeredToken)
        {
            // Unregister rather than Dispose: Dispose waits for a running callback, which needs _sync, held here.
            _cancellation.Unregister();
            _registeredToken = cancellationToken;
            _cancellation = cancellationToken.UnsafeRegister(static state => ((StreamResponseReader)state!).OnCanceled(), this);
        }

        if (cancellationToken.IsCancellationRequested && _waiting)
        {
            // Canceled since ReadAsync checked, while no wait was there for the callback to end.
            _waiting = false;
            _core.SetException(new OperationCanceledException(cancellationToken));
        }

        return new ValueTask<ReadResult>(this, _core.Version);
    }

    private void OnStreamRead()
    {
        var read = 0;
        Exception? error = null;
        try
        {
            read = _streamRead.GetResult();
            _streamRead = default;
            if (_probing)
            {
                // The socket is readable: the TLS read now finds its record there and completes at once.
                _probing = false;
#pragma warning disable CA2012 // Consumed exactly once: GetResult below or in this continuation's next run.
                var next = _stream.ReadAsync(_buffer!.AsMemory(_end), CancellationToken.None).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
                if (!next.IsCompleted)
                {
                    _streamRead = next;
                    next.UnsafeOnCompleted(_onStreamRead!);
                    return;
                }

                read = next.GetResult();
            }
        }
        catch (Exception e)
        {
            _streamRead = default;
            error = e;
        }

        ReadResult result;
        lock (_sync)
        {
            EndStreamRead();
            if (_completed)
            {
                if (!_waiting)
                {
                    return;
                }

                _waiting = false;
                error ??= new ObjectDisposedException(nameof(StreamResponseReader));
                result = default;
            }
            else
            {
                if (error is null)
                {
                    Received(read);
                }
                else
                {
                    _error = error;
                }

                if (!_waiting)
                {
                    // The caller stopped waiting (canceled); the bytes are there for its next read.
                    return;
                }

                _waiting = false;
                result = error is null ? new ReadResult(Unconsumed(), isCanceled: false, _endOfStream) : default;
            }
        }

        if (error is null)
        {
            _core.SetResult(result);
        }
        else
        {
            _core.SetException(error);
        }
    }

    private void OnCanceled()
    {
        CancellationToken canceled;
        lock (_sync)
        {
            // The registration outlives waits: only a wait on the token that was canceled ends.
            if (!_waiting || !_cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _waiting = false;
            canceled = _cancellationToken;
        }

        _core.SetException(new OperationCanceledException(canceled));
    }

    // Starts the stream read (none is outstanding): true with its byte count when it completed at once, otherwise
    // false with the awaiter to wait on (the readiness probe's, or the read's).
#pragma warning disable CA2012 // Each stream read is consumed exactly once: GetResult here, or by the caller's continuation.
    private bool TryReadNow(out int read, out ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter pending)
    {
        read = 0;
        if (_probeFirst)
        {
            _probeFirst = false;
            pending = _readiness!.ReadAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false).GetAwaiter();
            if (!pending.IsCompleted)
            {
                _probing = true;
                return false;
            }

            pending.GetResult();
        }

        pending = _stream.ReadAsync(_buffer!.AsMemory(_end), CancellationToken.None).ConfigureAwait(false).GetAwaiter();
        if (!pending.IsCompleted)
        {
            return false;
        }

        read = pending.GetResult();
        pending = default;
        return true;
    }
#pragma warning restore CA2012

    // Under _sync. A reader completed while its stream read was outstanding gives the buffer back only now.
    private void EndStreamRead()
    {
        _streamReading = false;
        if (_completed)
        {
            ReturnBuffer();
        }
    }

    // Under _sync.
    private void Received(int read)
    {
        if (read == 0)
        {
            _endOfStream = true;
        }
        else
        {
            _end += read;
        }
    }

    // No stream read is outstanding: makes at least MinimumReadBytes free after _end if the limit allows.
    [MemberNotNull(nameof(_buffer))]
    private void MakeRoom()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(StreamResponseReader));
        if (buffer.Length - _end >= MinimumReadBytes)
        {
            return;
        }

        var unconsumed = _end - _start;
        if (_start > 0 && buffer.Length - unconsumed >= MinimumReadBytes)
        {
            Buffer.BlockCopy(buffer, _start, buffer, 0, unconsumed);
        }
        else if (buffer.Length < _maxBufferBytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(buffer.Length * 2, unconsumed + MinimumReadBytes), _maxBufferBytes));
            Buffer.BlockCopy(buffer, _start, larger, 0, unconsumed);
            ArrayPool<byte>.Shared.Return(buffer);
            _buffer = buffer = larger;
        }
        else if (_end == buffer.Length)
        {
            if (_start == 0)
            {
                // Unreachable while the parser's limits are below the buffer's: it refuses the response first.
                ThrowBufferFull();
            }

            Buffer.BlockCopy(buffer, _start, buffer, 0, unconsumed);
        }
        else
        {
            return;
        }

        lock (_sync)
        {
            _examined -= _start;
            _end = unconsumed;
            _start = 0;
        }
    }

    private ReadOnlySequence<byte> Unconsumed() => new(_buffer!, _start, _end - _start);

    private int IndexOf(SequencePosition position)
    {
        if (!ReferenceEquals(position.GetObject(), _buffer))
        {
            ThrowInvalidPosition();
        }

        return position.GetInteger();
    }

    private void ReturnBuffer()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            ThrowCompleted();
        }
    }

    [DoesNotReturn]
    private static void ThrowCompleted() => throw new InvalidOperationException("The response reader was completed.");

    [DoesNotReturn]
    private static void ThrowInvalidPosition() => throw new InvalidOperationException("The position is not within the last read's buffer.");

    [DoesNotReturn]
    private static void ThrowBufferFull() => throw new IOException("The response does not fit the connection's largest read buffer.");
}
