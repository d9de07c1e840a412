using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Capacity;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Dcc.Validation;

namespace CapacitySim.Dcc.Simulation;

/// <summary>
/// Where every request the simulated DCC received stands, at one moment: answered synchronously (not DUIS, a DUIS
/// error, or a non-device/Transform/local-delivery answer), or accepted for its device and then, through the lanes,
/// a response, a DUIS error or a counted time-out, each handed to delivery.
/// </summary>
public sealed record DccAccountingSnapshot
{
    /// <summary>When it was taken (scenario time).</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Requests received on the three web services.</summary>
    public long Received { get; init; }

    /// <summary>
    /// Requests still being validated and answered when the snapshot was taken: received and not yet counted in any of
    /// the synchronous outcomes below (never negative).
    /// </summary>
    public long InProcess { get; init; }

    /// <summary>Requests whose processing failed with an unexpected error (the HTTP layer answered 500).</summary>
    public long Faulted { get; init; }

    /// <summary>Bodies that were not DUIS at all (HTTP 400).</summary>
    public long NotDuis { get; init; }

    /// <summary>Requests refused with a DUIS error code, answered synchronously.</summary>
    public long RejectedSynchronously { get; init; }

    /// <summary>Requests answered completely in the synchronous response (non-device, Transform, local delivery).</summary>
    public long AnsweredSynchronously { get; init; }

    /// <summary>Device requests acknowledged with I99 and sent on to their device.</summary>
    public long AcceptedForDevice { get; init; }

    /// <summary>Asynchronous I0 responses handed to delivery.</summary>
    public long Responses { get; init; }

    /// <summary>Asynchronous DUIS errors handed to delivery (overload, shed, unreachable).</summary>
    public long Errors { get; init; }

    /// <summary>Counted time-outs (E21/E30) handed to delivery.</summary>
    public long TimedOut { get; init; }

    /// <summary>Devices that answered after the DCC had told the user the request failed (the change still happened).</summary>
    public long LateDeviceSuccesses { get; init; }

    /// <summary>SMS wake-ups of SMETS1 communications hubs.</summary>
    public long SmsWakeUps { get; init; }

    /// <summary>Messages delivery refused (over its byte cap or stopped): counted, never silent.</summary>
    public long DeliveryRefused { get; init; }

    /// <summary>Alerts raised by devices and the DCC (before storm protection).</summary>
    public long AlertsRaised { get; init; }

    /// <summary>Alerts that left the lanes and were written for each recipient (or counted as without one).</summary>
    public long AlertsHandled { get; init; }

    /// <summary>Alert messages handed to delivery (one per recipient user).</summary>
    public long AlertMessages { get; init; }

    /// <summary>Alerts no user receives (no user holds a role that receives them).</summary>
    public long AlertsWithoutRecipient { get; init; }

    /// <summary>The lanes' view.</summary>
    public DccCapacitySnapshot Capacity { get; init; }

    /// <summary>Delivery's view.</summary>
    public required DeliverySnapshot Delivery { get; init; }

    /// <summary>Alert storm protection's view.</summary>
    public required AlertStormSnapshot AlertStorm { get; init; }

    /// <summary>Alerts by code and CSP region: generated, throttled by storm protection, handed to delivery.</summary>
    public IReadOnlyList<AlertRegionCount> AlertsByCodeAndRegion { get; init; } = [];

    /// <summary>Validation counts by reason.</summary>
    public required ValidationCountsSnapshot Validation { get; init; }

    /// <summary>Outcomes the lanes decided that are being handed to delivery at this moment.</summary>
    public long HandingOver => Capacity.Completed + Capacity.Errors + Capacity.TimedOut - (Responses + Errors + TimedOut);

    /// <summary>Requests the lanes have taken whose handler has not yet counted them accepted (part of <see cref="InProcess"/>).</summary>
    public long EnteringLanes => Capacity.Accepted - AcceptedForDevice;

    /// <summary>Alerts that left the lanes and are being written for their recipients at this moment.</summary>
    public long AlertsHandingOver => Capacity.AlertsForwarded - AlertsHandled;

    /// <summary>Messages delivery has taken (or refused) that the DCC has not yet counted as handed over.</summary>
    public long HandingToDelivery => Delivery.Totals.Accepted + DeliveryRefused - (Responses + Errors + TimedOut + AlertMessages);

    /// <summary>
    /// The accounting identities: every request received is in exactly one place (in process, or one synchronous
    /// outcome); every request accepted for its device is in the lanes or has ended in one outcome, which is being handed
    /// over or was handed to delivery (accepted or counted as refused); delivery's own books balance. The "being handed
    /// over" terms are never negative and are zero when the DCC is idle.
    /// </summary>
    public bool IsBalanced =>
        Received == InProcess + NotDuis + RejectedSynchronously + AnsweredSynchronously + AcceptedForDevice + Faulted
        && InProcess >= 0
        && EnteringLanes >= 0 && EnteringLanes <= InProcess
        && Capacity.IsBalanced
        && HandingOver >= 0
        && AlertsHandingOver >= 0
        && HandingToDelivery >= 0
        && Delivery.Totals.IsBalanced;

    /// <inheritdoc/>
    public override string ToString() =>
        $"received {Received} (in process {InProcess}, not DUIS {NotDuis}, DUIS errors {RejectedSynchronously}, answered {AnsweredSynchronously}, to devices {AcceptedForDevice}, faulted {Faulted}); " +
        $"lanes accepted {Capacity.Accepted}, handing over {HandingOver} and {AlertsHandingOver} alerts, to delivery {HandingToDelivery}; " +
        $"in lanes {Capacity.InFlight}; responses {Responses}, errors {Errors}, time-outs {TimedOut}, late successes {LateDeviceSuccesses}; " +
        $"delivered {Delivery.Totals.Delivered}, pending {Delivery.Totals.Pending}, expired {Delivery.Totals.Expired}; " +
        $"alerts {AlertsRaised} raised, {AlertStorm.Totals.Suppressed} suppressed, {AlertMessages} messages; balanced {IsBalanced}";
}
