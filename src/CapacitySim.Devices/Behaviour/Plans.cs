using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Behaviour;

/// <summary>
/// A firmware rollout over a DMC's devices: the first <c>round(share × n)</c> positions of a keyed permutation of the
/// DMC's device list are upgraded, evenly spread over the rollout period, so any device's upgrade time can be computed
/// without a per-device table.
/// </summary>
internal sealed class RolloutPlan(int index, ushort dmc, DeviceType? device, int from, ushort to, double share, long startTicks, long overTicks, ulong seed)
{
    private const ulong Stream = 0x524F4C4C4F555431; // "ROLLOUT1"
    private int[] members = [];
    private FeistelPermutation permutation;

    public int Index { get; } = index;

    public ushort Dmc { get; } = dmc;

    public DeviceType? Device { get; } = device;

    /// <summary>The firmware id a device must run to be upgraded, or -1 for any.</summary>
    public int From { get; } = from;

    public ushort To { get; } = to;

    /// <summary>Devices upgraded (those whose position in the permutation is below this).</summary>
    public long Selected { get; private set; }

    public long StartTicks { get; } = startTicks;

    public void Bind(int[] sortedMembers)
    {
        members = sortedMembers;
        permutation = new FeistelPermutation(sortedMembers.Length, CounterRandom.Hash(seed, Stream, (ulong)Index, 0));
        Selected = (long)Math.Round(share * sortedMembers.Length, MidpointRounding.AwayFromZero);
    }

    /// <summary>The upgrade time of the <paramref name="position"/>-th upgraded device.</summary>
    public long TimeOf(long position)
        => StartTicks + (long)((Int128)overTicks * ((2 * position) + 1) / (2 * Selected));

    /// <summary>The <paramref name="position"/>-th upgraded device.</summary>
    public int DeviceAt(long position) => members[permutation.Forward(position)];

    /// <summary>When the device is upgraded, or false when this rollout does not select it.</summary>
    public bool TryUpgradeTime(int device, out long ticks)
    {
        ticks = 0;
        var at = Array.BinarySearch(members, device);
        if (at < 0)
        {
            return false;
        }

        var position = permutation.Inverse(at);
        if (position >= Selected)
        {
            return false;
        }

        ticks = TimeOf(position);
        return true;
    }
}

/// <summary>
/// A regional power outage: a premises of the region is affected when its hash falls below the share; supply returns
/// premises by premises over the restore ramp in the order of a keyed permutation of all premises (evenly spread), so
/// whether and until when a premises is off supply is computed, not stored.
/// </summary>
internal sealed class OutagePlan
{
    private const ulong Stream = 0x4F55544147453031; // "OUTAGE01"
    private readonly ulong seed;
    private readonly double share;
    private readonly long premisesCount;
    private readonly long rampTicks;

    public OutagePlan(int index, PowerOutageConfig config, int premisesCount, ulong seed)
    {
        Index = index;
        Region = config.Region;
        this.seed = seed;
        share = config.Share;
        this.premisesCount = premisesCount;
        StartTicks = config.Start.Ticks;
        RestoreStartTicks = config.Start.Ticks + config.Duration.Ticks;
        rampTicks = config.RestoreRamp.Ticks;
        LatestRestoreTicks = RestoreStartTicks + rampTicks + 1;
        Permutation = new FeistelPermutation(premisesCount, CounterRandom.Hash(seed, Stream, (ulong)index, 1));
    }

    public int Index { get; }

    public CspRegion Region { get; }

    public long StartTicks { get; }

    public long RestoreStartTicks { get; }

    /// <summary>After this no premises of the outage is still off supply.</summary>
    public long LatestRestoreTicks { get; }

    public FeistelPermutation Permutation { get; }

    public bool Affects(int premises, IEstate estate)
    {
        var range = estate.PremisesDevices(premises);
        var (offset, length) = range.GetOffsetAndLength(estate.Count);
        return length > 0
            && estate.Get(offset).Region == Region
            && CounterRandom.Uniform(seed, Stream, (ulong)Index, (ulong)premises) < share;
    }

    /// <summary>When supply returns to the premises at <paramref name="position"/> of the restore order.</summary>
    public long RestoreTicksAt(long position)
        => RestoreStartTicks + (long)((Int128)rampTicks * ((2 * position) + 1) / (2 * premisesCount));

    public long RestoreTicks(int premises) => RestoreTicksAt(Permutation.Inverse(premises));
}
