using CapacitySim.Dcc.Capacity;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using Microsoft.Extensions.Time.Testing;

namespace CapacitySim.Dcc.Tests.Capacity;

/// <summary>What the sink was told, in order.</summary>
internal sealed record SinkEvent(string Kind, DccRequest Request, DccAlert Alert, ResponseCode Code, DccFailureReason Reason, DccTimes Times);

/// <summary>Records every outcome the model hands out.</summary>
internal sealed class RecordingSink : IDccOutcomeSink
{
    public List<SinkEvent> Events { get; } = [];

    public IEnumerable<SinkEvent> Of(string kind) => Events.Where(e => e.Kind == kind);

    public void OnResponse(in DccRequest request, in DeviceReply reply, in DccTimes times)
        => Events.Add(new("response", request, default, reply.Code, DccFailureReason.None, times));

    public void OnError(in DccRequest request, ResponseCode code, DccFailureReason reason, in DccTimes times)
        => Events.Add(new("error", request, default, code, reason, times));

    public void OnTimeout(in DccRequest request, ResponseCode code, DccFailureReason reason, in DccTimes times)
        => Events.Add(new("timeout", request, default, code, reason, times));

    public void OnLateDeviceAnswer(in DccRequest request, in DeviceReply reply, in DccTimes times)
        => Events.Add(new("late", request, default, reply.Code, DccFailureReason.DeviceLate, times));

    public void OnAlert(in DccAlert alert, in DccTimes times)
        => Events.Add(new("alert", default, alert, default, DccFailureReason.None, times));

    public void OnAlertDropped(in DccAlert alert, DccFailureReason reason, in DccTimes times)
        => Events.Add(new("alert-dropped", default, alert, default, reason, times));
}

/// <summary>A device side whose answer per device index is set by the test; records every state change.</summary>
internal sealed class ScriptedResponder(Func<DeviceRecord, ServiceReferenceVariant, DeviceReply> script) : IDeviceResponder
{
    public List<(DeviceRecord Device, ServiceReferenceVariant Srv, bool AfterDccFailure, DateTimeOffset At)> Answers { get; } = [];

    public TimeProvider? Clock { get; set; }

    public static ScriptedResponder Fixed(DeviceReply reply) => new((_, _) => reply);

    public DeviceReply Respond(in DeviceRecord device, ServiceReferenceVariant srv) => script(device, srv);

    public void OnDeviceAnswered(in DeviceRecord device, ServiceReferenceVariant srv, in DeviceReply reply, bool afterDccFailure)
        => Answers.Add((device, srv, afterDccFailure, Clock?.GetUtcNow() ?? default));
}

internal static class Traffic
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly Eui64 Supplier = Eui64.Parse("90-B3-D5-1F-30-01-00-00");

    /// <summary>Read Instantaneous Import Registers: an on-demand read.</summary>
    public static readonly ServiceReferenceVariant ReadRegisters = ServiceReferenceVariant.Parse("4.1.1");

    /// <summary>Update Import Tariff: on-demand, not a read.</summary>
    public static readonly ServiceReferenceVariant UpdateTariff = ServiceReferenceVariant.Parse("1.1.1");

    /// <summary>Update Security Credentials (KRP): the certificate replacement that times out in the DCC.</summary>
    public static readonly ServiceReferenceVariant UpdateCredentials = ServiceReferenceVariant.Parse("6.15.1");

    public static FakeTimeProvider Clock() => new(Start);

    public static DeviceRecord Device(int index, DeviceType type = DeviceType.ElectricityMeter, CspRegion region = CspRegion.Central)
        => new(index, new Eui64(0x00DB_1234_5678_0000UL + (ulong)index), type, DeviceGeneration.Smets2, DeviceStatus.Commissioned, region, 1, 1, 0, index);

    public static DccRequest Request(ulong counter, ServiceReferenceVariant srv, DccTrafficClass trafficClass = DccTrafficClass.OnDemand, DeviceRecord? device = null)
    {
        var d = device ?? Device((int)counter);
        return new DccRequest(new RequestId(Supplier, d.Eui, counter), d, srv, trafficClass, 0, (long)counter);
    }

    public static DccAlert Alert(int device, ushort code) => new(Device(device), new DeviceAlertCode(code), default, device);

    public static DccCapacityOptions OneLane(double rate, int queue)
    {
        var options = new DccCapacityOptions();
        var lane = new DccLaneOptions { Name = "only", ServiceRatePerSecond = rate, QueueCapacity = queue };
        foreach (var c in Enum.GetValues<DccTrafficClass>())
        {
            lane.Carries.Add(c);
        }

        options.Lanes.Add(lane);
        return options;
    }

    /// <summary>Moves the fake clock on in small steps, as a running host's clock would pass through each instant.</summary>
    public static void Run(this FakeTimeProvider clock, TimeSpan span, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromMilliseconds(100);
        var end = clock.GetUtcNow() + span;
        while (clock.GetUtcNow() + s <= end)
        {
            clock.Advance(s);
        }

        var rest = end - clock.GetUtcNow();
        if (rest > TimeSpan.Zero)
        {
            clock.Advance(rest);
        }
    }
}
