using ProtoBuf;

namespace CapacitySim.Reporting.Capture;

/// <summary>
/// The protobuf records of a traffic capture file. The file is a sequence of records, each written by protobuf-net's
/// <c>SerializeWithLengthPrefix</c> with <c>PrefixStyle.Base128</c>: a varint tag whose field number says which
/// record follows (<see cref="HeaderField"/>, <see cref="MessageField"/>, <see cref="TrailerField"/>) with wire type 2,
/// a varint length, then the record. The first record is the header; the last, when the capture was closed cleanly,
/// the trailer. A reader skips records of field numbers it does not know, so later versions can add record kinds.
/// </summary>
internal static class CaptureRecords
{
    public const int HeaderField = 1;
    public const int MessageField = 2;
    public const int TrailerField = 3;

    /// <summary>Version of the record layout below; raised only when a field changes meaning or disappears.</summary>
    public const int FormatVersion = 1;
}

/// <summary>First record: what the capture is of.</summary>
[ProtoContract]
internal sealed class CaptureHeaderRecord
{
    [ProtoMember(1)]
    public int FormatVersion { get; set; }

    [ProtoMember(2)]
    public string Scenario { get; set; } = string.Empty;

    /// <summary>Run start (the zero of every message's time), microseconds since the Unix epoch, UTC.</summary>
    [ProtoMember(3)]
    public long StartedAtUnixMicroseconds { get; set; }

    [ProtoMember(4)]
    public double Compression { get; set; }

    [ProtoMember(5)]
    public bool IncludesBodies { get; set; }

    [ProtoMember(6)]
    public string Tool { get; set; } = string.Empty;
}

/// <summary>One message: the fields of a <c>TrafficEvent</c>, and its body when the capture keeps bodies.</summary>
[ProtoContract]
internal sealed class CaptureMessageRecord
{
    [ProtoMember(1)]
    public int Kind { get; set; }

    [ProtoMember(2)]
    public long AtMicroseconds { get; set; }

    [ProtoMember(3, DataFormat = DataFormat.FixedSize)]
    public ulong Originator { get; set; }

    [ProtoMember(4, DataFormat = DataFormat.FixedSize)]
    public ulong Target { get; set; }

    [ProtoMember(5)]
    public ulong Counter { get; set; }

    /// <summary>Service Reference Variant as major &lt;&lt; 16 | minor &lt;&lt; 8 | sub.</summary>
    [ProtoMember(6)]
    public uint Srv { get; set; }

    /// <summary>Response code letter (<c>'I'</c>, <c>'E'</c>, <c>'W'</c>) or 0.</summary>
    [ProtoMember(7)]
    public uint CodeKind { get; set; }

    [ProtoMember(8)]
    public uint CodeNumber { get; set; }

    [ProtoMember(9)]
    public uint AlertCode { get; set; }

    [ProtoMember(10)]
    public bool IsDccAlert { get; set; }

    [ProtoMember(11)]
    public long LatencyMicroseconds { get; set; }

    [ProtoMember(12)]
    public int Bytes { get; set; }

    [ProtoMember(13)]
    public int Detail { get; set; }

    [ProtoMember(14)]
    public ReadOnlyMemory<byte> Body { get; set; }
}

/// <summary>Last record of a cleanly closed capture.</summary>
[ProtoContract]
internal sealed class CaptureTrailerRecord
{
    [ProtoMember(1)]
    public long Records { get; set; }

    [ProtoMember(2)]
    public long Dropped { get; set; }

    [ProtoMember(3)]
    public long ClosedAtUnixMicroseconds { get; set; }
}
