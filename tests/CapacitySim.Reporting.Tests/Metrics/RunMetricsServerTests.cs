using System.Net.Sockets;
using CapacitySim.Reporting.Metrics;

namespace CapacitySim.Reporting.Tests.Metrics;

public sealed class RunMetricsServerTests
{
    [Fact]
    public async Task Serves_every_registry_at_metrics_on_the_port_it_bound_until_disposed()
    {
        var run = Prometheus.Metrics.NewCustomRegistry();
        var dcc = Prometheus.Metrics.NewCustomRegistry();
        Prometheus.Metrics.WithCustomRegistry(run).CreateCounter("capacitysim_requests_acknowledged_total", "acknowledged").Inc(7);
        Prometheus.Metrics.WithCustomRegistry(dcc).CreateGauge("capacitysim_dcc_estate_devices", "devices").Set(42);

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var server = await RunMetricsServer.StartAsync(0, [run, dcc]);
        Uri url;
        await using (server)
        {
            url = server.MetricsUrl;
            Assert.NotEqual(0, server.Port);
            Assert.Equal("/metrics", url.AbsolutePath);

            using var response = await client.GetAsync(url);
            Assert.True(response.IsSuccessStatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            var scrape = Exposition.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(7, scrape.Value("capacitysim_requests_acknowledged_total"));
            Assert.Equal(42, scrape.Value("capacitysim_dcc_estate_devices"));

            // A second scrape reads the same registries again (Prometheus scrapes every few seconds).
            var again = Exposition.Parse(await client.GetStringAsync(url));
            Assert.Equal(7, again.Value("capacitysim_requests_acknowledged_total"));
        }

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync(url));
    }

    [Fact]
    public async Task A_taken_port_fails_to_start()
    {
        await using var first = await RunMetricsServer.StartAsync(0, [Prometheus.Metrics.NewCustomRegistry()]);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunMetricsServer.StartAsync(first.Port, [Prometheus.Metrics.NewCustomRegistry()]));
        Assert.True(error is IOException or SocketException, error.ToString());
    }
}
