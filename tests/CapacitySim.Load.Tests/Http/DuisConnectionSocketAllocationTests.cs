using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CapacitySim.Load.Http;
using Xunit.Abstractions;
using static CapacitySim.Load.Tests.Http.ExchangeSamples;

namespace CapacitySim.Load.Tests.Http;

/// <summary>
/// Allocation is measured process-wide (the response completes on a socket thread, not the test's), so these tests
/// run alone: no other test may allocate while a window is measured.
/// </summary>
[CollectionDefinition(nameof(SocketAllocationRunsAlone), DisableParallelization = true)]
public sealed class SocketAllocationRunsAlone;

/// <summary>
/// The connection's send and receive over a real loopback socket, in the state a load run keeps it: the response
/// is never there yet when the client starts reading, so every read waits and is completed by the socket on another
/// thread, the path that allocated async state machines per request before.
/// </summary>
[Collection(nameof(SocketAllocationRunsAlone))]
public sealed class DuisConnectionSocketAllocationTests(ITestOutputHelper output)
{
    private const int Warmup = 2_000;
    private const int WindowRequests = 2_000;
    private const int Windows = 8;

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public void Steady_state_round_trips_that_wait_for_the_response_allocate_nothing(bool chunked, bool tls, bool socketLoop)
    {
        using var certificate = tls ? TestCertificates.CreateServer() : null;
        using var server = new GatedResponder(chunked ? ChunkedResponse : ContentLengthResponse, RequestBody.Length, certificate);
        var trusted = certificate?.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var connection = new DuisConnection(new DuisClientOptions
        {
            UseSocketLoop = socketLoop,
            Endpoint = server.Endpoint,
            ServerCertificateValidation = (_, presented, _, _) =>
                trusted is not null && presented is not null && presented.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256).AsSpan().SequenceEqual(trusted),
        });

        // A token that can be cancelled, as the load engine's stop token can: waiting on it must not allocate either.
        using var stopping = new CancellationTokenSource();
        var tally = new ResponseTally();
        using var sender = new Sender(connection, server, new TallyHandler(tally), stopping.Token);

        var run = sender.Run();
        output.WriteLine($"Bytes allocated per window of {WindowRequests} requests: {string.Join(", ", run.Bytes)}");

        // The fewest bytes of several windows: a one-off allocation of the runtime (tiered compilation, a new pool
        // thread) in a window must not fail the test, while anything the connection allocates per request recurs in
        // every window (2,000 requests: one byte per request fails).
        Assert.True(run.FewestBytes < WindowRequests, $"The fewest bytes allocated in a window of {WindowRequests} requests were {run.FewestBytes} (windows: {string.Join(", ", run.Bytes)}).");
        Assert.Equal(Warmup + (Windows * WindowRequests), run.Waited);
        Assert.Equal(Warmup + (Windows * WindowRequests), tally.Responses);
        Assert.Equal((Warmup + (Windows * WindowRequests)) * 31L, tally.BodyBytes);
        Assert.Equal(1, connection.ConnectCount);
        Assert.Equal(chunked ? ResponseBodyFraming.Chunked : ResponseBodyFraming.ContentLength, connection.LastResponseFraming);
        Assert.Equal(socketLoop && !tls && LoopSocketStream.IsSupported, connection.UsesSocketLoop);
    }

    private sealed record RunAllocations(long[] Bytes, int Waited)
    {
        public long FewestBytes => Bytes.Min();
    }

    /// <summary>
    /// Sends as a load engine's pacer does: each request is started on one thread and completed by a
    /// cached continuation on whichever thread the socket completes it, so that the thread that starts a wait is
    /// never the one that ends it.
    /// </summary>
    private sealed class Sender(DuisConnection connection, GatedResponder server, TallyHandler handler, CancellationToken cancellationToken) : IDisposable
    {
        private readonly SemaphoreSlim _completed = new(0);
        private readonly BytesBody _body = new(RequestBody);
        private Action? _onCompleted;
        private System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable<DuisHttpResult>.ConfiguredValueTaskAwaiter _awaiter;
        private DuisHttpResult _result;

        // On a thread of its own, as the pacer is: a blocked pool thread would make the pool add threads, and those
        // allocate while the windows are measured.
        public RunAllocations Run()
        {
            RunAllocations? run = null;
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try
                {
                    run = Measure();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            })
            {
                Name = "pacer",
            };
            thread.Start();
            thread.Join();
            return failure is null ? run! : throw new InvalidOperationException("The sends failed.", failure);
        }

        private RunAllocations Measure()
        {
            _onCompleted = OnCompleted;
            var bytes = new long[Windows];
            var waited = 0;
            for (var i = 0; i < Warmup; i++)
            {
                waited += RoundTrip();
            }

            for (var window = 0; window < Windows; window++)
            {
                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < WindowRequests; i++)
                {
                    waited += RoundTrip();
                }

                bytes[window] = GC.GetTotalAllocatedBytes(precise: true) - before;
            }

            return new RunAllocations(bytes, waited);
        }

        public void Dispose() => _completed.Dispose();

        // The server answers only once the send has returned, so the response is always awaited: returns 1 when the
        // send waited (always, unless the connection completed without the response).
        private int RoundTrip()
        {
#pragma warning disable CA2012 // Consumed exactly once: GetResult below or in the continuation.
            _awaiter = connection.SendAsync(_body, handler, cancellationToken).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
            if (_awaiter.IsCompleted)
            {
                server.Answer();
                _result = _awaiter.GetResult();
                Check();
                return 0;
            }

            _awaiter.UnsafeOnCompleted(_onCompleted!);
            server.Answer();
            _completed.Wait();
            Check();
            return 1;
        }

        private void OnCompleted()
        {
            _result = _awaiter.GetResult();
            _awaiter = default;
            _completed.Release();
        }

        private void Check()
        {
            if (_result != DuisHttpResult.Ok)
            {
                throw new InvalidOperationException("The round trip failed: " + _result);
            }
        }
    }

    /// <summary>
    /// A loopback HTTP server of one connection on its own thread that answers each request with fixed bytes, only
    /// when the test says so. Blocking socket calls and preallocated buffers: it allocates nothing per request, so
    /// the process-wide figure is the client's.
    /// </summary>
    private sealed class GatedResponder : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly SemaphoreSlim _answers = new(0);
        private readonly Thread _thread;
        private readonly byte[] _response;
        private readonly int _requestLength;
        private readonly X509Certificate2? _certificate;
        private Socket? _client;
        private volatile bool _stopping;

        public GatedResponder(byte[] response, int requestBodyLength, X509Certificate2? certificate = null)
        {
            _response = response;
            _certificate = certificate;
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(1);
            var port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            Endpoint = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}/services");

            // The request's size is fixed, so counting its bytes finds where each one ends.
            _requestLength = Encoding.ASCII.GetByteCount(
                $"POST /services HTTP/1.1\r\nHost: {Endpoint.Authority}\r\nContent-Type: application/xml\r\nContent-Length: {requestBodyLength}\r\n\r\n")
                + requestBodyLength;
            _thread = new Thread(Serve) { IsBackground = true, Name = "gated responder" };
            _thread.Start();
        }

        public Uri Endpoint { get; }

        public void Answer() => _answers.Release();

        public void Dispose()
        {
            _stopping = true;
            _answers.Release();
            _listener.Dispose();
            _client?.Dispose();
            _thread.Join();
            _answers.Dispose();
        }

        private void Serve()
        {
            try
            {
                _client = _listener.Accept();
                _client.NoDelay = true;
                using var stream = new NetworkStream(_client, ownsSocket: false);
                if (_certificate is null)
                {
                    Serve(stream);
                }
                else
                {
                    using var tls = new SslStream(stream, leaveInnerStreamOpen: true);
                    tls.AuthenticateAsServer(_certificate);
                    Serve(tls);
                }
            }
            catch (Exception e) when (_stopping && e is SocketException or IOException or ObjectDisposedException)
            {
                // The test is over and closed the sockets under the blocking call.
            }
        }

        private void Serve(Stream stream)
        {
            var buffer = new byte[64 * 1024];
            var pending = 0;
            while (!_stopping)
            {
                var read = stream.Read(buffer);
                if (read == 0)
                {
                    return;
                }

                pending += read;
                while (pending >= _requestLength)
                {
                    pending -= _requestLength;
                    _answers.Wait();
                    if (_stopping)
                    {
                        return;
                    }

                    stream.Write(_response);
                }
            }
        }
    }
}
