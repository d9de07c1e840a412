using CapacitySim.Load.Engine;

namespace CapacitySim.Reporting.Capture;

/// <summary>What a <see cref="TrafficCaptureWriter"/> records about its run.</summary>
public sealed class TrafficCaptureOptions
{
    /// <summary>Scenario name, written in the header.</summary>
    public required string Scenario { get; init; }

    /// <summary>The run start: the zero of every message's <see cref="TrafficEvent.AtMicroseconds"/>.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Time compression of the run (1 = real time); message times and latencies are wall-clock.</summary>
    public double Compression { get; init; } = 1;

    /// <summary>Whether each message's body is kept (needed by <c>capacitysim replay</c>); metadata only otherwise.</summary>
    public bool IncludeBodies { get; init; }

    /// <summary>
    /// Bytes of the in-memory buffer between the run's threads and the file writer (rounded up to a power of two,
    /// 64 KiB at least). A message takes 64 bytes plus its body rounded up to 64; when the buffer is full a message is
    /// dropped and counted, never waited for. Default 16 MiB.
    /// </summary>
    public int BufferBytes { get; init; } = 16 * 1024 * 1024;
}

/// <summary>The header of a capture file.</summary>
/// <param name="FormatVersion">Version of the record layout.</param>
/// <param name="Scenario">Scenario name.</param>
/// <param name="StartedAt">Run start, the zero of message times (UTC).</param>
/// <param name="Compression">Time compression of the run.</param>
/// <param name="IncludesBodies">Whether messages carry their bodies.</param>
public sealed record TrafficCaptureHeader(int FormatVersion, string Scenario, DateTimeOffset StartedAt, double Compression, bool IncludesBodies);

/// <summary>The trailer of a cleanly closed capture.</summary>
/// <param name="Records">Messages written.</param>
/// <param name="Dropped">Messages dropped because the buffer was full (or the file could not be written).</param>
/// <param name="ClosedAt">When the capture was closed (UTC).</param>
public sealed record TrafficCaptureTrailer(long Records, long Dropped, DateTimeOffset ClosedAt);

/// <summary>One captured message.</summary>
/// <param name="Event">The message's metadata, as the run observed it.</param>
/// <param name="Body">Its body; empty when the capture has no bodies.</param>
public sealed record CapturedMessage(TrafficEvent Event, ReadOnlyMemory<byte> Body);

/// <summary>A capture file that is truncated or corrupt, with where: the record's number (the header is 1) and byte offset.</summary>
public sealed class TrafficCaptureFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrafficCaptureFormatException(string file, long recordNumber, long byteOffset, string problem, Exception? inner = null)
        : base($"{file}: record {recordNumber} at byte offset {byteOffset}: {problem}", inner)
    {
        File = file;
        RecordNumber = recordNumber;
        ByteOffset = byteOffset;
    }

    /// <summary>Creates the exception.</summary>
    public TrafficCaptureFormatException()
        : this("capture", 0, 0, "corrupt")
    {
    }

    /// <summary>Creates the exception.</summary>
    public TrafficCaptureFormatException(string message)
        : base(message)
    {
        File = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public TrafficCaptureFormatException(string message, Exception inner)
        : base(message, inner)
    {
        File = string.Empty;
    }

    /// <summary>The file (or stream name).</summary>
    public string File { get; }

    /// <summary>Number of the bad record, from 1 (the header).</summary>
    public long RecordNumber { get; }

    /// <summary>Byte offset where the bad record starts.</summary>
    public long ByteOffset { get; }
}
