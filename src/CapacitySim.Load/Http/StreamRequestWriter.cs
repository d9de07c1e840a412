using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;

namespace CapacitySim.Load.Http;

/// <summary>
/// The connection's request writer over its socket (or TLS) stream: one array that a request is rendered into, sent
/// with one stream write per flush. Only what <see cref="DuisConnection"/> needs of a <see cref="PipeWriter"/>:
/// <see cref="GetSpan"/>, <see cref="Advance"/>, <see cref="FlushAsync"/>, <see cref="CancelPendingFlush"/> for
/// the response timer, <see cref="Complete"/>.
/// </summary>
/// <remarks>
/// <para>
/// Hand-written rather than <c>PipeWriter.Create(stream)</c> because the stream pipe writer, for every request,
/// rents a buffer segment from the array pool and returns it after the flush, runs an asynchronous state machine,
/// registers on the caller's token and hands the socket a token of its own to register on as well: under load every
/// connection registers and unregisters on the run's token for every request, from both socket threads at once.
/// Here a flush is one stream write without a token, and when it completes at once (the socket's send buffer has
/// room, which with one request of a few kilobytes in flight per connection is always, in practice) that is all.
/// </para>
/// <para>
/// A write that has to wait (a server that stopped reading) is awaited on a slower path that allocates; the
/// response timer's <see cref="CancelPendingFlush"/> or the caller's token ends that wait, and the write itself stays
/// outstanding until the connection closes the stream, which it does after any canceled or failed flush.
/// </para>
/// </remarks>
/// <param name="stream">The connection's stream; not disposed here.</param>
internal sealed class StreamRequestWriter(Stream stream) : PipeWriter
{
    private const int InitialBufferBytes = 4096;

    private readonly Stream _stream = stream;
    private readonly Lock _sync = new();
    private byte[] _buffer = new byte[InitialBufferBytes];
    private int _written;
    private bool _completed;

    // Guarded by _sync: the wait of a flush whose write is outstanding, or a cancel asked for with none waiting.
    private TaskCompletionSource? _flushWait;
    private int _cancelRequested;

    /// <inheritdoc/>
    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc/>
    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <inheritdoc/>
    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, _buffer.Length - _written);
        _written += bytes;
    }

    /// <inheritdoc/>
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        cancellationToken.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _cancelRequested) != 0 && Interlocked.Exchange(ref _cancelRequested, 0) != 0)
        {
            // As a pipe does: a cancel asked for before the flush returns the flush canceled.
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: true, isCompleted: false));
        }

        if (_written == 0)
        {
            return default;
        }

        var write = _stream.WriteAsync(_buffer.AsMemory(0, _written), CancellationToken.None);
        if (write.IsCompletedSuccessfully)
        {
            _written = 0;
            return default;
        }

        return WaitForWrite(write, cancellationToken);
    }

    /// <inheritdoc/>
    public override void CancelPendingFlush()
    {
        lock (_sync)
        {
            if (_flushWait is { } waiting)
            {
                waiting.TrySetResult();
            }
            else
            {
                Volatile.Write(ref _cancelRequested, 1);
            }
        }
    }

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null) => _completed = true;

    // The rare write that could not complete at once: waits for it, a cancel or the caller's token.
    private async ValueTask<FlushResult> WaitForWrite(ValueTask write, CancellationToken cancellationToken)
    {
        var writing = write.AsTask();
        var canceled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            _flushWait = canceled;
        }

        Task first;
        using (cancellationToken.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), canceled))
        {
            first = await Task.WhenAny(writing, canceled.Task).ConfigureAwait(false);
        }

        lock (_sync)
        {
            _flushWait = null;
        }

        if (first != writing)
        {
            // The connection closes the stream after a canceled flush, which ends the write; its failure is expected.
            _ = writing.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            return new FlushResult(isCanceled: true, isCompleted: false);
        }

        await writing.ConfigureAwait(false);
        _written = 0;
        return default;
    }

    private void Ensure(int sizeHint)
    {
        ThrowIfCompleted();
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        // Grows to the largest request seen, once: a connection sends the same few request shapes all run long.
        var larger = new byte[Math.Max(_buffer.Length * 2, _written + needed)];
        _buffer.AsSpan(0, _written).CopyTo(larger);
        _buffer = larger;
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            ThrowCompleted();
        }
    }

    [DoesNotReturn]
    private static void ThrowCompleted() => throw new InvalidOperationException("The request writer was completed.");
}
