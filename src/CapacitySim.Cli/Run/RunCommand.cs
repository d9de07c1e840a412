using System.CommandLine;
using CapacitySim.Devices.Time;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Cli.Run;

/// <summary>
/// <c>capacitysim run SCENARIO</c>: the product's main job. Runs a scenario's load against the embedded simulated DCC
/// (default) or an external DUIS endpoint (<c>--target</c>), shows live progress, writes the result folder and exits
/// non-zero when a check fails (1) or the run could not be made (2).
/// </summary>
internal static class RunCommand
{
    public static Command Create(MaterialOptions material, CliConsole console)
    {
        var scenario = new Argument<string>("SCENARIO") { Description = "Scenario file (YAML; see scenarios/ and scenarios/scenario.schema.json)." };
        var target = new Option<string?>("--target") { Description = "Base URL of an external DUIS endpoint (its /api/v1/serviceS, serviceD and serviceT); default: the embedded simulated DCC." };
        var listen = new Option<string?>("--listen") { Description = "Where the users' receiver listens for the responses and alerts the DCC delivers (default: the scenario's target.listen, else http://0.0.0.0:8080/receive-response with --target, a free loopback port otherwise)." };
        var output = new Option<string?>("--output", "-o") { Description = "Result folder (default: results/<scenario>-<yyyyMMdd-HHmmss>)." };
        var noProgress = new Option<bool>("--no-progress") { Description = "Plain progress lines instead of the live display (the default when output is not a terminal)." };
        var noSigning = new Option<bool>("--no-signing") { Description = "Send requests unsigned (and, with the embedded DCC, do not check or sign)." };
        var connections = new Option<int>("--connections") { Description = "HTTP connections to the endpoint: the most requests awaiting their synchronous answer at once (default 128).", DefaultValueFactory = _ => 128 };
        var maxWait = new Option<double>("--max-connection-wait") { Description = "Seconds (real time) an arrival that finds every connection busy may wait for one; it is then sent late and counted late. 0 (default): it waits no longer than 2 ms after its release (two of the pacer's 1 ms batch intervals) and is then dropped (counted dropped)." };
        var compression = new Option<double?>("--time-compression") { Description = "Override the scenario's time compression (scenario seconds per real second). Default: the scenario's timeCompression, else x100 against the embedded DCC and x1 (real time) against --target." };
        var responseTimeout = new Option<string[]>("--response-timeout")
        {
            Description = "CATEGORIES=DURATION (on_demand=90s, transform+non_device=10s) or DURATION for every category: scenario time from the send after which a request with no final response counts as timed out. Repeatable; replaces the scenario's responseTimeouts and the default (the category's DCC deadline plus its TRT for device traffic, twice its TRT otherwise).",
            AllowMultipleArgumentsPerToken = false,
        };
        var drain = new Option<string?>("--drain") { Description = "How long (real time: 30s, 2m) the run waits at the end for responses to requests still in flight. Default: the scenario's drain, else the longest response time-out at the run's compression (at least 5 s) plus 2 s." };
        var insecure = new Option<bool>("--insecure") { Description = "Accept any server certificate from an https --target (a test endpoint's self-signed one)." };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Serve Prometheus metrics of the run (and of the embedded DCC) at http://localhost:PORT/metrics until the run ends (0: any free port)." };
        var capture = new Option<string?>("--capture") { Description = "Write every message's metadata to this file (length-delimited protobuf; see capacitysim capture-stats and replay)." };
        var captureBodies = new Option<bool>("--capture-bodies") { Description = "With --capture, keep every message's full body as well (needed by capacitysim replay)." };
        var clientCert = new Option<string?>("--client-cert") { Description = "Client certificate the users present to an https --target (mutual TLS): PEM (key in the same file or in --client-key) or PKCS#12 (.pfx, .p12)." };
        var clientKey = new Option<string?>("--client-key") { Description = "PEM private key (PKCS#8, encrypted or not) of a PEM --client-cert." };
        var clientKeyPassword = new Option<string?>("--client-key-password") { Description = "Password of the encrypted PEM private key of --client-cert." };
        var clientCertPassword = new Option<string?>("--client-cert-password") { Description = "Password of a PKCS#12 --client-cert." };
        var caCert = new Option<string?>("--ca-cert") { Description = "CA bundle (PEM) the --target's server certificate must chain to, instead of the machine's trust store (the host name is checked as usual); also the default --listen-ca." };
        var listenCert = new Option<string?>("--listen-cert") { Description = "Server certificate of an https --listen receiver: PEM (key in the same file or in --listen-key) or PKCS#12." };
        var listenKey = new Option<string?>("--listen-key") { Description = "PEM private key of a PEM --listen-cert." };
        var listenKeyPassword = new Option<string?>("--listen-key-password") { Description = "Password of the encrypted PEM private key of --listen-cert." };
        var listenCertPassword = new Option<string?>("--listen-cert-password") { Description = "Password of a PKCS#12 --listen-cert." };
        var listenMutualTls = new Option<bool>("--listen-mutual-tls") { Description = "The https receiver requires the DCC's client certificate, chained to --listen-ca (default: --ca-cert)." };
        var listenCa = new Option<string?>("--listen-ca") { Description = "CA bundle (PEM) the DCC's client certificate must chain to under --listen-mutual-tls (default: --ca-cert)." };
        var command = new Command("run", "Run a scenario: open-model DUIS traffic at the scenario's rates against the embedded simulated DCC or --target, measured end to end against the performance levels.")
        {
            scenario, target, listen, output, noProgress, noSigning, connections, maxWait, compression, responseTimeout, drain, insecure, metricsPort, capture, captureBodies,
            clientCert, clientKey, clientKeyPassword, clientCertPassword, caCert, listenCert, listenKey, listenKeyPassword, listenCertPassword, listenMutualTls, listenCa,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new RunSettings
            {
                ScenarioPath = parse.GetValue(scenario)!,
                Target = Url(parse.GetValue(target), "--target"),
                Listen = Url(parse.GetValue(listen), "--listen"),
                Output = parse.GetValue(output),
                Progress = !parse.GetValue(noProgress),
                Signing = !parse.GetValue(noSigning),
                Connections = CheckConnections(parse.GetValue(connections)),
                MaxConnectionWait = parse.GetValue(maxWait) is var w && w >= 0 && double.IsFinite(w) ? TimeSpan.FromSeconds(w) : throw new CliException($"--max-connection-wait {parse.GetValue(maxWait)}: expected 0 or a positive number of seconds."),
                TimeCompression = parse.GetValue(compression) is { } c ? (c > 0 && double.IsFinite(c) ? c : throw new CliException($"--time-compression {c}: expected a positive number.")) : null,
                ResponseTimeouts = ResponseTimeouts(parse.GetValue(responseTimeout)),
                Drain = Drain(parse.GetValue(drain)),
                Insecure = parse.GetValue(insecure),
                MetricsPort = parse.GetValue(metricsPort) is { } p ? (p is >= 0 and <= 65535 ? p : throw new CliException($"--metrics-port {p}: expected 0 to 65535.")) : null,
                Capture = parse.GetValue(capture),
                CaptureBodies = parse.GetValue(captureBodies),
                Tls = new TargetTlsOptions
                {
                    ClientCert = parse.GetValue(clientCert),
                    ClientKey = parse.GetValue(clientKey),
                    ClientKeyPassword = parse.GetValue(clientKeyPassword),
                    ClientCertPassword = parse.GetValue(clientCertPassword),
                    CaCert = parse.GetValue(caCert),
                    ListenCert = parse.GetValue(listenCert),
                    ListenKey = parse.GetValue(listenKey),
                    ListenKeyPassword = parse.GetValue(listenKeyPassword),
                    ListenCertPassword = parse.GetValue(listenCertPassword),
                    ListenMutualTls = parse.GetValue(listenMutualTls),
                    ListenCa = parse.GetValue(listenCa),
                },
            };
            if (settings.CaptureBodies && settings.Capture is null)
            {
                throw new CliException("--capture-bodies needs --capture FILE.");
            }

            return await RunRunner.RunAsync(settings, material.Open(parse), console, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static List<ResponseTimeoutSetting> ResponseTimeouts(string[]? texts)
    {
        List<ResponseTimeoutSetting> settings = [];
        foreach (var text in texts ?? [])
        {
            settings.Add(ResponseTimeoutSetting.TryParse(text, out var setting, out var error)
                ? setting
                : throw new CliException($"--response-timeout {text}: {error}."));
        }

        return settings;
    }

    private static TimeSpan? Drain(string? text)
        => text is null ? null
            : DurationText.TryParse(text, out var drain) ? drain
            : throw new CliException($"--drain {text}: expected a duration (0s, 30s, 2m, 1h30m).");

    private static int CheckConnections(int n)
        => n is >= 1 and <= 4096 ? n : throw new CliException($"--connections {n}: expected 1 to 4096.");

    private static Uri? Url(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"{option} '{text}': expected an absolute http or https URL.");
        }

        return url;
    }
}
