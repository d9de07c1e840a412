using System.Buffers;
using BenchmarkDotNet.Attributes;
using CapacitySim.Duis.Reading;

namespace CapacitySim.Benchmarks;

/// <summary>
/// Reading the routing header of the DCC Boxed signed I0 response (SRV 11.2), whole and as a pipe would hand it
/// over in three segments. The memory diagnoser must show 0 B for both.
/// </summary>
[MemoryDiagnoser]
public class ReadHeaderBenchmarks
{
    private byte[] _message = [];
    private ReadOnlySequence<byte> _threeSegments;

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CapacitySim.sln")))
        {
            dir = dir.Parent;
        }

        if (dir?.Parent is null)
        {
            throw new InvalidOperationException($"CapacitySim.sln not found above {Directory.GetCurrentDirectory()}; run from inside the repository.");
        }

        var path = Path.Combine(dir.Parent.FullName, "shared", "duis", "samples", "responses", "11.2_READ_FIRMWARE_VERSION_I0_signed.xml");
        _message = File.ReadAllBytes(path);
        var third = _message.Length / 3;
        var first = new Segment(_message.AsMemory(0, third));
        var last = first.Append(_message.AsMemory(third, third)).Append(_message.AsMemory(2 * third));
        _threeSegments = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        if (DuisHeaderReader.TryRead(_message, out _) != DuisReadStatus.Ok || DuisHeaderReader.TryRead(_threeSegments, out _) != DuisReadStatus.Ok)
        {
            throw new InvalidOperationException($"{path} did not read as a DUIS response.");
        }
    }

    [Benchmark(Baseline = true)]
    public ulong SingleSegment()
    {
        DuisHeaderReader.TryRead(_message, out var header);
        return header.RequestId.Counter;
    }

    [Benchmark]
    public ulong ThreeSegments()
    {
        DuisHeaderReader.TryRead(_threeSegments, out var header);
        return header.RequestId.Counter;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
