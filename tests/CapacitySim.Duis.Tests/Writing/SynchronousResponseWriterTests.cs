using System.Buffers;
using System.Text;
using System.Xml;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Writing;

namespace CapacitySim.Duis.Tests.Writing;

public class SynchronousResponseWriterTests
{
    private const string Sr = DuisNamespaces.ServiceUserGateway;

    private static readonly Eui64 Supplier = Eui64.Parse("90-B3-D5-1F-30-01-00-00");
    private static readonly Eui64 Meter = Eui64.Parse("00-DB-12-34-56-78-90-A0");
    private static readonly ServiceReferenceVariant ReadInventory = ServiceReferenceVariant.Parse("8.2");

    // 14:26:53.589 at +01:00 is 13:26:53.589 UTC: responses carry UTC.
    private static readonly DateTimeOffset When = new(2025, 6, 14, 14, 26, 53, 589, TimeSpan.FromHours(1));

    private static readonly ResponseHeaderFields I0Header = new(
        new RequestId(Supplier, Meter, 1_718_371_613_000), null, ResponseCode.Success, When);

    // A GBCS-shaped pre-command: general ciphering header byte 0xDF and a body of varied bytes, 80 bytes long.
    private static readonly byte[] PreCommandPayload = [0xDF, .. Enumerable.Range(1, 79).Select(i => (byte)(i * 53))];

    // Manufacturer and model text kept in arrays, as a DCC would keep them per device model combination.
    private static readonly byte[] Manufacturer = "Landis+Gyr & Sons <UK>"u8.ToArray();
    private static readonly byte[] Model = "E470-5394"u8.ToArray();
    private static readonly byte[] Firmware = "0A01B2C3"u8.ToArray();
    private static readonly byte[] SmetsChts = "SMETS2 v5.0"u8.ToArray();
    private static readonly byte[] GbcsVersion = "4.3"u8.ToArray();
    private static readonly byte[] S1sp = "Secure Meters S1SP"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _output = new();

    public static TheoryData<string> TransformSrvs() => new() { "1.1.1", "3.2", "4.1.1", "6.15.1", "7.1" };

    public static TheoryData<InventoryDeviceType> DeviceTypes() => new(Enum.GetValues<InventoryDeviceType>());

    public static TheoryData<InventoryDeviceStatus> DeviceStatuses() => new(Enum.GetValues<InventoryDeviceStatus>());

    public static TheoryData<InventoryCspRegion> CspRegions() => new(Enum.GetValues<InventoryCspRegion>());

    public static TheoryData<ProductListStatus> ProductListStatuses() => new(Enum.GetValues<ProductListStatus>());

    [Theory]
    [MemberData(nameof(TransformSrvs))]
    public void PreCommand_is_valid_canonical_and_carries_version_and_payload(string srvText)
    {
        var srv = ServiceReferenceVariant.Parse(srvText);
        DuisSynchronousResponseWriter.WritePreCommand(I0Header, srv, GbcsVersion, PreCommandPayload, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal(srvText, Text(doc, "ServiceReferenceVariant"));
        Assert.Equal("4.3", Text(doc, "GBCSVersion"));
        Assert.Equal(PreCommandPayload, Convert.FromBase64String(Text(doc, "GBCSPayload")));
        var preCommand = Element(doc, "PreCommand");
        Assert.Equal("ResponseMessage", preCommand.ParentNode!.LocalName);
        Assert.Equal("ServiceReferenceVariant", preCommand.PreviousSibling!.LocalName);
    }

    [Fact]
    public void PreCommand_escapes_its_version_text()
    {
        DuisSynchronousResponseWriter.WritePreCommand(I0Header, ServiceReferenceVariant.Parse("6.15.1"), "4.3 <draft> & \r"u8, PreCommandPayload, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        Assert.Equal("4.3 <draft> & \r", Text(CanonicalXmlAssert.Load(_output.WrittenSpan), "GBCSVersion"));
    }

    [Fact]
    public void Envelope_matches_the_general_writer_up_to_the_response_message_body()
    {
        // Both writers must produce the same header and service reference bytes, so receivers and signers see one shape.
        var general = new ArrayBufferWriter<byte>();
        var header = new ResponseHeaderFields(new RequestId(Supplier, Meter, 5), new ResponseId(Meter, Supplier, 6), ResponseCode.Success, When);
        new DuisResponseWriter().WriteResponse(header, ReadInventory, [1, 2, 3], general);
        DuisSynchronousResponseWriter.WriteInventory(header, ReadInventory, [Minimal(Meter, InventoryDeviceType.Esme)], _output);

        var end = "</sr:ServiceReferenceVariant>"u8;
        var prefix = general.WrittenSpan[..(general.WrittenSpan.IndexOf(end) + end.Length)];
        Assert.True(_output.WrittenSpan.StartsWith(prefix), Encoding.UTF8.GetString(_output.WrittenSpan));
    }

    [Fact]
    public void Inventory_of_one_minimal_device_is_valid_canonical_and_omits_optional_elements()
    {
        DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, [Minimal(Meter, InventoryDeviceType.Gsme)], _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        var device = Assert.Single(doc.GetElementsByTagName("Device", Sr).Cast<XmlElement>());
        Assert.Equal(
            ["DeviceID", "DeviceType", "DeviceManufacturer", "DeviceModel"],
            device.ChildNodes.Cast<XmlNode>().Select(n => n.LocalName));
        Assert.Equal(Meter.ToString(), Text(doc, "DeviceID"));
        Assert.Equal("GSME", Text(doc, "DeviceType"));
        Assert.Equal("Landis+Gyr & Sons <UK>", Text(doc, "DeviceManufacturer"));
        Assert.Equal("E470-5394", Text(doc, "DeviceModel"));
    }

    [Fact]
    public void Inventory_of_seventeen_full_devices_is_valid_canonical_in_schema_order()
    {
        var devices = new InventoryDevice[DuisSynchronousResponseWriter.MaxInventoryDevices];
        for (var i = 0; i < devices.Length; i++)
        {
            devices[i] = Full(new Eui64(Meter.Value + (ulong)i), i);
        }

        DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, devices, _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        var written = doc.GetElementsByTagName("Device", Sr).Cast<XmlElement>().ToArray();
        Assert.Equal(17, written.Length);
        Assert.Equal(
            ["DeviceID", "DeviceType", "DeviceStatus", "DeviceManufacturer", "DeviceModel", "SMETSCHTSVersion", "DeviceFirmwareVersion",
             "DeviceFirmwareVersionStatus", "CPLStatus", "DateCommissioned", "ImportMPxN", "CSPRegion", "DeviceGBCSVersion", "S1SP"],
            written[0].ChildNodes.Cast<XmlNode>().Select(n => n.LocalName));
        for (var i = 0; i < written.Length; i++)
        {
            Assert.Equal(devices[i].DeviceId.ToString(), Child(written[i], "DeviceID"));
        }

        Assert.Equal("Commissioned", Child(written[0], "DeviceStatus"));
        Assert.Equal("0A01B2C3", Child(written[0], "DeviceFirmwareVersion"));
        Assert.Equal("SMETS2 v5.0", Child(written[0], "SMETSCHTSVersion"));
        Assert.Equal("2024-03-05", Child(written[0], "DateCommissioned"));
        Assert.Equal("1012345678901", Child(written[0], "ImportMPxN"));
        Assert.Equal("4G Central", Child(written[0], "CSPRegion"));
        Assert.Equal("Secure Meters S1SP", Child(written[0], "S1SP"));
    }

    [Theory]
    [MemberData(nameof(DeviceTypes))]
    public void Every_device_type_is_written_as_the_schema_value(InventoryDeviceType type)
    {
        DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, [Minimal(Meter, type)], _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        Assert.Equal(type.ToString().ToUpperInvariant(), Text(CanonicalXmlAssert.Load(_output.WrittenSpan), "DeviceType"));
    }

    [Theory]
    [MemberData(nameof(DeviceStatuses))]
    public void Every_device_status_is_written_as_the_schema_value(InventoryDeviceStatus status)
    {
        DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, [Minimal(Meter, InventoryDeviceType.Chf) with { DeviceStatus = status }], _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        Assert.Equal(status.ToString(), Text(CanonicalXmlAssert.Load(_output.WrittenSpan), "DeviceStatus"));
    }

    [Theory]
    [MemberData(nameof(CspRegions))]
    public void Every_CSP_region_is_a_schema_value(InventoryCspRegion region)
    {
        DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, [Minimal(Meter, InventoryDeviceType.Chf) with { CspRegion = region }], _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        Assert.NotEmpty(Text(CanonicalXmlAssert.Load(_output.WrittenSpan), "CSPRegion"));
    }

    [Theory]
    [MemberData(nameof(ProductListStatuses))]
    public void Every_product_list_status_is_written_for_firmware_and_CPL(ProductListStatus status)
    {
        var device = Minimal(Meter, InventoryDeviceType.Esme) with { FirmwareVersion = Firmware, FirmwareVersionStatus = status, CplStatus = status };
        DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, [device], _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        var doc = CanonicalXmlAssert.Load(_output.WrittenSpan);
        Assert.Equal(status.ToString(), Text(doc, "DeviceFirmwareVersionStatus"));
        Assert.Equal(status.ToString(), Text(doc, "CPLStatus"));
    }

    [Fact]
    public void Model_length_counts_characters_not_bytes()
    {
        // 30 two-byte characters: 60 bytes, within the schema's 30 characters.
        var model = Encoding.UTF8.GetBytes(new string('é', 30));
        var device = new InventoryDevice(Meter, InventoryDeviceType.Esme, Manufacturer, model);
        DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, [device], _output);

        CanonicalXmlAssert.ValidAndCanonical(_output.WrittenSpan);
        Assert.Equal(new string('é', 30), Text(CanonicalXmlAssert.Load(_output.WrittenSpan), "DeviceModel"));
    }

    [Fact]
    public void Request_device_types_map_onto_schema_device_types()
    {
        Assert.Equal(InventoryDeviceType.Esme, DeviceType.ElectricityMeter.ToInventoryDeviceType());
        Assert.Equal(InventoryDeviceType.Gsme, DeviceType.GasMeter.ToInventoryDeviceType());
        Assert.Equal(InventoryDeviceType.Chf, DeviceType.CommunicationsHub.ToInventoryDeviceType());
        Assert.Equal(InventoryDeviceType.Gpf, DeviceType.GasProxy.ToInventoryDeviceType());
        Assert.Equal(InventoryDeviceType.Ppmid, DeviceType.Ppmid.ToInventoryDeviceType());
        Assert.Equal(InventoryDeviceType.Hcalcs, DeviceType.Hcalcs.ToInventoryDeviceType());
        Assert.Equal(InventoryDeviceType.Ihd, DeviceType.InHomeDisplay.ToInventoryDeviceType());
        Assert.Throws<ArgumentException>(() => DeviceType.Unknown.ToInventoryDeviceType());
        Assert.Throws<ArgumentException>(() => DeviceType.Dcc.ToInventoryDeviceType());
        Assert.Throws<ArgumentException>(() => DeviceType.AnyHanDevice.ToInventoryDeviceType());
    }

    [Fact]
    public void Eighteen_or_no_devices_are_refused()
    {
        var devices = new InventoryDevice[18];
        for (var i = 0; i < devices.Length; i++)
        {
            devices[i] = Minimal(new Eui64(Meter.Value + (ulong)i), InventoryDeviceType.Esme);
        }

        var tooMany = Assert.Throws<ArgumentException>(() => DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, devices, _output));
        Assert.Contains("1 to 17 devices; 18 were given", tooMany.Message, StringComparison.Ordinal);
        var none = Assert.Throws<ArgumentException>(() => DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, [], _output));
        Assert.Contains("0 were given", none.Message, StringComparison.Ordinal);
        Assert.Equal(0, _output.WrittenCount);
    }

    [Fact]
    public void Malformed_device_values_are_refused_naming_device_and_element()
    {
        var good = Minimal(Meter, InventoryDeviceType.Esme);
        var cases = new (InventoryDevice Device, string Expected)[]
        {
            (new InventoryDevice(Meter, InventoryDeviceType.Esme, Manufacturer, Encoding.UTF8.GetBytes(new string('M', 31))), "DeviceModel: the value has 31 characters; the schema allows 0 to 30."),
            (new InventoryDevice(Meter, InventoryDeviceType.Esme, Manufacturer, "E470\u0007"u8.ToArray()), "DeviceModel: the value holds control character 0x07"),
            (new InventoryDevice(Meter, InventoryDeviceType.Esme, Manufacturer, new byte[] { 0x45, 0xC3 }), "DeviceModel: the value is not valid UTF-8."),
            (new InventoryDevice(Meter, InventoryDeviceType.Esme, Encoding.UTF8.GetBytes(new string('L', 31)), Model), "DeviceManufacturer: the value has 31 characters"),
            (new InventoryDevice(Meter, (InventoryDeviceType)0, Manufacturer, Model), "DeviceType: 0 is not a schema DeviceType value."),
            (good with { DeviceStatus = (InventoryDeviceStatus)99 }, "DeviceStatus: 99 is not"),
            (good with { FirmwareVersion = "123456789"u8.ToArray() }, "DeviceFirmwareVersion: the value has 9 characters; the schema allows 0 to 8."),
            (good with { SmetsChtsVersion = Encoding.UTF8.GetBytes(new string('V', 21)) }, "SMETSCHTSVersion: the value has 21 characters"),
            (good with { FirmwareVersionStatus = (ProductListStatus)0 }, "DeviceFirmwareVersionStatus: 0 is not"),
            (good with { CplStatus = (ProductListStatus)5 }, "CPLStatus: 5 is not"),
            (good with { ImportMpxn = InventoryDevice.MaxImportMpxn + 1 }, "ImportMPxN: 10000000000000 has more than the 13 characters"),
            (good with { CspRegion = (InventoryCspRegion)9 }, "CSPRegion: 9 is not"),
            (good with { S1SP = "S1\u0001"u8.ToArray() }, "S1SP: the value holds control character 0x01"),
            (good with { DeviceGbcsVersion = new byte[] { 0xFF } }, "DeviceGBCSVersion: the value is not valid UTF-8."),
        };

        foreach (var (device, expected) in cases)
        {
            // The bad device is the third: the message must say which one.
            var ex = Assert.Throws<ArgumentException>(() => DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, [good, good, device], _output));
            Assert.Contains("Inventory device 2, " + expected, ex.Message, StringComparison.Ordinal);
            Assert.Equal(0, _output.WrittenCount);
        }
    }

    [Fact]
    public void Bad_pre_command_inputs_are_refused()
    {
        var srv = ServiceReferenceVariant.Parse("6.15.1");
        var emptyVersion = Assert.Throws<ArgumentException>(() => DuisSynchronousResponseWriter.WritePreCommand(I0Header, srv, default, PreCommandPayload, _output));
        Assert.Contains("GBCSVersion: the value is empty", emptyVersion.Message, StringComparison.Ordinal);
        var emptyPayload = Assert.Throws<ArgumentException>(() => DuisSynchronousResponseWriter.WritePreCommand(I0Header, srv, GbcsVersion, default, _output));
        Assert.Contains("payload is empty", emptyPayload.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DuisSynchronousResponseWriter.WritePreCommand(I0Header, srv, "4\u00023"u8, PreCommandPayload, _output));
        Assert.Throws<ArgumentException>(() => DuisSynchronousResponseWriter.WritePreCommand(I0Header, default, GbcsVersion, PreCommandPayload, _output));
        Assert.Throws<ArgumentException>(() => DuisSynchronousResponseWriter.WriteInventory(I0Header, default, [Minimal(Meter, InventoryDeviceType.Esme)], _output));
        Assert.Equal(0, _output.WrittenCount);
    }

    [Fact]
    public void Writing_allocates_nothing_after_warm_up()
    {
        var devices = new InventoryDevice[DuisSynchronousResponseWriter.MaxInventoryDevices];
        for (var i = 0; i < devices.Length; i++)
        {
            devices[i] = Full(new Eui64(Meter.Value + (ulong)i), i);
        }

        var transform = ServiceReferenceVariant.Parse("6.15.1");
        var minimal = new[] { Minimal(Meter, InventoryDeviceType.Ppmid) };

        void WriteAll()
        {
            _output.ResetWrittenCount();
            DuisSynchronousResponseWriter.WritePreCommand(I0Header, transform, GbcsVersion, PreCommandPayload, _output);
            DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, devices, _output);
            DuisSynchronousResponseWriter.WriteInventory(I0Header, ReadInventory, minimal, _output);
        }

        WriteAll();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            WriteAll();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(_output.WrittenCount > 0);
    }

    private static InventoryDevice Minimal(Eui64 id, InventoryDeviceType type) => new(id, type, Manufacturer, Model);

    /// <summary>A device with every modelled element, values varied by <paramref name="i"/>.</summary>
    private static InventoryDevice Full(Eui64 id, int i) => new(id, Enum.GetValues<InventoryDeviceType>()[i % 8], Manufacturer, Model)
    {
        DeviceStatus = i == 0 ? InventoryDeviceStatus.Commissioned : Enum.GetValues<InventoryDeviceStatus>()[i % 9],
        SmetsChtsVersion = SmetsChts,
        FirmwareVersion = Firmware,
        FirmwareVersionStatus = ProductListStatus.Active,
        CplStatus = ProductListStatus.Active,
        DateCommissioned = new DateOnly(2024, 3, 5).AddDays(i),
        ImportMpxn = 1_012_345_678_901 + (ulong)i,
        CspRegion = i == 0 ? InventoryCspRegion.Central4G : Enum.GetValues<InventoryCspRegion>()[i % 8],
        DeviceGbcsVersion = GbcsVersion,
        S1SP = S1sp,
    };

    private static string Text(XmlDocument doc, string localName)
    {
        var nodes = doc.GetElementsByTagName(localName, Sr);
        Assert.True(nodes.Count > 0, $"No {localName}");
        return nodes[0]!.InnerText;
    }

    private static string Child(XmlElement parent, string localName) => parent.GetElementsByTagName(localName, Sr)[0]!.InnerText;

    private static XmlElement Element(XmlDocument doc, string localName) => (XmlElement)doc.GetElementsByTagName(localName, Sr)[0]!;
}
