using System.Globalization;
using System.Text.RegularExpressions;

namespace CapacitySim.Cli.Tests;

/// <summary>One <c>capacitysim dcc</c> run on a background thread, its output readable while it runs.</summary>
internal sealed partial class DccRun : IAsyncDisposable
{
    private readonly SynchronizedWriter output = new();
    private readonly SynchronizedWriter error = new();
    private readonly Task<int> exit;

    /// <summary>Bounds on waiting for something the run must do, so that a broken DCC fails the test instead of hanging it.</summary>
    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(120);

    private DccRun(string[] args) => exit = Task.Run(() => CapacitySimCommand.Run(args, new CliConsole(output, error)));

    public string Output => output.ToString();

    /// <summary>The error output so far.</summary>
    public string Error => error.ToString();

    public static DccRun Start(params string[] args) => new(args);

    /// <summary>The base URL the banner prints, once it is printed (the real port, as --port 0 picks one).</summary>
    public async Task<string> ListeningUrlAsync()
    {
        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            var match = ListeningLine().Match(output.ToString());
            if (match.Success && output.ToString().Contains("running for", StringComparison.Ordinal))
            {
                Assert.NotEqual("0", match.Groups[2].Value);
                return match.Groups[1].Value;
            }

            Assert.False(exit.IsCompleted, $"the DCC exited before listening: {error}");
            await Task.Delay(50);
        }

        Assert.Fail($"the DCC printed no listening line: {output}");
        return string.Empty;
    }

    /// <summary>Fetches /metrics until <paramref name="ready"/> holds (the counters are refreshed once a second).</summary>
    public async Task<string> MetricsWhenAsync(HttpClient client, string baseUrl, Func<string, bool> ready)
    {
        var until = DateTime.UtcNow + Patience;
        var text = string.Empty;
        while (DateTime.UtcNow < until && !exit.IsCompleted)
        {
            text = await client.GetStringAsync(new Uri(baseUrl + "/metrics"));
            if (text.Contains("capacitysim_dcc_requests_received_total", StringComparison.Ordinal) && ready(text))
            {
                return text;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"/metrics never showed the expected counts:\n{text}");
        return text;
    }

    public async Task<(int Exit, string Output, string Error)> ExitAsync()
    {
        var code = await exit.WaitAsync(Patience);
        return (code, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"listening on (https?://127\.0\.0\.1:(\d+))")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        // A test that failed early still waits for its run to end, so runs never overlap or outlive the test.
        try
        {
            await exit.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            // The test has already failed; nothing more to report.
        }

        output.Dispose();
        error.Dispose();
    }
}

/// <summary>A StringWriter the command can write to while the test reads it.</summary>
internal sealed class SynchronizedWriter : StringWriter
{
    private readonly Lock gate = new();

    public SynchronizedWriter()
        : base(CultureInfo.InvariantCulture)
    {
    }

    public override void Write(char value)
    {
        lock (gate)
        {
            base.Write(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (gate)
        {
            base.Write(buffer, index, count);
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (gate)
        {
            base.Write(buffer);
        }
    }

    public override void Write(string? value)
    {
        lock (gate)
        {
            base.Write(value);
        }
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        lock (gate)
        {
            base.WriteLine(buffer);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (gate)
        {
            base.WriteLine(value);
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            return base.ToString();
        }
    }
}
