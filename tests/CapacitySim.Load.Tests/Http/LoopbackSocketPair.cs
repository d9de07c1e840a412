using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CapacitySim.Load.Tests.Http;

/// <summary>A connected pair of loopback TCP sockets: the client's side as the stream a connection uses, the server's as a bare socket.</summary>
internal sealed class LoopbackSocketPair : IDisposable
{
    private LoopbackSocketPair(Socket client, Socket server)
    {
        Server = server;
        ClientStream = new NetworkStream(client, ownsSocket: true);
    }

    public Socket Server { get; }

    public NetworkStream ClientStream { get; }

    public static async Task<LoopbackSocketPair> OpenAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await listener.AcceptAsync();
        return new LoopbackSocketPair(client, server);
    }

    /// <summary>Receives exactly <paramref name="count"/> bytes on the server's side, as ASCII.</summary>
    public async Task<string> ReceiveAsync(int count)
    {
        var buffer = new byte[count];
        var at = 0;
        while (at < count)
        {
            var read = await Server.ReceiveAsync(buffer.AsMemory(at));
            Assert.NotEqual(0, read);
            at += read;
        }

        return Encoding.ASCII.GetString(buffer);
    }

    public void Dispose()
    {
        ClientStream.Dispose();
        Server.Dispose();
    }
}
