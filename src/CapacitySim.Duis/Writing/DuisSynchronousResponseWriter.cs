using System.Buffers;
using System.Globalization;
using System.Text.Unicode;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using static CapacitySim.Duis.Writing.CanonicalOutput;

namespace CapacitySim.Duis.Writing;

/// <summary>
/// Writes the DUIS responses the DCC returns synchronously with a body of its own (<c>sr:Response</c>, schema 5.4):
/// the Transform service's <c>PreCommand</c> and the Read Inventory <c>DSPInventory</c>. Output follows the contract
/// of <see cref="DuisResponseWriter"/>: exclusive-c14n canonical form written directly, so it can go to a signer as it
/// is, and no allocation once the output buffer has grown.
/// </summary>
/// <remarks>
/// Synchronous answers without a body need nothing here: an I99 acknowledgement, an E-code error and a non-device
/// request that succeeded with nothing to return are all <see cref="DuisResponseWriter.WriteResponse"/> with an empty
/// payload (ServiceReference and ServiceReferenceVariant only, as in the DCC's E65 sample). Values are checked before
/// anything is written, so a refused call leaves <c>output</c> untouched.
/// </remarks>
public static class DuisSynchronousResponseWriter
{
    /// <summary>Most devices in one <c>DSPInventory</c> (the schema's maxOccurs).</summary>
    public const int MaxInventoryDevices = 17;

    /// <summary>xs:date as <c>yyyy-MM-dd</c>.</summary>
    private const int DateLength = 10;

    /// <summary>
    /// Writes the I0 answer to a Transform request (command variant 4): <c>sr:ResponseMessage</c> with
    /// ServiceReference, ServiceReferenceVariant and a <c>PreCommand</c> holding the GBCS version and the GBCS
    /// pre-command (base64) that the user signs and sends back as command variant 5.
    /// </summary>
    /// <param name="header">The response header (I0).</param>
    /// <param name="srv">The Service Reference Variant transformed.</param>
    /// <param name="gbcsVersion">GBCSVersion as UTF-8, not empty (the schema types it as a plain string; the caller
    /// writes the GBCS version the payload was built for, such as <c>4.3</c>).</param>
    /// <param name="gbcsPayload">The GBCS pre-command, not empty.</param>
    /// <param name="output">Where the document goes.</param>
    public static void WritePreCommand(in ResponseHeaderFields header, ServiceReferenceVariant srv, ReadOnlySpan<byte> gbcsVersion, ReadOnlySpan<byte> gbcsPayload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ResponseEnvelope.CheckSrv(srv);
        CheckText(gbcsVersion, 1, int.MaxValue, "GBCSVersion", -1);
        if (gbcsPayload.IsEmpty)
        {
            WriterThrow.Argument(nameof(gbcsPayload), "A PreCommand needs the GBCS pre-command; the payload is empty.");
        }

        ResponseEnvelope.WriteResponseMessageStart(output, in header, srv);
        Raw(output, "<sr:PreCommand><sr:GBCSVersion>"u8);
        Text(output, gbcsVersion);
        Raw(output, "</sr:GBCSVersion><sr:GBCSPayload>"u8);
        Base64(output, gbcsPayload);
        Raw(output, "</sr:GBCSPayload></sr:PreCommand>"u8);
        ResponseEnvelope.WriteResponseMessageEnd(output);
    }

    /// <summary>
    /// Writes the answer to Read Inventory (SRV 8.2): <c>sr:ResponseMessage</c> with ServiceReference,
    /// ServiceReferenceVariant and a <c>DSPInventory</c> of 1 to 17 <c>Device</c> entries, each with its elements in
    /// the schema's order. An inquiry that matched no device is answered with an error code and no body (see
    /// <see cref="DuisResponseWriter.WriteResponse"/>), as <c>DSPInventory</c> holds at least one device.
    /// </summary>
    /// <param name="header">The response header (I0).</param>
    /// <param name="srv">The Service Reference Variant answered (8.2).</param>
    /// <param name="devices">The devices found, 1 to <see cref="MaxInventoryDevices"/>.</param>
    /// <param name="output">Where the document goes.</param>
    /// <exception cref="ArgumentException">No device, more than 17, or a value the schema's type refuses; the message
    /// names the device (by position) and the element.</exception>
    public static void WriteInventory(in ResponseHeaderFields header, ServiceReferenceVariant srv, ReadOnlySpan<InventoryDevice> devices, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ResponseEnvelope.CheckSrv(srv);
        if (devices.Length is 0 or > MaxInventoryDevices)
        {
            WriterThrow.Argument(nameof(devices), $"A DSPInventory holds 1 to {MaxInventoryDevices} devices; {devices.Length} were given.");
        }

        for (var i = 0; i < devices.Length; i++)
        {
            Check(in devices[i], i);
        }

        ResponseEnvelope.WriteResponseMessageStart(output, in header, srv);
        Raw(output, "<sr:DSPInventory>"u8);
        foreach (ref readonly var device in devices)
        {
            WriteDevice(output, in device);
        }

        Raw(output, "</sr:DSPInventory>"u8);
        ResponseEnvelope.WriteResponseMessageEnd(output);
    }

    private static void WriteDevice(IBufferWriter<byte> o, in InventoryDevice device)
    {
        Raw(o, "<sr:Device><sr:DeviceID>"u8);
        Formatted(o, device.DeviceId, Eui64.FormattedLength);
        Raw(o, "</sr:DeviceID><sr:DeviceType>"u8);
        Raw(o, DeviceTypeText(device.DeviceType));
        Raw(o, "</sr:DeviceType>"u8);
        if (device.DeviceStatus is { } status)
        {
            Raw(o, "<sr:DeviceStatus>"u8);
            Raw(o, DeviceStatusText(status));
            Raw(o, "</sr:DeviceStatus>"u8);
        }

        Raw(o, "<sr:DeviceManufacturer>"u8);
        Text(o, device.DeviceManufacturer.Span);
        Raw(o, "</sr:DeviceManufacturer><sr:DeviceModel>"u8);
        Text(o, device.DeviceModel.Span);
        Raw(o, "</sr:DeviceModel>"u8);
        OptionalText(o, "<sr:SMETSCHTSVersion>"u8, device.SmetsChtsVersion.Span, "</sr:SMETSCHTSVersion>"u8);
        OptionalText(o, "<sr:DeviceFirmwareVersion>"u8, device.FirmwareVersion.Span, "</sr:DeviceFirmwareVersion>"u8);
        if (device.FirmwareVersionStatus is { } firmwareStatus)
        {
            Raw(o, "<sr:DeviceFirmwareVersionStatus>"u8);
            Raw(o, ProductListStatusText(firmwareStatus));
            Raw(o, "</sr:DeviceFirmwareVersionStatus>"u8);
        }

        if (device.CplStatus is { } cplStatus)
        {
            Raw(o, "<sr:CPLStatus>"u8);
            Raw(o, ProductListStatusText(cplStatus));
            Raw(o, "</sr:CPLStatus>"u8);
        }

        if (device.DateCommissioned is { } commissioned)
        {
            Raw(o, "<sr:DateCommissioned>"u8);
            // Four-digit years only (DateOnly stops at 9999), so the invariant pattern is the xs:date lexical form.
            if (!commissioned.TryFormat(o.GetSpan(DateLength), out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture))
            {
                WriterThrow.Format(nameof(InventoryDevice.DateCommissioned));
            }

            o.Advance(written);
            Raw(o, "</sr:DateCommissioned>"u8);
        }

        if (device.ImportMpxn is { } mpxn)
        {
            Raw(o, "<sr:ImportMPxN>"u8);
            UInt64(o, mpxn);
            Raw(o, "</sr:ImportMPxN>"u8);
        }

        if (device.CspRegion is { } region)
        {
            Raw(o, "<sr:CSPRegion>"u8);
            Raw(o, CspRegionText(region));
            Raw(o, "</sr:CSPRegion>"u8);
        }

        OptionalText(o, "<sr:DeviceGBCSVersion>"u8, device.DeviceGbcsVersion.Span, "</sr:DeviceGBCSVersion>"u8);
        OptionalText(o, "<sr:S1SP>"u8, device.S1SP.Span, "</sr:S1SP>"u8);
        Raw(o, "</sr:Device>"u8);
    }

    private static void OptionalText(IBufferWriter<byte> o, ReadOnlySpan<byte> startTag, ReadOnlySpan<byte> utf8, ReadOnlySpan<byte> endTag)
    {
        if (!utf8.IsEmpty)
        {
            Raw(o, startTag);
            Text(o, utf8);
            Raw(o, endTag);
        }
    }

    /// <summary>Refuses what the schema's types refuse, naming the device and element.</summary>
    private static void Check(in InventoryDevice device, int index)
    {
        if (DeviceTypeText(device.DeviceType).IsEmpty)
        {
            ThrowDevice(index, "DeviceType", $"{device.DeviceType} is not a schema DeviceType value.");
        }

        if (device.DeviceStatus is { } status && DeviceStatusText(status).IsEmpty)
        {
            ThrowDevice(index, "DeviceStatus", $"{status} is not a schema DeviceStatus value.");
        }

        CheckText(device.DeviceManufacturer.Span, 0, InventoryDevice.MaxManufacturerOrModelLength, "DeviceManufacturer", index);
        CheckText(device.DeviceModel.Span, 0, InventoryDevice.MaxManufacturerOrModelLength, "DeviceModel", index);
        CheckText(device.SmetsChtsVersion.Span, 0, InventoryDevice.MaxSmetsChtsVersionLength, "SMETSCHTSVersion", index);
        CheckText(device.FirmwareVersion.Span, 0, InventoryDevice.MaxFirmwareVersionLength, "DeviceFirmwareVersion", index);
        if (device.FirmwareVersionStatus is { } firmwareStatus && ProductListStatusText(firmwareStatus).IsEmpty)
        {
            ThrowDevice(index, "DeviceFirmwareVersionStatus", $"{firmwareStatus} is not a schema FirmwareVersionStatus value.");
        }

        if (device.CplStatus is { } cplStatus && ProductListStatusText(cplStatus).IsEmpty)
        {
            ThrowDevice(index, "CPLStatus", $"{cplStatus} is not a schema CPLStatus value.");
        }

        if (device.ImportMpxn > InventoryDevice.MaxImportMpxn)
        {
            ThrowDevice(index, "ImportMPxN", $"{device.ImportMpxn} has more than the 13 characters the schema allows.");
        }

        if (device.CspRegion is { } region && CspRegionText(region).IsEmpty)
        {
            ThrowDevice(index, "CSPRegion", $"{region} is not a schema CSPRegion value.");
        }

        CheckText(device.DeviceGbcsVersion.Span, 0, int.MaxValue, "DeviceGBCSVersion", index);
        CheckText(device.S1SP.Span, 0, int.MaxValue, "S1SP", index);
    }

    /// <summary>
    /// Refuses text that is not UTF-8, holds a C0 control other than tab, LF and CR (XML 1.0 cannot carry them), or
    /// whose length in characters (as XSD counts them: code points) lies outside the type's facets. An empty optional
    /// value is omitted, so only required elements pass a positive minimum.
    /// </summary>
    private static void CheckText(ReadOnlySpan<byte> utf8, int minLength, int maxLength, string element, int deviceIndex)
    {
        if (!Utf8.IsValid(utf8))
        {
            ThrowDevice(deviceIndex, element, "the value is not valid UTF-8.");
        }

        var control = utf8.IndexOfAnyInRange((byte)0, (byte)0x1F);
        while (control >= 0)
        {
            var value = utf8[control];
            if (value is not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                ThrowDevice(deviceIndex, element, $"the value holds control character 0x{value:X2}, which XML 1.0 cannot carry.");
            }

            var next = utf8[(control + 1)..].IndexOfAnyInRange((byte)0, (byte)0x1F);
            control = next < 0 ? -1 : control + 1 + next;
        }

        // Each code point has exactly one byte that is not a continuation byte (10xxxxxx).
        var length = utf8.Length - CountContinuationBytes(utf8);
        if (length < minLength || length > maxLength)
        {
            ThrowDevice(deviceIndex, element, maxLength == int.MaxValue
                ? $"the value is empty; the schema needs at least {minLength} character."
                : $"the value has {length} characters; the schema allows {minLength} to {maxLength}.");
        }
    }

    private static int CountContinuationBytes(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) == 0x80)
            {
                count++;
            }
        }

        return count;
    }

    private static void ThrowDevice(int deviceIndex, string element, string problem)
        => WriterThrow.Argument(
            deviceIndex < 0 ? element : "devices",
            deviceIndex < 0 ? $"{element}: {problem}" : $"Inventory device {deviceIndex}, {element}: {problem}");

    private static ReadOnlySpan<byte> DeviceTypeText(InventoryDeviceType type) => type switch
    {
        InventoryDeviceType.Esme => "ESME"u8,
        InventoryDeviceType.Gsme => "GSME"u8,
        InventoryDeviceType.Gpf => "GPF"u8,
        InventoryDeviceType.Chf => "CHF"u8,
        InventoryDeviceType.Hcalcs => "HCALCS"u8,
        InventoryDeviceType.Ppmid => "PPMID"u8,
        InventoryDeviceType.Ihd => "IHD"u8,
        InventoryDeviceType.Cad => "CAD"u8,
        _ => default,
    };

    private static ReadOnlySpan<byte> DeviceStatusText(InventoryDeviceStatus status) => status switch
    {
        InventoryDeviceStatus.Pending => "Pending"u8,
        InventoryDeviceStatus.Whitelisted => "Whitelisted"u8,
        InventoryDeviceStatus.InstalledNotCommissioned => "InstalledNotCommissioned"u8,
        InventoryDeviceStatus.Commissioned => "Commissioned"u8,
        InventoryDeviceStatus.Decommissioned => "Decommissioned"u8,
        InventoryDeviceStatus.Withdrawn => "Withdrawn"u8,
        InventoryDeviceStatus.Suspended => "Suspended"u8,
        InventoryDeviceStatus.Recovery => "Recovery"u8,
        InventoryDeviceStatus.Recovered => "Recovered"u8,
        _ => default,
    };

    private static ReadOnlySpan<byte> ProductListStatusText(ProductListStatus status) => status switch
    {
        ProductListStatus.Active => "Active"u8,
        ProductListStatus.Cancelled => "Cancelled"u8,
        ProductListStatus.Expired => "Expired"u8,
        ProductListStatus.Withdrawn => "Withdrawn"u8,
        _ => default,
    };

    private static ReadOnlySpan<byte> CspRegionText(InventoryCspRegion region) => region switch
    {
        InventoryCspRegion.North => "North"u8,
        InventoryCspRegion.Central => "Central"u8,
        InventoryCspRegion.South => "South"u8,
        InventoryCspRegion.North4G => "4G North"u8,
        InventoryCspRegion.Central4G => "4G Central"u8,
        InventoryCspRegion.South4G => "4G South"u8,
        InventoryCspRegion.Unknown => "Unknown"u8,
        InventoryCspRegion.Smets1 => "SMETS1"u8,
        _ => default,
    };
}
