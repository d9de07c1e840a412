using CapacitySim.Load.Engine;
using CapacitySim.Reporting.Capture;

namespace CapacitySim.Reporting.Tests.Capture;

public sealed class CaptureStatisticsTests
{
    [Fact]
    public void Statistics_count_kinds_codes_srvs_and_latencies_of_the_capture()
    {
        var traffic = CaptureSamples.Traffic(70);
        using var reader = new TrafficCaptureReader(new MemoryStream(CaptureSamples.Capture(traffic, bodies: false)), "capture.pb");

        var stats = CaptureStatistics.Compute(reader);

        Assert.Equal(70, stats.Messages);
        Assert.Equal(0, stats.FirstMicroseconds);
        Assert.Equal(69_000, stats.LastMicroseconds);
        Assert.Equal(20, stats.ByKind[TrafficEventKind.RequestSent].Count);
        Assert.Equal(traffic.Where(t => t.Event.Kind == TrafficEventKind.RequestSent).Sum(t => (long)t.Event.Bytes), stats.ByKind[TrafficEventKind.RequestSent].Bytes);
        Assert.Equal((20, 0), stats.ByResponseCode["I99"]);
        Assert.Equal((0, 10), stats.ByResponseCode["I0"]);
        Assert.Equal((10, 0), stats.ByResponseCode["failed to send"]);
        Assert.Equal(10, stats.AlertsByCode["8F35"]);
        var expectedBySrv = traffic.Where(t => t.Event.Kind == TrafficEventKind.RequestSent)
            .GroupBy(t => t.Event.Srv.ToString()).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expectedBySrv.OrderBy(p => p.Key, StringComparer.Ordinal), stats.RequestsBySrv);
        Assert.Equal(0, stats.Trailer!.Dropped);

        // Delivered latencies of one SRV, in ms of scenario time (×10): the largest recorded is the max.
        var delivered = traffic.Where(t => t.Event.Kind == TrafficEventKind.DeliveredResponse).GroupBy(t => t.Event.Srv.ToString()).First();
        var max = delivered.Max(t => t.Event.LatencyMicroseconds) * 10 / 1000.0;
        Assert.InRange(stats.LatencyMilliseconds(delivered.Key, delivered: true, 100)!.Value, max * 0.99, max * 1.01);
        Assert.Null(stats.LatencyMilliseconds("99.9", delivered: true, 50));
    }

    [Fact]
    public void The_printed_summary_gives_span_kinds_codes_and_drops()
    {
        var traffic = CaptureSamples.Traffic(70);
        using var reader = new TrafficCaptureReader(new MemoryStream(CaptureSamples.Capture(traffic, bodies: true)), "capture.pb");
        using var output = new StringWriter();

        CaptureStatistics.Compute(reader).Write(output, "capture.pb");

        var text = output.ToString();
        Assert.Contains("capture capture.pb: scenario capture-test", text, StringComparison.Ordinal);
        Assert.Contains("messages: 70, from 0.000 s to 0.069 s of the run (0.069 s wall-clock, 0.69 s of scenario time)", text, StringComparison.Ordinal);
        Assert.Contains("dropped: 0", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  RequestSent\s+20\s+\d+\r?$", text);
        Assert.Matches(@"(?m)^  I99\s+20\s+0\r?$", text);
        Assert.Matches(@"(?m)^  8F35\s+10\r?$", text);
    }
}
