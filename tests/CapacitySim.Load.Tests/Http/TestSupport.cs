using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CapacitySim.Load.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CapacitySim.Load.Tests.Http;

/// <summary>A request body of fixed bytes, as a struct so that the send path is specialised for it.</summary>
internal readonly struct BytesBody(byte[] bytes) : IRequestBody
{
    public int Write(IBufferWriter<byte> output)
    {
        output.Write(bytes);
        return bytes.Length;
    }
}

/// <summary>Keeps a copy of the last response, for assertions.</summary>
internal sealed class CapturingHandler : IResponseHandler
{
    public int Status { get; private set; }

    public byte[] Body { get; private set; } = [];

    public int Count { get; private set; }

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public void OnResponse(int status, in ReadOnlySequence<byte> body)
    {
        Status = status;
        Body = body.ToArray();
        Count++;
    }
}

/// <summary>Sums what arrives without allocating, as a load worker's handler would.</summary>
internal sealed class ResponseTally
{
    public long Responses;
    public long BodyBytes;
    public long LastStatus;
}

internal readonly struct TallyHandler(ResponseTally tally) : IResponseHandler
{
    public void OnResponse(int status, in ReadOnlySequence<byte> body)
    {
        tally.Responses++;
        tally.BodyBytes += body.Length;
        tally.LastStatus = status;
    }
}

/// <summary>An in-memory pipe pair standing in for a socket: what the client writes, the test reads, and back.</summary>
internal sealed class InMemoryTransport : IDuplexPipe
{
    public Pipe ToServer { get; } = new(new PipeOptions(useSynchronizationContext: false));

    public Pipe ToClient { get; } = new(new PipeOptions(useSynchronizationContext: false));

    public PipeReader Input => ToClient.Reader;

    public PipeWriter Output => ToServer.Writer;
}

/// <summary>A real Kestrel server on a loopback port chosen by the system, counting the connections it accepts.</summary>
internal sealed class KestrelTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConnectionCounter _counter;

    private KestrelTestServer(WebApplication app, ConnectionCounter counter, Uri endpoint)
    {
        _app = app;
        _counter = counter;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public int ConnectionCount => Volatile.Read(ref _counter.Count);

    public static async Task<KestrelTestServer> StartAsync(
        RequestDelegate handler,
        X509Certificate2? certificate = null,
        bool requireClientCertificate = false,
        Action<KestrelServerOptions>? configure = null)
    {
        var counter = new ConnectionCounter();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            configure?.Invoke(kestrel);
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Use(next => context =>
                {
                    Interlocked.Increment(ref counter.Count);
                    return next(context);
                });
                if (certificate is not null)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = certificate,
                        ClientCertificateMode = requireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
                        ClientCertificateValidation = (_, _, _) => true,
                    });
                }
            });
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new KestrelTestServer(app, counter, new Uri(address.TrimEnd('/') + "/services"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class ConnectionCounter
    {
        public int Count;
    }
}

internal static class TestCertificates
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>A self-signed ECDSA P-256 certificate (the curve DUIS uses) for 127.0.0.1 and localhost.</summary>
    public static X509Certificate2 CreateServer() => Create("CN=capacitysim-test-dcc", ServerAuth, withLoopbackNames: true);

    public static X509Certificate2 CreateClient() => Create("CN=capacitysim-test-user", ClientAuth, withLoopbackNames: false);

    private static X509Certificate2 Create(string subject, string usage, bool withLoopbackNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        if (withLoopbackNames)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));

        // Round-trip through PKCS#12 so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
