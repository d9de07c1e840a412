using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace CapacitySim.LoadBench;

/// <summary>
/// The idiomatic .NET client for comparison: one <see cref="HttpClient"/> over a <see cref="SocketsHttpHandler"/>
/// with as many connections as workers, each worker posting the same DUIS request and reading the whole answer in a
/// closed loop. After a warm-up it measures requests per second and the process's allocated bytes per request over
/// the measured window, and prints them as one JSON line.
/// </summary>
internal static class ClosedLoopClient
{
    public static async Task<int> RunAsync(Uri url, byte[] body, int connections, TimeSpan warmUp, TimeSpan measured)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var state = new LoopState();
        var workers = new Task[connections];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(client, url, body, state));
        }

        await Task.Delay(warmUp).ConfigureAwait(false);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var countBefore = Volatile.Read(ref state.Completed);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(measured).ConfigureAwait(false);
        var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        var countAfter = Volatile.Read(ref state.Completed);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        state.Stop = true;
        await Task.WhenAll(workers).ConfigureAwait(false);

        var requests = countAfter - countBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"requests\":{requests},\"seconds\":{seconds:0.###},\"rps\":{requests / seconds:0.#},\"allocatedBytesPerRequest\":{(requests > 0 ? (double)(allocatedAfter - allocatedBefore) / requests : 0):0.#},\"errors\":{Volatile.Read(ref state.Errors)}}}"));
        return 0;
    }

    private static async Task WorkAsync(HttpClient client, Uri url, byte[] body, LoopState state)
    {
        var contentType = new MediaTypeHeaderValue("application/xml");
        var buffer = new byte[16 * 1024];
        while (!state.Stop)
        {
            try
            {
                // A request message (and its content, which it disposes) serves one send.
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = contentType;
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    while (await stream.ReadAsync(buffer).ConfigureAwait(false) > 0)
                    {
                        // The answer is read to its end and discarded, as a client that checks only the status would.
                    }
                }

                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref state.Completed);
                }
                else
                {
                    Interlocked.Increment(ref state.Errors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref state.Errors);
            }
        }
    }

    private sealed class LoopState
    {
        public long Completed;
        public long Errors;
        public volatile bool Stop;
    }
}
