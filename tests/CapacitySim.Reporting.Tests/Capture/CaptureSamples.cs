using System.Buffers;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Engine;
using CapacitySim.Reporting.Capture;

namespace CapacitySim.Reporting.Tests.Capture;

/// <summary>Traffic built from the shared DUIS request samples: a run's sends, answers and alerts.</summary>
internal static class CaptureSamples
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<byte[][]> LazyRequests = new(() =>
    [
        .. Directory.GetFiles(SharedDuis.SignedSamples).Order(StringComparer.Ordinal).Select(File.ReadAllBytes),
    ]);

    /// <summary>The signed sample requests (real DUIS requests of CV 1, 4-style, 8…).</summary>
    public static byte[][] Requests => LazyRequests.Value;

    public static TrafficCaptureOptions Options(bool bodies, int bufferBytes = 16 * 1024 * 1024) => new()
    {
        Scenario = "capture-test",
        StartedAt = Start,
        Compression = 10,
        IncludeBodies = bodies,
        BufferBytes = bufferBytes,
    };

    /// <summary>
    /// <paramref name="count"/> messages: each request sent, its synchronous answer, its delivered response, and
    /// now and then an alert or a failed send; times rise by 1 ms per message.
    /// </summary>
    public static List<(TrafficEvent Event, byte[] Body)> Traffic(int count)
    {
        var traffic = new List<(TrafficEvent, byte[])>(count);
        for (var i = 0; i < count; i++)
        {
            var body = Requests[i % Requests.Length];
            Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(body, out var header));
            var at = 1_000L * i;
            var id = new RequestId(header.RequestId.Originator, header.RequestId.Target, header.RequestId.Counter + (ulong)i);
            var srv = header.ServiceReferenceVariant;
            traffic.Add((i % 7) switch
            {
                0 or 3 => (new TrafficEvent(TrafficEventKind.RequestSent, at, id, srv, default, 0, false, 0, body.Length, 0), body),
                1 or 4 => (new TrafficEvent(TrafficEventKind.SynchronousResponse, at, id, srv, ResponseCode.Acknowledged, 0, false, 800 + i, 600, 0), body),
                2 => (new TrafficEvent(TrafficEventKind.DeliveredResponse, at, id, srv, ResponseCode.Success, 0, false, 40_000 + (37 * i), 1_900, 0), body),
                5 => (new TrafficEvent(TrafficEventKind.Alert, at, id, default, default, 0x8F35, false, 2_000, 1_200, 0), body),
                _ => (new TrafficEvent(TrafficEventKind.SendFailed, at, id, srv, new ResponseCode(ResponseCodeKind.Error, 0), 0, false, 0, body.Length, 3), body),
            });
        }

        return traffic;
    }

    /// <summary>The body as a pipe hands it over: in three segments.</summary>
    public static ReadOnlySequence<byte> ThreeSegments(byte[] body)
        => Segments.Split(body, body.Length / 3, 2 * (body.Length / 3));

    /// <summary>Writes <paramref name="traffic"/> to a capture in memory and returns the file's bytes.</summary>
    public static byte[] Capture(List<(TrafficEvent Event, byte[] Body)> traffic, bool bodies)
    {
        using var file = new MemoryStream();
        using (var writer = new TrafficCaptureWriter(file, Options(bodies), leaveOpen: true))
        {
            for (var i = 0; i < traffic.Count; i++)
            {
                var (e, body) = traffic[i];
                var sequence = i % 2 == 0 ? new ReadOnlySequence<byte>(body) : ThreeSegments(body);
                writer.Observe(in e, in sequence);
            }

            writer.Close();
            Assert.Equal(0, writer.Dropped);
        }

        return file.ToArray();
    }

    /// <summary>Byte offsets where each record starts, found by walking the length-delimited framing independently.</summary>
    public static List<long> RecordOffsets(byte[] file)
    {
        var offsets = new List<long>();
        var position = 0;
        while (position < file.Length)
        {
            offsets.Add(position);
            _ = Varint(file, ref position);
            var length = Varint(file, ref position);
            position += (int)length;
        }

        return offsets;
    }

    private static ulong Varint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
