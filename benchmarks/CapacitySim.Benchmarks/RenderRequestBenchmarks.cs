using System.Buffers;
using System.Xml;
using BenchmarkDotNet.Attributes;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Templates;

namespace CapacitySim.Benchmarks;

/// <summary>
/// Cost of producing one unsigned, canonical DUIS request from a compiled template: the per-request work of a load
/// generator before signing. Each call takes a new counter, as the DCC requires. The baseline is what a System.Xml
/// implementation does: keep the request as an XmlDocument, set the RequestID text, save it as UTF-8.
/// </summary>
[MemoryDiagnoser]
public class RenderRequestBenchmarks
{
    private const string ReadRegisters = "ECS17b_4.1.1_REQUEST_DUIS.XML";
    private const string FutureDated = "ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS_REQUEST_DUIS.XML";

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private RequestTemplate _readRegisters = null!;
    private RequestTemplate _futureDated = null!;
    private RequestId _requestId;
    private DateTimeOffset _execution;

    [GlobalSetup(Targets = [nameof(RenderReadInstantaneousRegisters), nameof(RenderFutureDatedTariffUpdate)])]
    public void Setup()
    {
        var requests = Path.Combine(BenchmarkMaterial.SharedDuis(), "samples", "requests");
        _readRegisters = RequestTemplate.CompileFile(Path.Combine(requests, ReadRegisters));
        _futureDated = RequestTemplate.CompileFile(Path.Combine(requests, FutureDated));
        _requestId = _readRegisters.OriginalRequestId;
        _execution = _futureDated.OriginalExecutionDateTime!.Value;
    }

    private readonly MemoryStream _documentOutput = new(4096);
    private XmlDocument _document = null!;
    private XmlNode _requestIdNode = null!;

    [GlobalSetup(Target = nameof(XmlDocumentBaseline))]
    public void SetupDocument()
    {
        Setup();
        _document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        _document.Load(Path.Combine(BenchmarkMaterial.SharedDuis(), "samples", "requests", ReadRegisters));
        var ns = new XmlNamespaceManager(_document.NameTable);
        ns.AddNamespace("sr", "http://www.dccinterface.co.uk/ServiceUserGateway");
        _requestIdNode = _document.SelectSingleNode("//sr:RequestID", ns)!;
    }

    [Benchmark(Baseline = true)]
    public long XmlDocumentBaseline()
    {
        _documentOutput.SetLength(0);
        _requestId = _requestId with { Counter = _requestId.Counter + 1 };
        _requestIdNode.InnerText = _requestId.ToString();
        _document.Save(_documentOutput);
        return _documentOutput.Length;
    }

    [Benchmark]
    public int RenderReadInstantaneousRegisters()
    {
        _output.ResetWrittenCount();
        _requestId = _requestId with { Counter = _requestId.Counter + 1 };
        return _readRegisters.Render(new RequestSlots(_requestId), _output);
    }

    [Benchmark]
    public int RenderFutureDatedTariffUpdate()
    {
        _output.ResetWrittenCount();
        _requestId = _requestId with { Counter = _requestId.Counter + 1 };
        _execution = _execution.AddSeconds(1);
        return _futureDated.Render(new RequestSlots(_requestId, _execution), _output);
    }
}
