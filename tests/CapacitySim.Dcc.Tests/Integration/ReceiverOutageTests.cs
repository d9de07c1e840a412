using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Requests;
using static CapacitySim.Dcc.Tests.Integration.Integration;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>A user system that is down while responses and alerts are produced gets every one of them once it is back.</summary>
public class ReceiverOutageTests
{
    [Fact]
    public async Task Endpoint_down_then_back_gets_every_response_and_alert_exactly_once()
    {
        // The endpoint's port is reserved and refuses connections until it starts.
        await using var endpoint = await UserEndpoint.ReserveStoppedAsync();
        var estate = Estate();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address, estate: estate), endpoint);
        Eui64[] targets =
        [
            ReferencePremises.ElectricityMeter, ReferencePremises.GasMeter, ReferencePremises.GasProxy,
            Find(estate, DeviceGeneration.Smets1, DeviceType.ElectricityMeter).Eui, Find(estate, DeviceGeneration.Smets1, DeviceType.GasMeter).Eui,
        ];
        var requests = new List<RequestId>();
        for (var i = 0; i < 15; i++)
        {
            var id = new RequestId(Supplier, targets[i % targets.Length], (ulong)(100 + i));
            var answer = await rig.PostAsync(Sign(RequestBodies.BuildRequest(ServiceReferenceVariant.Parse("4.1.1"), id), Supplier));
            Assert.Equal(ResponseCodes.Acknowledged, answer.Header.ResponseCode);
            requests.Add(id);
        }

        // Device alerts from six meters while the endpoint is down.
        for (var i = 0; i < 6; i++)
        {
            var meter = estate.Get(estate.FindInPremises(1 + i, DeviceType.ElectricityMeter));
            rig.Dcc.Raise(new DeviceEvent(rig.Dcc.Capacity.Now, DeviceEventKind.DeviceAlert, meter.Index, meter.Premises, new DeviceAlertCode(0x8F84), default, 0, default));
        }

        const int expected = 21;

        // Down long enough that every message has used its retry window and waits on the failed queue.
        var down = await WaitAsync(rig, s => s.Delivery.Totals.MovedToFailedQueue >= expected);
        Assert.True(down.Delivery.Totals.MovedToFailedQueue >= expected, down.ToString());
        Assert.Equal(0, down.Delivery.Totals.Delivered);
        Assert.Equal(expected, down.Delivery.Totals.Pending);
        Assert.Empty(endpoint.Received);

        await endpoint.StartAsync();
        await endpoint.WaitForAsync(r => r.Count >= expected);
        var end = await rig.DrainAsync();

        foreach (var id in requests)
        {
            var response = Assert.Single(For(endpoint.Received, id));
            Assert.Equal(ResponseCodes.Success, response.Header.ResponseCode);
        }

        var alerts = endpoint.Received.Where(m => m.Header.BodyKind == DuisBodyKind.DeviceAlertMessage).ToArray();
        Assert.Equal(6, alerts.Length);
        Assert.Equal(6, alerts.Select(a => a.Header.ResponseId).Distinct().Count());
        Assert.Equal(expected, endpoint.Received.Count);
        Assert.Equal(expected, end.Delivery.Totals.Delivered);
        Assert.Equal(0, end.Delivery.Totals.Expired);
        Assert.True(end.Delivery.Totals.Redelivered > 0, end.ToString());
        Assert.True(end.IsBalanced, end.ToString());
    }

    private static async Task<Simulation.DccAccountingSnapshot> WaitAsync(DccRig rig, Func<Simulation.DccAccountingSnapshot, bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var s = rig.Dcc.Snapshot();
            if (done(s) || DateTime.UtcNow >= until)
            {
                return s;
            }

            await Task.Delay(20);
        }
    }
}
