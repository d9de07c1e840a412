using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using CapacitySim.Load.Http;

namespace CapacitySim.Benchmarks;

/// <summary>
/// As <see cref="HttpClientBenchmarks"/>, over TLS (DUIS is XML over HTTPS): one request and its response on a kept
/// alive loopback connection. The server is a blocking TLS loop on its own thread that allocates nothing per
/// request, so the memory diagnoser's figure is the client's: its TLS send, its wait and its TLS read.
/// </summary>
[MemoryDiagnoser]
public class HttpClientTlsBenchmarks
{
    private static readonly byte[] RequestBody = Encoding.UTF8.GetBytes(
        "<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\"><sr:Header>"
        + "<sr:RequestID>90-B3-D5-1F-30-01-00-00:88-73-84-57-00-2F-96-1E:1660751141087</sr:RequestID>"
        + "<sr:CommandVariant>1</sr:CommandVariant><sr:ServiceReference>4.1</sr:ServiceReference>"
        + "<sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant></sr:Header><sr:Body><sr:ReadInstantaneousImportRegisters/>"
        + "</sr:Body></sr:Request>");

    private static readonly byte[] Response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 31\r\n\r\n<sr:Acknowledgement>I99</sr:Ack");

    private Socket listener = null!;
    private Thread server = null!;
    private X509Certificate2 certificate = null!;
    private DuisConnection connection = null!;
    private Tally tally = null!;

    [GlobalSetup]
    public void Setup()
    {
        certificate = CreateCertificate();
        listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var endpoint = new Uri($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/services");
        var requestLength = Encoding.ASCII.GetByteCount(
            $"POST /services HTTP/1.1\r\nHost: {endpoint.Authority}\r\nContent-Type: application/xml\r\nContent-Length: {RequestBody.Length}\r\n\r\n")
            + RequestBody.Length;
        server = new Thread(() => Serve(listener, certificate, requestLength)) { IsBackground = true, Name = "fixed-response TLS server" };
        server.Start();
        var trusted = certificate.GetCertHash(HashAlgorithmName.SHA256);
        connection = new DuisConnection(new DuisClientOptions
        {
            Endpoint = endpoint,
            ServerCertificateValidation = (_, presented, _, _) =>
                presented is not null && presented.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(trusted),
        });
        tally = new Tally();
        if (connection.ConnectAsync().AsTask().GetAwaiter().GetResult() != DuisHttpResult.Ok)
        {
            throw new InvalidOperationException("The fixed-response TLS server did not accept the connection.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        connection.Dispose();
        listener.Dispose();
        certificate.Dispose();
    }

    [Benchmark]
    public ValueTask<DuisHttpResult> PostAndReceive() => connection.SendAsync(new Body(), new Handler(tally));

    // Answers each complete request with the same bytes; the request's size is fixed, so counting bytes suffices.
    private static void Serve(Socket listener, X509Certificate2 certificate, int requestLength)
    {
        try
        {
            using var client = listener.Accept();
            client.NoDelay = true;
            using var tls = new SslStream(new NetworkStream(client, ownsSocket: false), leaveInnerStreamOpen: false);
            tls.AuthenticateAsServer(certificate);
            var buffer = new byte[64 * 1024];
            var pending = 0;
            while (true)
            {
                var read = tls.Read(buffer);
                if (read == 0)
                {
                    return;
                }

                pending += read;
                while (pending >= requestLength)
                {
                    pending -= requestLength;
                    tls.Write(Response);
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // The benchmark closed the connection.
        }
    }

    // A self-signed ECDSA P-256 server certificate (the curve DUIS uses) for 127.0.0.1.
    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=capacitysim-benchmark-dcc", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));

        // Round-trip through PKCS#12 so the private key is usable by the TLS stack.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    private sealed class Tally
    {
        public long BodyBytes;
    }

    private readonly struct Body : IRequestBody
    {
        public int Write(IBufferWriter<byte> output)
        {
            output.Write(RequestBody);
            return RequestBody.Length;
        }
    }

    private readonly struct Handler(Tally tally) : IResponseHandler
    {
        public void OnResponse(int status, in ReadOnlySequence<byte> body) => tally.BodyBytes += body.Length;
    }
}
