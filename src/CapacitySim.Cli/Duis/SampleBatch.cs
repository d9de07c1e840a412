using System.Globalization;

namespace CapacitySim.Cli.Duis;

/// <summary>
/// Several sample messages written by <c>duis sample --count N</c> in one process, for another tool to send: one XML
/// document per file, the counters increasing by one from the first, as DUIS wants an originator's counters strictly
/// increasing. The files go into a folder as <c>KIND-COUNTER.xml</c>, or where a file name pattern puts them, its
/// <c>{n}</c> replaced by the counter. Counters in names are zero-padded to the last one's width, so that the files
/// sort in counter order.
/// </summary>
internal sealed class SampleBatch
{
    /// <summary>The most messages one command writes.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>What a file name pattern writes for the counter.</summary>
    public const string CounterPlaceholder = "{n}";

    private readonly string? folder;
    private readonly string? pattern;
    private readonly string kind;
    private readonly int count;
    private readonly ulong first;
    private readonly int width;

    private SampleBatch(string? folder, string? pattern, string kind, int count, ulong first)
    {
        this.folder = folder;
        this.pattern = pattern;
        this.kind = kind;
        this.count = count;
        this.first = first;
        width = Last.ToString(CultureInfo.InvariantCulture).Length;
    }

    private ulong Last => first + (ulong)(count - 1);

    /// <summary>
    /// The batch <paramref name="output"/> and <paramref name="count"/> ask for, or null for one message to standard
    /// output or to one named file.
    /// </summary>
    /// <exception cref="CliException">The count is out of range, its counters would overflow, or the output cannot hold that many documents apart.</exception>
    public static SampleBatch? Plan(string? output, int count, string kind, ulong first)
    {
        if (count is < 1 or > MaxCount)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--count {count}: expected 1 to {MaxCount:N0} messages."));
        }

        if (ulong.MaxValue - first < (ulong)(count - 1))
        {
            throw new CliException($"--count {count} from counter {first}: the last counter would pass {ulong.MaxValue}, the largest a DUIS originator counter can be; give a smaller --counter.");
        }

        string Many(string where) => $"--count {count} writes {count} XML documents, which {where} cannot keep apart: give --out a folder (--out batch/) or a file name with {CounterPlaceholder} for the counter (--out batch/{kind}-{CounterPlaceholder}.xml).";
        if (output is null)
        {
            return count == 1 ? null : throw new CliException(Many("standard output"));
        }

        if (output.Contains(CounterPlaceholder, StringComparison.Ordinal))
        {
            return new SampleBatch(null, Path.GetFullPath(output), kind, count, first);
        }

        if (Directory.Exists(output) || output.EndsWith('/') || output.EndsWith(Path.DirectorySeparatorChar))
        {
            return new SampleBatch(Path.GetFullPath(output), null, kind, count, first);
        }

        return count == 1 ? null : throw new CliException(Many($"one file ({output})"));
    }

    /// <summary>Writes the messages, <paramref name="sample"/> with each counter in turn, and says on <paramref name="log"/> what it wrote.</summary>
    public void Write(DuisSampleCommand.SampleRequest sample, DuisEnvironment env, TextWriter log)
    {
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var counter = first + (ulong)i;
            var message = DuisSampleCommand.Build(sample with { Counter = counter }, env, DateTimeOffset.UtcNow);
            var path = PathOf(counter);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, message);
            bytes += message.Length;
        }

        var what = count == 1 ? kind : kind + "s";
        log.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"wrote {count} {what} ({bytes} bytes{(sample.Sign ? ", signed" : string.Empty)}), counters {first} to {Last}: {PathOf(first)}{(count == 1 ? string.Empty : $" to {PathOf(Last)}")}"));
    }

    private string PathOf(ulong counter)
    {
        var n = counter.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
        return pattern is not null
            ? pattern.Replace(CounterPlaceholder, n, StringComparison.Ordinal)
            : Path.Combine(folder!, $"{kind}-{n}.xml");
    }
}
