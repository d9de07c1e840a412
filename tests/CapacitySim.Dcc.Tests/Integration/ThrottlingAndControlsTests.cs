using System.Text;
using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Capacity;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Signing;
using Microsoft.Extensions.Time.Testing;
using static CapacitySim.Dcc.Tests.Integration.Integration;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>Alert storm protection, the operator's shed control and the DCC's deadline, end to end to the user's endpoint.</summary>
public class ThrottlingAndControlsTests
{
    private static readonly DeviceAlertCode Noisy = new(0x8F01);
    private static readonly DeviceAlertCode Other = new(0x8F84);

    /// <summary>
    /// Fake time, driven by the test: alerts beyond the threshold in the window are suppressed; the first alert after
    /// the window carries how many were; switched off, every alert passes.
    /// </summary>
    [Fact]
    public async Task Alerts_beyond_the_threshold_are_suppressed_and_the_next_one_reports_how_many()
    {
        var clock = new FakeTimeProvider(ScenarioStart);
        var storm = new AlertStormOptions { DefaultRule = new AlertThrottleRule(TimeSpan.FromHours(1), 5) };
        await using var endpoint = await UserEndpoint.StartAsync();
        var estate = Estate();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address, clock: clock, estate: estate, alertStorm: storm), endpoint);
        var meter = estate.Get(estate.IndexOf(ReferencePremises.ElectricityMeter));

        for (var i = 0; i < 8; i++)
        {
            rig.Dcc.Raise(Alert(meter, Noisy, clock));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await WaitForAlertsAsync(endpoint, clock, 5);
        Assert.Equal(5, first.Length);
        Assert.All(first, m => Assert.False(m.Header.HasThrottledAlertCount));
        Assert.Equal(3, rig.Dcc.AlertStorm.Snapshot().Totals.Suppressed);

        // The window passes; the next alert of the same device and code reports the three suppressed.
        clock.Advance(TimeSpan.FromHours(1));
        rig.Dcc.Raise(Alert(meter, Noisy, clock));
        clock.Advance(TimeSpan.FromSeconds(1));
        var all = await WaitForAlertsAsync(endpoint, clock, 6);
        var report = Assert.Single(all, m => m.Header.HasThrottledAlertCount);
        Assert.Equal(3u, report.Header.ThrottledAlertCount);
        Assert.True(report.Header.HasThrottledAlertSequenceId);
        Assert.Equal(Noisy, report.Header.DeviceAlertCode);
        AssertSignedByDcc(report.Body);

        // Switched off: every alert passes.
        rig.Dcc.AlertStorm.Enabled = false;
        for (var i = 0; i < 8; i++)
        {
            rig.Dcc.Raise(Alert(meter, Other, clock));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var after = await WaitForAlertsAsync(endpoint, clock, 14);
        Assert.Equal(8, after.Count(m => m.Header.DeviceAlertCode == Other));
        Assert.Equal(3, rig.Dcc.AlertStorm.Snapshot().Totals.Suppressed);
        Assert.Equal(14, after.Length);
    }

    /// <summary>An operator sheds on-demand reads: reads get the shed code at the user's endpoint, other requests carry on.</summary>
    [Fact]
    public async Task Shedding_on_demand_reads_answers_them_with_the_shed_code_and_leaves_other_traffic()
    {
        await using var endpoint = await UserEndpoint.StartAsync();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address), endpoint);
        var control = rig.Dcc.Capacity.Shed(TrafficSelector.OnDemandReads, "CSP North degraded by on-demand reads");
        ulong counter = 10;

        var reads = new List<RequestId>();
        var others = new List<RequestId>();
        foreach (var name in (string[])["ECS17e_4.1.3_SUCCESS_REQUEST_DUIS.XML", "GCS60_4.18_SUCCESS_REQUEST_DUIS.XML", "CCS07_8.9_SUCCESS_REQUEST_DUIS.XML"])
        {
            reads.Add(await SendSampleAsync(rig, name, ++counter));
        }

        // Not reads: a top-up and an alert configuration, sent on demand.
        foreach (var name in (string[])["CS01b_2.2_SUCCESS_REQUEST_DUIS.XML", "ECS25a1_6.22_SUCCESS_REQUEST_DUIS.XML"])
        {
            others.Add(await SendSampleAsync(rig, name, ++counter));
        }

        Assert.True(rig.Dcc.Capacity.Lift(control));
        var afterLift = await SendSampleAsync(rig, "ECS17e_4.1.3_SUCCESS_REQUEST_DUIS.XML", ++counter);

        await endpoint.WaitForAsync(r => r.Count >= 6);
        var end = await rig.DrainAsync();
        Assert.All(reads, id => Assert.Equal(ResponseCodes.CannotCommunicateWithDevice, Assert.Single(For(endpoint.Received, id)).Header.ResponseCode));
        Assert.All(others, id => Assert.Equal(ResponseCodes.Success, Assert.Single(For(endpoint.Received, id)).Header.ResponseCode));
        Assert.Equal(ResponseCodes.Success, Assert.Single(For(endpoint.Received, afterLift)).Header.ResponseCode);
        Assert.Equal(3, control.Affected);
        Assert.Equal(3, end.Capacity.Shed);
        Assert.Contains(rig.Dcc.Capacity.AuditLog, e => e.Control == control && e.SwitchedOn);
        Assert.Contains(rig.Dcc.Capacity.AuditLog, e => e.Control == control && !e.SwitchedOn && e.Affected == 3);
        Assert.Equal(6, endpoint.Received.Count);
        Assert.True(end.IsBalanced, end.ToString());
    }

    /// <summary>
    /// The device answers after the DCC's 30 s deadline: the user is told E21, yet the device carried out the request
    /// (the supply is disabled), and the DCC counts the late success.
    /// </summary>
    [Fact]
    public async Task Device_answer_after_the_deadline_gives_the_user_E21_and_counts_a_late_success()
    {
        var slow = BehaviourConfig.Parse("""
            defaults:
              latency:
                smets2:
                  north:   { percentiles: { 0: 40s, 100: 45s } }
                  central: { percentiles: { 0: 40s, 100: 45s } }
                  south:   { percentiles: { 0: 40s, 100: 45s } }
                smets1:
                  default: { percentiles: { 0: 40s, 100: 45s } }
              noResponse: 0
            """, "answers-after-the-deadline");
        await using var endpoint = await UserEndpoint.StartAsync();
        var estate = Estate();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address, behaviour: slow, estate: estate), endpoint);
        var meter = estate.IndexOf(ReferencePremises.ElectricityMeter);
        estate.State.SetSupplyStatus(meter, SupplyStatus.Enabled);

        // 7.2 Disable Supply is critical: Transform, then the signed pre-command.
        var srv = ServiceReferenceVariant.Parse("7.2");
        var transform = await rig.PostAsync(Sign(RequestBodies.BuildRequest(srv, new RequestId(Supplier, ReferencePremises.ElectricityMeter, 1), CommandVariant.CriticalTransform), Supplier));
        var payload = DuisSignatureVerifier.LoadDocument(transform.Body).GetElementsByTagName("GBCSPayload", DuisNamespaces.ServiceUserGateway)[0]!.InnerText;
        var id = new RequestId(Supplier, ReferencePremises.ElectricityMeter, 2);
        var send = await rig.PostAsync(Sign(SignedPreCommand(srv, id, payload), Supplier));
        Assert.Equal(ResponseCodes.Acknowledged, send.Header.ResponseCode);

        await endpoint.WaitForAsync(r => For(r, id).Length > 0);
        var late = await WaitAsync(() => rig.Dcc.Snapshot(), s => s.LateDeviceSuccesses > 0);
        var end = await rig.DrainAsync();

        Assert.Equal(ResponseCodes.NoResponseFromDevice, Assert.Single(For(endpoint.Received, id)).Header.ResponseCode);
        Assert.True(late.LateDeviceSuccesses == 1, $"{late} / {late.Capacity} awaiting {late.Capacity.AwaitingLateAnswer} late {late.Capacity.TimedOutLate} noresp {late.Capacity.TimedOutNoResponse} queue {late.Capacity.TimedOutInQueue}");
        Assert.Equal(1, end.TimedOut);
        Assert.Equal(0, end.Responses);
        Assert.Equal(1, end.Capacity.LateDeviceSuccesses);
        Assert.Equal(SupplyStatus.Disabled, estate.State.GetSupplyStatus(meter));
        Assert.Single(endpoint.Received);
        Assert.True(end.IsBalanced, end.ToString());
    }

    internal static byte[] SignedPreCommand(ServiceReferenceVariant srv, RequestId id, string base64Payload)
        => Encoding.UTF8.GetBytes(new StringBuilder()
            .Append("<sr:Request xmlns:sr=\"").Append(DuisNamespaces.ServiceUserGateway).Append("\" schemaVersion=\"").Append(DuisNamespaces.SchemaVersion)
            .Append("\"><sr:Header><sr:RequestID>").Append(id.ToString()).Append("</sr:RequestID><sr:CommandVariant>5</sr:CommandVariant><sr:ServiceReference>")
            .Append(srv.ServiceReference.ToString()).Append("</sr:ServiceReference><sr:ServiceReferenceVariant>").Append(srv.ToString())
            .Append("</sr:ServiceReferenceVariant></sr:Header><sr:Body><sr:SignedPreCommand><sr:GBCSPayload>").Append(base64Payload)
            .Append("</sr:GBCSPayload></sr:SignedPreCommand></sr:Body></sr:Request>")
            .ToString());

    private static DeviceEvent Alert(in DeviceRecord device, DeviceAlertCode code, TimeProvider clock)
        => new(clock.GetUtcNow(), DeviceEventKind.DeviceAlert, device.Index, device.Premises, code, default, 0, default);

    private static async Task<RequestId> SendSampleAsync(DccRig rig, string name, ulong counter)
    {
        var template = Duis.Templates.RequestTemplate.CompileFile(Path.Combine(Duis.Tests.Support.SharedDuis.RequestSamples, name));
        var id = template.OriginalRequestId with { Counter = counter };
        var answer = await rig.PostAsync(Sign(RenderSample(name, id), id.Originator));
        Assert.True(answer.Header.ResponseCode == ResponseCodes.Acknowledged, $"{name}: {Encoding.UTF8.GetString(answer.Body)}");
        return id;
    }

    /// <summary>Moves fake time on (the lanes run on it) until the endpoint holds <paramref name="count"/> device alerts.</summary>
    private static async Task<ReceivedMessage[]> WaitForAlertsAsync(UserEndpoint endpoint, FakeTimeProvider clock, int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var alerts = endpoint.Received.Where(m => m.Header.BodyKind == DuisBodyKind.DeviceAlertMessage).ToArray();
            if (alerts.Length >= count || DateTime.UtcNow >= until)
            {
                return alerts;
            }

            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }
    }

    private static async Task<T> WaitAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var value = read();
            if (done(value) || DateTime.UtcNow >= until)
            {
                return value;
            }

            await Task.Delay(10);
        }
    }
}
