using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CapacitySim.Cli.Duis;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Cli.Tests;

/// <summary>
/// <c>capacitysim dcc</c> run in-process as a user runs it, on a free port, with a real HTTP client sending signed DUIS
/// requests and a real HTTP receiver taking the DCC's asynchronous responses; <c>--duration</c> ends each run.
/// </summary>
public sealed partial class DccCommandTests : IClassFixture<TempFolder>
{
    private static readonly TimeSpan Patience = DccRun.Patience;

    private readonly TempFolder temp;

    public DccCommandTests(TempFolder temp) => this.temp = temp;

    [Fact]
    public async Task Signed_device_request_is_acknowledged_answered_at_the_response_url_counted_in_metrics_and_balanced()
    {
        var pki = Path.Combine(temp.Path, "pki");
        using var receiver = new Receiver();
        using var client = new HttpClient();
        await using var run = DccRun.Start(
            "--pki-dir", pki, "dcc", "--port", "0", "--duration", "10", "--time-compression", "100",
            "--response-url", receiver.Url, "--no-alerts");
        var baseUrl = await run.ListeningUrlAsync();

        // The request a user signs with the test PKI's supplier key, for the reference premises' electricity meter.
        var counter = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var request = DuisSampleCommand.Build(
            new DuisSampleCommand.SampleRequest(new ServiceReferenceVariant(4, 1, 1), "request", ResponseCode.Success, "8F35", false, true, null, ReferencePremises.ElectricityMeter, counter, null),
            DuisEnvironment.Open(null, pki),
            DateTimeOffset.UtcNow);
        var requestId = $"90-B3-D5-1F-30-01-00-00:{ReferencePremises.ElectricityMeter}:{counter}";

        var answer = await PostAsync(client, baseUrl + "/api/v1/serviceS", request);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("<sr:ResponseCode>I99</sr:ResponseCode>", answer.Body, StringComparison.Ordinal);
        Assert.Contains($"<sr:RequestID>{requestId}</sr:RequestID>", answer.Body, StringComparison.Ordinal);

        // The device's answer arrives later at the one response URL, for the same request.
        var delivered = await receiver.NextAsync();
        Assert.Contains($"<sr:RequestID>{requestId}</sr:RequestID>", delivered, StringComparison.Ordinal);
        Assert.Contains("<ds:Signature", delivered, StringComparison.Ordinal);

        // /metrics is refreshed once a second: wait for the refresh that shows the delivery, then read every count.
        var metrics = await run.MetricsWhenAsync(client, baseUrl, m => Value(m, "capacitysim_dcc_delivery_delivered_total") == 1);
        Assert.Equal(1, Value(metrics, "capacitysim_dcc_requests_received_total"));
        Assert.Equal(1, Value(metrics, "capacitysim_dcc_requests_accepted_for_device_total"));
        Assert.Equal(0, Value(metrics, "capacitysim_dcc_requests_answered_synchronously_total"));
        Assert.Equal(0, Value(metrics, "capacitysim_dcc_requests_rejected_total{reason=\"unknown_device\",code=\"E19\"}"));
        Assert.Equal(1, Value(metrics, "capacitysim_dcc_device_responses_total")
            + Sum(metrics, "capacitysim_dcc_device_errors_total{") + Sum(metrics, "capacitysim_dcc_device_timeouts_total{"));
        Assert.Equal(1, Value(metrics, "capacitysim_dcc_delivery_accepted_total"));
        Assert.Equal(0, Sum(metrics, "capacitysim_dcc_delivery_pending{"));
        Assert.Equal(0, Value(metrics, "capacitysim_dcc_alerts_raised_total"));
        Assert.Equal(Population.Default().Count, Value(metrics, "capacitysim_dcc_estate_devices"));
        Assert.Equal(1, Value(metrics, "capacitysim_dcc_accounting_balanced"));
        Assert.True(Sum(metrics, "capacitysim_dcc_lane_served_total{") >= 1, "the request passed through a lane");

        var (exit, output, error) = await run.ExitAsync();
        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.Contains("stopping (--duration 10 s reached)", output, StringComparison.Ordinal);
        Assert.Contains("drained: every accepted request has its outcome", output, StringComparison.Ordinal);
        Assert.Matches(@"\n  received +1\r?\n", output);
        Assert.Matches(@"\n    accepted for device +1 ", output);
        Assert.Matches(@"\n  delivery +taken 1, delivered 1, pending 0 ", output);
        Assert.Matches(@"\n  balanced +yes ", output);
    }

    [Fact]
    public async Task DCC_Boxed_signed_sample_is_answered_unmodified_and_refusals_are_counted_by_code_and_reason()
    {
        using var client = new HttpClient();
        await using var run = DccRun.Start(
            "--duis-dir", SharedDuis.Directory, "dcc", "--port", "0", "--duration", "8", "--time-compression", "100", "--no-alerts");
        var baseUrl = await run.ListeningUrlAsync();
        Assert.Contains($"DUIS material: {SharedDuis.Directory}", run.Output, StringComparison.Ordinal);
        Assert.Contains("schema validation: every request", run.Output, StringComparison.Ordinal);

        // ECS17b 4.1.1 with command variant 2 (local delivery), signed by DCC Boxed's supplier key: the Non-Device
        // service answers it at once with I0 and the command to deliver locally.
        var sample = await File.ReadAllBytesAsync(Path.Combine(SharedDuis.SignedSamples, "ECS17b_4.1.1_REQUEST_DUIS-signed.xml"));
        var answer = await PostAsync(client, baseUrl + "/api/v1/serviceD", sample);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("<sr:ResponseCode>I0</sr:ResponseCode>", answer.Body, StringComparison.Ordinal);
        var signer = IndependentDuisCheck.VerifySignatureOf(IndependentDuisCheck.Load(Encoding.UTF8.GetBytes(answer.Body)).DocumentElement!, SharedDuis.Keys);
        Assert.Contains("90B3D51F30000002", Path.GetFileName(signer), StringComparison.Ordinal);

        // The same request again is a replay (its originator counter is not greater), and a body that is not XML is
        // not DUIS at all.
        var replay = await PostAsync(client, baseUrl + "/api/v1/serviceD", sample);
        Assert.Contains("<sr:ResponseCode>E53</sr:ResponseCode>", replay.Body, StringComparison.Ordinal);
        var junk = await PostAsync(client, baseUrl + "/api/v1/serviceS", "not xml"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, junk.Status);

        var metrics = await run.MetricsWhenAsync(client, baseUrl, m => Value(m, "capacitysim_dcc_requests_received_total") == 3);
        Assert.Equal(1, Value(metrics, "capacitysim_dcc_requests_answered_synchronously_total"));
        Assert.Equal(1, Value(metrics, "capacitysim_dcc_requests_rejected_total{reason=\"replayed_counter\",code=\"E53\"}"));
        Assert.Equal(1, Value(metrics, "capacitysim_dcc_requests_rejected_total{reason=\"malformed_xml\",code=\"http400\"}"));
        Assert.Equal(2, Sum(metrics, "capacitysim_dcc_requests_rejected_total{"));
        Assert.Equal(0, Value(metrics, "capacitysim_dcc_requests_accepted_for_device_total"));

        var (exit, output, error) = await run.ExitAsync();
        Assert.True(exit == 0, $"exit {exit}: {error}");
        Assert.Matches(@"\n  received +3\r?\n", output);
        Assert.Matches(@"\n    not DUIS \(HTTP 400\) +1\r?\n", output);
        Assert.Matches(@"\n    DUIS errors at once +1\r?\n", output);
        Assert.Matches(@"\n    answered at once +1 ", output);
        Assert.Matches(@"\n  refusals by reason +http400 malformed_xml 1, E53 replayed_counter 1\r?\n", output);
        Assert.Matches(@"\n  balanced +yes ", output);
    }

    [Fact]
    public void Bad_estate_file_exits_2_with_every_error_at_its_file_line_and_column()
    {
        var spec = temp.File("bad-estate.yaml");
        File.WriteAllText(spec, "seed: 1\npremises: lots\nregionMix:\n  north: -3\n");
        var (exit, output, error) = CliRunner.Run("--pki-dir", Path.Combine(temp.Path, "pki"), "dcc", "--port", "0", "--estate", spec);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
        Assert.Contains($"{spec}:2:11: ", error, StringComparison.Ordinal);
        Assert.Contains($"{spec}:4:10: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_users_and_behaviour_files_exit_2_with_their_positions()
    {
        var users = temp.File("bad-users.yaml");
        File.WriteAllText(users, "users:\n  - name: x\n    eui: not-an-eui\n    roles: [XX]\n    responseEndpoint: http://localhost:8080/r\n");
        var (exit, _, error) = CliRunner.Run("--pki-dir", Path.Combine(temp.Path, "pki"), "dcc", "--port", "0", "--users", users);
        Assert.Equal(2, exit);
        Assert.Contains($"{users}:3:10: ", error, StringComparison.Ordinal);
        Assert.Contains($"{users}:4:13: ", error, StringComparison.Ordinal);

        var behaviour = temp.File("bad-behaviour.yaml");
        File.WriteAllText(behaviour, "profiles: [unclosed\n");
        (exit, _, error) = CliRunner.Run("--pki-dir", Path.Combine(temp.Path, "pki"), "dcc", "--port", "0", "--behaviour", behaviour);
        Assert.Equal(2, exit);
        Assert.Matches(Regex.Escape(behaviour) + @":\d+:\d+: not valid YAML", error);
    }

    [Theory]
    [InlineData("--mutual-tls", "--mutual-tls needs --tls-cert")]
    [InlineData("--bind=somewhere", "--bind somewhere: not an IP address")]
    [InlineData("--response-url=ftp://x/y", "--response-url ftp://x/y: expected an absolute http://")]
    [InlineData("--time-compression=0", "--time-compression 0: expected a positive number")]
    [InlineData("--estate=missing.yaml", "--estate missing.yaml: file not found")]
    [InlineData("--retry-window=300", "--retry-window 300: not a duration; expected a duration with its unit, such as 30s, 5m, 2h or 2d (a bare number has no unit).")]
    [InlineData("--retry-window=-5m", "--retry-window -5m: negative; expected a duration with its unit")]
    [InlineData("--probe-interval=0s", "--probe-interval 0s: zero; expected a duration longer than 0s.")]
    [InlineData("--failed-queue-hold=2 days", "--failed-queue-hold 2 days: not a duration")]
    [InlineData("--connections-per-endpoint=0", "--connections-per-endpoint 0: expected 1 to 1000 connections per endpoint.")]
    [InlineData("--retry-backoff=10m", "--retry-backoff 10m is longer than retryWindow 5m (the default): retries are made within the window")]
    [InlineData("--settings=missing.yaml", "--settings missing.yaml: file not found.")]
    public void Bad_options_exit_2_with_a_clear_message(string option, string message)
    {
        var (exit, _, error) = CliRunner.Run("--pki-dir", Path.Combine(temp.Path, "pki"), "dcc", "--port", "0", option);
        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string url, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
        using var response = await client.PostAsync(new Uri(url), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The value of one sample line (<c>name{labels} value</c>) of a Prometheus text exposition; fails when absent.</summary>
    private static double Value(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line.AsSpan(series.Length + 1), CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail($"{series} is not in /metrics:\n{exposition}");
        return double.NaN;
    }

    /// <summary>The sum over every labelled series starting with <paramref name="prefix"/>; fails when there is none.</summary>
    private static double Sum(string exposition, string prefix)
    {
        var found = false;
        double sum = 0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                found = true;
                sum += double.Parse(line.AsSpan(line.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture);
            }
        }

        Assert.True(found, $"no {prefix}… series in /metrics");
        return sum;
    }

    /// <summary>A user's response endpoint: takes every POST with 200 and hands the bodies to the test.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly BlockingCollection<string> received = [];
        private readonly Task loop;

        public Receiver()
        {
            var port = LoopbackPort.Unused();
            Url = $"http://127.0.0.1:{port}/receive-response/";
            listener.Prefixes.Add(Url);
            listener.Start();
            loop = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public Task<string> NextAsync() => Task.Run(() =>
        {
            Assert.True(received.TryTake(out var body, Patience), "no response reached the response URL");
            return body!;
        });

        public void Dispose()
        {
            listener.Stop();
            listener.Close();
            try
            {
                loop.Wait(Patience);
            }
            catch (AggregateException)
            {
                // The listener was closed under the loop: that is how it ends.
            }

            received.Dispose();
        }

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                {
                    received.Add(await reader.ReadToEndAsync());
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }
    }
}
