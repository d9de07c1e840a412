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
    /// <summary>Each device's answer, drawn from its behaviour (deterministic per seed and draw).</summary>
    private sealed class Responder(SimulatedDcc dcc) : IDeviceResponder
    {
        public DeviceReply Respond(in DeviceRecord device, ServiceReferenceVariant srv)
        {
            var draw = Interlocked.Increment(ref dcc.drawCounter);
            var response = dcc.deviceBehaviour.Draw(device, srv, (ulong)draw, dcc.clock.GetUtcNow());
            if (response.SmsWakeUps > 0)
            {
                Interlocked.Add(ref dcc.smsWakeUps, response.SmsWakeUps);
            }

            // No response, a failed join and a premises without supply all leave the DCC waiting until its deadline.
            return response.Outcome == DeviceOutcome.Responds ? DeviceReply.Success(response.Latency, draw) : DeviceReply.None;
        }

        public void OnDeviceAnswered(in DeviceRecord device, ServiceReferenceVariant srv, in DeviceReply reply, bool afterDccFailure)
        {
            if (!dcc.effects.TryGetValue(srv.Key, out var effect))
            {
                return;
            }

            var state = dcc.Estate.State;
            switch (effect)
            {
                case ServiceEffect.EnableSupply:
                    state.SetSupplyStatus(device.Index, SupplyStatus.Enabled);
                    break;
                case ServiceEffect.DisableSupply:
                    state.SetSupplyStatus(device.Index, SupplyStatus.Disabled);
                    break;
                case ServiceEffect.ArmSupply:
                    state.SetSupplyStatus(device.Index, SupplyStatus.Armed);
                    break;
                case ServiceEffect.TopUp:
                    // A typical top-up of £10.
                    state.AddCreditPence(device.Index, 1000);
                    break;
                case ServiceEffect.ReplaceCredentials:
                    state.ReplaceCredentials(device.Index);
                    break;
                case ServiceEffect.JoinHan:
                    state.SetJoinedToHan(device.Index, true);
                    break;
                case ServiceEffect.LeaveHan:
                    state.SetJoinedToHan(device.Index, false);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The lanes' outcomes, written as DUIS messages and handed to delivery. Called one at a time.</summary>
    private sealed class Outcomes(SimulatedDcc dcc) : IDccOutcomeSink
    {
        public void OnResponse(in DccRequest request, in DeviceReply reply, in DccTimes times)
        {
            dcc.DeliverResponse(in request, ResponseCode.Success, times.Completed, success: true);
            Interlocked.Increment(ref dcc.responses);
        }

        public void OnError(in DccRequest request, ResponseCode code, DccFailureReason reason, in DccTimes times)
        {
            dcc.DeliverResponse(in request, code, times.Completed, success: false);
            Interlocked.Increment(ref dcc.asyncErrors);
        }

        public void OnTimeout(in DccRequest request, ResponseCode code, DccFailureReason reason, in DccTimes times)
        {
            dcc.DeliverResponse(in request, code, times.Completed, success: false);
            Interlocked.Increment(ref dcc.timedOut);
        }

        public void OnLateDeviceAnswer(in DccRequest request, in DeviceReply reply, in DccTimes times)
            => Interlocked.Increment(ref dcc.lateSuccesses);

        public void OnAlert(in DccAlert alert, in DccTimes times) => dcc.DeliverAlert(in alert, times.Completed);

        public void OnAlertDropped(in DccAlert alert, DccFailureReason reason, in DccTimes times)
        {
            // Counted by the lanes (shed or overload); no user is told of an alert the DCC dropped.
        }
    }

    private void DeliverResponse(in DccRequest request, ResponseCode code, DateTimeOffset at, bool success)
    {
        var worker = workers.Value!;
        var unsigned = worker.Begin();
        var user = Users[request.User];
        var device = request.Device;
        var id = request.Id;
        var header = new ResponseHeaderFields(id, new ResponseId(device.Eui, user.Eui, id.Counter), code, at);
        if (!success)
        {
            worker.Writer.WriteResponse(header, request.Srv, default, unsigned);
        }
        else if (device.Generation == DeviceGeneration.Smets1)
        {
            var inner = new Smets1ResponseFields(device.Eui, user.Eui, id.Counter, Smets1Data(in device, request.Srv, at))
            {
                Timestamp = at,
                ClockStatus = Smets1ClockStatus.Reliable,
            };
            worker.Writer.WriteSmets1Response(header, request.Srv, inner, worker.Smets1Signer, unsigned);
        }
        else
        {
            var value = Estate.State.HasRegisters(device.Index) ? Estate.State.ReadImportRegisterWh(device.Index, at) : 0;
            IllustrativeGbcsPayload.Write(worker.Payload, id.Counter, device.Eui, user.Eui, at, value);
            worker.Writer.WriteResponse(header, request.Srv, worker.Payload, unsigned);
        }

        Hand(userEndpoints[request.User], new DeliveryMessageInfo(DeliveryKind.Response, id, header.ResponseId), worker.Finish());
    }

    private Smets1ResponseData Smets1Data(in DeviceRecord device, ServiceReferenceVariant srv, DateTimeOffset at)
    {
        var state = Estate.State;
        if (srv.Major == 4 && srv.Minor == 1 && state.HasRegisters(device.Index))
        {
            var wh = state.ReadImportRegisterWh(device.Index, at);
            // Gas registers are kept in Wh of energy; a gas meter reports volume (about 11.2 kWh per m³).
            return device.Type is DeviceType.GasMeter or DeviceType.GasProxy
                ? Smets1ResponseData.GasImportRegisters(Math.Round(wh / 11_200m, 3))
                : Smets1ResponseData.ElectricityImportRegisters(wh);
        }

        if (srv.Major == 4 && srv.Minor == 18)
        {
            return Smets1ResponseData.MeterBalance(state.GetCreditBalancePence(device.Index));
        }

        return Smets1ResponseData.None;
    }

    private void Hand(Uri endpoint, in DeliveryMessageInfo info, ReadOnlySpan<byte> message)
    {
        if (Delivery.Accept(endpoint, info, message) != DeliveryAcceptResult.Accepted)
        {
            Interlocked.Increment(ref deliveryRefused);
        }
    }
}
