using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CapacitySim.Cli.Tls;
using CapacitySim.Load.Hosting;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Cli.Run;

/// <summary>
/// A run's TLS, both ways: the users' client certificate and the check of the target's server certificate, the
/// receiver's server certificate and the check of the DCC's client certificate. Each setting comes from its option,
/// else from the scenario's <c>target.tls</c>; every file is read, and every combination that cannot work is refused,
/// before anything listens or connects. Certificates are checked unless <c>--insecure</c> says otherwise.
/// </summary>
internal sealed class RunTls : IDisposable
{
    private static readonly CertificateOptionNames ClientNames = new("--client-cert", "--client-key", "--client-cert-password", "--client-key-password");
    private static readonly CertificateOptionNames ListenNames = new("--listen-cert", "--listen-key", "--listen-cert-password", "--listen-key-password");

    private RunTls()
    {
    }

    /// <summary>The certificate the users present to the target, or null.</summary>
    public X509Certificate2? ClientCertificate { get; private init; }

    /// <summary>The check of the target's server certificate: the CA bundle's, <c>--insecure</c>'s, or null for the machine's trust store.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateCheck { get; private init; }

    /// <summary>The receiver's server certificate, or null for plain HTTP.</summary>
    public X509Certificate2? ReceiverCertificate { get; private init; }

    /// <summary>The receiver's check of the DCC's client certificate, or null when it requires none.</summary>
    public Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? ReceiverClientCertificateCheck { get; private init; }

    private CustomRootTrust? TargetTrust { get; init; }

    /// <summary>Resolves and loads the run's TLS settings; throws <see cref="CliException"/> naming what is wrong.</summary>
    /// <param name="settings">The command line.</param>
    /// <param name="scenario">The scenario, whose <c>target.tls</c> fills what the command line leaves out.</param>
    /// <param name="target">The external DCC, or null for the embedded one.</param>
    /// <param name="listen">Where the receiver listens.</param>
    public static RunTls Resolve(RunSettings settings, Scenario scenario, Uri? target, Uri listen)
    {
        var cli = settings.Tls;
        var file = scenario.Target?.Tls ?? new TargetTlsOptions();

        // A certificate given on the command line replaces the scenario's together with its key and passwords.
        var clientFile = cli.ClientCert is null ? file : file with { ClientKey = null, ClientCertPassword = null, ClientKeyPassword = null };
        var listenFile = cli.ListenCert is null ? file : file with { ListenKey = null, ListenCertPassword = null, ListenKeyPassword = null };
        TlsFile? Pick(string? option, string optionName, string? fromFile, string key)
            => option is not null ? new TlsFile(option, optionName)
                : fromFile is not null ? new TlsFile(fromFile, Origin(scenario, key))
                : null;

        var clientCert = Pick(cli.ClientCert, "--client-cert", file.ClientCert, "clientCert");
        var clientKey = Pick(cli.ClientKey, "--client-key", clientFile.ClientKey, "clientKey");
        var ca = Pick(cli.CaCert, "--ca-cert", file.CaCert, "caCert");
        var listenCert = Pick(cli.ListenCert, "--listen-cert", file.ListenCert, "listenCert");
        var listenKey = Pick(cli.ListenKey, "--listen-key", listenFile.ListenKey, "listenKey");
        var listenCa = Pick(cli.ListenCa, "--listen-ca", file.ListenCa, "listenCa");
        var mutual = cli.ListenMutualTls || file.ListenMutualTls;
        var clientCertPassword = cli.ClientCertPassword ?? clientFile.ClientCertPassword;
        var clientKeyPassword = cli.ClientKeyPassword ?? clientFile.ClientKeyPassword;
        var listenCertPassword = cli.ListenCertPassword ?? listenFile.ListenCertPassword;
        var listenKeyPassword = cli.ListenKeyPassword ?? listenFile.ListenKeyPassword;

        // ---- the users' side: towards the target ----
        if (target?.Scheme != Uri.UriSchemeHttps && (clientCert ?? clientKey ?? ca) is { } clientSide)
        {
            var why = target is null ? "the run targets the embedded simulated DCC, which the users reach over plain HTTP" : $"--target {target} is http";
            throw new CliException($"{clientSide.Origin} is for an https target, but {why}.");
        }

        if (clientCert is null && (clientKey is not null || (clientCertPassword ?? clientKeyPassword) is not null))
        {
            throw new CliException("--client-key, --client-key-password and --client-cert-password belong to --client-cert (or target.tls.clientCert), which is not given.");
        }

        if (settings.Insecure && ca is not null)
        {
            throw new CliException($"--insecure and {ca.Origin} contradict each other: --insecure accepts any server certificate, {ca.Origin} only those chained to its CAs. Give one of them.");
        }

        // ---- the receiver's side: the DCC delivering to it ----
        var listenHttps = listen.Scheme == Uri.UriSchemeHttps;
        if (listenHttps && listenCert is null)
        {
            throw new CliException($"--listen {listen}: an https receiver needs its server certificate: give --listen-cert (or target.tls.listenCert).");
        }

        if (!listenHttps && (listenCert ?? listenKey) is { } listenSide)
        {
            throw new CliException($"{listenSide.Origin} is for an https receiver, but it listens at {listen}: give an https --listen.");
        }

        if (mutual && !listenHttps)
        {
            throw new CliException($"--listen-mutual-tls (or target.tls.listenMutualTls) needs an https receiver, but it listens at {listen}: mutual TLS runs over HTTPS.");
        }

        if (!mutual && listenCa is not null)
        {
            throw new CliException($"{listenCa.Origin} is the CA bundle the DCC's client certificate is checked against, which only --listen-mutual-tls asks for.");
        }

        listenCa ??= ca;
        if (mutual && listenCa is null)
        {
            throw new CliException("--listen-mutual-tls needs --listen-ca (or --ca-cert): the CA bundle the DCC's client certificate must chain to.");
        }

        if (mutual && target is null)
        {
            throw new CliException("--listen-mutual-tls checks the DCC's client certificate, and the embedded simulated DCC has none: mutual TLS at the receiver is for an external DCC (--target), such as capacitysim dcc --delivery-client-cert.");
        }

        X509Certificate2? client = null;
        X509Certificate2? receiver = null;
        try
        {
            var trust = ca is null ? null : new CustomRootTrust(CertificateFiles.LoadCaBundle(ca), $"{ca.Origin} {ca.Path}");
            client = clientCert is null ? null : CertificateFiles.LoadIdentity(new CertificateFileSet(clientCert, clientKey, clientCertPassword, clientKeyPassword, ClientNames));
            receiver = listenCert is null ? null : CertificateFiles.LoadIdentity(new CertificateFileSet(listenCert, listenKey, listenCertPassword, listenKeyPassword, ListenNames));
            var dccTrust = !mutual ? null : ReferenceEquals(listenCa, ca) ? trust : new CustomRootTrust(CertificateFiles.LoadCaBundle(listenCa!), $"{listenCa!.Origin} {listenCa.Path}");
            return new RunTls
            {
                ClientCertificate = client,
                TargetTrust = trust,
#pragma warning disable CA5359 // --insecure is the user's explicit choice for a test endpoint's self-signed certificate.
                ServerCertificateCheck = settings.Insecure ? static (_, _, _, _) => true : trust?.ServerCertificateCallback,
#pragma warning restore CA5359
                ReceiverCertificate = receiver,
                ReceiverClientCertificateCheck = dccTrust?.ClientCertificateCallback,
            };
        }
        catch
        {
            client?.Dispose();
            receiver?.Dispose();
            throw;
        }
    }

    /// <summary>The certificates and checks as the run host takes them.</summary>
    public RunTlsMaterial Material() => new()
    {
        ClientCertificate = ClientCertificate,
        ServerCertificateCheck = ServerCertificateCheck,
        ReceiverCertificate = ReceiverCertificate,
        ReceiverClientCertificateCheck = ReceiverClientCertificateCheck,
        EmbeddedDeliveryTls = EmbeddedDeliveryTls(),
    };

    /// <summary>
    /// How the embedded DCC reaches an https receiver in the same process: it trusts exactly the certificate the
    /// receiver serves, which it knows without a CA. Null for a plain HTTP receiver.
    /// </summary>
    public Action<SocketsHttpHandler>? EmbeddedDeliveryTls()
    {
        if (ReceiverCertificate is null)
        {
            return null;
        }

        var pinned = ReceiverCertificate.GetCertHash(HashAlgorithmName.SHA256);
        return handler => TlsClient.Configure(
            handler.SslOptions,
            certificate: null,
            (_, certificate, _, _) => certificate is not null && certificate.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(pinned));
    }

    /// <summary>
    /// Connects once to an https target as the run's connections will, so that an untrusted server certificate or a
    /// refused client certificate stops the run with one clear message instead of failing every request.
    /// </summary>
    public async Task CheckTargetAsync(Uri target, CancellationToken cancellationToken)
    {
        if (target.Scheme != Uri.UriSchemeHttps)
        {
            return;
        }

        var problem = await TlsClient.ProbeAsync(target, ClientCertificate, ServerCertificateCheck, () => TargetTrust?.LastRejection, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            var hint = TargetTrust is null && problem.StartsWith("the TLS handshake failed", StringComparison.Ordinal)
                ? " (a test DCC's certificate usually chains to its own CA: give it with --ca-cert)"
                : string.Empty;
            throw new CliException($"--target {target}: {problem}{hint}; nothing was run.");
        }
    }

    public void Dispose()
    {
        ClientCertificate?.Dispose();
        ReceiverCertificate?.Dispose();
    }

    private static string Origin(Scenario scenario, string key)
    {
        var at = scenario.PositionOf("target.tls." + key);
        return $"{scenario.Source}:{at.Line}:{at.Column}: target.tls.{key}";
    }
}
