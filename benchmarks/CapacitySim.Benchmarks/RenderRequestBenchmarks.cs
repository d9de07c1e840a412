using System.Buffers;
using BenchmarkDotNet.Attributes;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Templates;

namespace CapacitySim.Benchmarks;

/// <summary>
/// Cost of producing one unsigned, canonical DUIS request from a compiled template: the per-request work of a load
/// generator before signing. Each call takes a new counter, as the DCC requires.
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

    [GlobalSetup]
    public void Setup()
    {
        var requests = Path.Combine(FindSharedDuis(), "samples", "requests");
        _readRegisters = RequestTemplate.CompileFile(Path.Combine(requests, ReadRegisters));
        _futureDated = RequestTemplate.CompileFile(Path.Combine(requests, FutureDated));
        _requestId = _readRegisters.OriginalRequestId;
        _execution = _futureDated.OriginalExecutionDateTime!.Value;
    }

    [Benchmark(Baseline = true)]
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

    /// <summary>
    /// The shared DUIS material lives beside the repository: walk up from the current directory (BenchmarkDotNet runs
    /// its jobs from folders inside the repository) to the folder holding CapacitySim.sln, then ../shared/duis.
    /// </summary>
    private static string FindSharedDuis()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CapacitySim.sln")))
                {
                    return Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared", "duis");
                }
            }
        }

        throw new InvalidOperationException($"CapacitySim.sln not found above '{Directory.GetCurrentDirectory()}'; run the benchmarks from inside the repository.");
    }
}
