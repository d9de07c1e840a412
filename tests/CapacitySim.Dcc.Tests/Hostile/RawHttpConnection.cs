using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CapacitySim.Dcc.Tests.Hostile;

/// <summary>One HTTP/1.1 response as read off the wire.</summary>
/// <param name="Status">The status code of the status line.</param>
/// <param name="Head">The status line and header fields, as text.</param>
/// <param name="Body">The body, de-chunked when it was chunked.</param>
internal sealed record RawResponse(int Status, string Head, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() => $"{Head.TrimEnd()}\n\n{BodyText}";
}

/// <summary>
/// A bare TCP connection to the DCC, for the requests an HTTP client library never sends (bad framing, smuggling forms,
/// header floods): the bytes go out exactly as written, and responses are read by hand, so a test sees what the server
/// answered and whether it kept the connection open afterwards.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(10);

    private readonly Socket socket;
    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    private RawHttpConnection(Socket socket) => this.socket = socket;

    public static async Task<RawHttpConnection> OpenAsync(Uri baseAddress)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port);
        return new RawHttpConnection(socket);
    }

    /// <summary>Sends <paramref name="text"/> as Latin-1 bytes (header fields are octets), exactly as written.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None);
        }
        catch (SocketException)
        {
            // The server may close the connection while a large request is still going out; its answer is still readable.
        }
    }

    /// <summary>Reads one response; null when the server closed the connection without sending one.</summary>
    public async Task<RawResponse?> ReadResponseAsync(bool headRequest = false)
    {
        using var timeout = new CancellationTokenSource(ReadLimit);
        int headEnd;
        while ((headEnd = IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await FillAsync(timeout.Token))
            {
                return null;
            }
        }

        var head = Encoding.Latin1.GetString(buffer, start, headEnd - start + 2);
        start = headEnd + 4;
        var status = int.Parse(head.AsSpan(9, 3), CultureInfo.InvariantCulture);
        byte[] body;
        if (headRequest || status is 204 or 304 || (status >= 100 && status < 200))
        {
            body = [];
        }
        else if (Field(head, "Transfer-Encoding") is { } coding && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = await ReadChunkedAsync(timeout.Token);
        }
        else if (Field(head, "Content-Length") is { } length)
        {
            body = await ReadExactlyAsync(int.Parse(length, CultureInfo.InvariantCulture), timeout.Token);
        }
        else
        {
            body = await ReadToCloseAsync(timeout.Token);
        }

        return new RawResponse(status, head, body);
    }

    /// <summary>
    /// True when the server closes the connection (an orderly end or a reset) within <paramref name="wait"/> without
    /// sending anything more; false when the connection stays open.
    /// </summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan wait)
    {
        if (end > start)
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return !await FillAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => socket.Dispose();

    /// <summary>The value of the first header field named <paramref name="name"/>, or null.</summary>
    public static string? Field(string head, string name)
    {
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            var size = int.Parse(line.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while ((await ReadLineAsync(cancellationToken)).Length > 0)
                {
                }

                return body.ToArray();
            }

            body.Write(await ReadExactlyAsync(size, cancellationToken));
            await ReadLineAsync(cancellationToken);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        int at;
        while ((at = IndexOf("\r\n"u8)) < 0)
        {
            if (!await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException("connection closed inside a chunked body");
            }
        }

        var line = Encoding.Latin1.GetString(buffer, start, at - start);
        start = at + 2;
        return line;
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var at = 0;
        while (at < count)
        {
            if (end == start && !await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException($"connection closed after {at} of {count} body bytes");
            }

            var take = Math.Min(count - at, end - start);
            buffer.AsSpan(start, take).CopyTo(result.AsSpan(at));
            start += take;
            at += take;
        }

        return result;
    }

    private async Task<byte[]> ReadToCloseAsync(CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        do
        {
            body.Write(buffer, start, end - start);
            start = end;
        }
        while (await FillAsync(cancellationToken));
        return body.ToArray();
    }

    // False when the server closed the connection (orderly or by reset).
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            throw new InvalidOperationException("response head larger than the read buffer");
        }

        try
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, cancellationToken);
            end += read;
            return read > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private int IndexOf(ReadOnlySpan<byte> value)
    {
        var at = buffer.AsSpan(start, end - start).IndexOf(value);
        return at < 0 ? -1 : start + at;
    }
}
