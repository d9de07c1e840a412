using ProtoBuf;

namespace CapacitySim.Reporting.Capture;

/// <summary>
/// Reads a traffic capture written by <see cref="TrafficCaptureWriter"/>: the header on opening, then the messages
/// in file order, then the trailer (absent when the run did not close the capture). A truncated or corrupt file
/// raises <see cref="TrafficCaptureFormatException"/> naming the record and its byte offset.
/// </summary>
/// <remarks>
/// The framing (varint tag with the record's field number and wire type 2, varint length) is read here rather than
/// by protobuf-net, so that the reader always knows the exact byte offset of each record and can tell a truncated
/// record from a clean end of file; the records themselves are decoded by protobuf-net.
/// </remarks>
public sealed class TrafficCaptureReader : IDisposable
{
    // No real record comes near this; a larger length means the framing is corrupt, not that a huge record follows.
    private const int MaxRecordBytes = 256 * 1024 * 1024;

    private readonly Stream _stream;
    private readonly string _name;
    private readonly bool _leaveOpen;
    private byte[] _buffer = new byte[64 * 1024];
    private long _position;
    private long _recordNumber;
    private bool _reading;

    /// <summary>Reads a capture from <paramref name="source"/>; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="TrafficCaptureFormatException">The stream does not start with a capture header.</exception>
    public TrafficCaptureReader(Stream source, string name, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        _stream = source;
        _name = name;
        _leaveOpen = leaveOpen;
        if (!TryReadFrame(out var field, out var length, out var offset))
        {
            throw new TrafficCaptureFormatException(_name, 1, 0, "the file is empty: not a CapacitySim traffic capture");
        }

        if (field != CaptureRecords.HeaderField)
        {
            throw new TrafficCaptureFormatException(_name, 1, offset, "not a CapacitySim traffic capture (the first record is not a capture header)");
        }

        var header = Decode<CaptureHeaderRecord>(length, offset);
        if (header.FormatVersion is < 1 or > CaptureRecords.FormatVersion)
        {
            throw new TrafficCaptureFormatException(_name, 1, offset, $"capture format version {header.FormatVersion} is not supported (this build reads version {CaptureRecords.FormatVersion})");
        }

        Header = new TrafficCaptureHeader(
            header.FormatVersion,
            header.Scenario,
            DateTimeOffset.UnixEpoch.AddTicks(header.StartedAtUnixMicroseconds * 10),
            header.Compression,
            header.IncludesBodies);
    }

    /// <summary>The capture's header.</summary>
    public TrafficCaptureHeader Header { get; }

    /// <summary>The trailer, once <see cref="ReadMessages"/> reached it; null before, or when the capture was not closed cleanly.</summary>
    public TrafficCaptureTrailer? Trailer { get; private set; }

    /// <summary>Whether the end of the file was reached.</summary>
    public bool Completed { get; private set; }

    /// <summary>Opens the capture file at <paramref name="path"/>.</summary>
    /// <exception cref="TrafficCaptureFormatException">The file is not a capture.</exception>
    public static TrafficCaptureReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 64 * 1024);
        try
        {
            return new TrafficCaptureReader(stream, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The messages in file order; can be enumerated once.</summary>
    /// <exception cref="TrafficCaptureFormatException">A record is truncated or corrupt (thrown while enumerating).</exception>
    public IEnumerable<CapturedMessage> ReadMessages()
    {
        if (_reading)
        {
            throw new InvalidOperationException("A capture's messages can be read once.");
        }

        _reading = true;
        return Messages();
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private IEnumerable<CapturedMessage> Messages()
    {
        while (TryReadFrame(out var field, out var length, out var offset))
        {
            switch (field)
            {
                case CaptureRecords.MessageField:
                    var record = Decode<CaptureMessageRecord>(length, offset);
                    yield return new CapturedMessage(TrafficCaptureWriter.ToEvent(record), record.Body.IsEmpty ? ReadOnlyMemory<byte>.Empty : record.Body.ToArray());
                    break;
                case CaptureRecords.TrailerField:
                    var trailer = Decode<CaptureTrailerRecord>(length, offset);
                    Trailer = new TrafficCaptureTrailer(trailer.Records, trailer.Dropped, DateTimeOffset.UnixEpoch.AddTicks(trailer.ClosedAtUnixMicroseconds * 10));
                    break;
                case CaptureRecords.HeaderField:
                    throw new TrafficCaptureFormatException(_name, _recordNumber, offset, "a second capture header (two captures joined together?)");
                default:
                    // A record kind of a later format version: its length is known, so it is skipped.
                    break;
            }
        }

        Completed = true;
    }

    private T Decode<T>(int length, long offset)
    {
        try
        {
            return Serializer.Deserialize<T>(new ReadOnlyMemory<byte>(_buffer, 0, length));
        }
        catch (Exception e) when (e is ProtoException or EndOfStreamException or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new TrafficCaptureFormatException(_name, _recordNumber, offset, $"the record does not decode: {e.Message}", e);
        }
    }

    // Reads one record's framing and its bytes into _buffer; false at a clean end of file (between records).
    private bool TryReadFrame(out int field, out int length, out long offset)
    {
        offset = _position;
        field = 0;
        length = 0;
        var first = _stream.ReadByte();
        if (first < 0)
        {
            return false;
        }

        _recordNumber++;
        _position++;
        var tag = ReadVarint(first, offset, "tag");
        if ((tag & 7) != 2 || tag >> 3 == 0)
        {
            throw new TrafficCaptureFormatException(_name, _recordNumber, offset, $"not a length-delimited record (tag {tag}): the file is corrupt here");
        }

        field = (int)(tag >> 3);
        var lengthFirst = _stream.ReadByte();
        if (lengthFirst >= 0)
        {
            _position++;
        }

        var announced = ReadVarint(lengthFirst, offset, "length");
        if (announced > MaxRecordBytes)
        {
            throw new TrafficCaptureFormatException(_name, _recordNumber, offset, $"announces {announced} bytes, more than any record holds: the file is corrupt here");
        }

        length = (int)announced;
        if (_buffer.Length < length)
        {
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        }

        var got = _stream.ReadAtLeast(_buffer.AsSpan(0, length), length, throwOnEndOfStream: false);
        _position += got;
        if (got < length)
        {
            throw new TrafficCaptureFormatException(_name, _recordNumber, offset, $"truncated: {length} bytes announced, {got} present before the end of the file");
        }

        return true;
    }

    // first: the varint's first byte, already read and counted in _position (or -1 at the end of the file).
    private ulong ReadVarint(int first, long offset, string what)
    {
        ulong value = 0;
        var b = first;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (b < 0)
            {
                throw new TrafficCaptureFormatException(_name, _recordNumber, offset, $"truncated: the file ends inside the record's {what}");
            }

            if (shift > 0)
            {
                _position++;
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }

            b = _stream.ReadByte();
        }

        throw new TrafficCaptureFormatException(_name, _recordNumber, offset, $"the record's {what} is not a valid varint: the file is corrupt here");
    }
}
