using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace CapacitySim.Cli.Tests;

/// <summary>
/// <c>capacitysim run --target</c> against a DUIS endpoint this project did not write: a text-template endpoint built
/// from DCC Boxed's sample response that reads the RequestID with a regular expression, acknowledges device requests
/// with I99 (chunked, and closing every fifth connection), answers non-device ones at once, and POSTs each final
/// response to the users' receiver up to 8 s late, counting the deliveries the receiver answered 200. Its counts are
/// the independent side of the accounting.
/// </summary>
public sealed class ExternalTargetRunTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Late_deliveries_are_counted_exactly_as_the_endpoint_saw_them_answered_and_the_run_is_real_time_with_the_time_outs_set()
    {
        await using var endpoint = await LateEndpoint.StartAsync(maxDelay: TimeSpan.FromSeconds(8));
        var listenPort = LoopbackPort.Unused();
        endpoint.DeliverTo = new Uri($"http://127.0.0.1:{listenPort}/receive-response");
        var csv = Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "examples", "devices.csv").Replace('\\', '/');

        // No timeCompression: against an external target the run is real time. No performanceLevels and no levels
        // file beside or above the scenario (it is in a temporary folder): the built-in levels are used.
        var scenario = temp.File("late.yaml");
        File.WriteAllText(scenario, $"""
            name: late deliveries
            seed: 5
            estate: {"{"} devicesCsv: "{csv}" {"}"}
            users:
              - name: supplier
                roles: IS
                eui: 90-B3-D5-1F-30-01-00-00
                mix:
                  - {"{"} srv: 4.1.1, weight: 3 {"}"}
                  - {"{"} srv: 8.2, weight: 1 {"}"}
            phases:
              - constant: {"{"} rate: 20, duration: 6s {"}"}
            responseTimeouts:
              on_demand: 6s
            checks:
              - errors < 100%
            """);
        var output = temp.File("out");
        var (exit, stdout, stderr) = CliRunner.Run(
            "run", scenario, "--target", endpoint.BaseAddress.ToString(), "--listen", endpoint.DeliverTo.ToString(),
            "--no-signing", "--no-progress", "--drain", "2s", "-o", output);
        Assert.True(exit is 0 or 1, $"exit {exit}\n{stdout}\n{stderr}");

        // Every delivery the endpoint scheduled has been tried (the last ones after the run ended).
        await endpoint.DeliveriesDone();
        using var file = File.OpenRead(Path.Combine(output, RunSummaryJson.FileName));
        var summary = RunSummaryJson.Read(file);
        var c = summary.Counts;

        // Real time by default against an external target, said at the start; the time-outs as set and derived.
        Assert.Equal(1, summary.Compression);
        Assert.Contains("time compression x1 (real time): the default against an external target", stdout, StringComparison.Ordinal);
        Assert.Contains("performance levels: built-in", stdout, StringComparison.Ordinal);
        Assert.StartsWith("built-in", summary.Environment!.PerformanceLevels, StringComparison.Ordinal);
        Assert.Equal(6000, summary.Environment.ResponseTimeoutsMs!["on_demand_esme_chf"]);
        Assert.Equal(10000, summary.Environment.ResponseTimeoutsMs["non_device"]);
        Assert.Equal(2, summary.Environment.DrainSeconds);
        Assert.Contains("on_demand_esme_chf 6s (scenario)", stdout, StringComparison.Ordinal);

        // The endpoint saw what the run sent, and the 200s it got are exactly the deliveries the run counted.
        Assert.Equal(endpoint.Requests, c.Sent);
        Assert.Equal(c.Sent, c.Responded + c.Abandoned + c.TimedOut + c.InFlightAtEnd);
        var deliveries = summary.Deliveries!;
        Assert.Equal(endpoint.DeliveredOk, deliveries.Accepted);
        Assert.Equal(endpoint.DeliveredOk + endpoint.DeliveryRefused, endpoint.DeviceRequests);
        Assert.Equal(0, deliveries.Refused);

        // Each accepted delivery is a final response: matched in time, after its time-out, or (none here) a repeat.
        var deliveredFinals = c.Responded - endpoint.NonDeviceRequests;
        Assert.Equal(deliveries.Accepted, deliveredFinals + c.RespondedAfterTimeOut + c.Duplicates + c.Unknown);

        // Deliveries up to 8 s late against 6 s time-outs and a 2 s drain: some arrive after their time-out, and the
        // last ones after the run has ended, when the receiver refuses them (the DCC would keep them and retry).
        Assert.True(c.TimedOut > 0, $"timed out {c.TimedOut}");
        Assert.True(endpoint.DeliveryRefused > 0, $"refused {endpoint.DeliveryRefused}");
        Assert.Equal(c.TimedOut, c.RespondedAfterTimeOut + endpoint.DeliveryRefused - c.InFlightAtEnd);
    }

    [Fact]
    public void A_scenario_that_names_its_compression_keeps_it_against_an_external_target_and_bad_time_outs_are_refused()
    {
        var (exit, _, stderr) = CliRunner.Run("run", "missing.yaml", "--response-timeout", "on_demnd=10s");
        Assert.Equal(2, exit);
        Assert.Contains("--response-timeout on_demnd=10s: 'on_demnd' is not a performance category or group", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = CliRunner.Run("run", "missing.yaml", "--drain", "30");
        Assert.Equal(2, exit);
        Assert.Contains("--drain 30: expected a duration", stderr, StringComparison.Ordinal);
    }

    /// <summary>The endpoint: Kestrel with one text handler; nothing of CapacitySim's DUIS code on its side.</summary>
    private sealed class LateEndpoint : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly string template;
        private readonly TimeSpan maxDelay;
        private readonly HttpClient client = new() { Timeout = TimeSpan.FromSeconds(5) };
        private readonly ConcurrentBag<Task> pending = [];
        private long requests;
        private long deviceRequests;
        private long nonDeviceRequests;
        private long deliveredOk;
        private long deliveryRefused;

        private LateEndpoint(WebApplication app, string template, TimeSpan maxDelay)
        {
            this.app = app;
            this.template = template;
            this.maxDelay = maxDelay;
        }

        public Uri BaseAddress { get; private set; } = null!;

        public Uri DeliverTo { get; set; } = null!;

        public long Requests => Interlocked.Read(ref requests);

        public long DeviceRequests => Interlocked.Read(ref deviceRequests);

        public long NonDeviceRequests => Interlocked.Read(ref nonDeviceRequests);

        public long DeliveredOk => Interlocked.Read(ref deliveredOk);

        public long DeliveryRefused => Interlocked.Read(ref deliveryRefused);

        public static async Task<LateEndpoint> StartAsync(TimeSpan maxDelay)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
            var app = builder.Build();
            var template = File.ReadAllText(Path.Combine(SharedDuis.Directory, "samples", "responses", "11.2_E65_error.xml"));
            var endpoint = new LateEndpoint(app, template, maxDelay);
            app.Run(endpoint.HandleAsync);
            await app.StartAsync();
            endpoint.BaseAddress = new Uri(app.Urls.First());
            return endpoint;
        }

        // Requests have stopped arriving, so no delivery is added while this waits.
        public Task DeliveriesDone() => Task.WhenAll(pending.ToArray());

        public async ValueTask DisposeAsync()
        {
            await DeliveriesDone();
            client.Dispose();
            await app.DisposeAsync();
        }

        private async Task HandleAsync(HttpContext context)
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var n = Interlocked.Increment(ref requests);
            var requestId = TemplateDuis.RequestIdOf(body);
            var srv = TemplateDuis.SrvOf(body);
            var nonDevice = context.Request.Path.Value!.EndsWith("serviceD", StringComparison.Ordinal);
            context.Response.ContentType = "application/xml";
            if (n % 5 == 0)
            {
                context.Response.Headers.Connection = "close";
            }

            // No Content-Length: Kestrel sends the answer chunked, in two writes.
            var answer = Encoding.UTF8.GetBytes(TemplateDuis.Answer(template, requestId, srv, nonDevice ? "I0" : "I99"));
            await context.Response.Body.WriteAsync(answer.AsMemory(0, answer.Length / 2));
            await context.Response.Body.FlushAsync();
            await context.Response.Body.WriteAsync(answer.AsMemory(answer.Length / 2));
            if (nonDevice)
            {
                Interlocked.Increment(ref nonDeviceRequests);
                return;
            }

            Interlocked.Increment(ref deviceRequests);
            var delay = TimeSpan.FromMilliseconds(200 + (Random.Shared.NextDouble() * (maxDelay.TotalMilliseconds - 200)));
            var final = TemplateDuis.Answer(template, requestId, srv, "I0");
            pending.Add(Task.Run(async () =>
            {
                await Task.Delay(delay);
                try
                {
                    using var content = new StringContent(final, Encoding.UTF8, "application/xml");
                    using var response = await client.PostAsync(DeliverTo, content);
                    Interlocked.Increment(ref response.StatusCode == HttpStatusCode.OK ? ref deliveredOk : ref deliveryRefused);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The receiver has gone: not delivered (a DCC would retry later).
                    Interlocked.Increment(ref deliveryRefused);
                }
            }));
        }
    }
}
