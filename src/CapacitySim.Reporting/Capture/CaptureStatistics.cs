using System.Globalization;
using CapacitySim.Load.Engine;
using HdrHistogram;

namespace CapacitySim.Reporting.Capture;

/// <summary>
/// The summary of one capture that <c>capacitysim capture-stats</c> prints: time span, messages and bytes by kind,
/// requests by SRV, answers by response code, latency percentiles per SRV, and dropped records.
/// </summary>
public sealed class CaptureStatistics
{
    // Latencies are wall-clock microseconds; a day covers any DUIS deadline at any compression.
    private const long HighestLatencyMicroseconds = 86_400_000_000;

    private readonly SortedDictionary<TrafficEventKind, (long Count, long Bytes)> _byKind = [];
    private readonly SortedDictionary<string, long> _requestsBySrv = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (long Synchronous, long Delivered)> _byCode = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _alertsByCode = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (LongHistogram Synchronous, LongHistogram Delivered)> _latencyBySrv = new(StringComparer.Ordinal);

    private CaptureStatistics(TrafficCaptureHeader header) => Header = header;

    /// <summary>The capture's header.</summary>
    public TrafficCaptureHeader Header { get; }

    /// <summary>The trailer, or null when the capture was not closed cleanly.</summary>
    public TrafficCaptureTrailer? Trailer { get; private set; }

    /// <summary>Messages read.</summary>
    public long Messages { get; private set; }

    /// <summary>Time of the first message, wall-clock microseconds since the run start.</summary>
    public long FirstMicroseconds { get; private set; }

    /// <summary>Time of the last message.</summary>
    public long LastMicroseconds { get; private set; }

    /// <summary>Message and body bytes by kind.</summary>
    public IReadOnlyDictionary<TrafficEventKind, (long Count, long Bytes)> ByKind => _byKind;

    /// <summary>Requests sent by SRV.</summary>
    public IReadOnlyDictionary<string, long> RequestsBySrv => _requestsBySrv;

    /// <summary>Synchronous answers and delivered responses by response code.</summary>
    public IReadOnlyDictionary<string, (long Synchronous, long Delivered)> ByResponseCode => _byCode;

    /// <summary>Alerts by code (<c>8F35</c>, <c>N24</c>).</summary>
    public IReadOnlyDictionary<string, long> AlertsByCode => _alertsByCode;

    /// <summary>Reads every message of <paramref name="reader"/>.</summary>
    /// <exception cref="TrafficCaptureFormatException">The capture is truncated or corrupt.</exception>
    public static CaptureStatistics Compute(TrafficCaptureReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stats = new CaptureStatistics(reader.Header);
        foreach (var message in reader.ReadMessages())
        {
            stats.Add(message.Event);
        }

        stats.Trailer = reader.Trailer;
        return stats;
    }

    /// <summary>Latency percentile of one SRV's answers in ms of scenario time, or null when it has none.</summary>
    /// <param name="srv">The SRV (<c>4.1.1</c>).</param>
    /// <param name="delivered">True for delivered (final) responses, false for synchronous answers.</param>
    /// <param name="percentile">0…100.</param>
    public double? LatencyMilliseconds(string srv, bool delivered, double percentile)
    {
        if (!_latencyBySrv.TryGetValue(srv, out var pair))
        {
            return null;
        }

        var histogram = delivered ? pair.Delivered : pair.Synchronous;
        return histogram.TotalCount == 0 ? null : histogram.GetValueAtPercentile(percentile) * Header.Compression / 1000.0;
    }

    /// <summary>Writes the summary as text.</summary>
    public void Write(TextWriter output, string file)
    {
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"capture {file}: scenario {Header.Scenario}, started {Header.StartedAt.ToString("u", c)}, compression ×{Header.Compression.ToString("0.###", c)}, {(Header.IncludesBodies ? "with bodies" : "metadata only")}");
        var span = (LastMicroseconds - FirstMicroseconds) / 1e6;
        output.WriteLine(string.Create(c, $"messages: {Messages}, from {FirstMicroseconds / 1e6:0.000} s to {LastMicroseconds / 1e6:0.000} s of the run ({span:0.000} s wall-clock, {span * Header.Compression:0.###} s of scenario time)"));
        output.WriteLine(Trailer is { } t
            ? string.Create(c, $"dropped: {t.Dropped} (capture buffer full){(t.Records != Messages ? $"; trailer counts {t.Records} written" : string.Empty)}")
            : "dropped: unknown (no trailer: the capture was not closed cleanly)");
        output.WriteLine();
        output.WriteLine("by kind:               messages        bytes");
        foreach (var (kind, (count, bytes)) in _byKind)
        {
            output.WriteLine(string.Create(c, $"  {kind,-20}{count,10}{bytes,13}"));
        }

        output.WriteLine();
        output.WriteLine("requests sent by SRV:");
        foreach (var (srv, count) in _requestsBySrv)
        {
            output.WriteLine(string.Create(c, $"  {srv,-10}{count,10}"));
        }

        output.WriteLine();
        output.WriteLine("by response code:   synchronous   delivered");
        foreach (var (code, (sync, delivered)) in _byCode)
        {
            output.WriteLine(string.Create(c, $"  {code,-16}{sync,12}{delivered,12}"));
        }

        if (_alertsByCode.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("alerts by code:");
            foreach (var (code, count) in _alertsByCode)
            {
                output.WriteLine(string.Create(c, $"  {code,-10}{count,10}"));
            }
        }

        output.WriteLine();
        output.WriteLine("latency per SRV (ms of scenario time; synchronous = HTTP answer, delivered = final response):");
        output.WriteLine("  SRV       answer          count       p50       p90       p99       max");
        foreach (var (srv, (sync, delivered)) in _latencyBySrv)
        {
            WriteLatency(output, srv, "synchronous", sync);
            WriteLatency(output, srv, "delivered", delivered);
        }
    }

    private void WriteLatency(TextWriter output, string srv, string what, LongHistogram histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return;
        }

        var scale = Header.Compression / 1000.0;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {srv,-10}{what,-12}{histogram.TotalCount,9}{histogram.GetValueAtPercentile(50) * scale,10:0.#}{histogram.GetValueAtPercentile(90) * scale,10:0.#}{histogram.GetValueAtPercentile(99) * scale,10:0.#}{histogram.GetMaxValue() * scale,10:0.#}"));
    }

    private void Add(in TrafficEvent e)
    {
        if (Messages == 0 || e.AtMicroseconds < FirstMicroseconds)
        {
            FirstMicroseconds = e.AtMicroseconds;
        }

        LastMicroseconds = Math.Max(LastMicroseconds, e.AtMicroseconds);
        Messages++;
        _byKind.TryGetValue(e.Kind, out var kind);
        _byKind[e.Kind] = (kind.Count + 1, kind.Bytes + e.Bytes);
        var srv = e.Srv.ToString();
        switch (e.Kind)
        {
            case TrafficEventKind.RequestSent:
                _requestsBySrv[srv] = _requestsBySrv.GetValueOrDefault(srv) + 1;
                break;
            case TrafficEventKind.SynchronousResponse:
            case TrafficEventKind.DeliveredResponse:
                var delivered = e.Kind == TrafficEventKind.DeliveredResponse;
                var code = e.Code.ToString();
                _byCode.TryGetValue(code, out var counts);
                _byCode[code] = delivered ? (counts.Synchronous, counts.Delivered + 1) : (counts.Synchronous + 1, counts.Delivered);
                if (!_latencyBySrv.TryGetValue(srv, out var histograms))
                {
                    histograms = (new LongHistogram(HighestLatencyMicroseconds, 2), new LongHistogram(HighestLatencyMicroseconds, 2));
                    _latencyBySrv[srv] = histograms;
                }

                (delivered ? histograms.Delivered : histograms.Synchronous).RecordValue(Math.Clamp(e.LatencyMicroseconds, 0, HighestLatencyMicroseconds));
                break;
            case TrafficEventKind.Alert:
                var alert = e.IsDccAlert ? string.Create(CultureInfo.InvariantCulture, $"N{e.AlertCode}") : e.AlertCode.ToString("X4", CultureInfo.InvariantCulture);
                _alertsByCode[alert] = _alertsByCode.GetValueOrDefault(alert) + 1;
                break;
            case TrafficEventKind.SendFailed:
                var failed = "failed to send";
                _byCode.TryGetValue(failed, out var f);
                _byCode[failed] = (f.Synchronous + 1, f.Delivered);
                break;
        }
    }
}
