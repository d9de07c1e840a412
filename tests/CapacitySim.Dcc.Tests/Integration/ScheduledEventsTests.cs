using System.Text;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Requests;
using Microsoft.Extensions.Time.Testing;
using static CapacitySim.Dcc.Tests.Integration.Integration;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>
/// The estate's scheduled events reach the users as DUIS alerts: nine days of hub reboots (8F3E after the PPMID falls
/// off the HAN) and regional power outages (8F36 after a long one, 8F35 after a short one, and the DCC's
/// PowerOutageEvent alerts), on fake time that the test drives through the DCC's own event generator.
/// </summary>
public class ScheduledEventsTests
{
    private const string Behaviour = PromptDevicesYaml + """

        dmcs:
          S2-CHF-ToshibaCH2:
            hubReboots: true
            ppmidLeavesHan: 1.0
        hubReboot:
          period: 9d
          hanLeaveDelay: 0s
          alertDelay: 1m
          alertDevice: ESME
          alertCode: 8F3E
          rejoinDelay: 15m
        powerRestore:
          longOutage: 3m
          deviceAlertDelay: 5s
          dccAlertCode: AD1
          dccAlertMinimumOutage: 3m
          dccAlertDelay: 30s
        powerOutages:
          - { name: north-storm, region: North, share: 1, start: 1h, duration: 10m, restoreRamp: 5m }
          - { name: south-dip, region: South, share: 1, start: 2h, duration: 1m, restoreRamp: 1m }
        """;

    [Fact]
    public async Task Nine_days_of_hub_reboots_and_regional_outages_reach_the_users_as_alerts()
    {
        var clock = new FakeTimeProvider(ScenarioStart);
        var estate = Estate(200);
        await using var endpoint = await UserEndpoint.StartAsync();

        // POSTs run in real time while the test moves scenario time by days: a time-out longer than the run keeps a
        // slow POST from being retried (and so received twice).
        var delivery = new DeliveryOptions { RequestTimeout = TimeSpan.FromDays(30) };
        await using var rig = await DccRig.StartAsync(
            Options(endpoint.Address, clock: clock, behaviour: BehaviourConfig.Parse(Behaviour, "reboots-and-outages"), estate: estate, delivery: delivery),
            endpoint);

        var (north, south, rebooting, hubsNorth, ppmids) = Expected(estate);
        Assert.NotEmpty(north);
        Assert.NotEmpty(south);
        Assert.NotEmpty(rebooting);

        // Drive the DCC's event generator over nine days and a little more, ten minutes at a time.
        var buffer = new DeviceEvent[1024];
        var end = ScenarioStart + TimeSpan.FromDays(9) + TimeSpan.FromMinutes(30);
        var raised = 0;
        var leftHan = new HashSet<int>();
        while (clock.GetUtcNow() < end)
        {
            clock.Advance(TimeSpan.FromMinutes(10));
            int n;
            do
            {
                n = rig.Dcc.Events.Drain(clock.GetUtcNow(), buffer);
                for (var i = 0; i < n; i++)
                {
                    rig.Dcc.Raise(in buffer[i]);
                    if (buffer[i].Kind is DeviceEventKind.DeviceAlert or DeviceEventKind.DccAlert)
                    {
                        raised++;
                    }
                    else if (buffer[i].Kind == DeviceEventKind.HanLeave)
                    {
                        leftHan.Add(buffer[i].Device);
                        Assert.False(estate.State.IsJoinedToHan(buffer[i].Device));
                    }
                }
            }
            while (n == buffer.Length);
        }

        var expectedMessages = north.Count + south.Count + rebooting.Count + (2 * hubsNorth.Count);
        Assert.Equal(north.Count + south.Count + rebooting.Count + hubsNorth.Count, raised);
        var received = await WaitAsync(endpoint, clock, expectedMessages);
        var snapshot = await rig.DrainAsync();

        var deviceAlerts = received.Where(m => m.Header.BodyKind == DuisBodyKind.DeviceAlertMessage).ToArray();
        Assert.Equal(north.OrderBy(e => e.Value), Sources(deviceAlerts, DeviceAlertCode.SupplyOutageRestoredAfterThreeMinutes));
        Assert.Equal(south.OrderBy(e => e.Value), Sources(deviceAlerts, DeviceAlertCode.SupplyOutageRestored));
        Assert.Equal(rebooting.OrderBy(e => e.Value), Sources(deviceAlerts, DeviceAlertCode.Parse("8F3E")));
        Assert.All(deviceAlerts, m => Assert.Equal(Supplier, m.Header.ResponseId.Recipient));

        // The DCC's PowerOutageEvent alerts: one per hub of the long outage, to the supplier and to the network operator.
        var dccAlerts = received.Where(m => m.Header.BodyKind == DuisBodyKind.DccAlertMessage).ToArray();
        Assert.Equal(2 * hubsNorth.Count, dccAlerts.Length);
        Assert.All(dccAlerts, m => Assert.Equal(DccAlertCode.Parse("AD1"), m.Header.DccAlertCode));
        foreach (var recipient in new[] { Supplier, NetworkOperator })
        {
            var texts = dccAlerts.Where(m => m.Header.ResponseId.Recipient == recipient).Select(m => Encoding.UTF8.GetString(m.Body)).ToArray();
            Assert.Equal(hubsNorth.Count, texts.Length);
            Assert.All(hubsNorth, hub => Assert.Single(texts, t => t.Contains("PowerOutageEvent", StringComparison.Ordinal) && t.Contains(hub.ToString(), StringComparison.Ordinal)));
        }

        AssertSignedByDcc(dccAlerts[0].Body);
        AssertSignedByDcc(deviceAlerts[0].Body);

        // Each PPMID fell off the HAN at its hub's reboot and is back on it.
        Assert.Equal(ppmids.Order(), leftHan.Order());
        Assert.All(ppmids, p => Assert.True(estate.State.IsJoinedToHan(p)));

        Assert.Equal(expectedMessages, received.Length);
        Assert.Equal(0, snapshot.AlertStorm.Totals.Suppressed);
        Assert.Equal(raised, snapshot.AlertsRaised);
        Assert.Equal(expectedMessages, snapshot.AlertMessages);
        Assert.True(snapshot.IsBalanced, snapshot.ToString());
    }

    /// <summary>
    /// A live run: the DCC's own alert pump collects the events as compressed time passes (×100000: the outage an hour
    /// in is restored about 45 ms of real time after the start) and the users receive the restore alerts.
    /// </summary>
    [Fact]
    public async Task Live_run_on_compressed_time_delivers_the_power_restore_alerts()
    {
        var estate = Estate(200);
        await using var endpoint = await UserEndpoint.StartAsync();
        var delivery = new DeliveryOptions { RequestTimeout = TimeSpan.FromDays(30) };
        var behaviour = BehaviourConfig.Parse(PromptDevicesYaml + """

            powerOutages:
              - { name: north-storm, region: North, share: 1, start: 1h, duration: 10m, restoreRamp: 5m }
            """, "north-storm");
        await using var rig = await DccRig.StartAsync(
            Options(endpoint.Address, clock: Clock(100_000), behaviour: behaviour, estate: estate, delivery: delivery, generateAlerts: true),
            endpoint);
        var (north, _, _, hubsNorth, _) = Expected(estate);

        var received = await endpoint.WaitForAsync(r => r.Count >= north.Count + (2 * hubsNorth.Count), TimeSpan.FromSeconds(15));

        var deviceAlerts = received.Where(m => m.Header.BodyKind == DuisBodyKind.DeviceAlertMessage).ToArray();
        Assert.Equal(north.OrderBy(e => e.Value), Sources(deviceAlerts, DeviceAlertCode.SupplyOutageRestoredAfterThreeMinutes));
        Assert.Equal(2 * hubsNorth.Count, received.Count(m => m.Header.BodyKind == DuisBodyKind.DccAlertMessage && m.Header.DccAlertCode == DccAlertCode.Parse("AD1")));
        var snapshot = await rig.DrainAsync();
        Assert.Equal(north.Count + (2 * hubsNorth.Count), endpoint.Received.Count);
        Assert.True(snapshot.IsBalanced, snapshot.ToString());
    }

    /// <summary>
    /// What the estate says should happen: ESMEs of North (long outage) and South (short one), the ESMEs of premises whose
    /// commissioned hub reboots and which have a PPMID, the hubs of North, and those PPMIDs.
    /// </summary>
    private static (List<Eui64> North, List<Eui64> South, List<Eui64> Rebooting, List<Eui64> HubsNorth, List<int> Ppmids) Expected(Population estate)
    {
        var rebootingDmc = estate.FindDmc("S2-CHF-ToshibaCH2");
        List<Eui64> north = [], south = [], rebooting = [], hubsNorth = [];
        List<int> ppmids = [];
        for (var p = 0; p < estate.PremisesCount; p++)
        {
            var hub = estate.FindInPremises(p, DeviceType.CommunicationsHub);
            var esme = estate.FindInPremises(p, DeviceType.ElectricityMeter);
            var ppmid = estate.FindInPremises(p, DeviceType.Ppmid);
            var region = estate.PremisesRegions[p];
            if (region == CspRegion.North)
            {
                north.Add(estate.EuiOf(esme));
                hubsNorth.Add(estate.EuiOf(hub));
            }
            else if (region == CspRegion.South)
            {
                south.Add(estate.EuiOf(esme));
            }

            var hubRecord = estate.Get(hub);
            if (hubRecord.Dmc == rebootingDmc && hubRecord.Status == DeviceStatus.Commissioned && ppmid >= 0)
            {
                rebooting.Add(estate.EuiOf(esme));
                ppmids.Add(ppmid);
            }
        }

        return (north, south, rebooting, hubsNorth, ppmids);
    }

    private static Eui64[] Sources(ReceivedMessage[] alerts, DeviceAlertCode code)
        => alerts.Where(m => m.Header.DeviceAlertCode == code).Select(m => m.Header.ResponseId.Source).OrderBy(e => e.Value).ToArray();

    /// <summary>Moves fake time on (the alert lane runs on it) until <paramref name="count"/> messages have arrived.</summary>
    private static async Task<ReceivedMessage[]> WaitAsync(UserEndpoint endpoint, FakeTimeProvider clock, int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var received = endpoint.Received.ToArray();
            if (received.Length >= count || DateTime.UtcNow >= until)
            {
                return received;
            }

            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }
    }
}
