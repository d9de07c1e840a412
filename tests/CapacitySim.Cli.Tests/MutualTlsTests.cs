using System.Globalization;
using System.Text.RegularExpressions;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Results;

namespace CapacitySim.Cli.Tests;

/// <summary>
/// Mutual TLS both ways, as on the DCC's interface: <c>capacitysim run</c> presents the users' client certificate to
/// <c>capacitysim dcc --mutual-tls</c> and checks its server certificate against a CA bundle; the DCC delivers to the
/// run's https receiver with its own client certificate, which the receiver checks. Certificates are made by the test
/// (<see cref="TestTlsPki"/>); both commands run in-process as a user runs them.
/// </summary>
public sealed partial class MutualTlsTests : IClassFixture<TestTlsPki>, IDisposable
{
    private readonly TestTlsPki pki;
    private readonly TempFolder temp = new();

    public MutualTlsTests(TestTlsPki pki) => this.pki = pki;

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Signed_run_over_mutual_TLS_both_ways_accounts_for_every_request_and_every_delivery_succeeds()
    {
        var receiverPort = LoopbackPort.Unused();
        var receiveUrl = $"https://127.0.0.1:{receiverPort}/receive-response";

        // The DCC: HTTPS from PKCS#12, client certificates required; delivering with its own PEM certificate (encrypted
        // key) and trusting only the test CA for the users' endpoints.
        await using var dcc = StartDcc(
            60,
            "--tls-cert", pki.ServerPfx, "--tls-password", TestTlsPki.Password, "--mutual-tls", "--client-ca", pki.CaPem,
            "--response-url", receiveUrl,
            "--delivery-client-cert", pki.DccPem, "--delivery-client-key", pki.DccKeyEncrypted, "--delivery-client-password", TestTlsPki.Password,
            "--delivery-ca", pki.CaPem);
        var target = await dcc.ListeningUrlAsync();
        Assert.StartsWith("https://", target, StringComparison.Ordinal);

        // The users' certificate and the CA come from the scenario (paths relative to it); the receiver's from options.
        File.Copy(pki.UserPfx, temp.File("user.p12"));
        File.Copy(pki.CaPem, temp.File("ca.pem"));
        var scenario = WriteScenario("mtls", target, "  tls:\n    clientCert: user.p12\n    clientCertPassword: " + TestTlsPki.Password + "\n    caCert: ca.pem\n");
        var output = temp.File("mtls-out");
        var (exit, stdout, stderr) = await RunAsync(
            "run", scenario, "--listen", receiveUrl, "--listen-cert", pki.ServerPem, "--listen-key", pki.ServerKey, "--listen-mutual-tls",
            "--no-progress", "--connections", "8", "-o", output);

        Assert.True(exit is 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("signing on", stdout, StringComparison.Ordinal);
        Assert.Contains($"responses and alerts to {receiveUrl}/", stdout, StringComparison.Ordinal);
        var c = ReadSummary(output).Counts;

        // Every request ends in exactly one place, all of them answered: device requests only through a delivery.
        Assert.True(c.Sent > 100, $"only {c.Sent} sent");
        Assert.Equal(c.Sent, c.Responded + c.Abandoned + c.TimedOut + c.InFlightAtEnd);
        Assert.Equal(c.Sent, c.Responded);
        Assert.True(c.Acknowledged > 0, "no device request was acknowledged");
        Assert.Equal(0, c.Unknown);

        var (dccExit, books, dccError) = await dcc.ExitAsync();
        Assert.True(dccExit == 0, $"dcc exit {dccExit}: {dccError}");
        Assert.Matches($@"\n  received +{c.Sent}\r?\n", books);
        Assert.Matches(@"\n  refusals by reason +none\r?\n", books);
        var delivery = DeliveryLine().Match(books);
        Assert.True(delivery.Success, books);
        Assert.Equal(c.Acknowledged, Count(delivery, "taken"));
        Assert.Equal(c.Acknowledged, Count(delivery, "delivered"));

        // Every delivery arrived over mutual TLS. An attempt may still fail and be retried when the shared machine is
        // slow (the DCC's 30 s attempt time-out is 0.3 s at x100), so failed attempts are not required to be zero.
        Assert.Matches(@"\n  balanced +yes ", books);
    }

    [Fact]
    public async Task Mutual_TLS_refuses_a_client_without_a_certificate_an_untrusted_server_and_a_DCC_without_a_certificate()
    {
        var receiverPort = LoopbackPort.Unused();
        var receiveUrl = $"https://127.0.0.1:{receiverPort}/receive-response";

        // This DCC trusts the users' receiver but has no client certificate of its own to deliver with.
        await using var dcc = StartDcc(
            90,
            "--tls-cert", pki.ServerPem, "--tls-key", pki.ServerKey, "--mutual-tls", "--response-url", receiveUrl, "--delivery-ca", pki.CaPem);
        var target = await dcc.ListeningUrlAsync();
        var scenario = WriteScenario("refused", target, string.Empty);

        // A user without a client certificate is refused by the DCC, and the run says so before it sends anything.
        var (exit, stdout, stderr) = await RunAsync("run", scenario, "--ca-cert", pki.CaPem, "--no-progress", "-o", temp.File("no-cert-out"));
        Assert.True(exit == 2, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains($"--target {target}", stderr, StringComparison.Ordinal);
        Assert.Contains("requires a client certificate", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("no-cert-out")));

        // A server certificate that does not chain to --ca-cert is refused with the reason.
        (exit, stdout, stderr) = await RunAsync(
            "run", scenario, "--client-cert", pki.UserPem, "--client-key", pki.UserKey, "--ca-cert", pki.OtherCaPem, "--no-progress", "-o", temp.File("other-ca-out"));
        Assert.True(exit == 2, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains($"does not chain to --ca-cert {pki.OtherCaPem}", stderr, StringComparison.Ordinal);
        Assert.Matches(@"does not chain to --ca-cert .*: (UntrustedRoot|PartialChain): ", stderr);

        // Without --ca-cert the machine's trust store does not know the test CA either.
        (exit, _, stderr) = await RunAsync("run", scenario, "--client-cert", pki.UserPem, "--client-key", pki.UserKey, "--no-progress", "-o", temp.File("store-out"));
        Assert.Equal(2, exit);
        Assert.Contains("give it with --ca-cert", stderr, StringComparison.Ordinal);

        // With both certificates right the requests go through, but the receiver requires the DCC's certificate: every
        // delivery fails, is counted and retried, and no response reaches the users.
        var output = temp.File("undelivered-out");
        (exit, stdout, stderr) = await RunAsync(
            "run", scenario, "--client-cert", pki.UserPem, "--client-key", pki.UserKey, "--ca-cert", pki.CaPem,
            "--listen", receiveUrl, "--listen-cert", pki.ServerPfx, "--listen-cert-password", TestTlsPki.Password, "--listen-mutual-tls",
            "--no-progress", "--connections", "8", "-o", output);
        Assert.True(exit is 0 or 1, $"exit {exit}\n{stdout}\n{stderr}");
        var c = ReadSummary(output).Counts;
        Assert.True(c.Acknowledged > 0, "no device request was acknowledged");
        Assert.Equal(c.Sent, c.Responded + c.Abandoned + c.TimedOut + c.InFlightAtEnd);
        Assert.Equal(c.Acknowledged, c.TimedOut);

        var (dccExit, books, dccError) = await dcc.ExitAsync();
        Assert.True(dccExit == 0, $"dcc exit {dccExit}: {dccError}");
        Assert.Matches($@"\n  received +{c.Sent}\r?\n", books);
        var delivery = DeliveryLine().Match(books);
        Assert.True(delivery.Success, books);
        Assert.Equal(c.Acknowledged, Count(delivery, "taken"));
        Assert.Equal(0, Count(delivery, "delivered"));
        Assert.True(Count(delivery, "failed") >= 2, $"the failed deliveries were not retried: {delivery.Value}");
    }

    [Theory]
    [InlineData("--client-cert=missing.pem", "--client-cert missing.pem: file not found")]
    [InlineData("--client-cert={user.pem}", "holds a certificate but no private key; TLS needs both: give the key as --client-key FILE")]
    [InlineData("--client-cert={user.p12}|--client-cert-password=wrong", "wrong --client-cert-password")]
    [InlineData("--client-cert={user.p12}", "it is protected by a password (give --client-cert-password)")]
    [InlineData("--client-cert={dcc.pem}|--client-key={dcc.key}|--client-key-password=wrong", "cannot decrypt the private key: wrong --client-key-password")]
    [InlineData("--client-cert={dcc.pem}|--client-key={dcc.key}", "the private key is encrypted: give its password as --client-key-password")]
    [InlineData("--client-cert={user.pem}|--client-key={server.key}", "the private key does not belong to the certificate")]
    [InlineData("--client-cert={expired.pem}|--client-key={expired.key}", "the certificate CN=CapacitySim expired supplier expired on ")]
    [InlineData("--ca-cert={empty-bundle.pem}", "the CA bundle holds no certificate")]
    [InlineData("--ca-cert={ca.pem}|--insecure", "--insecure and --ca-cert contradict each other")]
    [InlineData("--client-key={user.key}", "belong to --client-cert (or target.tls.clientCert), which is not given")]
    [InlineData("--listen=https://127.0.0.1:0/r", "an https receiver needs its server certificate: give --listen-cert")]
    [InlineData("--listen-cert={server.pem}|--listen-key={server.key}", "is for an https receiver, but it listens at http://0.0.0.0:8080/receive-response")]
    [InlineData("--listen=https://127.0.0.1:0/r|--listen-cert={server.pfx}|--listen-cert-password=" + TestTlsPki.Password + "|--listen-mutual-tls", "--listen-mutual-tls needs --listen-ca (or --ca-cert)")]
    public void Bad_TLS_options_exit_2_with_a_clear_message_before_anything_connects(string options, string message)
    {
        var scenario = WriteScenario("bad-tls", "https://127.0.0.1:1", string.Empty);
        var args = new List<string> { "run", scenario, "--no-progress", "-o", temp.File("bad-out") };
        args.AddRange(options.Split('|').Select(o => PlaceholderPattern().Replace(o, m => Path.Combine(pki.Folder, m.Groups[1].Value))));
        var (exit, _, error) = CliRunner.Run([.. args]);

        Assert.True(exit == 2, error);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot connect", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutual_TLS_at_the_receiver_is_refused_with_the_embedded_DCC_which_has_no_client_certificate()
    {
        var scenario = WriteScenario("embedded", target: null, string.Empty);
        var (exit, _, error) = CliRunner.Run(
            "run", scenario, "--no-progress", "-o", temp.File("embedded-out"),
            "--listen", "https://127.0.0.1:0/r", "--listen-cert", pki.ServerPfx, "--listen-cert-password", TestTlsPki.Password, "--listen-mutual-tls", "--ca-cert", pki.CaPem);
        Assert.Equal(2, exit);
        Assert.Contains("--ca-cert is for an https target, but the run targets the embedded simulated DCC", error, StringComparison.Ordinal);

        (exit, _, error) = CliRunner.Run(
            "run", scenario, "--no-progress", "-o", temp.File("embedded-out"),
            "--listen", "https://127.0.0.1:0/r", "--listen-cert", pki.ServerPfx, "--listen-cert-password", TestTlsPki.Password, "--listen-mutual-tls", "--listen-ca", pki.CaPem);
        Assert.Equal(2, exit);
        Assert.Contains("the embedded simulated DCC has none", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_DCC_delivers_to_an_https_receiver()
    {
        var scenario = WriteScenario("embedded-https", target: null, string.Empty);
        var output = temp.File("embedded-https-out");
        var (exit, stdout, stderr) = CliRunner.Run(
            "--pki-dir", temp.File("pki"), "run", scenario, "--no-progress", "-o", output,
            "--listen", "https://127.0.0.1:0/receive-response", "--listen-cert", pki.ServerPem, "--listen-key", pki.ServerKey);

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("responses and alerts to https://127.0.0.1:", stdout, StringComparison.Ordinal);
        var summary = ReadSummary(output);
        Assert.True(summary.Counts.Acknowledged > 0);
        Assert.Equal(summary.Counts.Sent, summary.Counts.Responded);
        Assert.Equal(summary.Dcc!.ResponsesDelivered, summary.Counts.Acknowledged);
        Assert.Equal(0, summary.Dcc.DeliveryRetries);
    }

    [Fact]
    public async Task DCC_with_a_client_CA_refuses_a_user_certificate_of_another_CA_and_the_run_says_so()
    {
        // The users' certificate is issued by the test CA; this DCC trusts only the other CA's.
        await using var dcc = StartDcc(30, "--tls-cert", pki.ServerPem, "--tls-key", pki.ServerKey, "--mutual-tls", "--client-ca", pki.OtherCaPem);
        var target = await dcc.ListeningUrlAsync();
        var scenario = WriteScenario("other-client-ca", target, string.Empty);

        var (exit, stdout, stderr) = await RunAsync(
            "run", scenario, "--client-cert", pki.UserPem, "--client-key", pki.UserKey, "--ca-cert", pki.CaPem, "--no-progress", "-o", temp.File("other-client-ca-out"));
        Assert.True(exit == 2, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains($"--target {target}", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("other-client-ca-out")));

        var (dccExit, books, dccError) = await dcc.ExitAsync();
        Assert.True(dccExit == 0, $"dcc exit {dccExit}: {dccError}");
        Assert.Matches(@"\n  received +0\r?\n", books);
    }

    [Fact]
    public void DCC_client_CA_without_mutual_TLS_is_refused_before_it_listens()
    {
        var (exit, output, error) = CliRunner.Run("--pki-dir", temp.File("pki"), "dcc", "--port", "0", "--tls-cert", pki.ServerPfx, "--tls-password", TestTlsPki.Password, "--client-ca", pki.CaPem);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
        Assert.Contains("--client-ca checks the client certificates --mutual-tls requires", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DCC_delivery_certificate_without_its_key_is_refused_before_it_listens()
    {
        var (exit, output, error) = CliRunner.Run("--pki-dir", temp.File("pki"), "dcc", "--port", "0", "--delivery-client-cert", pki.UserPem);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("listening", output, StringComparison.Ordinal);
        Assert.Contains($"--delivery-client-cert {pki.UserPem}: the PEM file holds a certificate but no private key", error, StringComparison.Ordinal);
        Assert.Contains("give the key as --delivery-client-key FILE", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Starts the DCC for <paramref name="seconds"/>: long enough for every run a test makes against it, with room for a
    /// machine whose cores the other test assemblies share (the DCC runs its whole duration whatever the test does).
    /// </summary>
    private DccRun StartDcc(int seconds, params string[] tls)
    {
        // The DCC serves the same estate as the scenario, accelerated alike, accepting the run's counters out of order.
        string[] common =
        [
            "--pki-dir", temp.File("pki"), "dcc", "--port", "0", "--duration", seconds.ToString(CultureInfo.InvariantCulture), "--drain", "5", "--time-compression", "100",
            "--no-alerts", "--replay-window", "1000000", "--estate", Estate(),
        ];
        return DccRun.Start([.. common, .. tls]);
    }

    private Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
        => Task.Run(() => CliRunner.Run(["--pki-dir", temp.File("pki"), .. args]));

    /// <summary>The shipped default estate cut to 200 premises: small enough for a short run on both sides.</summary>
    private string Estate()
    {
        var path = temp.File("estate.yaml");
        if (!File.Exists(path))
        {
            var text = File.ReadAllText(Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "estates", "default.yaml"));
            File.WriteAllText(path, Regex.Replace(text, @"(?m)^premises: \d+", "premises: 200"));
        }

        return path;
    }

    private string WriteScenario(string name, string? target, string tls)
        => TestScenario.Write(
            temp.File(name + ".yaml"),
            name,
            $"{{ spec: \"{Estate().Replace('\\', '/')}\" }}",
            tail: target is null ? string.Empty : $"target:\n  url: {target}\n{tls}");

    private static long Count(Match delivery, string group) => long.Parse(delivery.Groups[group].Value, CultureInfo.InvariantCulture);

    private static RunSummary ReadSummary(string folder)
    {
        using var file = File.OpenRead(Path.Combine(folder, RunSummaryJson.FileName));
        return RunSummaryJson.Read(file);
    }

    [GeneratedRegex(@"\n  delivery +taken (?<taken>\d+), delivered (?<delivered>\d+), .*failed attempts (?<failed>\d+)")]
    private static partial Regex DeliveryLine();

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex PlaceholderPattern();
}
