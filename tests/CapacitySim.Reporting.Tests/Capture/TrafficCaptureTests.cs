using System.Buffers;
using CapacitySim.Load.Engine;
using CapacitySim.Reporting.Capture;

namespace CapacitySim.Reporting.Tests.Capture;

public sealed class TrafficCaptureTests
{
    [Fact]
    public void A_capture_with_bodies_reads_back_every_message_and_body_in_order()
    {
        var traffic = CaptureSamples.Traffic(300);

        var bytes = CaptureSamples.Capture(traffic, bodies: true);

        using var reader = new TrafficCaptureReader(new MemoryStream(bytes), "capture.pb");
        Assert.Equal(new TrafficCaptureHeader(1, "capture-test", CaptureSamples.Start, 10, true), reader.Header);
        var messages = reader.ReadMessages().ToList();
        Assert.Equal(traffic.Count, messages.Count);
        for (var i = 0; i < traffic.Count; i++)
        {
            Assert.Equal(traffic[i].Event, messages[i].Event);
            Assert.True(traffic[i].Body.AsSpan().SequenceEqual(messages[i].Body.Span), $"body of message {i} differs");
        }

        Assert.True(reader.Completed);
        Assert.NotNull(reader.Trailer);
        Assert.Equal(300, reader.Trailer.Records);
        Assert.Equal(0, reader.Trailer.Dropped);
    }

    [Fact]
    public void A_capture_without_bodies_keeps_the_metadata_only()
    {
        var traffic = CaptureSamples.Traffic(300);

        var bytes = CaptureSamples.Capture(traffic, bodies: false);

        using var reader = new TrafficCaptureReader(new MemoryStream(bytes), "capture.pb");
        Assert.False(reader.Header.IncludesBodies);
        var messages = reader.ReadMessages().ToList();
        Assert.Equal(traffic.Select(t => t.Event), messages.Select(m => m.Event));
        Assert.All(messages, m => Assert.True(m.Body.IsEmpty));

        // Metadata alone is a small fraction of the bodies' size.
        Assert.True(bytes.Length < traffic.Sum(t => t.Body.Length) / 10, $"{bytes.Length} bytes");
    }

    [Fact]
    public void A_full_buffer_drops_and_counts_instead_of_blocking_the_sender()
    {
        var traffic = CaptureSamples.Traffic(400);
        using var file = new StallingStream();
        var writer = new TrafficCaptureWriter(file, CaptureSamples.Options(bodies: true, bufferBytes: 64 * 1024), leaveOpen: true);

        // The disk stalls: the writer thread is stuck in its first flush, so the buffer fills and stays full.
        file.Stall();
        foreach (var (e, body) in traffic)
        {
            writer.Observe(in e, new ReadOnlySequence<byte>(body));
        }

        var dropped = writer.Dropped;
        Assert.True(dropped > 0, "nothing was dropped");
        file.Resume();
        writer.Close();

        Assert.Equal(dropped, writer.Dropped);
        Assert.Equal(traffic.Count, writer.Written + writer.Dropped);
        using var reader = new TrafficCaptureReader(new MemoryStream(file.ToArray()), "stalled.pb");
        var messages = reader.ReadMessages().ToList();
        Assert.Equal(writer.Written, messages.Count);
        Assert.Equal(dropped, reader.Trailer!.Dropped);
        Assert.Equal(writer.Written, reader.Trailer.Records);

        // What was kept is in the order it was sent (a small message may still fit where a larger one did not).
        var next = 0;
        foreach (var message in messages)
        {
            while (next < traffic.Count && traffic[next].Event != message.Event)
            {
                next++;
            }

            Assert.True(next < traffic.Count, $"message {message.Event} was not sent, or not in this order");
            next++;
        }
    }

    [Fact]
    public void A_truncated_capture_names_the_record_and_its_byte_offset()
    {
        var bytes = CaptureSamples.Capture(CaptureSamples.Traffic(50), bodies: true);
        var offsets = CaptureSamples.RecordOffsets(bytes);
        Assert.Equal(1 + 50 + 1, offsets.Count);

        // Cut inside the 21st message: record 22, after the header.
        var cut = bytes.AsSpan(0, (int)offsets[21] + 40).ToArray();
        using var reader = new TrafficCaptureReader(new MemoryStream(cut), "cut.pb");
        var read = 0;
        var error = Assert.Throws<TrafficCaptureFormatException>(() =>
        {
            foreach (var unused in reader.ReadMessages())
            {
                read++;
            }
        });

        Assert.Equal(20, read);
        Assert.Equal(22, error.RecordNumber);
        Assert.Equal(offsets[21], error.ByteOffset);
        Assert.Contains($"cut.pb: record 22 at byte offset {offsets[21]}: truncated", error.Message, StringComparison.Ordinal);
        Assert.Null(reader.Trailer);
    }

    [Fact]
    public void A_capture_cut_between_records_reads_without_a_trailer()
    {
        var bytes = CaptureSamples.Capture(CaptureSamples.Traffic(50), bodies: false);
        var offsets = CaptureSamples.RecordOffsets(bytes);

        using var reader = new TrafficCaptureReader(new MemoryStream(bytes.AsSpan(0, (int)offsets[^1]).ToArray()), "unclosed.pb");

        Assert.Equal(50, reader.ReadMessages().Count());
        Assert.True(reader.Completed);
        Assert.Null(reader.Trailer);
    }

    [Fact]
    public void Corrupt_framing_names_the_record()
    {
        var bytes = CaptureSamples.Capture(CaptureSamples.Traffic(10), bodies: false);
        var offsets = CaptureSamples.RecordOffsets(bytes);
        bytes[offsets[5]] = 0x08; // field 1 as a varint: not a length-delimited record

        using var reader = new TrafficCaptureReader(new MemoryStream(bytes), "corrupt.pb");
        var error = Assert.Throws<TrafficCaptureFormatException>(() => reader.ReadMessages().Count());

        Assert.Equal(6, error.RecordNumber);
        Assert.Equal(offsets[5], error.ByteOffset);
    }

    [Fact]
    public void A_file_that_is_not_a_capture_is_refused_at_once()
    {
        var error = Assert.Throws<TrafficCaptureFormatException>(() => new TrafficCaptureReader(new MemoryStream("<?xml version=\"1.0\"?>"u8.ToArray()), "summary.xml"));
        Assert.Equal(1, error.RecordNumber);
        Assert.Contains("summary.xml: record 1 at byte offset 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_larger_than_the_buffer_is_dropped_not_written_in_part()
    {
        using var file = new MemoryStream();
        var writer = new TrafficCaptureWriter(file, CaptureSamples.Options(bodies: true, bufferBytes: 64 * 1024), leaveOpen: true);
        var huge = new byte[128 * 1024];
        var e = new TrafficEvent(TrafficEventKind.RequestSent, 5, default, default, default, 0, false, 0, huge.Length, 0);

        writer.Observe(in e, new ReadOnlySequence<byte>(huge));
        writer.Close();

        Assert.Equal(1, writer.Dropped);
        Assert.Equal(0, writer.Written);
    }

    /// <summary>A file whose writes can be held, as a stalled disk holds them.</summary>
    private sealed class StallingStream : MemoryStream
    {
        private readonly ManualResetEventSlim _open = new(true);

        public void Stall() => _open.Reset();

        public void Resume() => _open.Set();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _open.Wait();
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _open.Wait();
            base.Write(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _open.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
