using System.Buffers;
using System.Text;
using CapacitySim.Dcc.Validation;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Writing;

namespace CapacitySim.Dcc.Simulation;

public sealed partial class SimulatedDcc
{
    private static readonly ServiceReferenceVariant ReadInventory = new(8, 2, 0);

    private InventoryTables? inventoryTables;

    /// <summary>
    /// Answers a non-device request (command variant 8) synchronously: 8.2 Read Inventory with the estate's devices of
    /// the premises of the device the request names; any other non-device request with I99 (done, no data to return).
    /// </summary>
    private void WriteNonDeviceAnswer(MessageWorker worker, in ValidationOutcome outcome, ResponseId responseId, DateTimeOffset now, in ReadOnlySequence<byte> request)
    {
        var header = outcome.Header;
        var unsigned = worker.Unsigned;
        if (header.ServiceReferenceVariant != ReadInventory)
        {
            worker.Writer.WriteResponse(new ResponseHeaderFields(header.RequestId, responseId, ResponseCode.Acknowledged, now), header.ServiceReferenceVariant, default, unsigned);
            return;
        }

        if (!TryFindNamedDevice(request, out var device))
        {
            worker.Writer.WriteResponse(new ResponseHeaderFields(header.RequestId, responseId, ResponseCodes.DeviceDoesNotExist, now), header.ServiceReferenceVariant, default, unsigned);
            return;
        }

        var tables = inventoryTables ??= new InventoryTables(Estate);
        var range = Estate.PremisesDevices(device.Premises);
        var (offset, length) = range.GetOffsetAndLength(Estate.Count);
        length = Math.Min(length, DuisSynchronousResponseWriter.MaxInventoryDevices);
        var devices = new InventoryDevice[length];
        for (var i = 0; i < length; i++)
        {
            devices[i] = tables.Describe(Estate.Get(offset + i));
        }

        DuisSynchronousResponseWriter.WriteInventory(new ResponseHeaderFields(header.RequestId, responseId, ResponseCode.Success, now), header.ServiceReferenceVariant, devices, unsigned);
    }

    /// <summary>
    /// The device a Read Inventory request asks about: the first <c>DeviceID</c> element's text in its body (the header
    /// reader reads only the header; this is a plain scan of the bytes, prefix-agnostic).
    /// </summary>
    private bool TryFindNamedDevice(in ReadOnlySequence<byte> request, out DeviceRecord device)
    {
        device = default;
        var bytes = request.IsSingleSegment ? request.FirstSpan : request.ToArray();
        var at = 0;
        while (true)
        {
            var found = bytes[at..].IndexOf("DeviceID>"u8);
            if (found < 0)
            {
                return false;
            }

            var start = at + found + "DeviceID>"u8.Length;
            var before = at + found - 1;
            if (before >= 0 && (bytes[before] == (byte)'<' || bytes[before] == (byte)':') && (before == 0 || bytes[before - 1] != (byte)'/')
                && start + Eui64.FormattedLength <= bytes.Length
                && Eui64.TryParse(bytes.Slice(start, Eui64.FormattedLength), out var eui))
            {
                return Estate.TryFind(eui, out device);
            }

            at = start;
        }
    }

    /// <summary>Inventory text for each DMC and firmware, encoded once.</summary>
    private sealed class InventoryTables
    {
        private readonly ReadOnlyMemory<byte>[] manufacturers;
        private readonly ReadOnlyMemory<byte>[] models;
        private readonly ReadOnlyMemory<byte>[] firmware;
        private readonly ReadOnlyMemory<byte>[] providers;

        public InventoryTables(Population estate)
        {
            manufacturers = estate.Dmcs.Select(d => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(Manufacturer(d.Name))).ToArray();
            models = estate.Dmcs.Select(d => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(d.Name)).ToArray();
            firmware = estate.Firmware.Select(f => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(f.Version.Length > InventoryDevice.MaxFirmwareVersionLength ? f.Version[..InventoryDevice.MaxFirmwareVersionLength] : f.Version)).ToArray();
            providers = estate.Smets1ServiceProviders.Select(p => p is null ? ReadOnlyMemory<byte>.Empty : (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(p.Name)).ToArray();
        }

        public InventoryDevice Describe(in DeviceRecord d) => new(d.Eui, d.Type.ToInventoryDeviceType(), manufacturers[d.Dmc], models[d.Dmc])
        {
            DeviceStatus = d.Status switch
            {
                DeviceStatus.Commissioned => InventoryDeviceStatus.Commissioned,
                DeviceStatus.InstalledNotCommissioned => InventoryDeviceStatus.InstalledNotCommissioned,
                DeviceStatus.Pending => InventoryDeviceStatus.Pending,
                DeviceStatus.Suspended => InventoryDeviceStatus.Suspended,
                _ => InventoryDeviceStatus.Decommissioned,
            },
            FirmwareVersion = firmware[d.Firmware],
            CspRegion = d.Generation == DeviceGeneration.Smets1 ? InventoryCspRegion.Smets1 : d.Region switch
            {
                CspRegion.North => InventoryCspRegion.North,
                CspRegion.Central => InventoryCspRegion.Central,
                _ => InventoryCspRegion.South,
            },
            S1SP = d.Generation == DeviceGeneration.Smets1 && d.Smets1ServiceProvider < providers.Length ? providers[d.Smets1ServiceProvider] : default,
        };

        // DMC names read generation-type-model ("S1-ELEC-SecureLiberty100"): the model part names the maker's product.
        private static string Manufacturer(string dmc)
        {
            var parts = dmc.Split('-', 3);
            return parts.Length == 3 ? parts[2] : dmc;
        }
    }
}
