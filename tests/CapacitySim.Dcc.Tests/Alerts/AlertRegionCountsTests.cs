using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Tests.Integration;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using static CapacitySim.Dcc.Tests.Integration.Integration;

namespace CapacitySim.Dcc.Tests.Alerts;

/// <summary>Alerts by code and CSP region through the DCC: generated, throttled by storm protection, handed to delivery.</summary>
public sealed class AlertRegionCountsTests
{
    [Fact]
    public async Task A_storm_from_one_meter_is_counted_by_code_and_region_at_each_stage()
    {
        await using var endpoint = await UserEndpoint.StartAsync();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address), endpoint);
        var meter = Find(rig.Dcc.Estate, DeviceGeneration.Smets2, Duis.Requests.DeviceType.ElectricityMeter);
        var code = new DeviceAlertCode(0x8F35);

        // Fifteen repeats from one meter within the hour: storm protection lets the first ones through and suppresses the rest.
        var now = rig.Dcc.Capacity.Now;
        for (var i = 0; i < 15; i++)
        {
            rig.Dcc.Raise(new DeviceEvent(now, DeviceEventKind.DeviceAlert, meter.Index, meter.Premises, code, default, 0, default));
        }

        var snapshot = await rig.DrainAsync();
        var row = Assert.Single(snapshot.AlertsByCodeAndRegion);
        Assert.Equal(AlertCodeKey.FromDevice(code), row.Code);
        Assert.Equal(meter.Region, row.Region);
        Assert.Equal(15, row.Generated);
        var storm = snapshot.AlertStorm.Totals;
        Assert.True(storm.Suppressed > 0, "storm protection suppressed nothing");
        Assert.Equal(storm.Suppressed, row.Throttled);
        Assert.Equal(15 - storm.Suppressed, row.Delivered);
        Assert.Equal(snapshot.AlertMessages, row.Delivered);
    }

    [Fact]
    public void Regions_and_codes_are_kept_apart_and_ordered()
    {
        var counts = new AlertRegionCounts();
        var restored = AlertCodeKey.FromDevice(new DeviceAlertCode(0x8F35));
        var outage = AlertCodeKey.FromDcc(DccAlertCode.Parse("N24"));
        counts.Count(outage, CspRegion.South, AlertStage.Generated);
        counts.Count(restored, CspRegion.South, AlertStage.Generated);
        counts.Count(restored, CspRegion.North, AlertStage.Generated);
        counts.Count(restored, CspRegion.North, AlertStage.Throttled);
        counts.Count(restored, CspRegion.North, AlertStage.Generated);

        var rows = counts.Snapshot();
        Assert.Equal(3, rows.Count);
        Assert.Equal(new AlertRegionCount(restored, CspRegion.North, 2, 1, 0), rows.Single(r => r.Code == restored && r.Region == CspRegion.North));
        Assert.Equal(new AlertRegionCount(restored, CspRegion.South, 1, 0, 0), rows.Single(r => r.Code == restored && r.Region == CspRegion.South));
        Assert.Equal(new AlertRegionCount(outage, CspRegion.South, 1, 0, 0), rows.Single(r => r.Code == outage));
        Assert.Equal(rows.OrderBy(r => r.Code.Value).ThenBy(r => r.Region), rows);
    }
}
