using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Capacity;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Writing;

namespace CapacitySim.Dcc.Simulation;

public sealed partial class SimulatedDcc
{
    // An alert's token carries what the lanes need not know: storm protection's report (16 bits each of count and
    // sequence, saturated) and, for DCC alerts, when the outage began (seconds since the scenario start).
    private static long PackToken(in AlertStormDecision decision, uint sinceSeconds)
    {
        var count = Math.Min(decision.ThrottledAlertCount ?? 0, ushort.MaxValue);
        var sequence = Math.Min(decision.ThrottledAlertSequenceId ?? 0, ushort.MaxValue);
        return ((long)sinceSeconds << 32) | ((long)sequence << 16) | count;
    }

    private async Task PumpAlertsAsync(CancellationToken cancellationToken)
    {
        var batch = new DeviceEvent[1024];
        using var timer = new PeriodicTimer(options.AlertPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = clock.GetUtcNow();
                int n;
                do
                {
                    n = Events.Drain(now, batch);
                    for (var i = 0; i < n; i++)
                    {
                        Raise(in batch[i]);
                    }
                }
                while (n == batch.Length);

                AlertStorm.Sweep();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void CountAlert(AlertCodeKey code, CspRegion region, bool deliver)
    {
        AlertsByRegion.Count(code, region, AlertStage.Generated);
        if (!deliver)
        {
            AlertsByRegion.Count(code, region, AlertStage.Throttled);
        }
    }

    /// <summary>One event of the estate: alerts go through storm protection and the lanes; the rest change state.</summary>
    internal void Raise(in DeviceEvent e)
    {
        var device = Estate.Get(e.Device);
        switch (e.Kind)
        {
            case DeviceEventKind.DeviceAlert:
            {
                Interlocked.Increment(ref alertsRaised);
                var decision = AlertStorm.Evaluate(device.Eui, e.AlertCode);
                CountAlert(AlertCodeKey.FromDevice(e.AlertCode), device.Region, decision.Deliver);
                if (decision.Deliver)
                {
                    Capacity.SubmitAlert(new DccAlert(device, e.AlertCode, default, PackToken(decision, 0)));
                }

                break;
            }

            case DeviceEventKind.DccAlert:
            {
                Interlocked.Increment(ref alertsRaised);
                var decision = AlertStorm.Evaluate(device.Eui, e.DccAlertCode);
                CountAlert(AlertCodeKey.FromDcc(e.DccAlertCode), device.Region, decision.Deliver);
                if (decision.Deliver)
                {
                    var since = (uint)Math.Clamp((e.Since - ScenarioStart).TotalSeconds, 0, uint.MaxValue);
                    Capacity.SubmitAlert(new DccAlert(device, default, e.DccAlertCode, PackToken(decision, since)));
                }

                break;
            }

            case DeviceEventKind.HanLeave:
                Estate.State.SetJoinedToHan(e.Device, false);
                break;
            case DeviceEventKind.HanJoin:
                Estate.State.SetJoinedToHan(e.Device, true);
                break;
            case DeviceEventKind.FirmwareChange:
                if (e.Firmware < Estate.Firmware.Count)
                {
                    Estate.SetFirmware(e.Device, e.Firmware);
                }

                break;
            default:
                break;
        }
    }

    /// <summary>Writes an alert that left the lanes for each user who receives it, and hands it to delivery.</summary>
    private void DeliverAlert(in DccAlert alert, DateTimeOffset at)
    {
        // Device alerts go to the device's supplier; the DCC's power outage alerts also go to the network operator.
        var gas = alert.Device.Type is DeviceType.GasMeter or DeviceType.GasProxy;
        var supplier = gas ? gasSupplier : electricitySupplier;
        var delivered = false;
        if (supplier >= 0)
        {
            WriteAndHandAlert(in alert, at, supplier);
            delivered = true;
        }

        if (alert.IsDccAlert && networkOperator >= 0 && networkOperator != supplier)
        {
            WriteAndHandAlert(in alert, at, networkOperator);
            delivered = true;
        }

        if (delivered)
        {
            AlertsByRegion.Count(alert.IsDccAlert ? AlertCodeKey.FromDcc(alert.DccCode) : AlertCodeKey.FromDevice(alert.Code), alert.Device.Region, AlertStage.Delivered);
        }
        else
        {
            Interlocked.Increment(ref alertsWithoutRecipient);
        }

        Interlocked.Increment(ref alertsHandled);
    }

    private void WriteAndHandAlert(in DccAlert alert, DateTimeOffset at, int userIndex)
    {
        var worker = workers.Value!;
        var unsigned = worker.Begin();
        var user = Users[userIndex];
        var counter = (ulong)Interlocked.Increment(ref responseCounter);
        var count = (uint)(alert.Token & 0xFFFF);
        var sequence = (uint)((alert.Token >> 16) & 0xFFFF);
        uint? throttledCount = count == 0 ? null : count;
        uint? throttledSequence = count == 0 ? null : sequence;
        if (alert.IsDccAlert)
        {
            var dccEui = RequestBodies.DccTarget;
            var header = new ResponseHeaderFields(null, new ResponseId(dccEui, user.Eui, counter), ResponseCode.Success, at);
            var since = ScenarioStart.AddSeconds((ulong)alert.Token >> 32);
            // MPxN: a plausible 13-digit MPAN derived from the premises.
            var body = DccAlertBody.PowerOutageEvent(alert.Device.Eui, since, 1_000_000_000_000UL + (ulong)alert.Device.Premises);
            worker.Writer.WriteDccAlert(header, alert.DccCode, throttledSequence, throttledCount, body, worker.Smets1Signer, unsigned);
            Hand(userEndpoints[userIndex], new DeliveryMessageInfo(DeliveryKind.DccAlert, null, header.ResponseId), worker.Finish());
        }
        else
        {
            var header = new ResponseHeaderFields(null, new ResponseId(alert.Device.Eui, user.Eui, counter), ResponseCode.Success, at);
            IllustrativeGbcsPayload.Write(worker.Payload, counter, alert.Device.Eui, user.Eui, at, alert.Code.Value);
            worker.Writer.WriteDeviceAlert(header, alert.Code, throttledSequence, throttledCount, worker.Payload, unsigned);
            Hand(userEndpoints[userIndex], new DeliveryMessageInfo(DeliveryKind.DeviceAlert, null, header.ResponseId), worker.Finish());
        }

        Interlocked.Increment(ref alertMessages);
    }
}
