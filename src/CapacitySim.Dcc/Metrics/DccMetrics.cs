using System.Text;
using CapacitySim.Dcc.Simulation;
using CapacitySim.Dcc.Validation;
using CapacitySim.Devices.Estate;
using Prometheus;

namespace CapacitySim.Dcc.Metrics;

/// <summary>
/// The simulated DCC's counters in Prometheus form (<c>capacitysim_dcc_</c> prefix, <c>_total</c> counters, base
/// units). They are copied from <see cref="SimulatedDcc.Snapshot"/> on a timer, never touched per message, so the
/// DUIS path pays nothing for them; labels are few and bounded (validation reason, outcome reason, lane, state, alert
/// code and CSP region).
/// </summary>
public sealed class DccMetrics : IDisposable
{
    /// <summary>How often the counters are refreshed by default.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private static readonly ValidationReason[] Reasons = Enum.GetValues<ValidationReason>();

    private readonly SimulatedDcc dcc;
    private readonly Lock gate = new();

    private readonly Counter received;
    private readonly Counter.Child[] rejected;
    private readonly Counter answeredSynchronously;
    private readonly Counter acceptedForDevice;
    private readonly Counter responses;
    private readonly Counter.Child errorsOverload;
    private readonly Counter.Child errorsShed;
    private readonly Counter.Child errorsUnreachable;
    private readonly Counter.Child timeoutsInQueue;
    private readonly Counter.Child timeoutsNoResponse;
    private readonly Counter.Child timeoutsLate;
    private readonly Counter lateSuccesses;
    private readonly Gauge.Child inFlightDeferred;
    private readonly Gauge.Child inFlightInLanes;
    private readonly Gauge.Child inFlightAtDevice;
    private readonly Gauge inProcess;
    private readonly Gauge.Child[] laneDepth;
    private readonly Counter.Child[] laneServed;
    private readonly Counter.Child[] laneBusy;
    private readonly Gauge.Child[] laneUtilisation;
    private readonly double[] laneBusyAtLast;
    private readonly Counter deliveryAccepted;
    private readonly Counter deliveryDelivered;
    private readonly Counter deliveryExpired;
    private readonly Counter deliveryRefused;
    private readonly Gauge.Child pendingQueued;
    private readonly Gauge.Child pendingRetrying;
    private readonly Gauge.Child pendingFailedQueue;
    private readonly Gauge.Child pendingRedelivering;
    private readonly Counter deliveryAttempts;
    private readonly Counter deliveryFailedAttempts;
    private readonly Counter deliveryMovedToFailedQueue;
    private readonly Counter deliveryRedelivered;
    private readonly Gauge deliveryHeldBytes;
    private readonly Counter alertsRaised;
    private readonly Counter alertsSuppressed;
    private readonly Counter alertMessages;
    private readonly Counter.Child alertsDroppedShed;
    private readonly Counter.Child alertsDroppedOverload;
    private readonly Counter alertsWithoutRecipient;
    private readonly Counter smsWakeUps;
    private readonly Counter alertsGeneratedByRegion;
    private readonly Counter alertsThrottledByRegion;
    private readonly Counter alertsDeliveredByRegion;
    private readonly Gauge balanced;

    private System.Threading.ITimer? timer;
    private DccAccountingSnapshot? last;

    /// <summary>Creates the metrics of <paramref name="dcc"/> in <paramref name="registry"/> (a new registry when null).</summary>
    /// <param name="dcc">The DCC whose snapshot the metrics copy.</param>
    /// <param name="registry">
    /// Where the metrics live. Pass <see cref="Prometheus.Metrics.DefaultRegistry"/> to expose them beside the process
    /// metrics; leave null when several DCCs share a process, so that each keeps its own counts.
    /// </param>
    public DccMetrics(SimulatedDcc dcc, CollectorRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(dcc);
        this.dcc = dcc;
        Registry = registry ?? Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        received = factory.CreateCounter("capacitysim_dcc_requests_received_total", "DUIS requests received on the three web services.");
        var rejectedFamily = factory.CreateCounter(
            "capacitysim_dcc_requests_rejected_total",
            "Requests refused by validation, by reason and the DUIS response code of that reason (http400: not DUIS, answered with HTTP 400 and no DUIS response).",
            "reason",
            "code");
        rejected = new Counter.Child[Reasons.Length];
        for (var i = 1; i < Reasons.Length; i++)
        {
            rejected[i] = rejectedFamily.WithLabels(LabelOf(Reasons[i]), CodeLabelOf(Reasons[i]));
        }

        answeredSynchronously = factory.CreateCounter("capacitysim_dcc_requests_answered_synchronously_total", "Requests answered completely in the synchronous response (non-device, Transform, local delivery).");
        acceptedForDevice = factory.CreateCounter("capacitysim_dcc_requests_accepted_for_device_total", "Device requests acknowledged with I99 and sent on towards their device.");
        responses = factory.CreateCounter("capacitysim_dcc_device_responses_total", "Asynchronous device responses (I0) handed to delivery.");
        var errors = factory.CreateCounter("capacitysim_dcc_device_errors_total", "Accepted device requests ended by a DUIS error, by reason.", "reason");
        errorsOverload = errors.WithLabels("overload");
        errorsShed = errors.WithLabels("shed");
        errorsUnreachable = errors.WithLabels("unreachable");
        var timeouts = factory.CreateCounter("capacitysim_dcc_device_timeouts_total", "Accepted device requests the DCC timed out, by where the deadline passed.", "reason");
        timeoutsInQueue = timeouts.WithLabels("in_queue");
        timeoutsNoResponse = timeouts.WithLabels("no_response");
        timeoutsLate = timeouts.WithLabels("late_answer");
        lateSuccesses = factory.CreateCounter("capacitysim_dcc_late_device_successes_total", "Devices that applied a request after the DCC had told the user it failed.");
        var inFlight = factory.CreateGauge("capacitysim_dcc_requests_in_flight", "Accepted device requests without an outcome yet, by state.", "state");
        inFlightDeferred = inFlight.WithLabels("deferred");
        inFlightInLanes = inFlight.WithLabels("in_lanes");
        inFlightAtDevice = inFlight.WithLabels("at_device");
        inProcess = factory.CreateGauge("capacitysim_dcc_requests_in_process", "Requests being validated and answered now.");

        var capacity = dcc.Capacity;
        var depth = factory.CreateGauge("capacitysim_dcc_lane_queue_depth", "Messages waiting in each processing lane (not counting the one in service).", "lane");
        var served = factory.CreateCounter("capacitysim_dcc_lane_served_total", "Messages each processing lane has served.", "lane");
        var busy = factory.CreateCounter("capacitysim_dcc_lane_busy_seconds_total", "Scenario seconds each processing lane has spent serving messages (messages served × its service time).", "lane");
        var utilisation = factory.CreateGauge("capacitysim_dcc_lane_utilisation_ratio", "Share (0…1) of scenario time each processing lane spent serving messages since the previous refresh.", "lane");
        var queueCapacity = factory.CreateGauge("capacitysim_dcc_lane_queue_capacity", "Messages each processing lane may hold waiting before it refuses more.", "lane");
        var serviceRate = factory.CreateGauge("capacitysim_dcc_lane_service_rate_per_second", "Messages each processing lane serves per second of scenario time when busy.", "lane");
        laneDepth = new Gauge.Child[capacity.LaneCount];
        laneServed = new Counter.Child[capacity.LaneCount];
        laneBusy = new Counter.Child[capacity.LaneCount];
        laneUtilisation = new Gauge.Child[capacity.LaneCount];
        laneBusyAtLast = new double[capacity.LaneCount];
        for (var lane = 0; lane < capacity.LaneCount; lane++)
        {
            var name = capacity.LaneName(lane);
            laneDepth[lane] = depth.WithLabels(name);
            laneServed[lane] = served.WithLabels(name);
            laneBusy[lane] = busy.WithLabels(name);
            laneUtilisation[lane] = utilisation.WithLabels(name);
            queueCapacity.WithLabels(name).Set(capacity.LaneQueueCapacity(lane));
            serviceRate.WithLabels(name).Set(1 / capacity.LaneServiceTime(lane).TotalSeconds);
        }

        deliveryAccepted = factory.CreateCounter("capacitysim_dcc_delivery_accepted_total", "Responses and alerts taken for delivery to users' endpoints.");
        deliveryDelivered = factory.CreateCounter("capacitysim_dcc_delivery_delivered_total", "Messages users' endpoints accepted.");
        deliveryExpired = factory.CreateCounter("capacitysim_dcc_delivery_expired_total", "Messages dropped after their hold on the failed queue expired.");
        deliveryRefused = factory.CreateCounter("capacitysim_dcc_delivery_refused_total", "Messages delivery refused (over its byte cap, or stopping).");
        var pending = factory.CreateGauge("capacitysim_dcc_delivery_pending", "Messages taken for delivery and not yet delivered or expired, by state.", "state");
        pendingQueued = pending.WithLabels("queued");
        pendingRetrying = pending.WithLabels("retrying");
        pendingFailedQueue = pending.WithLabels("failed_queue");
        pendingRedelivering = pending.WithLabels("redelivering");
        deliveryAttempts = factory.CreateCounter("capacitysim_dcc_delivery_attempts_total", "HTTP POSTs made to users' endpoints.");
        deliveryFailedAttempts = factory.CreateCounter("capacitysim_dcc_delivery_failed_attempts_total", "POSTs that failed (refused, timed out, non-2xx); each is retried or queued.");
        deliveryMovedToFailedQueue = factory.CreateCounter("capacitysim_dcc_delivery_moved_to_failed_queue_total", "Times a message went to the failed queue after its retry window.");
        deliveryRedelivered = factory.CreateCounter("capacitysim_dcc_delivery_redelivered_total", "Messages delivered from the failed queue once their endpoint answered again.");
        deliveryHeldBytes = factory.CreateGauge("capacitysim_dcc_delivery_held_bytes", "Bytes of messages pending delivery.");

        alertsRaised = factory.CreateCounter("capacitysim_dcc_alerts_raised_total", "Alerts raised by devices and the DCC, before storm protection.");
        alertsSuppressed = factory.CreateCounter("capacitysim_dcc_alerts_suppressed_total", "Alerts suppressed by alert storm protection.");
        alertMessages = factory.CreateCounter("capacitysim_dcc_alert_messages_total", "Alert messages handed to delivery, one per recipient user (capacitysim_dcc_delivery_delivered_total counts what users' endpoints accepted).");
        var dropped = factory.CreateCounter("capacitysim_dcc_alerts_dropped_total", "Alerts the lanes dropped, by reason (an operator's shed control, or a full queue).", "reason");
        alertsDroppedShed = dropped.WithLabels("shed");
        alertsDroppedOverload = dropped.WithLabels("overload");
        alertsWithoutRecipient = factory.CreateCounter("capacitysim_dcc_alerts_without_recipient_total", "Alerts no user receives (no user holds a role that receives them).");
        smsWakeUps = factory.CreateCounter("capacitysim_dcc_sms_wakeups_total", "SMS wake-ups of SMETS1 communications hubs.");
        alertsGeneratedByRegion = factory.CreateCounter("capacitysim_dcc_alerts_generated_total", "Alerts raised by devices and the DCC, before storm protection, by alert code and CSP region of the device.", "code", "region");
        alertsThrottledByRegion = factory.CreateCounter("capacitysim_dcc_alerts_throttled_total", "Alerts suppressed by alert storm protection, by alert code and CSP region of the device.", "code", "region");
        alertsDeliveredByRegion = factory.CreateCounter("capacitysim_dcc_alerts_delivered_total", "Alerts that passed storm protection and the lanes and were handed to delivery for their recipients (once per alert), by alert code and CSP region of the device.", "code", "region");

        factory.CreateGauge("capacitysim_dcc_estate_devices", "Devices in the estate.").Set(dcc.Estate.Count);
        factory.CreateGauge("capacitysim_dcc_estate_premises", "Premises in the estate.").Set(dcc.Estate.PremisesCount);
        factory.CreateGauge("capacitysim_dcc_estate_bytes", "Memory the estate's tables hold.").Set(dcc.Estate.TotalBytes);
        balanced = factory.CreateGauge("capacitysim_dcc_accounting_balanced", "1 when every request received is accounted for in exactly one place, else 0.");
    }

    /// <summary>The registry holding the metrics (serve it at <c>/metrics</c>).</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The snapshot the metrics were last refreshed from, or null before the first refresh.</summary>
    public DccAccountingSnapshot? LastSnapshot
    {
        get
        {
            lock (gate)
            {
                return last;
            }
        }
    }

    /// <summary>Refreshes the metrics every <paramref name="interval"/> (default one second) of <paramref name="time"/>.</summary>
    public void Start(TimeSpan? interval = null, TimeProvider? time = null)
    {
        var period = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero, nameof(interval));
        lock (gate)
        {
            timer ??= (time ?? TimeProvider.System).CreateTimer(static state => ((DccMetrics)state!).Tick(), this, TimeSpan.Zero, period);
        }
    }

    /// <summary>Takes a snapshot of the DCC and copies it into the metrics now.</summary>
    public DccAccountingSnapshot Update()
    {
        var snapshot = dcc.Snapshot();
        Update(snapshot);
        return snapshot;
    }

    /// <summary>Copies <paramref name="snapshot"/> (and the lanes' current depths) into the metrics.</summary>
    public void Update(DccAccountingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (gate)
        {
            // Counters only move forward: a snapshot older than the last one applied changes nothing.
            received.IncTo(snapshot.Received);
            for (var i = 1; i < Reasons.Length; i++)
            {
                rejected[i].IncTo(snapshot.Validation[Reasons[i]]);
            }

            answeredSynchronously.IncTo(snapshot.AnsweredSynchronously);
            acceptedForDevice.IncTo(snapshot.AcceptedForDevice);
            responses.IncTo(snapshot.Responses);
            var capacity = snapshot.Capacity;
            errorsOverload.IncTo(capacity.RejectedOverload);
            errorsShed.IncTo(capacity.Shed);
            errorsUnreachable.IncTo(capacity.Unreachable);
            timeoutsInQueue.IncTo(capacity.TimedOutInQueue);
            timeoutsNoResponse.IncTo(capacity.TimedOutNoResponse);
            timeoutsLate.IncTo(capacity.TimedOutLate);
            lateSuccesses.IncTo(snapshot.LateDeviceSuccesses);
            inFlightDeferred.Set(capacity.Deferred);
            inFlightInLanes.Set(capacity.InLanes);
            inFlightAtDevice.Set(capacity.AtDevice);
            inProcess.Set(snapshot.InProcess);
            // Utilisation is the busy time the lane added over the scenario time since the previous refresh.
            var scenarioSeconds = last is null ? 0 : (snapshot.At - last.At).TotalSeconds;
            for (var lane = 0; lane < laneDepth.Length; lane++)
            {
                var servedCount = dcc.Capacity.LaneServed(lane);
                var busySeconds = servedCount * dcc.Capacity.LaneServiceTime(lane).TotalSeconds;
                laneDepth[lane].Set(dcc.Capacity.LaneWaiting(lane));
                laneServed[lane].IncTo(servedCount);
                laneBusy[lane].IncTo(busySeconds);
                if (scenarioSeconds > 0 && busySeconds >= laneBusyAtLast[lane])
                {
                    laneUtilisation[lane].Set(Math.Clamp((busySeconds - laneBusyAtLast[lane]) / scenarioSeconds, 0, 1));
                }

                laneBusyAtLast[lane] = Math.Max(laneBusyAtLast[lane], busySeconds);
            }

            var delivery = snapshot.Delivery.Totals;
            deliveryAccepted.IncTo(delivery.Accepted);
            deliveryDelivered.IncTo(delivery.Delivered);
            deliveryExpired.IncTo(delivery.Expired);
            deliveryRefused.IncTo(delivery.Refused);
            pendingQueued.Set(delivery.Queued);
            pendingRetrying.Set(delivery.Retrying);
            pendingFailedQueue.Set(delivery.FailedQueue);
            pendingRedelivering.Set(delivery.Redelivering);
            deliveryAttempts.IncTo(delivery.Attempts);
            deliveryFailedAttempts.IncTo(delivery.FailedAttempts);
            deliveryMovedToFailedQueue.IncTo(delivery.MovedToFailedQueue);
            deliveryRedelivered.IncTo(delivery.Redelivered);
            deliveryHeldBytes.Set(delivery.BytesHeld);

            alertsRaised.IncTo(snapshot.AlertsRaised);
            alertsSuppressed.IncTo(snapshot.AlertStorm.Totals.Suppressed);
            alertMessages.IncTo(snapshot.AlertMessages);
            alertsDroppedShed.IncTo(capacity.AlertsShed);
            alertsDroppedOverload.IncTo(capacity.AlertsRejectedOverload);
            alertsWithoutRecipient.IncTo(snapshot.AlertsWithoutRecipient);
            smsWakeUps.IncTo(snapshot.SmsWakeUps);
            foreach (var row in snapshot.AlertsByCodeAndRegion)
            {
                var code = row.Code.ToString();
                var region = RegionLabelOf(row.Region);
                alertsGeneratedByRegion.WithLabels(code, region).IncTo(row.Generated);
                alertsThrottledByRegion.WithLabels(code, region).IncTo(row.Throttled);
                alertsDeliveredByRegion.WithLabels(code, region).IncTo(row.Delivered);
            }

            balanced.Set(snapshot.IsBalanced ? 1 : 0);
            last = snapshot;
        }
    }

    private void Tick()
    {
        try
        {
            Update();
        }
        catch (ObjectDisposedException)
        {
            // The DCC was disposed while a refresh was due: the metrics keep the last values it reported.
        }
    }

    /// <summary>Stops the refresh timer (the registry keeps the last values).</summary>
    public void Dispose()
    {
        System.Threading.ITimer? stopping;
        lock (gate)
        {
            stopping = timer;
            timer = null;
        }

        stopping?.Dispose();
    }

    /// <summary>The label a validation reason carries: its name in snake case (<c>UnknownDevice</c> → <c>unknown_device</c>).</summary>
    public static string LabelOf(ValidationReason reason)
    {
        var name = reason.ToString();
        var label = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    label.Append('_');
                }

                label.Append(char.ToLowerInvariant(c));
            }
            else
            {
                label.Append(c);
            }
        }

        return label.ToString();
    }

    /// <summary>The label a CSP region carries: <c>north</c>, <c>central</c>, <c>south</c>, or <c>unknown</c> when the estate gives none.</summary>
    public static string RegionLabelOf(CspRegion region) => region switch
    {
        CspRegion.North => "north",
        CspRegion.Central => "central",
        CspRegion.South => "south",
        _ => "unknown",
    };

    /// <summary>The code label of a refusal: the DUIS response code, or <c>http400</c> when the body was not DUIS.</summary>
    public static string CodeLabelOf(ValidationReason reason)
        => DccErrorCodes.IsHttpBadRequest(reason) ? "http400" : DccErrorCodes.For(reason).ToString();
}
