using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Devices.Behaviour;

/// <summary>How a device answers a request.</summary>
public enum DeviceOutcome : byte
{
    /// <summary>The device responds after <see cref="DeviceResponse.Latency"/>.</summary>
    Responds = 0,

    /// <summary>No response from the device: the DCC answers E21.</summary>
    NoResponse,

    /// <summary>A join or commission request at an install whose gas meter and hub fail to join: no response (E21).</summary>
    JoinFailure,

    /// <summary>The premises is without supply (a scheduled power outage): no response (E21).</summary>
    WithoutSupply,
}

/// <summary>A device's drawn answer to one request.</summary>
/// <param name="Outcome">Whether it responds.</param>
/// <param name="Latency">
/// From the DCC sending the request to the device's response, SMS wake-ups included. For the failure outcomes it is
/// when the device would have answered; the DCC applies its own deadline.
/// </param>
/// <param name="SmsWakeUps">SMS messages sent to wake a SMETS1 hub for this request (0 for SMETS2).</param>
public readonly record struct DeviceResponse(DeviceOutcome Outcome, TimeSpan Latency, int SmsWakeUps);

/// <summary>
/// Draws device responses from a <see cref="BehaviourModel"/>. Each draw is a pure function of (seed, device, request
/// counter, time): the same request gets the same answer whatever the thread interleaving. Allocates nothing and is
/// safe to call from many threads.
/// </summary>
/// <param name="model">The bound behaviour.</param>
public sealed class DeviceBehaviour(BehaviourModel model)
{
    private const ulong LatencyStream = 0x4C4154454E435931; // "LATENCY1"
    private const ulong NoResponseStream = 0x4E4F524553503031; // "NORESP01"
    private const ulong JoinStream = 0x4A4F494E4641494C; // "JOINFAIL"
    private readonly BehaviourModel model = model ?? throw new ArgumentNullException(nameof(model));
    private readonly TimeSpan smsDelay = model.Config.SmsWakeUp.DelayPerSms;

    /// <summary>The bound behaviour.</summary>
    public BehaviourModel Model => model;

    /// <summary>
    /// Draws the response of <paramref name="device"/> to its <paramref name="requestCounter"/>-th request, of
    /// <paramref name="srv"/>, sent to it at <paramref name="at"/>.
    /// </summary>
    public DeviceResponse Draw(in DeviceRecord device, ServiceReferenceVariant srv, ulong requestCounter, DateTimeOffset at)
    {
        var ticks = (at - model.ScenarioStart).Ticks;
        var profile = model.Profile(device.Dmc, model.FirmwareAt(device, ticks));
        var seed = model.Seed;
        var index = (ulong)(uint)device.Index;

        var seconds = profile.Latency(device).QuantileSeconds(CounterRandom.Uniform(seed, LatencyStream, index, requestCounter));
        var latency = TimeSpan.FromSeconds(seconds);
        var sms = 0;
        if (device.Generation == DeviceGeneration.Smets1)
        {
            sms = model.SmsPerRequest(srv);
            latency += smsDelay * sms;
        }

        DeviceOutcome outcome;
        if (profile.JoinShare > 0 && profile.JoinApplies(srv)
            && CounterRandom.Uniform(seed, JoinStream, (ulong)(uint)device.Premises, device.Dmc) < profile.JoinShare)
        {
            // The same install fails on every attempt: the draw depends on the premises, not the request.
            outcome = DeviceOutcome.JoinFailure;
        }
        else if (model.Outages.Length > 0 && model.IsWithoutSupply(device.Premises, ticks))
        {
            outcome = DeviceOutcome.WithoutSupply;
        }
        else if (profile.NoResponse > 0 && CounterRandom.Uniform(seed, NoResponseStream, index, requestCounter) < profile.NoResponse)
        {
            outcome = DeviceOutcome.NoResponse;
        }
        else
        {
            outcome = DeviceOutcome.Responds;
        }

        return new DeviceResponse(outcome, latency, sms);
    }
}
