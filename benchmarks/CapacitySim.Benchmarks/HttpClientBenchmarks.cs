using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using CapacitySim.Load.Http;

namespace CapacitySim.Benchmarks;

/// <summary>
/// One DUIS request and its response over a real loopback TCP connection, kept alive. The server is a plain
/// socket loop on its own thread that allocates nothing, so the memory diagnoser's process-wide figure is the
/// client's own: its send, its wait for the response (which completes asynchronously) and its parse.
/// </summary>
[MemoryDiagnoser]
public class HttpClientBenchmarks
{
    private static readonly byte[] RequestBody = Encoding.UTF8.GetBytes(
        "<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\" schemaVersion=\"5.4\"><sr:Header>"
        + "<sr:RequestID>90-B3-D5-1F-30-01-00-00:88-73-84-57-00-2F-96-1E:1660751141087</sr:RequestID>"
        + "<sr:CommandVariant>1</sr:CommandVariant><sr:ServiceReference>4.1</sr:ServiceReference>"
        + "<sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant></sr:Header><sr:Body><sr:ReadInstantaneousImportRegisters/>"
        + "</sr:Body></sr:Request>");

    private static readonly byte[] ContentLengthResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 31\r\n\r\n<sr:Acknowledgement>I99</sr:Ack");

    private static readonly byte[] ChunkedResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n<sr:Acknowledgem\r\n0F\r\nent>I99</sr:Ack\r\n0\r\n\r\n");

    private Socket listener = null!;
    private Thread server = null!;
    private DuisConnection connection = null!;
    private Tally tally = null!;

    /// <summary>Whether the server answers with a chunked body rather than a Content-Length one.</summary>
    [Params(false, true)]
    public bool Chunked { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/services");
        var requestLength = Encoding.ASCII.GetByteCount(
            $"POST /services HTTP/1.1\r\nHost: {endpoint.Authority}\r\nContent-Type: application/xml\r\nContent-Length: {RequestBody.Length}\r\n\r\n")
            + RequestBody.Length;
        var response = Chunked ? ChunkedResponse : ContentLengthResponse;
        server = new Thread(() => Serve(listener, requestLength, response)) { IsBackground = true, Name = "fixed-response server" };
        server.Start();
        connection = new DuisConnection(new DuisClientOptions { Endpoint = endpoint });
        tally = new Tally();
        if (connection.ConnectAsync().AsTask().GetAwaiter().GetResult() != DuisHttpResult.Ok)
        {
            throw new InvalidOperationException("The fixed-response server did not accept the connection.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        connection.Dispose();
        listener.Dispose();
    }

    [Benchmark]
    public ValueTask<DuisHttpResult> PostAndReceive() => connection.SendAsync(new Body(), new Handler(tally));

    // Answers each complete request with the same bytes; the request's size is fixed, so counting bytes suffices.
    private static void Serve(Socket listener, int requestLength, byte[] response)
    {
        Socket client;
        try
        {
            client = listener.Accept();
        }
        catch (SocketException)
        {
            return;
        }

        client.NoDelay = true;
        var buffer = new byte[64 * 1024];
        var pending = 0;
        try
        {
            while (true)
            {
                var read = client.Receive(buffer);
                if (read == 0)
                {
                    return;
                }

                pending += read;
                while (pending >= requestLength)
                {
                    pending -= requestLength;
                    client.Send(response);
                }
            }
        }
        catch (SocketException)
        {
            // The benchmark closed the connection.
        }
        finally
        {
            client.Dispose();
        }
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
