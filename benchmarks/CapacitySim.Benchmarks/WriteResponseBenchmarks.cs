using System.Buffers;
using System.Xml;
using BenchmarkDotNet.Attributes;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Writing;

namespace CapacitySim.Benchmarks;

/// <summary>
/// Writing DUIS responses and alerts into a reused buffer, as a simulated DCC worker does per message; the memory
/// diagnoser shows the allocation per write (expected 0 B). The baseline writes the same I0 response with
/// System.Xml's XmlWriter into a reused stream.
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

    private static readonly XmlWriterSettings WriterSettings = new() { OmitXmlDeclaration = true, Encoding = new System.Text.UTF8Encoding(false) };
    private readonly MemoryStream _stream = new(4096);

    [Benchmark(Baseline = true)]
    public long XmlWriterBaseline()
    {
        const string sr = "http://www.dccinterface.co.uk/ServiceUserGateway";
        _stream.SetLength(0);
        using (var w = XmlWriter.Create(_stream, WriterSettings))
        {
            w.WriteStartElement("sr", "Response", sr);
            w.WriteAttributeString("schemaVersion", "5.4");
            w.WriteStartElement("sr", "Header", sr);
            w.WriteElementString("sr", "RequestID", sr, _responseHeader.RequestId!.Value.ToString());
            w.WriteElementString("sr", "ResponseID", sr, _responseHeader.ResponseId!.Value.ToString());
            w.WriteElementString("sr", "ResponseCode", sr, _responseHeader.ResponseCode.ToString());
            w.WriteElementString("sr", "ResponseDateTime", sr, XmlConvert.ToString(_responseHeader.ResponseDateTime.UtcDateTime, XmlDateTimeSerializationMode.Utc));
            w.WriteEndElement();
            w.WriteStartElement("sr", "Body", sr);
            w.WriteStartElement("sr", "ResponseMessage", sr);
            w.WriteElementString("sr", "ServiceReference", sr, _srv.ServiceReference.ToString());
            w.WriteElementString("sr", "ServiceReferenceVariant", sr, _srv.ToString());
            w.WriteStartElement("sr", "GBCSPayload", sr);
            w.WriteBase64(_payload, 0, _payload.Length);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }

        return _stream.Length;
    }

    [Benchmark]
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
