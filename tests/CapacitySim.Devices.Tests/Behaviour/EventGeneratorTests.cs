using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;
using Microsoft.Extensions.Time.Testing;
using static CapacitySim.Devices.Tests.Behaviour.BehaviourTestSupport;

namespace CapacitySim.Devices.Tests.Behaviour;

public class EventGeneratorTests
{
    [Fact]
    public void Background_alert_rate_matches_the_configuration_over_simulated_days()
    {
        var estate = new TestEstate(2000);
        var model = Model("""
              alerts:
                - { code: 8F84, device: ESME, perDevicePerDay: 0.5 }
                - { code: 8F1D, device: GSME, perDevicePerDay: 0.1 }
            """, estate);
        var events = DrainAll(new EventGenerator(model), Start.AddDays(20));

        AssertTimeOrdered(events);
        var esmeAlerts = events.Count(e => e.AlertCode == new DeviceAlertCode(0x8F84));
        var gasAlerts = events.Count(e => e.AlertCode == DeviceAlertCode.GsmePowerSupplyLoss);
        Assert.Equal(2000 * 0.5 * 20, esmeAlerts, 600.0); // 20,000 expected; Poisson sd ≈ 141
        Assert.Equal(2000 * 0.1 * 20, gasAlerts, 300.0); // 4,000 expected; sd ≈ 63
        Assert.All(events.Where(e => e.AlertCode == new DeviceAlertCode(0x8F84)), e => Assert.Equal(DeviceType.ElectricityMeter, estate.Get(e.Device).Type));
        Assert.All(events.Where(e => e.AlertCode == DeviceAlertCode.GsmePowerSupplyLoss), e => Assert.Equal(DeviceType.GasMeter, estate.Get(e.Device).Type));
        Assert.All(events, e => Assert.Equal(estate.Get(e.Device).Premises, e.Premises));

        // Spread over the estate, not concentrated on a few devices.
        Assert.True(events.Select(e => e.Device).Distinct().Count() > 1900);

        // Half the days, half the alerts: the process is steady over time.
        var firstHalf = events.Count(e => e.AlertCode == new DeviceAlertCode(0x8F84) && e.Time < Start.AddDays(10));
        Assert.Equal(esmeAlerts / 2.0, firstHalf, 400.0);
    }

    [Fact]
    public void A_firmware_emits_its_spurious_alert_and_devices_not_in_service_stay_quiet()
    {
        var estate = new TestEstate(2000);
        var model = Model("""
            dmcs:
              S1-ESME:
                firmware:
                  "1.1":
                    alerts: [ { code: 8F01, device: ESME, perDevicePerDay: 2 } ]
            """, estate);

        // One SMETS1 ESME on the noisy firmware is suspended: it raises nothing.
        var suspended = estate.Device(3, DeviceType.ElectricityMeter);
        Assert.Equal(TestEstate.Esme11, suspended.Firmware);
        estate.SetStatus(suspended.Index, DeviceStatus.Suspended);

        var events = DrainAll(new EventGenerator(model), Start.AddDays(5));
        var loadLimit = events.Where(e => e.AlertCode == DeviceAlertCode.ActivePowerImportAboveLoadLimit).ToList();
        Assert.All(loadLimit, e => Assert.Equal(TestEstate.Esme11, estate.Get(e.Device).Firmware));
        Assert.DoesNotContain(loadLimit, e => e.Device == suspended.Index);

        var onFirmware = Enumerable.Range(0, estate.PremisesCount).Count(p => estate.Device(p, DeviceType.ElectricityMeter).Firmware == TestEstate.Esme11);
        Assert.Equal(500, onFirmware);
        Assert.Equal((onFirmware - 1) * 2 * 5, loadLimit.Count, 200.0); // 4,990 expected; sd ≈ 71
    }

    [Fact]
    public void Nine_day_hub_reboot_throws_the_ppmid_off_the_han_and_8F3E_follows()
    {
        var estate = new TestEstate(300);
        var model = Model("""
            dmcs:
              S2-CHF: { hubReboots: true }
            hubReboot:
              period: 9d
              hanLeaveDelay: 2s
              alertDelay: 1m
              alertDevice: ESME
              alertCode: 8F3E
              rejoinDelay: 10m
            """, estate);

        // A live run drains as its clock advances: here a fake clock stepped an hour at a time over 19 days.
        var clock = new FakeTimeProvider(Start);
        var generator = new EventGenerator(model);
        var events = new List<DeviceEvent>();
        while (clock.GetUtcNow() < Start.AddDays(19))
        {
            clock.Advance(TimeSpan.FromHours(1));
            events.AddRange(DrainAll(generator, clock.GetUtcNow()));
        }

        AssertTimeOrdered(events);
        var reboots = events.Where(e => e.Kind == DeviceEventKind.HubReboot).ToList();

        // Only SMETS2 hubs (the configured DMC) reboot, each exactly every nine days.
        Assert.All(reboots, e => Assert.Equal(TestEstate.Dmc(DeviceType.CommunicationsHub, smets1: false), estate.Get(e.Device).Dmc));
        var byHub = reboots.GroupBy(e => e.Device).ToList();
        Assert.Equal(150, byHub.Count);
        foreach (var hub in byHub)
        {
            var times = hub.Select(e => e.Time).ToList();
            Assert.InRange(times.Count, 2, 3);
            Assert.True(times[0] < Start.AddDays(9));
            for (var i = 1; i < times.Count; i++)
            {
                Assert.Equal(TimeSpan.FromDays(9), times[i] - times[i - 1]);
            }
        }

        // Reboots are spread over the cycle, not all at once.
        Assert.True(reboots.Where(e => e.Time < Start.AddDays(9)).Select(e => e.Time.Date).Distinct().Count() >= 9);

        foreach (var reboot in reboots)
        {
            var ppmid = estate.Device(reboot.Premises, DeviceType.Ppmid).Index;
            var esme = estate.Device(reboot.Premises, DeviceType.ElectricityMeter).Index;
            Assert.Single(events, e => e.Kind == DeviceEventKind.HanLeave && e.Device == ppmid && e.Time == reboot.Time.AddSeconds(2));
            Assert.Single(events, e => e.Kind == DeviceEventKind.DeviceAlert && e.AlertCode == DeviceAlertCode.UnauthorisedCommunicationAccessAttempted
                && e.Device == esme && e.Time == reboot.Time.AddMinutes(1));
            Assert.Single(events, e => e.Kind == DeviceEventKind.HanJoin && e.Device == ppmid && e.Time == reboot.Time.AddMinutes(10));
        }

        // Nothing else raises 8F3E.
        Assert.Equal(reboots.Count, events.Count(e => e.AlertCode == DeviceAlertCode.UnauthorisedCommunicationAccessAttempted));
    }

    [Fact]
    public void Regional_power_restore_gives_8F35_or_8F36_by_outage_length_and_DCC_alerts_for_affected_premises_only()
    {
        var estate = new TestEstate(3000);
        var model = Model("""
            powerRestore:
              longOutage: 3m
              deviceAlertDelay: 5s
              dccAlertCode: AD1
              dccAlertMinimumOutage: 3m
              dccAlertDelay: 30s
            powerOutages:
              - { name: dip, region: North, share: 0.5, start: 1h, duration: 1m, restoreRamp: 4m }
            """, estate);
        var events = DrainAll(new EventGenerator(model), Start.AddHours(3));
        AssertTimeOrdered(events);

        var lost = events.Where(e => e.Kind == DeviceEventKind.SupplyLost).ToList();
        var restored = events.Where(e => e.Kind == DeviceEventKind.SupplyRestored).ToList();
        var outageStart = Start.AddHours(1);

        // Half of CSP North's 1,000 premises, none elsewhere, each lost and restored once.
        Assert.Equal(500, lost.Count, 60.0);
        Assert.All(lost, e => Assert.Equal(CspRegion.North, TestEstate.RegionOf(e.Premises)));
        Assert.All(lost, e => Assert.Equal(outageStart, e.Time));
        Assert.Equal(lost.Select(e => e.Premises).Order(), restored.Select(e => e.Premises).Order());
        Assert.All(restored, e => Assert.InRange(e.Time, outageStart.AddMinutes(1), outageStart.AddMinutes(5)));

        // Restores are spread evenly over the ramp: each minute of it gets about a quarter.
        for (var m = 0; m < 4; m++)
        {
            var inMinute = restored.Count(e => e.Time >= outageStart.AddMinutes(1 + m) && e.Time < outageStart.AddMinutes(2 + m));
            Assert.Equal(restored.Count / 4.0, inMinute, 45.0);
        }

        var deviceAlerts = events.Where(e => e.Kind == DeviceEventKind.DeviceAlert).ToList();
        Assert.Equal(restored.Count, deviceAlerts.Count);
        foreach (var restore in restored)
        {
            var esme = estate.Device(restore.Premises, DeviceType.ElectricityMeter).Index;
            var longOutage = restore.Time - outageStart >= TimeSpan.FromMinutes(3);
            var alert = Assert.Single(deviceAlerts, e => e.Premises == restore.Premises);
            Assert.Equal(esme, alert.Device);
            Assert.Equal(restore.Time.AddSeconds(5), alert.Time);
            Assert.Equal(longOutage ? DeviceAlertCode.SupplyOutageRestoredAfterThreeMinutes : DeviceAlertCode.SupplyOutageRestored, alert.AlertCode);
        }

        // Outages of 1 to 5 minutes: about half are long.
        Assert.Equal(restored.Count / 2.0, deviceAlerts.Count(e => e.AlertCode == DeviceAlertCode.SupplyOutageRestoredAfterThreeMinutes), 40.0);

        // The DCC raises PowerOutageEvent (AD1) about the hub for the long outages only, with the outage start.
        var dccAlerts = events.Where(e => e.Kind == DeviceEventKind.DccAlert).ToList();
        var longRestores = restored.Where(e => e.Time - outageStart >= TimeSpan.FromMinutes(3)).ToList();
        Assert.Equal(longRestores.Count, dccAlerts.Count);
        foreach (var restore in longRestores)
        {
            var alert = Assert.Single(dccAlerts, e => e.Premises == restore.Premises);
            Assert.Equal(estate.Device(restore.Premises, DeviceType.CommunicationsHub).Index, alert.Device);
            Assert.Equal(new DccAlertCode(DccAlertCodeKind.AD, 1), alert.DccAlertCode);
            Assert.Equal(restore.Time.AddSeconds(30), alert.Time);
            Assert.Equal(outageStart, alert.Since);
        }

        // While off supply, the premises' devices do not answer; before and after they do.
        var behaviour = new DeviceBehaviour(model);
        var off = restored[^1];
        var gas = estate.Device(off.Premises, DeviceType.GasMeter);
        Assert.True(model.IsWithoutSupply(off.Premises, off.Time.AddTicks(-1)));
        Assert.Equal(DeviceOutcome.WithoutSupply, behaviour.Draw(gas, new(4, 1, 1), 1, off.Time.AddTicks(-1)).Outcome);
        Assert.False(model.IsWithoutSupply(off.Premises, off.Time));
        Assert.False(model.IsWithoutSupply(off.Premises, outageStart.AddTicks(-1)));
        var untouched = Enumerable.Range(0, estate.PremisesCount).First(p => lost.All(e => e.Premises != p));
        Assert.False(model.IsWithoutSupply(untouched, outageStart.AddMinutes(2)));
    }

    [Fact]
    public void Firmware_rollout_moves_devices_over_the_period_and_changes_their_alerts()
    {
        var estate = new TestEstate(2000);
        var model = Model("""
            dmcs:
              S1-ESME:
                firmware:
                  "2.0":
                    alerts: [ { code: 8F01, device: ESME, perDevicePerDay: 5 } ]
            firmwareRollouts:
              - { dmc: S1-ESME, device: ESME, from: "1.0", to: "2.0", share: 1.0, start: 1d, over: 1d }
            """, estate);
        var newFirmware = (ushort)model.Firmware.ToList().IndexOf(new EstateFirmware(TestEstate.Dmc(DeviceType.ElectricityMeter, smets1: true), "2.0"));
        Assert.True(newFirmware > TestEstate.Esme11, "a version only the rollout names gets a new id");

        var events = DrainAll(new EventGenerator(model), Start.AddDays(5));
        AssertTimeOrdered(events);
        var changes = events.Where(e => e.Kind == DeviceEventKind.FirmwareChange).ToList();

        // Every SMETS1 ESME on 1.0 (500 of the 1,000), none on 1.1, once each, within the rollout day.
        Assert.Equal(500, changes.Count);
        Assert.Equal(500, changes.Select(e => e.Device).Distinct().Count());
        Assert.All(changes, e => Assert.Equal(TestEstate.Dmc(DeviceType.ElectricityMeter, smets1: true), estate.Get(e.Device).Dmc));
        Assert.All(changes, e => Assert.NotEqual(TestEstate.Esme11, estate.Get(e.Device).Firmware));
        Assert.All(changes, e => Assert.Equal(newFirmware, e.Firmware));
        Assert.All(changes, e => Assert.InRange(e.Time, Start.AddDays(1), Start.AddDays(2)));

        // The model's view of a device's firmware follows its change event.
        foreach (var change in changes.Take(50))
        {
            var device = estate.Get(change.Device);
            Assert.Equal(device.Firmware, model.FirmwareAt(device, change.Time.AddTicks(-1)));
            Assert.Equal(newFirmware, model.FirmwareAt(device, change.Time));
        }

        // 8F01 comes only from upgraded devices, after their upgrade; at full rate once all are upgraded.
        var alerts = events.Where(e => e.AlertCode == DeviceAlertCode.ActivePowerImportAboveLoadLimit).ToList();
        var upgradedAt = changes.ToDictionary(e => e.Device, e => e.Time);
        Assert.All(alerts, e => Assert.True(upgradedAt.TryGetValue(e.Device, out var at) && e.Time >= at));
        Assert.DoesNotContain(alerts, e => e.Time < Start.AddDays(1));
        var fullRate = alerts.Count(e => e.Time >= Start.AddDays(2));
        Assert.Equal(500 * 5 * 3, fullRate, 350.0); // 7,500 expected; sd ≈ 87
    }

    [Fact]
    public void Same_seed_gives_the_same_event_stream_however_it_is_drained()
    {
        var estate = new TestEstate(500);
        const string Yaml = """
              alerts:
                - { code: 8F84, device: ESME, perDevicePerDay: 1 }
            dmcs:
              S2-CHF: { hubReboots: true }
            powerOutages:
              - { region: South, share: 0.3, start: 2h, duration: 10m, restoreRamp: 5m }
            firmwareRollouts:
              - { dmc: S1-ESME, to: "3.0", share: 0.5, start: 1h, over: 1d }
            """;
        var until = Start.AddDays(3);
        var one = DrainAll(new EventGenerator(Model(Yaml, estate, seed: 99)), until, bufferSize: 4096);
        var chunked = new List<DeviceEvent>();
        var generator = new EventGenerator(Model(Yaml, estate, seed: 99));
        for (var t = Start; t < until;)
        {
            t = t.AddMinutes(37);
            chunked.AddRange(DrainAll(generator, t < until ? t : until, bufferSize: 7));
        }

        Assert.True(one.Count > 1000);
        Assert.Contains(one, e => e.Kind == DeviceEventKind.HubReboot);
        Assert.Contains(one, e => e.Kind == DeviceEventKind.SupplyRestored);
        Assert.Contains(one, e => e.Kind == DeviceEventKind.FirmwareChange);
        Assert.Equal(one, chunked);

        var otherSeed = DrainAll(new EventGenerator(Model(Yaml, estate, seed: 100)), until, bufferSize: 4096);
        Assert.NotEqual(one, otherSeed);
    }

    private static void AssertTimeOrdered(List<DeviceEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(events[i - 1].Time <= events[i].Time, $"event {i} at {events[i].Time:O} after {events[i - 1].Time:O}");
        }
    }
}

public class BehaviourAllocationTests
{
    [Fact]
    public void Draining_events_and_drawing_responses_allocate_nothing_in_steady_state()
    {
        var estate = new TestEstate(1000);
        var model = Model("""
              alerts:
                - { code: 8F84, device: ESME, perDevicePerDay: 2 }
            dmcs:
              S2-CHF: { hubReboots: true }
            powerOutages:
              - { region: North, share: 0.5, start: 3d, duration: 10m, restoreRamp: 1h }
            firmwareRollouts:
              - { dmc: S1-ESME, to: "3.0", share: 0.5, start: 1h, over: 10d }
            """, estate);
        var generator = new EventGenerator(model);
        var behaviour = new DeviceBehaviour(model);
        var buffer = new DeviceEvent[512];

        // Warm up: the follow-up queues reach their working size, code paths are jitted.
        var drained = DrainAll(generator, Start.AddDays(1)).Count;
        var device = estate.Device(1, Duis.Requests.DeviceType.ElectricityMeter);
        behaviour.Draw(device, new(4, 1, 1), 0, Start.AddDays(1));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var t = Start.AddDays(1);
        for (var step = 0; step < 24 * 4; step++)
        {
            t = t.AddHours(1);
            int n;
            do
            {
                n = generator.Drain(t, buffer);
                drained += n;
            }
            while (n == buffer.Length);

            for (ulong c = 0; c < 100; c++)
            {
                behaviour.Draw(device, new(4, 10, 0), c, t);
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(drained > 5000, $"only {drained} events");
        Assert.Equal(0, allocated);
    }
}
