using CapacitySim.Dcc.Alerts;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CapacitySim.Dcc.Tests.Alerts;

public sealed class AlertStormProtectionTests
{
    private static readonly Eui64 Meter = new(0x00DB_1234_5678_90A0);
    private static readonly DeviceAlertCode LoadLimit = DeviceAlertCode.ActivePowerImportAboveLoadLimit;
    private static readonly AlertCodeKey LoadLimitKey = AlertCodeKey.FromDevice(LoadLimit);

    private static (AlertStormProtection Storm, FakeTimeProvider Time) Create(Action<AlertStormOptions>? configure = null)
    {
        var options = new AlertStormOptions { DefaultRule = new AlertThrottleRule(TimeSpan.FromHours(1), 10) };
        configure?.Invoke(options);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
        return (new AlertStormProtection(options, time), time);
    }

    [Fact]
    public void Alerts_beyond_the_threshold_are_suppressed_and_the_next_delivered_one_reports_them()
    {
        var (storm, time) = Create();
        var delivered = 0;
        var suppressed = 0;
        for (var i = 0; i < 15; i++)
        {
            var d = storm.Evaluate(Meter, LoadLimit);
            Assert.False(d.HasThrottleInfo);
            if (d.Deliver)
            {
                delivered++;
            }
            else
            {
                suppressed++;
            }

            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(10, delivered);
        Assert.Equal(5, suppressed);

        // The first alert of the next window is delivered and reports the five suppressed, as report number 1.
        time.Advance(TimeSpan.FromHours(1));
        var next = storm.Evaluate(Meter, LoadLimit);
        Assert.True(next.Deliver);
        Assert.Equal(5u, next.ThrottledAlertCount);
        Assert.Equal(1u, next.ThrottledAlertSequenceId);

        // Reported once only: the following delivered alert carries nothing.
        var after = storm.Evaluate(Meter, LoadLimit);
        Assert.True(after.Deliver);
        Assert.Null(after.ThrottledAlertCount);
        Assert.Null(after.ThrottledAlertSequenceId);

        // A second storm in this window (2 delivered so far): 8 more pass, 3 are suppressed, then report number 2.
        var second = 0;
        for (var i = 0; i < 11; i++)
        {
            second += storm.Evaluate(Meter, LoadLimit).Deliver ? 0 : 1;
        }

        Assert.Equal(3, second);
        time.Advance(TimeSpan.FromHours(1));
        var report = storm.Evaluate(Meter, LoadLimit);
        Assert.Equal(3u, report.ThrottledAlertCount);
        Assert.Equal(2u, report.ThrottledAlertSequenceId);

        var snapshot = storm.Snapshot();
        var counters = Assert.Single(snapshot.ByCode);
        Assert.Equal(LoadLimitKey, counters.Key);
        Assert.Equal(new AlertCodeCounters(Generated: 29, Delivered: 21, Suppressed: 8, DeliveredWithThrottleInfo: 2, Excluded: 0, Untracked: 0, SuppressedNeverReported: 0), counters.Value);
        Assert.Equal(counters.Value, snapshot.Totals);
        Assert.Equal(1, snapshot.TrackedPairs);
    }

    [Fact]
    public void Devices_and_codes_are_throttled_independently_and_codes_follow_their_own_rule()
    {
        var chfLog = DeviceAlertCode.ChfDeviceLogChanged;
        var (storm, time) = Create(o => o.Rules[AlertCodeKey.FromDevice(chfLog)] = new AlertThrottleRule(TimeSpan.FromMinutes(10), 2));
        var otherMeter = new Eui64(Meter.Value + 1);
        var delivered = new Dictionary<string, int>();
        void Run(Eui64 device, DeviceAlertCode code, int count)
        {
            var key = $"{device}/{code}";
            for (var i = 0; i < count; i++)
            {
                delivered[key] = delivered.GetValueOrDefault(key) + (storm.Evaluate(device, code).Deliver ? 1 : 0);
            }
        }

        Run(Meter, LoadLimit, 12);
        Run(otherMeter, LoadLimit, 12);
        Run(Meter, chfLog, 5);
        Assert.Equal(10, delivered[$"{Meter}/{LoadLimit}"]);
        Assert.Equal(10, delivered[$"{otherMeter}/{LoadLimit}"]);
        Assert.Equal(2, delivered[$"{Meter}/{chfLog}"]);

        // 8F12's 10-minute window ends long before 8F01's hour: only 8F12 is reset.
        time.Advance(TimeSpan.FromMinutes(11));
        var chf = storm.Evaluate(Meter, chfLog);
        Assert.Equal(3u, chf.ThrottledAlertCount);
        Assert.False(storm.Evaluate(Meter, LoadLimit).Deliver);
    }

    [Fact]
    public void Dcc_alert_codes_are_throttled_like_device_codes()
    {
        var (storm, _) = Create(o => o.DefaultRule = new AlertThrottleRule(TimeSpan.FromHours(1), 1));
        var n24 = DccAlertCode.Parse("N24");
        Assert.True(storm.Evaluate(Meter, n24).Deliver);
        Assert.False(storm.Evaluate(Meter, n24).Deliver);
        var row = Assert.Single(storm.Snapshot().ByCode);
        Assert.Equal("N24", row.Key.ToString());
        Assert.Equal(1, row.Value.Suppressed);
    }

    [Fact]
    public void Excluded_codes_are_never_throttled()
    {
        var restored = DeviceAlertCode.SupplyOutageRestored;
        var (storm, _) = Create(o => o.Excluded.Add(AlertCodeKey.Parse("8F35")));
        for (var i = 0; i < 100; i++)
        {
            var d = storm.Evaluate(Meter, restored);
            Assert.True(d.Deliver);
            Assert.False(d.HasThrottleInfo);
        }

        var snapshot = storm.Snapshot();
        Assert.Equal(new AlertCodeCounters(100, 100, 0, 0, 100, 0, 0), snapshot.Totals);
        Assert.Equal(0, snapshot.TrackedPairs);
    }

    [Fact]
    public void Switched_off_every_alert_is_delivered_and_counted_and_switching_on_throttles_again()
    {
        var (storm, _) = Create(o => o.Enabled = false);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(storm.Evaluate(Meter, LoadLimit).Deliver);
        }

        Assert.Equal(new AlertCodeCounters(50, 50, 0, 0, 0, 0, 0), storm.Snapshot().Totals);
        Assert.False(storm.Snapshot().Enabled);

        storm.Enabled = true;
        var suppressed = 0;
        for (var i = 0; i < 50; i++)
        {
            suppressed += storm.Evaluate(Meter, LoadLimit).Deliver ? 0 : 1;
        }

        Assert.Equal(40, suppressed);
    }

    [Fact]
    public void A_new_window_resets_the_count()
    {
        var (storm, time) = Create(o => o.DefaultRule = new AlertThrottleRule(TimeSpan.FromMinutes(5), 3));
        for (var window = 0; window < 4; window++)
        {
            for (var i = 0; i < 3; i++)
            {
                var d = storm.Evaluate(Meter, LoadLimit);
                Assert.True(d.Deliver);
                Assert.False(d.HasThrottleInfo);
            }

            time.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.Equal(0, storm.Snapshot().Totals.Suppressed);
    }

    [Fact]
    public void State_of_idle_pairs_expires_and_unreported_suppressions_are_counted()
    {
        var (storm, time) = Create(o =>
        {
            o.DefaultRule = new AlertThrottleRule(TimeSpan.FromMinutes(10), 1);
            o.StateRetention = TimeSpan.FromMinutes(30);
        });
        for (var device = 0UL; device < 100; device++)
        {
            storm.Evaluate(device, LoadLimitKey);
            storm.Evaluate(device, LoadLimitKey);
            storm.Evaluate(device, LoadLimitKey);
        }

        Assert.Equal(100, storm.Snapshot().TrackedPairs);

        // Window ended 10 minutes in; held 30 minutes after that. Just before, nothing is reclaimed.
        time.Advance(TimeSpan.FromMinutes(39));
        Assert.Equal(0, storm.Sweep());
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(100, storm.Sweep());

        var snapshot = storm.Snapshot();
        Assert.Equal(0, snapshot.TrackedPairs);
        Assert.Equal(200, snapshot.Totals.Suppressed);
        Assert.Equal(200, snapshot.Totals.SuppressedNeverReported);

        // A pair that comes back starts afresh: delivered, nothing to report.
        var d = storm.Evaluate(0, LoadLimitKey);
        Assert.True(d.Deliver);
        Assert.False(d.HasThrottleInfo);
    }

    [Fact]
    public void State_stays_bounded_with_many_devices_and_expired_slots_are_reused()
    {
        var (storm, time) = Create(o =>
        {
            o.DefaultRule = new AlertThrottleRule(TimeSpan.FromMinutes(1), 1);
            o.StateRetention = TimeSpan.FromMinutes(1);
            o.MaxTrackedPairs = 10_000;
        });

        // Ten waves of 20,000 different devices, each wave 3 minutes after the last: without expiry 200,000 pairs
        // would be held; with it, each wave finds the previous waves' slots expired and reuses them.
        long untracked = 0;
        for (var wave = 0UL; wave < 10; wave++)
        {
            for (var d = 0UL; d < 20_000; d++)
            {
                storm.Evaluate((wave << 32) | d, LoadLimitKey);
            }

            var s = storm.Snapshot();
            Assert.InRange(s.TrackedPairs, 1, 10_000 * 4 / 3 + 64 * 2);
            untracked = s.Totals.Untracked;
            time.Advance(TimeSpan.FromMinutes(3));
        }

        // Pairs beyond the table's capacity were delivered and counted as untracked, never silently lost.
        var totals = storm.Snapshot().Totals;
        Assert.True(untracked > 0);
        Assert.Equal(200_000, totals.Generated);
        Assert.Equal(200_000, totals.Delivered);
        Assert.Equal(untracked, totals.Untracked);
    }

    [Fact]
    public void Evaluating_alerts_of_known_pairs_allocates_nothing()
    {
        var (storm, time) = Create(o => o.DefaultRule = new AlertThrottleRule(TimeSpan.FromMinutes(1), 5));
        for (var d = 0UL; d < 1000; d++)
        {
            storm.Evaluate(d, LoadLimitKey);
        }

        var fewest = Allocations.Fewest(() =>
        {
            long allocated = 0;
            for (var round = 0; round < 20; round++)
            {
                // Eight alerts per pair per one-minute window: five delivered, three suppressed and reported next round.
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var repeat = 0; repeat < 8; repeat++)
                {
                    for (var d = 0UL; d < 1000; d++)
                    {
                        storm.Evaluate(d, LoadLimitKey);
                    }
                }

                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                time.Advance(TimeSpan.FromSeconds(61));
            }

            return allocated;
        });

        Assert.Equal(0, fewest);
        Assert.True(storm.Snapshot().Totals.DeliveredWithThrottleInfo > 0);
    }

    [Fact]
    public void Concurrent_evaluation_counts_every_alert_once()
    {
        var (storm, _) = Create(o => o.DefaultRule = new AlertThrottleRule(TimeSpan.FromHours(1), 3));
        var delivered = 0;
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                if (storm.Evaluate((ulong)(i % 500), LoadLimitKey).Deliver)
                {
                    Interlocked.Increment(ref delivered);
                }
            }
        });

        // 500 pairs, 3 delivered each within the one window; the rest suppressed.
        Assert.Equal(1500, delivered);
        var totals = storm.Snapshot().Totals;
        Assert.Equal(80_000, totals.Generated);
        Assert.Equal(78_500, totals.Suppressed);
    }

    [Fact]
    public void Invalid_rules_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Create(o => o.DefaultRule = new AlertThrottleRule(TimeSpan.Zero, 1)));
        Assert.Throws<ArgumentException>(() => Create(o => o.Rules[LoadLimitKey] = new AlertThrottleRule(TimeSpan.FromMinutes(1), 0)));
        Assert.Throws<FormatException>(() => AlertCodeKey.Parse("X1"));
    }
}
