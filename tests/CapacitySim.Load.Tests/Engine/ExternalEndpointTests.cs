using System.Collections.Concurrent;
using System.Text;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Scenarios;
using CapacitySim.Load.Tests.Http;
using Microsoft.AspNetCore.Http;

namespace CapacitySim.Load.Tests.Engine;

/// <summary>
/// The engine against a DUIS endpoint that is not CapacitySim's DCC: a text-template endpoint built from DCC Boxed's own
/// sample response (as a third-party stub would be), reading the RequestID with a regular expression, answering I99
/// at once and POSTing the final response to the users' receiver a little later. Nothing of CapacitySim's DUIS
/// reading or writing is used on the endpoint's side.
/// </summary>
[Collection(nameof(EngineRuns))]
public sealed class ExternalEndpointTests : IDisposable
{
    private readonly TempFolder temp = new("capacitysim-external");

    private string folder => temp.Path;

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Run_against_a_foreign_endpoint_correlates_every_delivered_response_and_accounts_for_every_request()
    {
        var template = File.ReadAllText(Path.Combine(SharedDuis.Directory, "samples", "responses", "11.2_E65_error.xml"));
        var received = new ConcurrentQueue<(string Path, string RequestId, string Srv)>();
        using var delivery = new HttpClient();
        Uri? listen = null;
        var pending = new ConcurrentBag<Task>();
        await using var endpoint = await KestrelTestServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var requestId = TemplateDuis.RequestIdOf(body);
            var srv = TemplateDuis.SrvOf(body);
            received.Enqueue((context.Request.Path.Value!, requestId, srv));
            var nonDevice = context.Request.Path.Value!.EndsWith("serviceD", StringComparison.Ordinal);
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(TemplateDuis.Answer(template, requestId, srv, nonDevice ? "I0" : "I99"));
            if (!nonDevice)
            {
                pending.Add(Task.Run(async () =>
                {
                    await Task.Delay(20);
                    using var content = new StringContent(TemplateDuis.Answer(template, requestId, srv, "I0"), Encoding.UTF8, "application/xml");
                    using var answer = await delivery.PostAsync(listen!, content);
                }));
            }
        });

        var csv = Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "examples", "devices.csv").Replace('\\', '/');
        var levels = Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "performance-levels.yaml").Replace('\\', '/');
        var scenarioPath = Path.Combine(folder, "external.yaml");
        File.WriteAllText(scenarioPath, $"""
            name: external
            seed: 11
            estate: {"{"} devicesCsv: "{csv}" {"}"}
            users:
              - name: supplier
                roles: IS
                eui: 90-B3-D5-1F-30-01-00-00
                mix:
                  - {"{"} srv: 4.1.1, weight: 3 {"}"}
                  - {"{"} srv: 8.2, weight: 1 {"}"}
            timeCompression: 1
            phases:
              - constant: {"{"} rate: 60, duration: 3s {"}"}
            performanceLevels: "{levels}"
            checks:
              - errors == 0
              - timeouts == 0
            target:
              url: {endpoint.Endpoint.GetLeftPart(UriPartial.Authority)}
              listen: http://127.0.0.1:0/receive-response
              signing: false
            """);
        var scenario = ScenarioLoader.Load(scenarioPath);
        await using var engine = new LoadEngine(scenario, TargetEstate.FromDevices(scenario.Estate.Devices!), new LoadEngineOptions
        {
            Target = scenario.Target!.Url,
            Listen = scenario.Target.Listen!,
            Signers = new SigningIdentity?[1],
            Connections = 32,
            OutputFolder = Path.Combine(folder, "result"),
        });
        await engine.StartAsync();
        listen = engine.DeliveryAddress;

        var result = await engine.RunAsync();
        await Task.WhenAll(pending);

        var c = result.Summary.Counts;
        // 60/s for 3 s: every arrival was sent or dropped for want of a free connection (on a shared machine the
        // first requests of a cold process can hold every connection for a while; drops are counted, never hidden).
        Assert.Equal(180, c.Sent + c.Dropped);
        Assert.True(c.Sent >= 90, $"only {c.Sent} sent, {c.Dropped} dropped");
        Assert.Equal(c.Sent, received.Count);
        Assert.True(c.Sent == c.Responded, System.Text.Json.JsonSerializer.Serialize(c));
        Assert.Equal(c.Sent, c.ResponsesByCode["I0"]);
        Assert.Equal(0, c.InFlightAtEnd);
        Assert.Equal(received.Count(r => r.Path.EndsWith("serviceS", StringComparison.Ordinal)), c.Acknowledged);
        Assert.All(received, r => Assert.StartsWith("90-B3-D5-1F-30-01-00-00:", r.RequestId, StringComparison.Ordinal));
        Assert.Equal(received.Count, received.Select(r => r.RequestId).Distinct().Count());
        Assert.All(received.Where(r => r.Srv == "8.2"), r => Assert.EndsWith("/api/v1/serviceD", r.Path, StringComparison.Ordinal));

        // Device reads wait for the delivered response (20 ms on), non-device ones only for the synchronous answer.
        var onDemand = result.Summary.Categories.Single(k => k.Name == "on_demand_esme_chf");
        Assert.True(onDemand.Corrected.P50 >= 20, $"p50 {onDemand.Corrected.P50} ms");
        Assert.True(result.Passed, string.Join("; ", result.Summary.Checks.Select(k => k.MeasuredText)));
        Assert.True(File.Exists(Path.Combine(folder, "result", "summary.json")));
    }
}
