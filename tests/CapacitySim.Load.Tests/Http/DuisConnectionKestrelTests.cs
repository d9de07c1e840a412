using System.Net;
using System.Net.Sockets;
using System.Text;
using CapacitySim.Load.Http;
using Microsoft.AspNetCore.Http;

namespace CapacitySim.Load.Tests.Http;

/// <summary>
/// The client against real Kestrel servers on loopback: keep-alive, chunking, closes, stalls and TLS, over each
/// transport (the socket loop, and .NET's socket engine where the loop is not supported or turned off).
/// </summary>
public abstract class DuisConnectionKestrelTests
{
    private static readonly byte[] Acknowledgement = Encoding.UTF8.GetBytes(
        "<sr:Acknowledgement xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\"><sr:ResponseCode>I99</sr:ResponseCode></sr:Acknowledgement>");

    /// <summary>Whether the connections are made over the socket loop.</summary>
    protected abstract bool UseSocketLoop { get; }

    [Fact]
    public async Task Post_reaches_the_server_as_DUIS_XML_and_the_response_comes_back()
    {
        await using var server = await KestrelTestServer.StartAsync(EchoWithRequestLine);
        using var connection = new DuisConnection(new DuisClientOptions { UseSocketLoop = UseSocketLoop, Endpoint = server.Endpoint });
        var handler = new CapturingHandler();

        var result = await connection.SendAsync(new BytesBody(Encoding.UTF8.GetBytes("<sr:Request/>")), handler);

        Assert.Equal(DuisHttpResult.Ok, result);
        Assert.Equal(200, handler.Status);
        Assert.Equal("POST /services application/xml 13 <sr:Request/>", handler.BodyText);
        Assert.Equal(UseSocketLoop && LoopSocketStream.IsSupported, connection.UsesSocketLoop);
    }

    [Fact]
    public async Task Many_sequential_requests_share_one_keep_alive_connection()
    {
        await using var server = await KestrelTestServer.StartAsync(EchoWithRequestLine);
        using var connection = new DuisConnection(new DuisClientOptions { UseSocketLoop = UseSocketLoop, Endpoint = server.Endpoint });
        var handler = new CapturingHandler();

        for (var i = 0; i < 200; i++)
        {
            var body = "<sr:Request n=\"" + i + "\"/>";
            Assert.Equal(DuisHttpResult.Ok, await connection.SendAsync(new BytesBody(Encoding.UTF8.GetBytes(body)), handler));
            Assert.EndsWith(" " + body, handler.BodyText, StringComparison.Ordinal);
        }

        Assert.Equal(200, handler.Count);
        Assert.Equal(1, server.ConnectionCount);
        Assert.Equal(1, connection.ConnectCount);
        Assert.Equal(200, connection.ResponseCount);
    }

    [Fact]
    public async Task Chunked_response_written_in_several_flushes_is_de_chunked()
    {
        await using var server = await KestrelTestServer.StartAsync(async context =>
        {
            // No Content-Length and several flushes: Kestrel sends each flush as one chunk.
            for (var part = 0; part < 3; part++)
            {
                await context.Response.Body.WriteAsync(Acknowledgement.AsMemory(part * 40, part == 2 ? Acknowledgement.Length - 80 : 40));
                await context.Response.Body.FlushAsync();
            }
        });
        using var connection = new DuisConnection(new DuisClientOptions { UseSocketLoop = UseSocketLoop, Endpoint = server.Endpoint });
        var handler = new CapturingHandler();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(DuisHttpResult.Ok, await connection.SendAsync(new BytesBody([]), handler));
            Assert.Equal(Acknowledgement, handler.Body);
            Assert.Equal(ResponseBodyFraming.Chunked, connection.LastResponseFraming);
        }

        Assert.Equal(1, connection.ConnectCount);
    }

    [Fact]
    public async Task Body_split_across_reads_is_handed_over_whole()
    {
        var large = new byte[20_000];
        for (var i = 0; i < large.Length; i++)
        {
            large[i] = (byte)('a' + (i % 26));
        }

        await using var server = await KestrelTestServer.StartAsync(async context =>
        {
            context.Response.ContentLength = large.Length;
            await context.Response.Body.WriteAsync(large.AsMemory(0, 3000));
            await context.Response.Body.FlushAsync();
            await Task.Delay(20);
            await context.Response.Body.WriteAsync(large.AsMemory(3000));
        });
        using var connection = new DuisConnection(new DuisClientOptions { UseSocketLoop = UseSocketLoop, Endpoint = server.Endpoint });
        var handler = new CapturingHandler();

        Assert.Equal(DuisHttpResult.Ok, await connection.SendAsync(new BytesBody([]), handler));

        Assert.Equal(large, handler.Body);
        Assert.Equal(ResponseBodyFraming.ContentLength, connection.LastResponseFraming);
    }

    [Fact]
    public async Task Server_closing_after_each_response_is_followed_by_a_reconnect()
    {
        await using var server = await KestrelTestServer.StartAsync(async context =>
        {
            context.Response.Headers.Connection = "close";
            await context.Response.Body.WriteAsync(Acknowledgement);
        });
        using var connection = new DuisConnection(new DuisClientOptions { UseSocketLoop = UseSocketLoop, Endpoint = server.Endpoint });
        var handler = new CapturingHandler();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(DuisHttpResult.Ok, await connection.SendAsync(new BytesBody([]), handler));
            Assert.Equal(Acknowledgement, handler.Body);
            Assert.False(connection.IsConnected);
        }

        Assert.Equal(5, connection.ConnectCount);
        Assert.Equal(5, connection.ServerCloseCount);
        Assert.Equal(5, server.ConnectionCount);
    }

    [Fact]
    public async Task Connection_dropped_by_the_server_while_idle_is_replaced_before_the_next_request()
    {
        // The server drops idle keep-alive connections after half a second without telling the client, as servers
        // with short keep-alive time-outs do; Kestrel checks once a second, so the connection is gone within 1.5 s.
        await using var server = await KestrelTestServer.StartAsync(
            context => context.Response.Body.WriteAsync(Acknowledgement).AsTask(),
            configure: kestrel => kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMilliseconds(500));
        using var connection = new DuisConnection(new DuisClientOptions { UseSocketLoop = UseSocketLoop, Endpoint = server.Endpoint });
        var handler = new CapturingHandler();

        Assert.Equal(DuisHttpResult.Ok, await connection.SendAsync(new BytesBody([]), handler));
        await Task.Delay(TimeSpan.FromMilliseconds(2500));
        Assert.Equal(DuisHttpResult.Ok, await connection.SendAsync(new BytesBody([]), handler));

        Assert.Equal(2, connection.ConnectCount);
        Assert.Equal(0, connection.ServerCloseCount);
        Assert.Equal(2, server.ConnectionCount);
    }

    [Fact]
    public async Task Slow_server_beyond_the_response_time_out_is_TimedOut_and_the_connection_replaced()
    {
        var requests = 0;
        await using var server = await KestrelTestServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref requests) == 1)
            {
                // Stalls far beyond the client's time-out; ends when the client gives up and closes.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            await context.Response.Body.WriteAsync(Acknowledgement);
        });
        var options = new DuisClientOptions { UseSocketLoop = UseSocketLoop, Endpoint = server.Endpoint, ResponseTimeout = TimeSpan.FromMilliseconds(300) };
        using var connection = new DuisConnection(options);
        var handler = new CapturingHandler();

        Assert.Equal(DuisHttpResult.TimedOut, await connection.SendAsync(new BytesBody([]), handler));
        Assert.Equal(0, handler.Count);
        Assert.False(connection.IsConnected);

        Assert.Equal(DuisHttpResult.Ok, await connection.SendAsync(new BytesBody([]), handler));
        Assert.Equal(Acknowledgement, handler.Body);
        Assert.Equal(2, connection.ConnectCount);
        Assert.Equal(2, server.ConnectionCount);
    }

    [Fact]
    public async Task Tls_endpoint_with_a_client_certificate_is_reached_when_its_certificate_is_accepted()
    {
        using var serverCertificate = TestCertificates.CreateServer();
        using var clientCertificate = TestCertificates.CreateClient();
        await using var server = await KestrelTestServer.StartAsync(
            async context =>
            {
                var presented = context.Connection.ClientCertificate?.Subject ?? "none";
                await context.Response.WriteAsync(context.Request.Scheme + " " + presented);
            },
            serverCertificate,
            requireClientCertificate: true);
        var expectedHash = serverCertificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var options = new DuisClientOptions
        {
            UseSocketLoop = UseSocketLoop,
            Endpoint = server.Endpoint,
            ClientCertificate = clientCertificate,
            ServerCertificateValidation = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256).AsSpan().SequenceEqual(expectedHash),
        };
        using var connection = new DuisConnection(options);
        var handler = new CapturingHandler();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(DuisHttpResult.Ok, await connection.SendAsync(new BytesBody(Encoding.UTF8.GetBytes("<sr:Request/>")), handler));
            Assert.Equal("https CN=capacitysim-test-user", handler.BodyText);
        }

        Assert.Equal(1, connection.ConnectCount);
        Assert.Equal(1, server.ConnectionCount);
        Assert.False(connection.UsesSocketLoop); // TLS always runs over .NET's sockets
    }

    [Fact]
    public async Task Tls_response_in_several_records_and_reads_is_handed_over_whole_on_every_request()
    {
        // The first read of each response waits on the socket under TLS; the later ones read through TLS directly,
        // because the rest of the response may already sit in the TLS stream's buffer.
        var large = new byte[20_000];
        for (var i = 0; i < large.Length; i++)
        {
            large[i] = (byte)('a' + (i % 26));
        }

        using var serverCertificate = TestCertificates.CreateServer();
        await using var server = await KestrelTestServer.StartAsync(
            async context =>
            {
                context.Response.ContentLength = large.Length;
                for (var offset = 0; offset < large.Length; offset += 5000)
                {
                    await context.Response.Body.WriteAsync(large.AsMemory(offset, 5000));
                    await context.Response.Body.FlushAsync();
                    if (offset == 5000)
                    {
                        await Task.Delay(20);
                    }
                }
            },
            serverCertificate);
        var expectedHash = serverCertificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var options = new DuisClientOptions
        {
            UseSocketLoop = UseSocketLoop,
            Endpoint = server.Endpoint,
            ServerCertificateValidation = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256).AsSpan().SequenceEqual(expectedHash),
        };
        using var connection = new DuisConnection(options);
        var handler = new CapturingHandler();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(DuisHttpResult.Ok, await connection.SendAsync(new BytesBody([]), handler));
            Assert.Equal(large, handler.Body);
        }

        Assert.Equal(1, connection.ConnectCount);
    }

    [Fact]
    public async Task Tls_endpoint_whose_certificate_is_not_trusted_is_TlsFailed()
    {
        using var serverCertificate = TestCertificates.CreateServer();
        await using var server = await KestrelTestServer.StartAsync(context => context.Response.WriteAsync("unreachable"), serverCertificate);
        using var connection = new DuisConnection(new DuisClientOptions { UseSocketLoop = UseSocketLoop, Endpoint = server.Endpoint });
        var handler = new CapturingHandler();

        Assert.Equal(DuisHttpResult.TlsFailed, await connection.SendAsync(new BytesBody([]), handler));

        Assert.Equal(0, handler.Count);
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task Nothing_listening_is_ConnectFailed()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        using var connection = new DuisConnection(new DuisClientOptions { UseSocketLoop = UseSocketLoop, Endpoint = new Uri($"http://127.0.0.1:{port}/services") });

        Assert.Equal(DuisHttpResult.ConnectFailed, await connection.SendAsync(new BytesBody([]), new CapturingHandler()));
        Assert.Equal(0, connection.ConnectCount);
    }

    private static async Task EchoWithRequestLine(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var text = context.Request.Method + " " + context.Request.Path + " " + context.Request.ContentType + " "
            + context.Request.ContentLength + " " + Encoding.UTF8.GetString(buffer.ToArray());
        await context.Response.WriteAsync(text);
    }
}

/// <summary>The client tests over the socket loop (Linux).</summary>
public sealed class DuisConnectionKestrelSocketLoopTests : DuisConnectionKestrelTests
{
    protected override bool UseSocketLoop => true;
}

/// <summary>The client tests over .NET's socket engine, the transport where the socket loop is not supported or turned off.</summary>
public sealed class DuisConnectionKestrelNetworkStreamTests : DuisConnectionKestrelTests
{
    protected override bool UseSocketLoop => false;
}
