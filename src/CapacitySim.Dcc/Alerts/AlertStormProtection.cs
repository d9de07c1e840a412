using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Dcc.Alerts;

/// <summary>
/// The DCC's alert storm protection (SECMP0062 Traffic Management): per device and alert code, alerts beyond a
/// threshold within a window are suppressed and counted; the next alert of that device and code that is delivered
/// carries ThrottledAlertCount (how many were suppressed since the last delivered one) and ThrottledAlertSequenceId
/// (see <see cref="AlertStormDecision.ThrottledAlertSequenceId"/>). Codes on the exclusion list are never throttled.
/// </summary>
/// <remarks>
/// <para>
/// Windows are fixed, not sliding: a pair's window opens with its first alert and lasts the rule's window; the
/// first alert after it ends opens the next. A sliding window would need every alert time of a pair (up to the
/// threshold) per pair; the fixed window needs one timestamp and one count, which is what lets millions of devices
/// fit. The price is that a burst straddling two windows may pass up to twice the threshold.
/// </para>
/// <para>
/// State lives only for pairs seen recently, in open-addressing tables (linear probing, 32 bytes a slot) split into
/// shards each behind its own lock. A slot whose window ended more than <see cref="AlertStormOptions.StateRetention"/>
/// ago is expired: probes reclaim expired slots they pass (backward-shift deletion, so no tombstones), tables grow by
/// doubling up to <see cref="AlertStormOptions.MaxTrackedPairs"/>, and <see cref="Sweep"/> reclaims the rest. A
/// suppressed count still unreported when its slot is reclaimed is counted as never reported, not lost. Evaluating an
/// alert allocates nothing in steady state (only a code's first appearance adds its counters, and growth rehashes).
/// </para>
/// </remarks>
public sealed class AlertStormProtection
{
    private const int ShardCount = 64;
    private const int InitialShardCapacity = 64;

    private readonly TimeProvider time;
    private readonly Shard[] shards;
    private readonly FrozenDictionary<uint, Rule> rules;
    private readonly Rule defaultRule;
    private readonly long retention;
    private readonly long sweepInterval;
    private readonly int maxShardCapacity;
    private readonly ConcurrentDictionary<uint, CodeCounters> counters = new();
    private volatile bool enabled;

    /// <summary>Creates storm protection with <paramref name="options"/> on the run clock <paramref name="time"/>.</summary>
    /// <exception cref="ArgumentException">A window is not positive, a threshold is below 1, or a limit is not positive.</exception>
    public AlertStormProtection(AlertStormOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;
        enabled = options.Enabled;
        if (options.MaxTrackedPairs < 1)
        {
            throw new ArgumentException("MaxTrackedPairs must be at least 1.", nameof(options));
        }

        if (options.StateRetention < TimeSpan.Zero)
        {
            throw new ArgumentException("StateRetention must not be negative.", nameof(options));
        }

        defaultRule = ToRule(options.DefaultRule, excluded: false, "default", time);
        var table = new Dictionary<uint, Rule>();
        var shortestWindow = defaultRule.Window;
        foreach (var (code, rule) in options.Rules)
        {
            var r = ToRule(rule, options.Excluded.Contains(code), code.ToString(), time);
            table[code.Value] = r;
            shortestWindow = Math.Min(shortestWindow, r.Window);
        }

        foreach (var code in options.Excluded)
        {
            if (!table.ContainsKey(code.Value))
            {
                table[code.Value] = defaultRule with { Excluded = true };
            }
        }

        rules = table.ToFrozenDictionary();
        retention = ToTimestampUnits(options.StateRetention, time);

        // A full table is swept at most this often, so a table full of live pairs does not cost a scan per alert.
        sweepInterval = Math.Max(1, shortestWindow / 4);

        // Each shard may grow to its share of the pairs at a load of 3/4, in powers of two.
        var perShard = Math.Max(1, (int)Math.Min(int.MaxValue / 2, ((long)options.MaxTrackedPairs + ShardCount - 1) / ShardCount));
        maxShardCapacity = (int)Math.Min(1 << 30, RoundUpToPowerOf2((long)perShard * 4 / 3 + 1));
        shards = new Shard[ShardCount];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = new Shard(Math.Min(InitialShardCapacity, maxShardCapacity), maxShardCapacity);
        }
    }

    /// <summary>Whether protection is on; switching it off lets every alert through (still counted).</summary>
    public bool Enabled
    {
        get => enabled;
        set => enabled = value;
    }

    /// <summary>Evaluates a device alert from the device <paramref name="device"/>.</summary>
    public AlertStormDecision Evaluate(Eui64 device, DeviceAlertCode code) => Evaluate(device.Value, AlertCodeKey.FromDevice(code));

    /// <summary>Evaluates a DCC alert about the device <paramref name="device"/>.</summary>
    public AlertStormDecision Evaluate(Eui64 device, DccAlertCode code) => Evaluate(device.Value, AlertCodeKey.FromDcc(code));

    /// <summary>
    /// Evaluates one alert of <paramref name="code"/> from <paramref name="device"/> (an EUI-64 value or a population
    /// index: any 64-bit identity, used consistently) at the run clock's current time.
    /// </summary>
    public AlertStormDecision Evaluate(ulong device, AlertCodeKey code)
    {
        var codeCounters = CountersFor(code.Value);
        if (!enabled)
        {
            Interlocked.Increment(ref codeCounters.Delivered);
            return new AlertStormDecision(AlertStormVerdict.Deliver, 0, 0);
        }

        var rule = rules.TryGetValue(code.Value, out var r) ? r : defaultRule;
        if (rule.Excluded)
        {
            Interlocked.Increment(ref codeCounters.Excluded);
            Interlocked.Increment(ref codeCounters.Delivered);
            return new AlertStormDecision(AlertStormVerdict.Deliver, 0, 0);
        }

        var now = time.GetTimestamp();
        var hash = Hash(device, code.Value);
        var shard = shards[(int)(hash >> 58)];
        AlertStormVerdict verdict;
        uint sequence = 0, count = 0;
        lock (shard.Gate)
        {
            if (!TryFindOrAdd(shard, device, code.Value, hash, now, out var index))
            {
                verdict = AlertStormVerdict.Deliver;
                Interlocked.Increment(ref codeCounters.Untracked);
            }
            else
            {
                ref var e = ref shard.Entries[index];
                if (now >= e.WindowEnd)
                {
                    e.WindowEnd = now + rule.Window;
                    e.WindowCount = 0;
                }

                e.WindowCount++;
                if (e.WindowCount > rule.Threshold)
                {
                    e.Suppressed = e.Suppressed == uint.MaxValue ? uint.MaxValue : e.Suppressed + 1;
                    verdict = AlertStormVerdict.Suppress;
                }
                else
                {
                    verdict = AlertStormVerdict.Deliver;
                    if (e.Suppressed != 0)
                    {
                        e.Sequence = e.Sequence == uint.MaxValue ? 1 : e.Sequence + 1;
                        sequence = e.Sequence;
                        count = e.Suppressed;
                        e.Suppressed = 0;
                    }
                }
            }
        }

        if (verdict == AlertStormVerdict.Suppress)
        {
            Interlocked.Increment(ref codeCounters.Suppressed);
        }
        else
        {
            if (count != 0)
            {
                Interlocked.Increment(ref codeCounters.DeliveredWithThrottleInfo);
            }

            Interlocked.Increment(ref codeCounters.Delivered);
        }

        return new AlertStormDecision(verdict, sequence, count);
    }

    /// <summary>
    /// Reclaims the state of every pair whose window ended more than the retention ago. Returns how many slots were
    /// reclaimed. Call it from a periodic timer; evaluation also reclaims the slots it passes.
    /// </summary>
    public int Sweep()
    {
        var now = time.GetTimestamp();
        var removed = 0;
        foreach (var shard in shards)
        {
            lock (shard.Gate)
            {
                removed += SweepShard(shard, now);
            }
        }

        return removed;
    }

    /// <summary>Counters by code and in total, and the number of pairs tracked.</summary>
    public AlertStormSnapshot Snapshot()
    {
        long tracked = 0;
        foreach (var shard in shards)
        {
            lock (shard.Gate)
            {
                tracked += shard.Count;
            }
        }

        var byCode = new List<KeyValuePair<AlertCodeKey, AlertCodeCounters>>();
        long delivered = 0, suppressed = 0, withInfo = 0, excluded = 0, untracked = 0, unreported = 0;
        foreach (var (key, c) in counters)
        {
            // Delivered and suppressed are read once each and Generated is their sum, so every snapshot satisfies
            // Generated = Delivered + Suppressed even while alerts are being evaluated.
            var d = Volatile.Read(ref c.Delivered);
            var s = Volatile.Read(ref c.Suppressed);
            var row = new AlertCodeCounters(d + s, d, s, Volatile.Read(ref c.DeliveredWithThrottleInfo), Volatile.Read(ref c.Excluded), Volatile.Read(ref c.Untracked), Volatile.Read(ref c.SuppressedNeverReported));
            byCode.Add(new(AlertCodeKeyFromValue(key), row));
            delivered += row.Delivered;
            suppressed += row.Suppressed;
            withInfo += row.DeliveredWithThrottleInfo;
            excluded += row.Excluded;
            untracked += row.Untracked;
            unreported += row.SuppressedNeverReported;
        }

        byCode.Sort(static (a, b) => a.Key.Value.CompareTo(b.Key.Value));
        return new AlertStormSnapshot(enabled, tracked, new AlertCodeCounters(delivered + suppressed, delivered, suppressed, withInfo, excluded, untracked, unreported), byCode);
    }

    private static AlertCodeKey AlertCodeKeyFromValue(uint value)
        => (value & 0xFFFF_0000) == 0x0001_0000
            ? AlertCodeKey.FromDevice(new DeviceAlertCode((ushort)value))
            : AlertCodeKey.FromDcc(new DccAlertCode((DccAlertCodeKind)(value >> 24), (ushort)value));

    private static Rule ToRule(AlertThrottleRule rule, bool excluded, string name, TimeProvider time)
    {
        if (rule.Window <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The throttling window for {name} must be positive (was {rule.Window}).", nameof(rule));
        }

        if (rule.Threshold < 1)
        {
            throw new ArgumentException($"The throttling threshold for {name} must be at least 1 (was {rule.Threshold}).", nameof(rule));
        }

        return new Rule(Math.Max(1, ToTimestampUnits(rule.Window, time)), rule.Threshold, excluded);
    }

    private static long ToTimestampUnits(TimeSpan span, TimeProvider time)
        => (long)Math.Min(long.MaxValue / 4, span.TotalSeconds * time.TimestampFrequency);

    private static long RoundUpToPowerOf2(long value) => (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1, value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(ulong device, uint code)
    {
        var h = (device ^ ((ulong)code << 29) ^ code) * 0x9E3779B97F4A7C15UL;
        return h ^ (h >> 31);
    }

    private CodeCounters CountersFor(uint code)
        => counters.TryGetValue(code, out var c) ? c : counters.GetOrAdd(code, static _ => new CodeCounters());

    private bool IsExpired(in Entry e, long now) => now - e.WindowEnd >= retention;

    /// <summary>Finds the pair's slot or claims one; false when the table is full of live pairs.</summary>
    private bool TryFindOrAdd(Shard shard, ulong device, uint code, ulong hash, long now, out int index)
    {
        while (true)
        {
            var entries = shard.Entries;
            var mask = entries.Length - 1;
            var i = (int)hash & mask;
            while (true)
            {
                ref var e = ref entries[i];
                if (e.Code == 0)
                {
                    break;
                }

                if (e.Device == device && e.Code == code)
                {
                    index = i;
                    return true;
                }

                if (IsExpired(in e, now))
                {
                    // Reclaiming the slot shifts a later member of the cluster into it (or empties it): look again.
                    RemoveAt(shard, i);
                    continue;
                }

                i = (i + 1) & mask;
            }

            // Not present: claim the empty slot if the load stays at or under 3/4, else make room and search again.
            if ((shard.Count + 1) * 4L <= entries.Length * 3L)
            {
                entries[i] = new Entry { Device = device, Code = code, WindowEnd = long.MinValue / 4 };
                shard.Count++;
                index = i;
                return true;
            }

            if (entries.Length < shard.MaxCapacity)
            {
                Grow(shard, now);
                continue;
            }

            if (now >= shard.NextSweep)
            {
                shard.NextSweep = now + sweepInterval;
                if (SweepShard(shard, now) > 0)
                {
                    continue;
                }
            }

            index = -1;
            return false;
        }
    }

    private void Grow(Shard shard, long now)
    {
        var old = shard.Entries;
        var entries = new Entry[old.Length * 2];
        var mask = entries.Length - 1;
        var count = 0;
        foreach (ref readonly var e in old.AsSpan())
        {
            if (e.Code == 0)
            {
                continue;
            }

            if (IsExpired(in e, now))
            {
                CountUnreported(in e);
                continue;
            }

            var i = (int)Hash(e.Device, e.Code) & mask;
            while (entries[i].Code != 0)
            {
                i = (i + 1) & mask;
            }

            entries[i] = e;
            count++;
        }

        shard.Entries = entries;
        shard.Count = count;
    }

    private int SweepShard(Shard shard, long now)
    {
        var entries = shard.Entries;
        var removed = 0;
        var i = 0;
        while (i < entries.Length)
        {
            if (entries[i].Code != 0 && IsExpired(in entries[i], now))
            {
                // Backward shift may move a later entry into slot i: examine it again before moving on.
                RemoveAt(shard, i);
                removed++;
                continue;
            }

            i++;
        }

        return removed;
    }

    /// <summary>Deletes slot <paramref name="hole"/> by backward shift (Knuth's algorithm R for linear probing).</summary>
    private void RemoveAt(Shard shard, int hole)
    {
        var entries = shard.Entries;
        var mask = entries.Length - 1;
        CountUnreported(in entries[hole]);
        var j = hole;
        while (true)
        {
            j = (j + 1) & mask;
            if (entries[j].Code == 0)
            {
                break;
            }

            var home = (int)Hash(entries[j].Device, entries[j].Code) & mask;

            // The entry at j may stay when its home lies cyclically in (hole, j]; otherwise it moves into the hole.
            var stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays)
            {
                entries[hole] = entries[j];
                hole = j;
            }
        }

        entries[hole] = default;
        shard.Count--;
    }

    private void CountUnreported(in Entry e)
    {
        if (e.Suppressed != 0)
        {
            Interlocked.Add(ref CountersFor(e.Code).SuppressedNeverReported, e.Suppressed);
        }
    }

    private readonly record struct Rule(long Window, int Threshold, bool Excluded);

    /// <summary>One tracked device and code pair: 32 bytes.</summary>
    private struct Entry
    {
        public ulong Device;
        public uint Code;
        public int WindowCount;
        public long WindowEnd;
        public uint Suppressed;
        public uint Sequence;
    }

    private sealed class Shard(int capacity, int maxCapacity)
    {
        public readonly Lock Gate = new();
        public readonly int MaxCapacity = maxCapacity;
        public Entry[] Entries = new Entry[capacity];
        public int Count;
        public long NextSweep;
    }

    private sealed class CodeCounters
    {
        public long Delivered;
        public long Suppressed;
        public long DeliveredWithThrottleInfo;
        public long Excluded;
        public long Untracked;
        public long SuppressedNeverReported;
    }
}
