using System.Collections.Concurrent;
using CapacitySim.Dcc.Capacity;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using static CapacitySim.Dcc.Tests.Integration.Integration;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>
/// A run of a few hundred requests with failures injected (devices that never answer, a shed class of traffic, invalid
/// requests): the DCC's accounting identity holds while it runs and at the end, and every request it accepted ends
/// in exactly one message at the user's endpoint.
/// </summary>
public class AccountingUnderFailureTests
{
    private const string FailingDmc = "S2-ELEC-AclaraSGM1414";
    private const int PerSender = 110;

    private static readonly ServiceReferenceVariant Read = ServiceReferenceVariant.Parse("4.1.1");
    private static readonly ServiceReferenceVariant Balance = ServiceReferenceVariant.Parse("4.18");
    private static readonly ServiceReferenceVariant WanMatrix = ServiceReferenceVariant.Parse("12.1");

    [Fact]
    public async Task Every_accepted_request_ends_in_exactly_one_message_and_the_books_balance_throughout()
    {
        var behaviour = BehaviourConfig.Parse(PromptDevicesYaml + $$"""

            dmcs:
              {{FailingDmc}}:
                noResponse: 1
            """, "one-dmc-never-answers");
        var estate = Estate(300);
        await using var endpoint = await UserEndpoint.StartAsync();

        // ×100: device answers take 10 to 110 ms of real time, the 30 s deadline 300 ms, so requests overlap in the lanes.
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address, clock: Clock(100), behaviour: behaviour, estate: estate), endpoint);
        var shed = rig.Dcc.Capacity.Shed(TrafficSelector.ForServiceVariant(Balance), "balance reads shed under overload");

        var failing = (ushort)estate.FindDmc(FailingDmc);
        var electricity = Devices(estate, DeviceType.ElectricityMeter, 12);
        var gas = Devices(estate, DeviceType.GasMeter, 6);
        Assert.Contains(electricity, d => d.Dmc == failing);
        Assert.Contains(electricity, d => d.Dmc != failing);
        Assert.Contains(gas, d => d.Generation == DeviceGeneration.Smets1);

        var accepted = new ConcurrentDictionary<RequestId, ResponseCode>();
        var rejected = new ConcurrentBag<RequestId>();
        var unbalanced = new ConcurrentBag<string>();
        var snapshots = 0;
        using var sending = new CancellationTokenSource();

        // Mid-run snapshots, taken while the senders and the lanes work.
        var watcher = Task.Run(async () =>
        {
            while (!sending.IsCancellationRequested)
            {
                var s = rig.Dcc.Snapshot();
                Interlocked.Increment(ref snapshots);
                if (!s.IsBalanced)
                {
                    unbalanced.Add(s.ToString());
                }

                await Task.Delay(5);
            }
        });

        // Three users send at once, each with its own rising counter (the replay check is per originator).
        var senders = new[] { Supplier, NetworkOperator, Eui64.Parse("90-B3-D5-1F-30-03-00-00") }.Select(user => Task.Run(async () =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                var (srv, target, expected) = Pick(user, i, electricity, gas, failing);
                var id = new RequestId(user, target, (ulong)(1000 + i));
                var answer = await rig.PostAsync(Sign(RequestBodies.BuildRequest(srv, id), user));
                Assert.Equal(200, answer.Status);
                var code = answer.Header.ResponseCode;
                if (code == ResponseCodes.Acknowledged && srv != WanMatrix)
                {
                    accepted[id] = expected;
                }
                else
                {
                    rejected.Add(id);
                }
            }
        })).ToArray();

        await Task.WhenAll(senders);
        await sending.CancelAsync();
        await watcher;
        var received = await endpoint.WaitForAsync(r => r.Count >= accepted.Count, TimeSpan.FromSeconds(10));
        var end = await rig.DrainAsync();

        Assert.True(unbalanced.IsEmpty, string.Join("\n", unbalanced));
        Assert.True(snapshots >= 3, $"{snapshots} snapshots");
        Assert.True(end.IsBalanced, end.ToString());
        Assert.Equal(3 * PerSender, end.Received);
        Assert.Equal(accepted.Count, end.AcceptedForDevice);
        Assert.Equal(end.AcceptedForDevice, end.Responses + end.Errors + end.TimedOut);
        Assert.Equal(0, end.Capacity.InFlight);
        Assert.Equal(end.AcceptedForDevice, end.Delivery.Totals.Delivered);
        Assert.Equal(0, end.Delivery.Totals.Pending);
        Assert.Equal(0, end.DeliveryRefused);

        // Each accepted request: exactly one message, with the code its failure implies; nothing for the others.
        var byRequest = endpoint.Received.GroupBy(m => m.Header.RequestId).ToDictionary(g => g.Key, g => g.ToArray());
        foreach (var (id, expected) in accepted)
        {
            Assert.True(byRequest.TryGetValue(id, out var messages), $"no response for {id}");
            var message = Assert.Single(messages);
            Assert.True(expected == message.Header.ResponseCode, $"{id}: expected {expected}, got {message.Header.ResponseCode}");
        }

        Assert.Equal(accepted.Count, byRequest.Count);
        Assert.DoesNotContain(rejected, byRequest.ContainsKey);

        // Every kind of ending happened, and the counts agree with what the user received.
        var codes = endpoint.Received.Select(m => m.Header.ResponseCode).ToArray();
        Assert.Equal(end.Responses, codes.Count(c => c == ResponseCodes.Success));
        Assert.Equal(end.TimedOut, codes.Count(c => c == ResponseCodes.NoResponseFromDevice));
        Assert.Equal(end.Errors, codes.Count(c => c == ResponseCodes.CannotCommunicateWithDevice));
        Assert.True(end.Responses > 0 && end.TimedOut > 0 && end.Errors > 0, end.ToString());
        Assert.Equal(shed.Affected, end.Capacity.Shed);
        Assert.True(end.RejectedSynchronously > 0 && end.AnsweredSynchronously > 0, end.ToString());
        Assert.Equal(received.Count, accepted.Count);
    }

    /// <summary>
    /// The i-th request of a user and the asynchronous code it should end with: reads of meters (some of a DMC that never
    /// answers), balance reads (shed), a non-device request, and requests validation refuses (unknown device, a PPMID).
    /// The network operator reads electricity registers only (its roles allow nothing else here).
    /// </summary>
    private static (ServiceReferenceVariant Srv, Eui64 Target, ResponseCode Expected) Pick(Eui64 user, int i, DeviceRecord[] electricity, DeviceRecord[] gas, ushort failing)
    {
        var esme = electricity[i % electricity.Length];
        var expectedRead = esme.Dmc == failing ? ResponseCodes.NoResponseFromDevice : ResponseCodes.Success;
        if (user == NetworkOperator)
        {
            return i % 9 == 4 ? (Read, Eui64.Parse("00-DB-12-34-56-78-90-FF"), default) : (Read, esme.Eui, expectedRead);
        }

        return (i % 10) switch
        {
            0 or 1 => (Balance, esme.Eui, ResponseCodes.CannotCommunicateWithDevice),
            2 => (Read, gas[i % gas.Length].Eui, ResponseCodes.Success),
            3 => (WanMatrix, RequestBodies.DccTarget, default),
            4 => (Read, Eui64.Parse("00-DB-12-34-56-78-90-FF"), default),
            5 => (Read, ReferencePremises.Ppmid, default),
            _ => (Read, esme.Eui, expectedRead),
        };
    }

    /// <summary>Commissioned devices of a type, SMETS1 and SMETS2, spread over the estate.</summary>
    private static DeviceRecord[] Devices(Population estate, DeviceType type, int count)
    {
        var found = new List<DeviceRecord>();
        for (var i = 0; i < estate.Count && found.Count < count; i += 7)
        {
            var d = estate.Get(i);
            if (d.Type == type && d.Status == DeviceStatus.Commissioned)
            {
                found.Add(d);
            }
        }

        return [.. found];
    }
}
