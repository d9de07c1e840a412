using System.CommandLine;
using System.Globalization;
using System.Net;

namespace CapacitySim.Cli.Dcc;

/// <summary>
/// <c>capacitysim dcc</c>: runs the simulated DCC, a DCC Boxed-compatible DUIS endpoint over a simulated estate, until
/// Ctrl-C (or <c>--duration</c>), printing where it listens and a live status line, then drains and prints its books.
/// </summary>
internal static class DccCommand
{
    public static Command Create(MaterialOptions material, CliConsole console)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on (DCC Boxed's is 8079; 0 picks a free one and prints it).", DefaultValueFactory = _ => 8079 };
        var bind = new Option<string>("--bind") { Description = "Address to bind: 127.0.0.1 (default, this machine only), 0.0.0.0 (every interface), or any local IP address.", DefaultValueFactory = _ => "127.0.0.1" };
        var estate = new Option<string?>("--estate") { Description = "Population spec (YAML) of the estate; default: the built-in estate of 10,000 premises plus DCC Boxed's reference premises (devices 00-DB-12-34-56-78-90-A0 to A6)." };
        var behaviour = new Option<string?>("--behaviour") { Description = "Device behaviour file (YAML): latencies, failures, alert rates, scheduled events; default: the built-in behaviour." };
        var users = new Option<string?>("--users") { Description = "Users file (YAML): EUIs, roles, response endpoints, certificates; default: DCC Boxed's sample originators." };
        var responseUrl = new Option<string?>("--response-url") { Description = "Send every user's responses and alerts to this one URL, like DCC Boxed's receive response service address." };
        var noSignatureCheck = new Option<bool>("--no-signature-check") { Description = "Do not verify request signatures (raw-throughput runs)." };
        var noSigning = new Option<bool>("--no-signing") { Description = "Do not sign responses and alerts." };
        var replayWindow = new Option<int>("--replay-window") { Description = "Accept, once, an originator counter up to this far below the highest seen (for clients sending one originator's requests over several connections); 0 (default) is strict." };
        var compression = new Option<double>("--time-compression") { Description = "Scenario seconds per real second: at 100 a 30 s device latency takes 0.3 s (default 1, real time).", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of device behaviour (latencies, failures, alerts).", DefaultValueFactory = _ => 1 };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "Serve HTTPS with this server certificate and key: PKCS#12 (.pfx, .p12), or PEM with the key in the same file or in --tls-key." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of a PEM --tls-cert (PKCS#8, encrypted or not)." };
        var tlsPassword = new Option<string?>("--tls-password") { Description = "Password of the --tls-cert file (PKCS#12) or of its encrypted PEM key." };
        var mutualTls = new Option<bool>("--mutual-tls") { Description = "Require a client certificate (mutual TLS); needs --tls-cert." };
        var clientCa = new Option<string?>("--client-ca") { Description = "With --mutual-tls, a CA bundle (PEM) the users' client certificates must chain to (and be valid for client authentication); without it any client certificate is accepted." };
        var deliveryCert = new Option<string?>("--delivery-client-cert") { Description = "Client certificate the DCC presents when it delivers to users' https endpoints (mutual TLS): PKCS#12, or PEM with the key in it or in --delivery-client-key." };
        var deliveryKey = new Option<string?>("--delivery-client-key") { Description = "PEM private key of a PEM --delivery-client-cert." };
        var deliveryPassword = new Option<string?>("--delivery-client-password") { Description = "Password of the --delivery-client-cert file (PKCS#12) or of its encrypted PEM key." };
        var deliveryCa = new Option<string?>("--delivery-ca") { Description = "CA bundle (PEM) the users' https endpoints' certificates must chain to, instead of the machine's trust store; their host names are checked as usual." };
        var noAlerts = new Option<bool>("--no-alerts") { Description = "Generate no background alerts or scheduled events." };
        var duration = new Option<double?>("--duration") { Description = "Run for this many seconds, then stop cleanly as on Ctrl-C." };
        var drain = new Option<double>("--drain") { Description = "When stopping, wait at most this many seconds for the lanes and deliveries to finish (default 30).", DefaultValueFactory = _ => 30 };
        var schemaSample = new Option<int?>("--schema-sample") { Description = "Validate one request in N against the DUIS schema (needs --duis-dir with schema/); default 1, every request; 0 turns it off." };

        var command = new Command("dcc", "Run the simulated DCC: a DCC Boxed-compatible DUIS endpoint (/api/v1/serviceS, serviceD, serviceT) over a simulated estate, with Prometheus metrics at /metrics.")
        {
            port, bind, estate, behaviour, users, responseUrl, noSignatureCheck, noSigning, replayWindow, compression, seed,
            tlsCert, tlsPassword, mutualTls, clientCa, noAlerts, duration, drain, schemaSample,
            tlsKey, deliveryCert, deliveryKey, deliveryPassword, deliveryCa,
        };
        var delivery = new DccDeliveryCommandOptions();
        delivery.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new DccSettings
            {
                Port = CheckPort(parse.GetValue(port)),
                Bind = ParseBind(parse.GetValue(bind)!),
                EstatePath = CheckFile(parse.GetValue(estate), "--estate"),
                BehaviourPath = CheckFile(parse.GetValue(behaviour), "--behaviour"),
                UsersPath = CheckFile(parse.GetValue(users), "--users"),
                ResponseUrl = ParseResponseUrl(parse.GetValue(responseUrl)),
                VerifySignatures = !parse.GetValue(noSignatureCheck),
                SignMessages = !parse.GetValue(noSigning),
                ReplayWindow = parse.GetValue(replayWindow) >= 0 ? parse.GetValue(replayWindow) : throw new CliException("--replay-window must be 0 (strict) or a positive number of counter values."),
                TimeCompression = CheckPositive(parse.GetValue(compression), "--time-compression", "a positive number of scenario seconds per real second (1 = real time)"),
                Seed = parse.GetValue(seed),
                TlsCertificatePath = CheckFile(parse.GetValue(tlsCert), "--tls-cert"),
                TlsPassword = parse.GetValue(tlsPassword),
                MutualTls = parse.GetValue(mutualTls),
                ClientCaPath = CheckFile(parse.GetValue(clientCa), "--client-ca"),
                Alerts = !parse.GetValue(noAlerts),
                Duration = parse.GetValue(duration) is { } seconds ? Seconds(CheckPositive(seconds, "--duration", "a positive number of seconds")) : null,
                Drain = Seconds(CheckNotNegative(parse.GetValue(drain), "--drain")),
                SchemaSample = parse.GetValue(schemaSample) is { } n ? (n >= 0 ? n : throw new CliException($"--schema-sample {n}: expected 0 (off) or a positive interval.")) : null,
                PkiDirectory = parse.GetValue(material.PkiDir),
                TlsKeyPath = CheckFile(parse.GetValue(tlsKey), "--tls-key"),
                DeliveryClientCertificatePath = CheckFile(parse.GetValue(deliveryCert), "--delivery-client-cert"),
                DeliveryClientKeyPath = CheckFile(parse.GetValue(deliveryKey), "--delivery-client-key"),
                DeliveryClientPassword = parse.GetValue(deliveryPassword),
                DeliveryCaPath = CheckFile(parse.GetValue(deliveryCa), "--delivery-ca"),
                SettingsPath = delivery.SettingsPath(parse),
                Delivery = delivery.Resolve(parse),
            };
            if (settings.MutualTls && settings.TlsCertificatePath is null)
            {
                throw new CliException("--mutual-tls needs --tls-cert: mutual TLS runs over HTTPS.");
            }

            if (settings.ClientCaPath is not null && !settings.MutualTls)
            {
                throw new CliException("--client-ca checks the client certificates --mutual-tls requires: give --mutual-tls too.");
            }

            if (settings.TlsPassword is not null && settings.TlsCertificatePath is null)
            {
                throw new CliException("--tls-password is the password of --tls-cert, which was not given.");
            }

            if (settings.TlsKeyPath is not null && settings.TlsCertificatePath is null)
            {
                throw new CliException("--tls-key is the key of a PEM --tls-cert, which was not given.");
            }

            if ((settings.DeliveryClientKeyPath ?? settings.DeliveryClientPassword) is not null && settings.DeliveryClientCertificatePath is null)
            {
                throw new CliException("--delivery-client-key and --delivery-client-password belong to --delivery-client-cert, which was not given.");
            }

            var environment = material.Open(parse);
            return await DccRunner.RunAsync(settings, environment, console, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static int CheckPort(int port)
        => port is >= 0 and <= 65535 ? port : throw new CliException($"--port {port}: expected a TCP port from 0 to 65535 (0 picks a free one).");

    private static IPAddress ParseBind(string text)
    {
        if (string.Equals(text, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(text, out var address)
            ? address
            : throw new CliException($"--bind {text}: not an IP address (use 127.0.0.1 for this machine only, 0.0.0.0 for every interface).");
    }

    private static string? CheckFile(string? path, string option)
    {
        if (path is null)
        {
            return null;
        }

        return File.Exists(path) ? Path.GetFullPath(path) : throw new CliException($"{option} {path}: file not found.");
    }

    private static Uri? ParseResponseUrl(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new CliException($"--response-url {text}: expected an absolute http:// or https:// URL, such as http://localhost:8080/receive-response.");
    }

    private static double CheckPositive(double value, string option, string expected)
        => value > 0 && double.IsFinite(value) ? value : throw new CliException($"{option} {value.ToString(CultureInfo.InvariantCulture)}: expected {expected}.");

    private static double CheckNotNegative(double value, string option)
        => value >= 0 && double.IsFinite(value) ? value : throw new CliException($"{option} {value.ToString(CultureInfo.InvariantCulture)}: expected a number of seconds, 0 or more.");

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);
}
