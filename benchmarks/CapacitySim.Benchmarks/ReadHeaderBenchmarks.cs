using System.Buffers;
using System.Xml;
using BenchmarkDotNet.Attributes;
using CapacitySim.Duis.Reading;

namespace CapacitySim.Benchmarks;

/// <summary>
/// Reading the routing header of the DCC Boxed signed I0 response (SRV 11.2), whole and as a pipe would hand it
/// over in three segments, against System.Xml's XmlReader extracting the same fields (the baseline). The memory
/// diagnoser must show 0 B for the DUIS reader.
/// </summary>
[MemoryDiagnoser]
public class ReadHeaderBenchmarks
{
    private byte[] _message = [];
    private ReadOnlySequence<byte> _threeSegments;

    [GlobalSetup]
    public void Setup()
    {
var path = BenchmarkMaterial.Sample("responses", "11.2_READ_FIRMWARE_VERSION_I0_signed.xml");
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

    private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true };

    /// <summary>What a System.Xml implementation does: stream the document, keep the header fields as strings.</summary>
    [Benchmark(Baseline = true)]
    public int XmlReaderBaseline()
    {
        string? requestId = null, responseId = null, code = null, time = null, srv = null;
        using var reader = XmlReader.Create(new MemoryStream(_message, writable: false), ReaderSettings);
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != "http://www.dccinterface.co.uk/ServiceUserGateway")
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "RequestID": requestId = reader.ReadElementContentAsString(); break;
                case "ResponseID": responseId = reader.ReadElementContentAsString(); break;
                case "ResponseCode": code = reader.ReadElementContentAsString(); break;
                case "ResponseDateTime": time = reader.ReadElementContentAsString(); break;
                case "ServiceReferenceVariant": srv = reader.ReadElementContentAsString(); break;
            }
        }

        return (requestId?.Length ?? 0) + (responseId?.Length ?? 0) + (code?.Length ?? 0) + (time?.Length ?? 0) + (srv?.Length ?? 0);
    }

    [Benchmark]
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
