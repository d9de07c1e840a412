using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Behaviour;

/// <summary>
/// The estate's background events in time order: Poisson alert processes per (DMC, device type, alert code), the hub
/// reboot cycle and what follows it, scheduled power outages and restores, and firmware rollouts. Nothing is held per
/// device: each process knows only its next event, processes sit in a priority queue, and follow-up events (the PPMID
/// leaving the HAN, the alerts after a restore) wait in small FIFO queues. The stream is a pure function of the model's
/// seed, so a live run (draining up to the <see cref="Time.CompressedTimeProvider"/>'s now) and a faster-than-real-time model
/// (draining up to its virtual time) see the same events. Not thread-safe: one consumer drains it.
/// </summary>
public sealed class EventGenerator
{
    private readonly List<EventProcess> processes = [];
    private EventProcess[] heap;
    private int heapCount;

    /// <summary>Creates the generator at scenario time zero.</summary>
    public EventGenerator(BehaviourModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        var estate = model.Estate;

        // Alert processes: one per (DMC, device type, code) with a positive rate on some firmware of the DMC. The
        // process runs at the highest of those rates and keeps each candidate with probability rate(firmware now) /
        // highest rate (thinning), which is exact for every device and follows firmware rollouts as they happen.
        foreach (var (dmc, type, members) in model.Groups())
        {
            if (members.Length == 0)
            {
                continue;
            }

            var codes = new List<DeviceAlertCode>();
            for (var f = 0; f < model.FirmwareCount; f++)
            {
                foreach (var alert in model.Profile(dmc, (ushort)f).Alerts)
                {
                    if (alert.Device == type && alert.PerDevicePerDay > 0 && !codes.Contains(alert.Code))
                    {
                        codes.Add(alert.Code);
                    }
                }
            }

            foreach (var code in codes)
            {
                var accept = new double[model.FirmwareCount];
                var max = 0.0;
                for (var f = 0; f < accept.Length; f++)
                {
                    accept[f] = model.Profile(dmc, (ushort)f).AlertRate(code, type);
                    max = Math.Max(max, accept[f]);
                }

                for (var f = 0; f < accept.Length; f++)
                {
                    accept[f] /= max;
                }

                Add(new AlertProcess(this, members, code, max, accept));
            }
        }

        if (estate.PremisesCount > 0 && AnyHubReboots(model))
        {
            var reboot = model.Config.HubReboot;
            var leave = new FollowUpQueue(this);
            var alert = new FollowUpQueue(this);
            var rejoin = new FollowUpQueue(this);
            Add(new HubRebootProcess(this, reboot, leave, alert, rejoin));
            Add(leave);
            Add(alert);
            Add(rejoin);
        }

        foreach (var outage in model.Outages)
        {
            var deviceAlerts = new FollowUpQueue(this);
            var dccAlerts = new FollowUpQueue(this);
            Add(new OutageProcess(this, outage, deviceAlerts, dccAlerts));
            Add(deviceAlerts);
            Add(dccAlerts);
        }

        foreach (var plan in model.Rollouts)
        {
            Add(new RolloutProcess(this, plan));
        }

        heap = [.. processes];
        heapCount = heap.Length;
        for (var i = 0; i < heapCount; i++)
        {
            heap[i].HeapIndex = i;
        }

        for (var i = (heapCount / 2) - 1; i >= 0; i--)
        {
            SiftDown(i);
        }
    }

    /// <summary>The bound behaviour.</summary>
    public BehaviourModel Model { get; }

    /// <summary>Events written by <see cref="Drain"/> so far.</summary>
    public long Emitted { get; private set; }

    /// <summary>
    /// The time of the next candidate event, or null when none remains: a live run can sleep until then. (A candidate
    /// of an alert process may be thinned away, so no event need appear at exactly that time.)
    /// </summary>
    public DateTimeOffset? NextCandidateTime
        => heapCount == 0 || heap[0].Next == long.MaxValue ? null : Model.ScenarioStart.AddTicks(heap[0].Next);

    /// <summary>
    /// Writes the events due at or before <paramref name="until"/>, in time order, into <paramref name="into"/> and
    /// returns how many it wrote. When the span fills, the remaining due events stay for the next call. Allocates
    /// nothing in steady state.
    /// </summary>
    public int Drain(DateTimeOffset until, Span<DeviceEvent> into)
    {
        var untilTicks = (until - Model.ScenarioStart).Ticks;
        var count = 0;
        while (count < into.Length && heapCount > 0)
        {
            var top = heap[0];
            if (top.Next > untilTicks || top.Next == long.MaxValue)
            {
                break;
            }

            if (top.Step(ref into[count]))
            {
                count++;
            }

            // A step may have woken a follow-up queue, which can now sit above this process: fix by position.
            Fix(top.HeapIndex);
        }

        Emitted += count;
        return count;
    }

    internal DateTimeOffset TimeAt(long ticks) => Model.ScenarioStart.AddTicks(ticks);

    /// <summary>A process's next time moved earlier (a follow-up queue that was empty got an event).</summary>
    internal void Reschedule(EventProcess process) => Fix(process.HeapIndex);

    private static bool AnyHubReboots(BehaviourModel model)
    {
        for (var d = 0; d < model.DmcCount; d++)
        {
            for (var f = 0; f < model.FirmwareCount; f++)
            {
                if (model.Profile((ushort)d, (ushort)f).HubReboots)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private void Add(EventProcess process)
    {
        process.Id = processes.Count;
        process.HeapIndex = -1;
        processes.Add(process);
    }

    private void Fix(int index)
    {
        if (index < 0)
        {
            return;
        }

        index = SiftUp(index);
        SiftDown(index);
    }

    private static bool Before(EventProcess a, EventProcess b) => a.Next < b.Next || (a.Next == b.Next && a.Id < b.Id);

    private int SiftUp(int index)
    {
        var item = heap[index];
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!Before(item, heap[parent]))
            {
                break;
            }

            heap[index] = heap[parent];
            heap[index].HeapIndex = index;
            index = parent;
        }

        heap[index] = item;
        item.HeapIndex = index;
        return index;
    }

    private void SiftDown(int index)
    {
        var item = heap[index];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= heapCount)
            {
                break;
            }

            if (child + 1 < heapCount && Before(heap[child + 1], heap[child]))
            {
                child++;
            }

            if (!Before(heap[child], item))
            {
                break;
            }

            heap[index] = heap[child];
            heap[index].HeapIndex = index;
            index = child;
        }

        heap[index] = item;
        item.HeapIndex = index;
    }

    /// <summary>Finds the devices of a premises the events need: its hub, ESME and PPMID (-1 when absent).</summary>
    internal static void FindDevices(IEstate estate, int premises, out int hub, out int esme, out int ppmid)
    {
        hub = esme = ppmid = -1;
        var (offset, length) = estate.PremisesDevices(premises).GetOffsetAndLength(estate.Count);
        for (var i = offset; i < offset + length; i++)
        {
            switch (estate.Get(i).Type)
            {
                case DeviceType.CommunicationsHub when hub < 0:
                    hub = i;
                    break;
                case DeviceType.ElectricityMeter when esme < 0:
                    esme = i;
                    break;
                case DeviceType.Ppmid when ppmid < 0:
                    ppmid = i;
                    break;
                default:
                    break;
            }
        }
    }
}

/// <summary>One source of events: knows its next (candidate) time and produces it.</summary>
internal abstract class EventProcess(EventGenerator generator)
{
    protected EventGenerator Generator { get; } = generator;

    protected BehaviourModel Model => Generator.Model;

    /// <summary>Ticks from the scenario start of the next candidate event; <see cref="long.MaxValue"/> when done.</summary>
    public long Next { get; protected set; } = long.MaxValue;

    public int Id { get; set; }

    public int HeapIndex { get; set; }

    /// <summary>Handles the candidate at <see cref="Next"/>: writes it to <paramref name="slot"/> and returns true if it is an event, then advances.</summary>
    public abstract bool Step(ref DeviceEvent slot);
}

/// <summary>Events that follow others after a fixed delay: arrive in time order, leave first in first out.</summary>
internal sealed class FollowUpQueue(EventGenerator generator) : EventProcess(generator)
{
    private (long Ticks, DeviceEvent Event)[] items = new (long, DeviceEvent)[64];
    private int head;
    private int count;

    public void Push(long ticks, in DeviceEvent e)
    {
        if (count == items.Length)
        {
            var grown = new (long, DeviceEvent)[items.Length * 2];
            for (var i = 0; i < count; i++)
            {
                grown[i] = items[(head + i) % items.Length];
            }

            items = grown;
            head = 0;
        }

        items[(head + count) % items.Length] = (ticks, e);
        count++;
        if (count == 1)
        {
            Next = ticks;
            Generator.Reschedule(this);
        }
    }

    public override bool Step(ref DeviceEvent slot)
    {
        slot = items[head].Event;
        head = (head + 1) % items.Length;
        count--;
        Next = count == 0 ? long.MaxValue : items[head].Ticks;
        return true;
    }
}

/// <summary>
/// A Poisson alert process over a group of devices at the group's highest per-device rate, each candidate picked
/// uniformly in the group and kept with probability rate(device's firmware now) / highest rate.
/// </summary>
internal sealed class AlertProcess : EventProcess
{
    private const ulong StreamBase = 0x414C455254303030; // "ALERT000"
    private readonly int[] members;
    private readonly DeviceAlertCode code;
    private readonly double[] accept;
    private readonly double meanGapTicks;
    private readonly ulong stream;
    private readonly ulong seed;
    private double nextExact;
    private ulong counter;

    public AlertProcess(EventGenerator generator, int[] members, DeviceAlertCode code, double maxPerDevicePerDay, double[] accept)
        : base(generator)
    {
        this.members = members;
        this.code = code;
        this.accept = accept;
        seed = Model.Seed;

        // The stream is keyed by what the process is, not by its position among processes, so adding an unrelated
        // process to the configuration leaves this one's events unchanged.
        var first = members[0];
        var dmc = Model.Estate.Get(first).Dmc;
        stream = CounterRandom.Hash(StreamBase, code.Value, dmc, (ulong)Model.Estate.Get(first).Type);
        meanGapTicks = TimeSpan.TicksPerDay / (members.Length * maxPerDevicePerDay);
        nextExact = Gap(0);
        Next = (long)nextExact;
    }

    public override bool Step(ref DeviceEvent slot)
    {
        var c = counter++;
        var n = members.Length;
        var pick = (int)(CounterRandom.Uniform(seed, stream, c, 0) * n);
        var device = Model.Estate.Get(members[Math.Min(pick, n - 1)]);
        var firmware = Model.FirmwareAt(device, Next);
        var emitted = device.Status == DeviceStatus.Commissioned
            && firmware < accept.Length
            && CounterRandom.Uniform(seed, stream, c, 1) < accept[firmware];
        if (emitted)
        {
            slot = new DeviceEvent(Generator.TimeAt(Next), DeviceEventKind.DeviceAlert, device.Index, device.Premises, code, default, 0, default);
        }

        nextExact += Gap(counter);
        Next = (long)nextExact;
        return emitted;
    }

    private double Gap(ulong c) => -Math.Log(1 - CounterRandom.Uniform(seed, stream, c, 2)) * meanGapTicks;
}

/// <summary>
/// Every hub reboots once per period, at an evenly spread phase given by its premises' position in a keyed
/// permutation; a share of reboots throws the PPMID off the HAN, followed by the configured alert and the PPMID's rejoin.
/// </summary>
internal sealed class HubRebootProcess : EventProcess
{
    private const ulong Stream = 0x5245424F4F543031; // "REBOOT01"
    private readonly FeistelPermutation permutation;
    private readonly long period;
    private readonly long premisesCount;
    private readonly HubRebootConfig config;
    private readonly FollowUpQueue leave;
    private readonly FollowUpQueue alert;
    private readonly FollowUpQueue rejoin;
    private long cycle;
    private long position;

    public HubRebootProcess(EventGenerator generator, HubRebootConfig config, FollowUpQueue leave, FollowUpQueue alert, FollowUpQueue rejoin)
        : base(generator)
    {
        this.config = config;
        this.leave = leave;
        this.alert = alert;
        this.rejoin = rejoin;
        premisesCount = Model.Estate.PremisesCount;
        period = config.Period.Ticks;
        permutation = new FeistelPermutation(premisesCount, CounterRandom.Hash(Model.Seed, Stream, 0, 0));
        Next = TimeOf(0, 0);
    }

    /// <summary>When the hub of the premises at <paramref name="pos"/> of the order reboots in cycle <paramref name="c"/>.</summary>
    private long TimeOf(long c, long pos) => (c * period) + (long)((Int128)period * ((2 * pos) + 1) / (2 * premisesCount));

    public override bool Step(ref DeviceEvent slot)
    {
        var t = Next;
        var premises = (int)permutation.Forward(position);
        var estate = Model.Estate;
        EventGenerator.FindDevices(estate, premises, out var hubIndex, out var esme, out var ppmid);
        var emitted = false;
        if (hubIndex >= 0)
        {
            var hub = estate.Get(hubIndex);
            var profile = Model.Profile(hub.Dmc, Model.FirmwareAt(hub, t));
            if (hub.Status == DeviceStatus.Commissioned && profile.HubReboots)
            {
                emitted = true;
                slot = new DeviceEvent(Generator.TimeAt(t), DeviceEventKind.HubReboot, hubIndex, premises, default, default, 0, default);
                if (ppmid >= 0 && CounterRandom.Uniform(Model.Seed, Stream, (ulong)premises, (ulong)cycle) < profile.PpmidLeavesHan)
                {
                    var at = t + config.HanLeaveDelay.Ticks;
                    leave.Push(at, new DeviceEvent(Generator.TimeAt(at), DeviceEventKind.HanLeave, ppmid, premises, default, default, 0, default));
                    var alerting = config.AlertDevice == DeviceType.Ppmid ? ppmid : esme;
                    if (alerting >= 0)
                    {
                        at = t + config.AlertDelay.Ticks;
                        alert.Push(at, new DeviceEvent(Generator.TimeAt(at), DeviceEventKind.DeviceAlert, alerting, premises, config.AlertCode, default, 0, default));
                    }

                    at = t + config.RejoinDelay.Ticks;
                    rejoin.Push(at, new DeviceEvent(Generator.TimeAt(at), DeviceEventKind.HanJoin, ppmid, premises, default, default, 0, default));
                }
            }
        }

        if (++position == premisesCount)
        {
            position = 0;
            cycle++;
        }

        Next = TimeOf(cycle, position);
        return emitted;
    }
}

/// <summary>
/// A power outage: supply lost at the start at every affected premises, then restored premises by premises over the
/// ramp; each restore brings the ESME's 8F35 (or 8F36 after a long outage) and, for outages long enough, the DCC's
/// PowerOutageEvent alert about the hub.
/// </summary>
internal sealed class OutageProcess : EventProcess
{
    private readonly OutagePlan plan;
    private readonly FollowUpQueue deviceAlerts;
    private readonly FollowUpQueue dccAlerts;
    private readonly PowerRestoreConfig restore;
    private readonly long premisesCount;
    private bool restoring;
    private long position;

    public OutageProcess(EventGenerator generator, OutagePlan plan, FollowUpQueue deviceAlerts, FollowUpQueue dccAlerts)
        : base(generator)
    {
        this.plan = plan;
        this.deviceAlerts = deviceAlerts;
        this.dccAlerts = dccAlerts;
        restore = Model.Config.PowerRestore;
        premisesCount = Model.Estate.PremisesCount;
        position = -1;
        if (premisesCount > 0)
        {
            Advance();
        }
    }

    public override bool Step(ref DeviceEvent slot)
    {
        var t = Next;
        var estate = Model.Estate;
        var premises = restoring ? (int)plan.Permutation.Forward(position) : (int)position;
        EventGenerator.FindDevices(estate, premises, out var hub, out var esme, out _);
        var device = esme >= 0 ? esme : hub;
        var since = Generator.TimeAt(plan.StartTicks);
        if (!restoring)
        {
            slot = new DeviceEvent(since, DeviceEventKind.SupplyLost, device, premises, default, default, 0, default);
        }
        else
        {
            slot = new DeviceEvent(Generator.TimeAt(t), DeviceEventKind.SupplyRestored, device, premises, default, default, 0, since);
            var outage = t - plan.StartTicks;
            if (esme >= 0)
            {
                var code = outage >= restore.LongOutage.Ticks ? DeviceAlertCode.SupplyOutageRestoredAfterThreeMinutes : DeviceAlertCode.SupplyOutageRestored;
                var at = t + restore.DeviceAlertDelay.Ticks;
                deviceAlerts.Push(at, new DeviceEvent(Generator.TimeAt(at), DeviceEventKind.DeviceAlert, esme, premises, code, default, 0, since));
            }

            if (hub >= 0 && outage >= restore.DccAlertMinimumOutage.Ticks)
            {
                var at = t + restore.DccAlertDelay.Ticks;
                dccAlerts.Push(at, new DeviceEvent(Generator.TimeAt(at), DeviceEventKind.DccAlert, hub, premises, default, restore.DccAlertCode, 0, since));
            }
        }

        Advance();
        return true;
    }

    /// <summary>
    /// Moves to the next affected premises. Skipping unaffected ones ahead of time is safe: whether a premises is
    /// affected is a pure function, and nothing is emitted for the skipped ones.
    /// </summary>
    private void Advance()
    {
        var estate = Model.Estate;
        while (true)
        {
            position++;
            if (position == premisesCount)
            {
                if (restoring)
                {
                    Next = long.MaxValue;
                    return;
                }

                restoring = true;
                position = 0;
            }

            var premises = restoring ? (int)plan.Permutation.Forward(position) : (int)position;
            if (plan.Affects(premises, estate))
            {
                Next = restoring ? plan.RestoreTicksAt(position) : plan.StartTicks;
                return;
            }
        }
    }
}

/// <summary>A firmware rollout: the selected devices of the DMC change firmware one by one over the period.</summary>
internal sealed class RolloutProcess : EventProcess
{
    private readonly RolloutPlan plan;
    private long position;

    public RolloutProcess(EventGenerator generator, RolloutPlan plan)
        : base(generator)
    {
        this.plan = plan;
        Next = plan.Selected > 0 ? plan.TimeOf(0) : long.MaxValue;
    }

    public override bool Step(ref DeviceEvent slot)
    {
        var t = Next;
        var device = Model.Estate.Get(plan.DeviceAt(position));
        var before = Model.FirmwareBefore(device, t, plan.Index);
        var emitted = (plan.From < 0 || plan.From == before) && before != plan.To;
        if (emitted)
        {
            slot = new DeviceEvent(Generator.TimeAt(t), DeviceEventKind.FirmwareChange, device.Index, device.Premises, default, default, plan.To, default);
        }

        position++;
        Next = position < plan.Selected ? plan.TimeOf(position) : long.MaxValue;
        return emitted;
    }
}
