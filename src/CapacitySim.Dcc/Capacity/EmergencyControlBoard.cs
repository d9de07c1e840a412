using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Capacity;

/// <summary>
/// The operator's emergency-control board: the controls ever switched on, the ones in force and the audit list. The
/// controls in force are an immutable array swapped on each change, so admission finds a message's control without
/// the DCC's lock; changes and the copies are made under it. The messages a defer control holds are the lane
/// engine's (<see cref="LaneEngine.ReleaseHeld"/>).
/// </summary>
internal sealed class EmergencyControlBoard
{
    private readonly List<EmergencyControl> controls = [];
    private readonly List<EmergencyControlAuditEntry> audit = [];
    private EmergencyControl[] active = [];

    /// <summary>The controls in force now, in the order they were switched on.</summary>
    public IReadOnlyList<EmergencyControl> Active => Volatile.Read(ref active);

    /// <summary>Every switch-on and lift, in order (a copy; under the lock).</summary>
    public IReadOnlyList<EmergencyControlAuditEntry> AuditCopy() => [.. audit];

    /// <summary>Every control ever switched on, in order (a copy; under the lock).</summary>
    public IReadOnlyList<EmergencyControl> ControlsCopy() => [.. controls];

    /// <summary>The first control in force that selects <paramref name="request"/>, if any. Lock-free.</summary>
    public EmergencyControl? Find(in DccRequest request)
    {
        foreach (var c in Volatile.Read(ref active))
        {
            if (c.Selector.Matches(in request))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>The first control in force that selects <paramref name="alert"/>, if any. Lock-free.</summary>
    public EmergencyControl? Find(in DccAlert alert)
    {
        foreach (var c in Volatile.Read(ref active))
        {
            if (c.Selector.Matches(in alert))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>Switches a control on at <paramref name="at"/> and records it (under the lock).</summary>
    public EmergencyControl SwitchOn(EmergencyAction action, TrafficSelector selector, ResponseCode code, string reason, DateTimeOffset at)
    {
        var control = new EmergencyControl(controls.Count + 1, action, selector, code, reason, at);
        controls.Add(control);
        Volatile.Write(ref active, [.. active, control]);
        audit.Add(new EmergencyControlAuditEntry(at, control, true, 0, 0));
        return control;
    }

    /// <summary>Takes a control out of force at <paramref name="at"/> (under the lock); <see cref="RecordLifted"/> follows once its held messages are released.</summary>
    public void SwitchOff(EmergencyControl control, DateTimeOffset at)
    {
        control.SwitchOff(at);
        var remaining = new List<EmergencyControl>(active.Length);
        foreach (var c in active)
        {
            if (!ReferenceEquals(c, control))
            {
                remaining.Add(c);
            }
        }

        Volatile.Write(ref active, [.. remaining]);
    }

    /// <summary>Records the lift with what the control affected and released by then (under the lock).</summary>
    public void RecordLifted(EmergencyControl control, DateTimeOffset at)
        => audit.Add(new EmergencyControlAuditEntry(at, control, false, control.Affected, control.Released));
}
