using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Duis.Validation;
using static CapacitySim.Dcc.Tests.Integration.Integration;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>
/// What a user system's DUIS client checks first: every message the DCC sends — synchronous answers, SMETS2 and
/// SMETS1 responses, errors, device and DCC alerts — validates against the v5.4 schema as assembled and signed.
/// </summary>
public sealed class SchemaConformanceTests
{
    private static readonly Lazy<DuisSchema> Schema = new(() => DuisSchema.Load(SharedDuis.Material));

    [Fact]
    public async Task Every_message_the_DCC_sends_validates_against_the_schema()
    {
        await using var endpoint = await UserEndpoint.StartAsync();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address), endpoint);
        var estate = rig.Dcc.Estate;
        var smets1Meter = Find(estate, DeviceGeneration.Smets1, DeviceType.ElectricityMeter);
        var smets2Meter = Find(estate, DeviceGeneration.Smets2, DeviceType.ElectricityMeter);
        var smets1Hub = Find(estate, DeviceGeneration.Smets1, DeviceType.CommunicationsHub);
        ulong counter = 5_000;
        var sync = new List<byte[]>();

        async Task Send(string srv, Duis.Identifiers.Eui64 target, CommandVariant? cv = null)
        {
            var answer = await rig.PostAsync(Sign(Build(srv, Id(Supplier, target, ++counter), cv), Supplier));
            Assert.Equal(200, answer.Status);
            sync.Add(answer.Body);
        }

        await Send("4.1.1", smets1Meter.Eui);            // I99, then a SMETS1 response with registers
        await Send("4.18", smets1Meter.Eui);             // SMETS1 meter balance
        await Send("4.1.1", smets2Meter.Eui);            // SMETS2 response with a GBCS payload
        await Send("8.2", RequestBodies.DccTarget);      // Read Inventory: DSPInventory of the reference premises
        await Send("12.1", RequestBodies.DccTarget);     // other non-device: I99
        await Send("1.1.1", smets2Meter.Eui);            // Transform: PreCommand
        await Send("4.1.1", Validation.TestDevices.Missing);                    // E19, synchronously

        var now = rig.Dcc.Capacity.Now;
        rig.Dcc.Raise(new DeviceEvent(now, DeviceEventKind.DeviceAlert, smets1Meter.Index, smets1Meter.Premises, new DeviceAlertCode(0x8F35), default, 0, default));
        rig.Dcc.Raise(new DeviceEvent(now, DeviceEventKind.DccAlert, smets1Hub.Index, smets1Hub.Premises, default, DccAlertCode.Parse("AD1"), 0, now.AddMinutes(-10)));

        // Three device requests answered asynchronously; the device alert to the supplier; the DCC alert to supplier and network operator.
        var received = await endpoint.WaitForAsync(r => r.Count >= 6);
        Assert.True(received.Count >= 6, $"received {received.Count} messages");
        foreach (var body in sync.Concat(received.Select(r => r.Body)))
        {
            var findings = Schema.Value.Validate(body);
            Assert.True(findings.Count == 0, $"{string.Join("; ", findings)}\n{Text(body)}");
        }

        Assert.Contains(received, r => r.Header.BodyKind == Duis.Reading.DuisBodyKind.Smets1ResponseMessage);
        Assert.Contains(received, r => r.Header.BodyKind == Duis.Reading.DuisBodyKind.DeviceAlertMessage);
        Assert.Contains(received, r => r.Header.BodyKind == Duis.Reading.DuisBodyKind.DccAlertMessage);
    }
}
