using System.Buffers;

namespace CapacitySim.Duis.Tests.Support;

/// <summary>Builds multi-segment sequences, as a pipe delivers a message that crossed buffer boundaries.</summary>
internal static class Segments
{
    /// <summary>The message cut at the given offsets (ascending); empty segments are kept where cuts repeat.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var first = new Segment(bytes.AsMemory(0, cuts.Length == 0 ? bytes.Length : cuts[0]));
        var last = first;
        for (var i = 0; i < cuts.Length; i++)
        {
            var end = i + 1 < cuts.Length ? cuts[i + 1] : bytes.Length;
            // Copy each piece so no segment can be read past its end into the original array.
            last = last.Append(bytes.AsSpan(cuts[i], end - cuts[i]).ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One byte per segment: every position is a boundary.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes)
    {
        var cuts = new int[bytes.Length - 1];
        for (var i = 0; i < cuts.Length; i++)
        {
            cuts[i] = i + 1;
        }

        return Split(bytes, cuts);
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
