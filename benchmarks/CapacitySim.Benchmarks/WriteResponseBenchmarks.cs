using System.Buffers;
using BenchmarkDotNet.Attributes;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Writing;

namespace CapacitySim.Benchmarks;

/// <summary>
/// Writing DUIS responses and alerts into a reused buffer, as a simulated DCC worker does per message; the memory
/// diagnoser shows the allocation per write (expected 0 B).
/// </summary>
[MemoryDiagnoser]
public class WriteResponseBenchmarks
{
    private static readonly Eui64 Supplier = Eui64.Parse("90-B3-D5-1F-30-01-00-00");
    private static readonly Eui64 Meter = Eui64.Parse("00-DB-12-34-56-78-90-A0");

    private readonly DuisResponseWriter _writer = new();
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly byte[] _payload = new byte[64];
    private readonly ServiceReferenceVariant _srv = ServiceReferenceVariant.Parse("4.1.1");
    private readonly DeviceAlertCode _alertCode = DeviceAlertCode.Parse("8F35");
    private readonly DccAlertCode _dccAlertCode = DccAlertCode.Parse("AD1");
    private ResponseHeaderFields _responseHeader;
    private ResponseHeaderFields _alertHeader;
    private DccAlertBody _outage;

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_payload);
        var now = new DateTimeOffset(2025, 6, 14, 13, 26, 53, 589, TimeSpan.Zero);
        _responseHeader = new ResponseHeaderFields(new RequestId(Supplier, Meter, 1_718_371_613_000), new ResponseId(Meter, Supplier, 1_718_371_613_000), ResponseCode.Success, now);
        _alertHeader = new ResponseHeaderFields(null, new ResponseId(Meter, Supplier, 1_718_371_613_589), ResponseCode.Success, now);
        _outage = DccAlertBody.PowerOutageEvent(Meter, now, 1_012_345_678_901);
    }

    [Benchmark(Baseline = true)]
    public int WriteI0ResponseWith64BytePayload()
    {
        _output.ResetWrittenCount();
        _writer.WriteResponse(_responseHeader, _srv, _payload, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int WriteDeviceAlert()
    {
        _output.ResetWrittenCount();
        _writer.WriteDeviceAlert(_alertHeader, _alertCode, 7, 12, _payload, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int WriteDccAlert()
    {
        _output.ResetWrittenCount();
        _writer.WriteDccAlert(_alertHeader, _dccAlertCode, null, null, _outage, _output);
        return _output.WrittenCount;
    }
}
