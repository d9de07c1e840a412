using System.Buffers;
using System.Net;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Engine;
using CapacitySim.Reporting.Capture;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CapacitySim.Reporting.Tests.Capture;

/// <summary>Replay paces real sends over loopback: it runs alone, so that the other tests' load cannot stall one send past the next.</summary>
[CollectionDefinition(nameof(ReplayRunsAlone), DisableParallelization = true)]
public sealed class ReplayRunsAlone;

[Collection(nameof(ReplayRunsAlone))]
public sealed class TrafficReplayTests
{
    [Fact]
    public async Task Replay_sends_exactly_the_captured_requests_in_order_to_their_web_services()
    {
        // Twelve requests 400 ms apart, replayed at ×4: one every 100 ms. With as many connections as requests none can
        // be dropped, and 100 ms between sends keeps their arrival order.
        var requests = Enumerable.Range(0, 12).Select(i => CaptureSamples.Requests[i % CaptureSamples.Requests.Length]).ToList();
        var capture = new MemoryStream();
        using (var writer = new TrafficCaptureWriter(capture, CaptureSamples.Options(bodies: true), leaveOpen: true))
        {
            for (var i = 0; i < requests.Count; i++)
            {
                Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(requests[i], out var header));
                var sent = new TrafficEvent(TrafficEventKind.RequestSent, 400_000L * i, header.RequestId, header.ServiceReferenceVariant, default, 0, false, 0, requests[i].Length, 0);
                writer.Observe(in sent, new ReadOnlySequence<byte>(requests[i]));

                // Answers are captured too; they must not be sent.
                var answer = sent with { Kind = TrafficEventKind.SynchronousResponse, AtMicroseconds = sent.AtMicroseconds + 900, Code = ResponseCode.Acknowledged };
                writer.Observe(in answer, new ReadOnlySequence<byte>("<answer/>"u8.ToArray()));
            }

            writer.Close();
        }

        var answerBody = File.ReadAllBytes(Path.Combine(SharedDuis.ResponseSamples, "11.2_READ_FIRMWARE_VERSION_I0_signed.xml"));
        await using var server = await RecordingServer.StartAsync(answerBody);
        await server.WarmUpAsync();
        capture.Position = 0;
        using var reader = new TrafficCaptureReader(capture, "capture.pb");

        var result = await TrafficReplay.RunAsync(reader, new TrafficReplayOptions { Target = server.BaseAddress, Speed = 4, Connections = 12 });

        Assert.True(result.Dropped == 0 && result.Unroutable == 0, $"dropped {result.Dropped}, unroutable {result.Unroutable}, http {string.Join(",", result.HttpResults)}, p50 {result.Latency.GetValueAtPercentile(50)} max {result.Latency.GetValueAtPercentile(100)} duration {result.Duration}");
        Assert.Equal(12, result.Requests);
        Assert.Equal(12, result.Sent);
        Assert.Equal(0, result.Dropped);
        Assert.Equal(0, result.Unroutable);
        Assert.Equal(new Dictionary<string, long> { ["200"] = 12 }, result.HttpResults);
        Assert.Equal(new Dictionary<string, long> { ["I0"] = 12 }, result.ResponseCodes);
        Assert.Equal(12, result.Latency.TotalCount);
        var received = server.Received;
        Assert.Equal(requests.Count, received.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(requests[i], out var header));
            Assert.Equal(DuisWebServices.GetPath(DuisWebServices.ForCommandVariant(header.CommandVariant)), received[i].Path);
            Assert.True(requests[i].AsSpan().SequenceEqual(received[i].Body), $"request {i} arrived changed or out of order");
        }

        // The replay paced the 11 gaps of 100 ms: it cannot have finished sooner.
        Assert.True(result.Duration >= TimeSpan.FromMilliseconds(11 * 100), result.Duration.ToString());
    }

    [Fact]
    public async Task A_capture_without_bodies_cannot_be_replayed()
    {
        var bytes = CaptureSamples.Capture(CaptureSamples.Traffic(10), bodies: false);
        using var reader = new TrafficCaptureReader(new MemoryStream(bytes), "metadata.pb");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TrafficReplay.RunAsync(reader, new TrafficReplayOptions { Target = new Uri("http://127.0.0.1:1") }));

        Assert.Contains("with bodies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_paths_go_under_the_target_keeping_its_prefix()
    {
        Assert.Equal("http://dcc:8079/api/v1/serviceS", TrafficReplay.ServiceUri(new Uri("http://dcc:8079"), DuisWebService.SendCommand).ToString());
        Assert.Equal("https://gw/duis/api/v1/serviceD", TrafficReplay.ServiceUri(new Uri("https://gw/duis/"), DuisWebService.NonDevice).ToString());
    }

    /// <summary>A loopback Kestrel endpoint that keeps every request's path and body in arrival order and answers with a fixed body.</summary>
    private sealed class RecordingServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly List<(string Path, byte[] Body)> _received = [];

        private RecordingServer(WebApplication app) => _app = app;

        public Uri BaseAddress { get; private set; } = null!;

        public List<(string Path, byte[] Body)> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        public static async Task<RecordingServer> StartAsync(byte[] answer)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var server = new RecordingServer(app);
            app.Run(async context =>
            {
                if (context.Request.Path == "/warm-up")
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                lock (server._received)
                {
                    server._received.Add((context.Request.Path.Value!, body.ToArray()));
                }

                context.Response.ContentType = "application/xml";
                await context.Response.Body.WriteAsync(answer);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            server.BaseAddress = new Uri(address);
            return server;
        }

        /// <summary>Runs the server's request path once, so that its first-use costs do not stall the first replayed request.</summary>
        public async Task WarmUpAsync()
        {
            using var client = new HttpClient { BaseAddress = BaseAddress };
            using var content = new ByteArrayContent("<warm-up/>"u8.ToArray());
            using var response = await client.PostAsync(new Uri("/warm-up", UriKind.Relative), content);
            response.EnsureSuccessStatusCode();
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
