using System.Buffers;
using BenchmarkDotNet.Attributes;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Reading;
using CapacitySim.Load.Engine;
using CapacitySim.Reporting.Capture;

namespace CapacitySim.Benchmarks;

/// <summary>
/// The traffic capture's hot path: <see cref="TrafficCaptureWriter.Observe"/> as the run's threads call it for every
/// message, metadata only and with a signed request's body. The writer thread serialises concurrently (to a null
/// stream, so the disk does not set the pace); when it falls behind, messages are dropped, which is the same
/// allocation-free path. The memory diagnoser counts every thread's allocations, the writer thread's included: both
/// must be 0 B.
/// </summary>
[MemoryDiagnoser]
public class CaptureBenchmarks
{
    private TrafficCaptureWriter _metadata = null!;
    private TrafficCaptureWriter _bodies = null!;
    private TrafficEvent _event;
    private ReadOnlySequence<byte> _body;

    [GlobalSetup]
    public void Setup()
    {
        var request = File.ReadAllBytes(BenchmarkMaterial.Sample("signed", "ECS17b_4.1.1_REQUEST_DUIS-signed.xml"));
        if (DuisHeaderReader.TryRead(request, out var header) != DuisReadStatus.Ok)
        {
            throw new InvalidOperationException("The signed 4.1.1 sample did not read as a DUIS request.");
        }

        _body = new ReadOnlySequence<byte>(request);
        _event = new TrafficEvent(TrafficEventKind.DeliveredResponse, 1_000, header.RequestId, header.ServiceReferenceVariant, ResponseCode.Success, 0, false, 41_000, request.Length, 0);
        _metadata = new TrafficCaptureWriter(Stream.Null, Options(bodies: false));
        _bodies = new TrafficCaptureWriter(Stream.Null, Options(bodies: true));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metadata.Dispose();
        _bodies.Dispose();
    }

    [Benchmark]
    public long ObserveMetadata()
    {
        _metadata.Observe(in _event, in _body);
        return _metadata.Dropped;
    }

    [Benchmark]
    public long ObserveWithBody()
    {
        _bodies.Observe(in _event, in _body);
        return _bodies.Dropped;
    }

    private static TrafficCaptureOptions Options(bool bodies) => new()
    {
        Scenario = "benchmark",
        StartedAt = DateTimeOffset.UnixEpoch,
        IncludeBodies = bodies,
    };
}
