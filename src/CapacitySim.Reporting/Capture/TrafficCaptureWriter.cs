using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Load.Engine;
using ProtoBuf;

namespace CapacitySim.Reporting.Capture;

/// <summary>
/// Writes every message of a run to a traffic capture file (length-delimited protobuf records, see
/// <see cref="TrafficCaptureReader"/>): the traffic log an incident review needs. Memory is bounded: the run's threads
/// copy each message into a preallocated buffer and return at once, and one background thread serialises the
/// buffer to the file. A message that does not fit the buffer is dropped and counted, never waited for: a capture
/// must not slow the run it records.
/// </summary>
/// <remarks>
/// <para>
/// The buffer is a ring of 64-byte cells. A message takes one cell for its metadata and, when bodies are kept, as
/// many more as its body needs. A sender reserves its cells with one compare-and-swap on the reservation counter,
/// copies, then publishes the record by writing its cell count into the commit slot of its first cell; the writer
/// thread takes records in reservation order, frees their cells and serialises them with protobuf-net into a reused
/// record object. Neither side allocates in steady state (the writer grows its body scratch buffer only when a
/// larger body than any before arrives), and a sender never takes a lock.
/// </para>
/// <para>
/// The writer thread flushes the file whenever it has caught up, so the file on disk trails the run by little
/// more than the messages in flight through the buffer, and a run that dies still leaves a readable capture (one
/// without a trailer). On close it writes the trailer with the counts of written and dropped messages.
/// </para>
/// </remarks>
public sealed class TrafficCaptureWriter : ITrafficObserver, IDisposable, IAsyncDisposable
{
    private const int CellBytes = 64;
    private const int MinimumBufferBytes = 64 * 1024;

    // Set as the reservation counter once the writer stops: every later reservation sees a full buffer and drops.
    private const long Closed = long.MaxValue / 2;

    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(20);

    private readonly byte[] _arena;
    private readonly int[] _commit;
    private readonly int _cellMask;
    private readonly bool _includeBodies;
    private readonly Stream _file;
    private readonly BufferedStream _output;
    private readonly bool _leaveOpen;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CaptureMessageRecord _record = new();
    private byte[] _scratch = new byte[16 * 1024];

    private long _head;
    private long _tail;
    private long _dropped;
    private long _written;
    private int _idle;
    private int _stopping;
    private int _disposed;
    private Exception? _fault;

    /// <summary>Creates (or overwrites) the capture file at <paramref name="path"/>, creating its folder, and writes the header.</summary>
    public TrafficCaptureWriter(string path, TrafficCaptureOptions options)
        : this(OpenFile(path), options, leaveOpen: false)
    {
    }

    /// <summary>Writes a capture to <paramref name="destination"/>, starting with the header.</summary>
    /// <param name="destination">Where records go; written only by the writer's own thread after this constructor returns.</param>
    /// <param name="options">What the capture is of.</param>
    /// <param name="leaveOpen">Whether closing the capture leaves <paramref name="destination"/> open.</param>
    public TrafficCaptureWriter(Stream destination, TrafficCaptureOptions options, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BufferBytes);
        // One metadata cell per message holds the whole header: a field added to it must keep it at 64 bytes.
        Debug.Assert(Unsafe.SizeOf<CellHeader>() == CellBytes, "The capture cell header must fill exactly one cell.");
        var bytes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(options.BufferBytes, MinimumBufferBytes));
        _arena = GC.AllocateUninitializedArray<byte>(bytes);
        _commit = new int[bytes / CellBytes];
        _cellMask = _commit.Length - 1;
        _includeBodies = options.IncludeBodies;
        _file = destination;
        _leaveOpen = leaveOpen;
        _output = new BufferedStream(destination, 64 * 1024);
        Header = new TrafficCaptureHeader(CaptureRecords.FormatVersion, options.Scenario, options.StartedAt.ToUniversalTime(), options.Compression, options.IncludeBodies);
        Serializer.SerializeWithLengthPrefix(
            _output,
            new CaptureHeaderRecord
            {
                FormatVersion = CaptureRecords.FormatVersion,
                Scenario = options.Scenario,
                StartedAtUnixMicroseconds = ToUnixMicroseconds(options.StartedAt),
                Compression = options.Compression,
                IncludesBodies = options.IncludeBodies,
                Tool = "capacitysim " + (typeof(TrafficCaptureWriter).Assembly.GetName().Version?.ToString() ?? "?"),
            },
            PrefixStyle.Base128,
            CaptureRecords.HeaderField);
        _output.Flush();
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "capacitysim traffic capture" };
        _thread.Start();
    }

    /// <summary>What the header says.</summary>
    public TrafficCaptureHeader Header { get; }

    /// <summary>Messages dropped so far because the buffer was full (or the file could not be written).</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Messages written to the file so far.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Bytes of the in-memory buffer.</summary>
    public int BufferBytes => _arena.Length;

    /// <summary>Why the file could not be written, or null; once set, every further message is dropped.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>
    /// Copies one message (and its body, when bodies are kept) into the buffer and returns; drops and counts it when
    /// the buffer is full. Safe to call from any number of threads at once; allocates nothing and takes no lock.
    /// </summary>
    public void Observe(in TrafficEvent traffic, in ReadOnlySequence<byte> body)
    {
        var bodyLength = _includeBodies ? body.Length : 0;
        var cellCount = _commit.Length;
        if (bodyLength > (long)(cellCount - 1) * CellBytes)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        var cells = 1 + (int)((bodyLength + CellBytes - 1) / CellBytes);
        long head;
        while (true)
        {
            head = Volatile.Read(ref _head);
            if (head + cells - Volatile.Read(ref _tail) > cellCount)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }

            if (Interlocked.CompareExchange(ref _head, head + cells, head) == head)
            {
                break;
            }
        }

        var first = (int)(head & _cellMask);
        var cell = new CellHeader(in traffic, (int)bodyLength);
        MemoryMarshal.Write(_arena.AsSpan(first * CellBytes, CellBytes), in cell);
        if (bodyLength > 0)
        {
            CopyIn(in body, ((first + 1) & _cellMask) * CellBytes);
        }

        // A full fence, so that the writer thread, which sets _idle and then looks at this slot, cannot miss both.
        Interlocked.Exchange(ref _commit[first], cells);
        if (Volatile.Read(ref _idle) != 0 && Interlocked.Exchange(ref _idle, 0) != 0)
        {
            _wake.Set();
        }
    }

    /// <summary>Drains the buffer, writes the trailer and closes the file; throws when the file could not be written.</summary>
    /// <exception cref="IOException">Writing the capture failed; messages from then on were dropped.</exception>
    public void Close()
    {
        Dispose();
        if (Fault is { } fault)
        {
            throw new IOException($"The traffic capture could not be written: {fault.Message}", fault);
        }
    }

    /// <summary>Drains the buffer, writes the trailer and closes the file. A write failure is kept in <see cref="Fault"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Stop();
        _thread.Join();
        Release();
    }

    /// <summary>As <see cref="Dispose"/>, without blocking the calling thread while the buffer drains.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Stop();
        await _finished.Task.ConfigureAwait(false);
        Release();
    }

    private static FileStream OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    private static long ToUnixMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private void Stop()
    {
        Volatile.Write(ref _stopping, 1);
        _wake.Set();
    }

    private void Release()
    {
        _wake.Dispose();
        try
        {
            if (!_leaveOpen)
            {
                _output.Dispose();
                _file.Dispose();
            }
        }
        catch (IOException e)
        {
            _fault ??= e;
        }
    }

    private void CopyIn(in ReadOnlySequence<byte> body, int position)
    {
        if (body.IsSingleSegment)
        {
            CopyIn(body.FirstSpan, position);
            return;
        }

        foreach (var segment in body)
        {
            position = CopyIn(segment.Span, position);
        }
    }

    // Copies into the ring at a byte position, wrapping at its end; returns the position after the copy.
    private int CopyIn(ReadOnlySpan<byte> source, int position)
    {
        while (!source.IsEmpty)
        {
            var n = Math.Min(source.Length, _arena.Length - position);
            source[..n].CopyTo(_arena.AsSpan(position, n));
            source = source[n..];
            position += n;
            if (position == _arena.Length)
            {
                position = 0;
            }
        }

        return position;
    }

    private void CopyOut(int position, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var n = Math.Min(destination.Length, _arena.Length - position);
            _arena.AsSpan(position, n).CopyTo(destination);
            destination = destination[n..];
            position = position + n == _arena.Length ? 0 : position + n;
        }
    }

    private void WriteLoop()
    {
        try
        {
            var unflushed = false;
            while (true)
            {
                var tail = _tail;
                var first = (int)(tail & _cellMask);
                var cells = Volatile.Read(ref _commit[first]);
                if (cells != 0)
                {
                    WriteRecord(first);
                    _commit[first] = 0;
                    Volatile.Write(ref _tail, tail + cells);
                    Volatile.Write(ref _written, _written + 1);
                    unflushed = true;
                    continue;
                }

                if (Volatile.Read(ref _stopping) != 0)
                {
                    // Done once nothing is reserved beyond what was written; closing the counter in the same step
                    // makes any later message a counted drop instead of a record nobody writes.
                    if (Interlocked.CompareExchange(ref _head, Closed, tail) == tail)
                    {
                        break;
                    }

                    // A sender reserved cells and is still copying: its record is moments away.
                    Thread.SpinWait(20);
                    continue;
                }

                if (unflushed)
                {
                    _output.Flush();
                    unflushed = false;
                    continue;
                }

                _wake.Reset();
                Interlocked.Exchange(ref _idle, 1);
                if (Volatile.Read(ref _commit[first]) == 0 && Volatile.Read(ref _stopping) == 0)
                {
                    _wake.Wait(IdleWait);
                }

                Volatile.Write(ref _idle, 0);
            }

            Serializer.SerializeWithLengthPrefix(
                _output,
                new CaptureTrailerRecord { Records = _written, Dropped = Dropped, ClosedAtUnixMicroseconds = ToUnixMicroseconds(DateTimeOffset.UtcNow) },
                PrefixStyle.Base128,
                CaptureRecords.TrailerField);
            _output.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException or NotSupportedException)
        {
            // The file is gone or full: record why and drop from now on, rather than fill memory or stop the run.
            Volatile.Write(ref _fault, e);
            Interlocked.Exchange(ref _head, Closed);
        }
        finally
        {
            _finished.TrySetResult();
        }
    }

    private void WriteRecord(int first)
    {
        var cell = MemoryMarshal.Read<CellHeader>(_arena.AsSpan(first * CellBytes, CellBytes));
        var record = _record;
        record.Kind = cell.Kind;
        record.AtMicroseconds = cell.AtMicroseconds;
        record.Originator = cell.Originator;
        record.Target = cell.Target;
        record.Counter = cell.Counter;
        record.Srv = ((uint)cell.SrvMajor << 16) | ((uint)cell.SrvMinor << 8) | cell.SrvSub;
        record.CodeKind = cell.CodeKind;
        record.CodeNumber = cell.CodeNumber;
        record.AlertCode = cell.AlertCode;
        record.IsDccAlert = cell.IsDccAlert != 0;
        record.LatencyMicroseconds = cell.LatencyMicroseconds;
        record.Bytes = cell.Bytes;
        record.Detail = cell.Detail;
        if (cell.BodyLength > 0)
        {
            if (_scratch.Length < cell.BodyLength)
            {
                _scratch = new byte[(int)BitOperations.RoundUpToPowerOf2((uint)cell.BodyLength)];
            }

            CopyOut(((first + 1) & _cellMask) * CellBytes, _scratch.AsSpan(0, cell.BodyLength));
            record.Body = _scratch.AsMemory(0, cell.BodyLength);
        }
        else
        {
            record.Body = ReadOnlyMemory<byte>.Empty;
        }

        Serializer.SerializeWithLengthPrefix(_output, record, PrefixStyle.Base128, CaptureRecords.MessageField);
    }

    /// <summary>A message's metadata as it sits in the first cell of its record: exactly one 64-byte cell, no padding.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private readonly struct CellHeader
    {
        public readonly long AtMicroseconds;
        public readonly ulong Originator;
        public readonly ulong Target;
        public readonly ulong Counter;
        public readonly long LatencyMicroseconds;
        public readonly int BodyLength;
        public readonly int Bytes;
        public readonly int Detail;
        public readonly uint CodeNumber;
        public readonly ushort AlertCode;
        public readonly byte Kind;
        public readonly byte IsDccAlert;
        public readonly byte SrvMajor;
        public readonly byte SrvMinor;
        public readonly byte SrvSub;
        public readonly byte CodeKind;

        public CellHeader(in TrafficEvent traffic, int bodyLength)
        {
            AtMicroseconds = traffic.AtMicroseconds;
            Originator = traffic.RequestId.Originator.Value;
            Target = traffic.RequestId.Target.Value;
            Counter = traffic.RequestId.Counter;
            LatencyMicroseconds = traffic.LatencyMicroseconds;
            BodyLength = bodyLength;
            Bytes = traffic.Bytes;
            Detail = traffic.Detail;
            CodeNumber = traffic.Code.Number;
            AlertCode = traffic.AlertCode;
            Kind = (byte)traffic.Kind;
            IsDccAlert = traffic.IsDccAlert ? (byte)1 : (byte)0;
            SrvMajor = traffic.Srv.Major;
            SrvMinor = traffic.Srv.Minor;
            SrvSub = traffic.Srv.Sub;
            CodeKind = (byte)traffic.Code.Kind;
        }
    }

    internal static TrafficEvent ToEvent(CaptureMessageRecord record) => new(
        (TrafficEventKind)record.Kind,
        record.AtMicroseconds,
        new RequestId(new Eui64(record.Originator), new Eui64(record.Target), record.Counter),
        new ServiceReferenceVariant((byte)(record.Srv >> 16), (byte)(record.Srv >> 8), (byte)record.Srv),
        new ResponseCode((ResponseCodeKind)record.CodeKind, record.CodeNumber),
        (ushort)record.AlertCode,
        record.IsDccAlert,
        record.LatencyMicroseconds,
        record.Bytes,
        record.Detail);
}
