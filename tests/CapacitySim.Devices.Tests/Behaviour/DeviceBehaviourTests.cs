using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;
using static CapacitySim.Devices.Tests.Behaviour.BehaviourTestSupport;

namespace CapacitySim.Devices.Tests.Behaviour;

public class DeviceBehaviourTests
{
    private static readonly ServiceReferenceVariant ReadRegisters = new(4, 1, 1);
    private static readonly ServiceReferenceVariant ReadNetworkData = new(4, 10, 0);
    private static readonly ServiceReferenceVariant JoinCritical = new(8, 7, 1);

    [Fact]
    public void Log_normal_latency_matches_the_configured_median_and_p95()
    {
        var estate = new TestEstate(6);
        var behaviour = new DeviceBehaviour(Model("", estate));
        var esme = estate.Device(0, DeviceType.ElectricityMeter); // SMETS2, CSP North: median 4 s, p95 12 s
        Assert.Equal(CspRegion.North, esme.Region);

        var seconds = Draws(behaviour, esme, ReadRegisters, 200_000);
        Assert.Equal(4.0, Percentile(seconds, 0.50), 0.08);
        Assert.Equal(12.0, Percentile(seconds, 0.95), 0.3);

        var central = estate.Device(4, DeviceType.ElectricityMeter); // SMETS2, CSP Central: median 3 s, p95 9 s
        Assert.Equal(CspRegion.Central, central.Region);
        seconds = Draws(behaviour, central, ReadRegisters, 200_000);
        Assert.Equal(3.0, Percentile(seconds, 0.50), 0.06);
        Assert.Equal(9.0, Percentile(seconds, 0.95), 0.25);
    }

    [Fact]
    public void Percentile_table_latency_interpolates_between_rows_and_adds_the_sms_wake_up()
    {
        var estate = new TestEstate(8);
        var behaviour = new DeviceBehaviour(Model("", estate));
        var esme = estate.Device(3, DeviceType.ElectricityMeter); // SMETS1 via SP-B: table 0:2s 50:10s 90:20s 100:60s
        Assert.Equal(2, esme.Smets1ServiceProvider);

        // One SMS wake-up of 5 s is added to every draw.
        var seconds = Draws(behaviour, esme, ReadRegisters, 200_000);
        Assert.Equal(15.0, Percentile(seconds, 0.50), 0.2);
        Assert.Equal(25.0, Percentile(seconds, 0.90), 0.3);
        Assert.Equal(7.0 + (8 * 0.25 / 0.5), Percentile(seconds, 0.25), 0.2); // half-way through the 0..50 segment
        Assert.True(seconds.Min() >= 7.0 && seconds.Max() <= 65.0);
    }

    [Fact]
    public void Smets1_requests_count_sms_wake_ups_and_read_network_data_counts_two()
    {
        var estate = new TestEstate(4);
        var model = Model("""
            dmcs:
              S1-ESME:
                latency:
                  smets1: { default: { median: 3s, p95: 3s } }
              S2-ESME:
                latency:
                  smets2: { north: { median: 3s, p95: 3s } }
            """, estate);
        var behaviour = new DeviceBehaviour(model);
        var s1 = estate.Device(1, DeviceType.ElectricityMeter); // SMETS1 via SP-A, which has no entry of its own
        var s2 = estate.Device(0, DeviceType.ElectricityMeter);

        var read = behaviour.Draw(s1, ReadRegisters, 1, Start);
        Assert.Equal(1, read.SmsWakeUps);
        Assert.Equal(TimeSpan.FromSeconds(3 + 5), read.Latency);

        var network = behaviour.Draw(s1, ReadNetworkData, 2, Start);
        Assert.Equal(2, network.SmsWakeUps);
        Assert.Equal(TimeSpan.FromSeconds(3 + 10), network.Latency);

        var smets2 = behaviour.Draw(s2, ReadNetworkData, 3, Start);
        Assert.Equal(0, smets2.SmsWakeUps);
        Assert.Equal(TimeSpan.FromSeconds(3), smets2.Latency);
    }

    [Fact]
    public void No_response_share_follows_the_dmc_and_firmware_overrides()
    {
        var estate = new TestEstate(8);
        var behaviour = new DeviceBehaviour(Model("""
            dmcs:
              S1-ESME:
                noResponse: 0.01
                firmware:
                  "1.1": { noResponse: 0.2 }
            """, estate));

        Assert.Equal(0.05, NoResponseShare(behaviour, estate.Device(0, DeviceType.ElectricityMeter)), 0.004); // defaults
        Assert.Equal(0.01, NoResponseShare(behaviour, estate.Device(1, DeviceType.ElectricityMeter)), 0.002); // S1-ESME on 1.0
        var on11 = estate.Device(3, DeviceType.ElectricityMeter);
        Assert.Equal(TestEstate.Esme11, on11.Firmware);
        Assert.Equal(0.2, NoResponseShare(behaviour, on11), 0.01);
    }

    [Fact]
    public void Join_failure_hits_a_share_of_installs_on_every_attempt_and_only_join_requests()
    {
        var estate = new TestEstate(6000);
        var behaviour = new DeviceBehaviour(Model("""
            dmcs:
              S1-GSME:
                noResponse: 0
                joinFailure: { share: 0.2 }
            """, estate));

        var failing = 0;
        var smets1Premises = 0;
        for (var p = 1; p < estate.PremisesCount; p += 2)
        {
            smets1Premises++;
            var gas = estate.Device(p, DeviceType.GasMeter);
            var first = behaviour.Draw(gas, JoinCritical, 1, Start).Outcome;
            if (first == DeviceOutcome.JoinFailure)
            {
                failing++;
            }

            // A failing install fails on every retry; a good one never does.
            for (ulong attempt = 2; attempt < 5; attempt++)
            {
                Assert.Equal(first, behaviour.Draw(gas, JoinCritical, attempt, Start).Outcome);
            }

            Assert.Equal(DeviceOutcome.Responds, behaviour.Draw(gas, ReadRegisters, 1, Start).Outcome);
        }

        Assert.Equal(0.2, (double)failing / smets1Premises, 0.02);

        // SMETS2 gas meters (another DMC) join normally.
        for (var p = 0; p < 200; p += 2)
        {
            Assert.NotEqual(DeviceOutcome.JoinFailure, behaviour.Draw(estate.Device(p, DeviceType.GasMeter), JoinCritical, 1, Start).Outcome);
        }
    }

    [Fact]
    public void Draws_are_a_pure_function_of_seed_device_and_counter()
    {
        var estate = new TestEstate(10);
        var a = new DeviceBehaviour(Model("", estate, seed: 11));
        var b = new DeviceBehaviour(Model("", estate, seed: 11));
        var other = new DeviceBehaviour(Model("", estate, seed: 12));
        var device = estate.Device(4, DeviceType.ElectricityMeter);

        // Drawn in opposite orders: the answers do not depend on what was drawn before.
        var forward = new DeviceResponse[200];
        for (var i = 0; i < forward.Length; i++)
        {
            forward[i] = a.Draw(device, ReadRegisters, (ulong)i, Start);
        }

        var differs = 0;
        for (var i = forward.Length - 1; i >= 0; i--)
        {
            Assert.Equal(forward[i], b.Draw(device, ReadRegisters, (ulong)i, Start));
            differs += forward[i] != other.Draw(device, ReadRegisters, (ulong)i, Start) ? 1 : 0;
        }

        Assert.True(differs > 190);
    }

    private static double[] Draws(DeviceBehaviour behaviour, DeviceRecord device, ServiceReferenceVariant srv, int count)
    {
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = behaviour.Draw(device, srv, (ulong)i, Start).Latency.TotalSeconds;
        }

        Array.Sort(result);
        return result;
    }

    private static double Percentile(double[] sorted, double q) => sorted[(int)(q * (sorted.Length - 1))];

    private static double NoResponseShare(DeviceBehaviour behaviour, DeviceRecord device)
    {
        const int Count = 100_000;
        var none = 0;
        for (var i = 0; i < Count; i++)
        {
            none += behaviour.Draw(device, ReadRegisters, (ulong)i, Start).Outcome == DeviceOutcome.NoResponse ? 1 : 0;
        }

        return (double)none / Count;
    }
}
