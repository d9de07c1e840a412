using System.Text;
using CapacitySim.Load.Recording;
using HdrHistogram;

namespace CapacitySim.Load.Results;

/// <summary>
/// HdrHistogram interval logs (<c>.hlog</c>), one file per category (<c>latency-&lt;name&gt;.hlog</c>): after every
/// snapshot, the interval's corrected and uncorrected histograms are appended with the tags <c>corrected</c> and
/// <c>uncorrected</c>. Values are microseconds of wall-clock time; the summary states the time compression.
/// HdrHistogram.NET's <see cref="HistogramLogReader"/> and the Java tools read the files.
/// </summary>
public sealed class HistogramLogFiles : IDisposable
{
    /// <summary>Tag of corrected (from intended send time) interval histograms.</summary>
    public const string CorrectedTag = "corrected";

    /// <summary>Tag of uncorrected (from actual send time) interval histograms.</summary>
    public const string UncorrectedTag = "uncorrected";

    private readonly string _folder;
    private readonly DateTimeOffset _runStart;
    private readonly double _compression;
    private readonly Dictionary<byte, string> _names = [];
    private readonly Dictionary<byte, Log> _logs = [];

    /// <summary>Creates the log set for a run; files are created when a category first has an interval to write.</summary>
    public HistogramLogFiles(string folder, DateTimeOffset runStart, double compression, IEnumerable<CategoryLevel> levels)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(levels);
        _folder = folder;
        _runStart = runStart;
        _compression = compression;
        foreach (var level in levels)
        {
            _names[level.Category.Id] = level.Name;
        }
    }

    /// <summary>Paths of the files written so far.</summary>
    public IEnumerable<string> Paths
    {
        get
        {
            foreach (var log in _logs.Values)
            {
                yield return log.Path;
            }
        }
    }

    /// <summary>The file name of a category's log.</summary>
    public static string FileNameFor(string categoryName)
    {
        // The log line format separates fields with commas and the tag is part of the line: keep names to a safe set.
        return $"latency-{ResultFileNames.Safe(categoryName)}.hlog";
    }

    /// <summary>Appends each category's interval histograms from a snapshot.</summary>
    public void Append(LatencySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var category in snapshot.Categories)
        {
            var latency = snapshot.GetCategory(category)!;
            var log = LogFor(category);
            Append(log.Writer, latency.IntervalCorrected, CorrectedTag);
            Append(log.Writer, latency.IntervalUncorrected, UncorrectedTag);
        }
    }

    /// <summary>Closes every file.</summary>
    public void Dispose()
    {
        foreach (var log in _logs.Values)
        {
            log.Writer.Dispose();
            log.Stream.Dispose();
        }

        _logs.Clear();
    }

    private static void Append(HistogramLogWriter writer, HistogramBase interval, string tag)
    {
        interval.Tag = tag;
        writer.Append(interval);
    }

    private Log LogFor(LatencyCategory category)
    {
        if (_logs.TryGetValue(category.Id, out var log))
        {
            return log;
        }

        var name = _names.GetValueOrDefault(category.Id) ?? $"category-{category.Id}";
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, FileNameFor(name));
        var file = File.Create(path);

        // HdrHistogram.NET writes the log as UTF-16; the format (and the Java tools) expect ASCII text, so the writer's
        // output is transcoded to UTF-8, which HistogramLogReader reads too.
        var text = Encoding.CreateTranscodingStream(file, new UTF8Encoding(false), Encoding.Unicode, leaveOpen: false);
        var header = Encoding.Unicode.GetBytes(
            $"#[CapacitySim category {name}: latency in microseconds of wall-clock time, time compression {_compression}]\n");
        text.Write(header);
        var writer = new HistogramLogWriter(new PreambleFilter(text));

        // The header carries the run's start rather than the first interval's.
        writer.Write(_runStart.UtcDateTime);
        log = new Log(path, text, writer);
        _logs[category.Id] = log;
        return log;
    }

    private sealed record Log(string Path, Stream Stream, HistogramLogWriter Writer);

    /// <summary>
    /// Drops the UTF-16 byte order mark the log writer's first write begins with: transcoded, it would land mid-file
    /// and hide the format version line from readers.
    /// </summary>
    private sealed class PreambleFilter(Stream inner) : Stream
    {
        private bool _first = true;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_first)
            {
                _first = false;
                if (buffer.StartsWith(Encoding.Unicode.Preamble))
                {
                    buffer = buffer[Encoding.Unicode.Preamble.Length..];
                }
            }

            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
