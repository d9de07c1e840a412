using System.Text;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Scenarios;
using CapacitySim.Load.Tests.Http;
using Microsoft.AspNetCore.Http;

namespace CapacitySim.Load.Tests.Engine;

/// <summary>
/// What happens to arrivals that find the only connection busy: the endpoint holds the first request for 3 s while
/// the other 49 arrivals of a 1 s phase come due. Allowed to wait, they are sent once the connection is back and
/// counted late; not allowed to (the default), each waits no longer than the engine's hand-over window and is counted
/// dropped. Either way the phase's counts and the totals agree and every arrival is accounted for.
/// </summary>
[Collection(nameof(EngineRuns))]
public sealed class ConnectionWaitTests : IDisposable
{
    private readonly TempFolder temp = new("capacitysim-wait");

    private string folder => temp.Path;

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Arrivals_allowed_to_wait_for_a_busy_connection_are_all_sent_late_after_it_comes_back()
    {
        var summary = await RunAgainstHeldEndpoint(TimeSpan.FromSeconds(60));

        var c = summary.Counts;
        Assert.Equal((50L, 0L), (c.Sent, c.Dropped));
        Assert.Equal(50, c.Responded);
        // Every arrival after the first waited; the first is late too only if the pacer released it late.
        Assert.InRange(c.Late, 49, 50);
        var phase = Assert.Single(summary.Phases);
        Assert.Equal((50L, 0L, 50L), (phase.Sent, phase.Dropped, phase.Scheduled));
        Assert.Equal(c.Late, phase.Late);

        // Corrected latency runs from the intended time, so the wait shows: the arrival due just after the held one
        // waited about 3 s for the connection; its uncorrected latency (from the actual send) does not show it.
        var category = Assert.Single(summary.Categories);
        Assert.True(category.Corrected.P50 >= 1000, $"corrected p50 {category.Corrected.P50} ms");
        Assert.True(category.Uncorrected.P50 < category.Corrected.P50, $"uncorrected p50 {category.Uncorrected.P50} ms");
    }

    [Fact]
    public async Task Arrivals_not_allowed_to_wait_are_dropped_and_counted_in_their_phase()
    {
        var summary = await RunAgainstHeldEndpoint(TimeSpan.Zero);

        var c = summary.Counts;
        Assert.Equal((1L, 49L), (c.Sent, c.Dropped));
        Assert.Equal(1, c.Responded);
        var phase = Assert.Single(summary.Phases);
        Assert.Equal((1L, 49L, 50L), (phase.Sent, phase.Dropped, phase.Scheduled));
    }

    private async Task<Results.RunSummary> RunAgainstHeldEndpoint(TimeSpan maxConnectionWait)
    {
        var template = File.ReadAllText(Path.Combine(SharedDuis.Directory, "samples", "responses", "11.2_E65_error.xml"));
        var first = 0;
        await using var endpoint = await KestrelTestServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Exchange(ref first, 1) == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
            }

            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(TemplateDuis.Answer(template, TemplateDuis.RequestIdOf(body), "8.2", "I0"));
        });

        var csv = Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "examples", "devices.csv").Replace('\\', '/');
        var levels = Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "performance-levels.yaml").Replace('\\', '/');
        var scenarioPath = Path.Combine(folder, "held.yaml");
        File.WriteAllText(scenarioPath, $$"""
            name: held
            seed: 3
            estate: { devicesCsv: "{{csv}}" }
            users:
              - name: supplier
                roles: IS
                eui: 90-B3-D5-1F-30-01-00-00
                mix:
                  - { srv: 8.2, weight: 1 }
            timeCompression: 1
            phases:
              - constant: { rate: 50, duration: 1s }
            performanceLevels: "{{levels}}"
            target:
              url: {{endpoint.Endpoint.GetLeftPart(UriPartial.Authority)}}
              listen: http://127.0.0.1:0/receive-response
              signing: false
            """);
        var scenario = ScenarioLoader.Load(scenarioPath);
        await using var engine = new LoadEngine(scenario, TargetEstate.FromDevices(scenario.Estate.Devices!), new LoadEngineOptions
        {
            Target = scenario.Target!.Url,
            Listen = scenario.Target.Listen!,
            Signers = new SigningIdentity?[1],
            Connections = 1,
            MaxConnectionWait = maxConnectionWait,
        });
        await engine.StartAsync();
        var result = await engine.RunAsync();
        var c = result.Summary.Counts;
        Assert.Equal(c.Sent, c.Responded + c.Errors + c.TimedOut + c.InFlightAtEnd);
        return result.Summary;
    }
}
