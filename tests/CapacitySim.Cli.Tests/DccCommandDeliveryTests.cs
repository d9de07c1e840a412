using CapacitySim.Duis.Tests.Support;
using System.Net;
using System.Text.RegularExpressions;
using CapacitySim.Cli.Duis;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Cli.Tests;

/// <summary>
/// The delivery settings of <c>capacitysim dcc</c> change what delivery does: a device response for a user endpoint
/// that is down stays retrying through the long window its settings file gives, and moves to the failed queue at once
/// when an option shortens the window.
/// </summary>
public sealed partial class DccCommandTests
{
    [Fact]
    public async Task The_retry_window_from_the_settings_file_or_an_option_decides_when_a_failed_delivery_reaches_the_failed_queue()
    {
        var pki = Path.Combine(temp.Path, "pki");
        var deadEndpoint = $"http://127.0.0.1:{LoopbackPort.Unused()}/receive-response";

        // Ten hours of scenario time (six minutes of real time at x100), with a back-off of an hour: the first
        // failed POST is followed by no other for the whole test.
        var settings = temp.File("long-window.yaml");
        File.WriteAllText(settings, "delivery:\n  retryWindow: 10h\n  retryBackoff: 1h\n  retryBackoffMax: 1h\n");

        await using (var run = DccRun.Start(
            "--pki-dir", pki, "dcc", "--port", "0", "--duration", "12", "--drain", "1", "--time-compression", "100",
            "--response-url", deadEndpoint, "--no-alerts", "--settings", settings))
        {
            var baseUrl = await run.ListeningUrlAsync();
            Assert.Contains($"delivery: retried within 10h [long-window.yaml:2] (back-off 1h [long-window.yaml:3] doubling to 1h [long-window.yaml:4]), then on the failed queue, probed every 30s and held 48h; 8 connections per endpoint (settings file {settings})", run.Output, StringComparison.Ordinal);
            using var client = new HttpClient();
            await SendDeviceRequestAsync(client, baseUrl, pki);
            await run.MetricsWhenAsync(client, baseUrl, m => Value(m, "capacitysim_dcc_delivery_failed_attempts_total") >= 1);

            // Four seconds of real time is 400 s of scenario time: past the default 300 s window, inside the file's.
            await Task.Delay(TimeSpan.FromSeconds(4));
            var later = await run.MetricsWhenAsync(client, baseUrl, _ => true);
            Assert.Equal(1, Value(later, "capacitysim_dcc_delivery_pending{state=\"retrying\"}"));
            Assert.Equal(0, Value(later, "capacitysim_dcc_delivery_moved_to_failed_queue_total"));
            await run.ExitAsync();
        }

        // The same file, with the window, back-off and probe shortened by options: the response is retried within
        // two seconds of scenario time and then waits on the failed queue, probed every ten minutes of scenario time.
        await using (var run = DccRun.Start(
            "--pki-dir", pki, "dcc", "--port", "0", "--duration", "12", "--drain", "1", "--time-compression", "100",
            "--response-url", deadEndpoint, "--no-alerts", "--settings", settings,
            "--retry-window", "2s", "--retry-backoff", "1s", "--retry-backoff-max", "1s", "--probe-interval", "10m"))
        {
            var baseUrl = await run.ListeningUrlAsync();
            Assert.Contains("delivery: retried within 2s [--retry-window] (back-off 1s [--retry-backoff] doubling to 1s [--retry-backoff-max]), then on the failed queue, probed every 10m [--probe-interval]", run.Output, StringComparison.Ordinal);
            using var client = new HttpClient();
            await SendDeviceRequestAsync(client, baseUrl, pki);
            var parked = await run.MetricsWhenAsync(client, baseUrl, m => Value(m, "capacitysim_dcc_delivery_moved_to_failed_queue_total") == 1);
            Assert.Equal(0, Value(parked, "capacitysim_dcc_delivery_pending{state=\"retrying\"}"));
            Assert.Equal(1, Value(parked, "capacitysim_dcc_delivery_pending{state=\"failed_queue\"}"));

            // The ten-second status line of a redirected run shows the message on the failed queue, apart from the
            // queued and retrying ones; so do the final books.
            var (exit, output, error) = await run.ExitAsync();
            Assert.True(exit == 0, $"exit {exit}: {error}");
            Assert.True(Regex.IsMatch(output, @"\n\d\d:\d\d:\d\d  [\d.]+ req/s .* delivered 0 queued 0 retrying 0 failed queue 1  alerts "), output);
            Assert.Matches(@"\n  delivery +taken 1, delivered 0, pending 1 \(queued 0, retrying 0, failed queue 1, redelivering 0\)", output);
        }
    }

    private static async Task SendDeviceRequestAsync(HttpClient client, string baseUrl, string pki)
    {
        var counter = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var request = DuisSampleCommand.Build(
            new DuisSampleCommand.SampleRequest(new ServiceReferenceVariant(4, 1, 1), "request", ResponseCode.Success, "8F35", false, true, null, ReferencePremises.ElectricityMeter, counter, null),
            DuisEnvironment.Open(null, pki),
            DateTimeOffset.UtcNow);
        var answer = await PostAsync(client, baseUrl + "/api/v1/serviceS", request);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("<sr:ResponseCode>I99</sr:ResponseCode>", answer.Body, StringComparison.Ordinal);
    }
}
