using System.Buffers;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Engine;
using CapacitySim.Reporting.Capture;

namespace CapacitySim.Cli.Tests;

public sealed class CaptureCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Capture_stats_prints_the_figures_of_a_capture()
    {
        var file = WriteCapture(bodies: false);

        var (exit, output, error) = CliRunner.Run("capture-stats", file);

        Assert.True(exit == 0, error);
        Assert.Contains("scenario cli-capture", output, StringComparison.Ordinal);
        Assert.Contains("messages: 10, from 0.000 s to 0.900 s of the run (0.900 s wall-clock, 90 s of scenario time)", output, StringComparison.Ordinal);
        Assert.Contains("dropped: 0", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  RequestSent\s+5\s+\d+\r?$", output);
        Assert.Matches(@"(?m)^  I99\s+5\s+0\r?$", output);
    }

    [Fact]
    public void Capture_stats_of_a_truncated_file_exits_2_naming_the_record()
    {
        var file = WriteCapture(bodies: true);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes.AsSpan(0, bytes.Length - 200).ToArray());

        var (exit, _, error) = CliRunner.Run("capture-stats", file);

        Assert.Equal(2, exit);
        Assert.Matches(@"record \d+ at byte offset \d+: truncated", error);
    }

    [Fact]
    public void Replay_of_a_capture_without_bodies_exits_2_saying_to_capture_with_bodies()
    {
        var file = WriteCapture(bodies: false);

        var (exit, _, error) = CliRunner.Run("replay", file, "--target", "http://127.0.0.1:1");

        Assert.Equal(2, exit);
        Assert.Contains("metadata only", error, StringComparison.Ordinal);
        Assert.Contains("with bodies", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_stats_of_a_missing_file_exits_2()
    {
        var (exit, _, error) = CliRunner.Run("capture-stats", _temp.File("none.pb"));

        Assert.Equal(2, exit);
        Assert.Contains("none.pb", error, StringComparison.Ordinal);
    }

    private string WriteCapture(bool bodies)
    {
        var path = _temp.File(Path.Combine("captures", "run.pb"));
        var request = File.ReadAllBytes(Directory.GetFiles(SharedDuis.SignedSamples).Order(StringComparer.Ordinal).First());
        Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(request, out var header));
        var options = new TrafficCaptureOptions
        {
            Scenario = "cli-capture",
            StartedAt = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero),
            Compression = 100,
            IncludeBodies = bodies,
        };
        using var writer = new TrafficCaptureWriter(path, options);
        for (var i = 0; i < 10; i++)
        {
            var e = i % 2 == 0
                ? new TrafficEvent(TrafficEventKind.RequestSent, 100_000L * i, header.RequestId, header.ServiceReferenceVariant, default, 0, false, 0, request.Length, 0)
                : new TrafficEvent(TrafficEventKind.SynchronousResponse, 100_000L * i, header.RequestId, header.ServiceReferenceVariant, ResponseCode.Acknowledged, 0, false, 1_500, 700, 0);
            writer.Observe(in e, new ReadOnlySequence<byte>(request));
        }

        writer.Close();
        return path;
    }
}
