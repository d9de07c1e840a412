using CapacitySim.Dcc.Capacity;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Dcc.Tests.Capacity;

/// <summary>
/// The DCC's lane and deadline rules driven on virtual time, as the capacity model will drive them: every figure is
/// worked out by hand from the lane's service rate, its queue bound, the device latency and the deadline.
/// </summary>
public class VirtualTimeLaneTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void A_four_per_second_lane_with_a_queue_of_three_serves_every_quarter_second_and_refuses_past_its_bound()
    {
        var time = new VirtualTimeScheduler(Traffic.Start);
        var sink = new RecordingSink();
        using var model = new DccCapacityModel(Traffic.OneLane(4, 3), ScriptedResponder.Fixed(DeviceReply.Success(Seconds(0.5))), sink, time);

        // Six at once: one in service and three waiting fill the lane; #5 and #6 are refused at once with E20.
        var admissions = Enumerable.Range(1, 6).Select(i => model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters))).ToList();
        Assert.Equal(new[] { DccAdmission.Queued, DccAdmission.Queued, DccAdmission.Queued, DccAdmission.Queued, DccAdmission.RejectedOverload, DccAdmission.RejectedOverload }, admissions);
        Assert.Equal(Traffic.Start + Seconds(0.25), time.NextWake);

        // At 0.3 s #1 has left (0.25 s), #2 is in service and two wait: one more fits, the next does not.
        time.Advance(Seconds(0.3));
        Assert.Equal(2, model.LaneWaiting(0));
        Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request(7, Traffic.ReadRegisters)));
        Assert.Equal(DccAdmission.RejectedOverload, model.Submit(Traffic.Request(8, Traffic.ReadRegisters)));

        // The last device answer: #7 leaves the lane after #4 (1.0 s) at 1.25 s and its device answers 0.5 s later.
        Assert.Equal(Traffic.Start + Seconds(1.75), time.RunUntilIdle());

        var errors = sink.Of("error").ToList();
        Assert.Equal(new ulong[] { 5, 6, 8 }, errors.Select(e => e.Request.Id.Counter));
        Assert.All(errors, e => Assert.Equal(ResponseCode.Parse("E20"), e.Code));
        Assert.Equal(new[] { Traffic.Start, Traffic.Start, Traffic.Start + Seconds(0.3) }, errors.Select(e => e.Times.Completed));

        var responses = sink.Of("response").ToDictionary(r => r.Request.Id.Counter);
        Assert.Equal(5, responses.Count);
        for (var k = 1; k <= 4; k++)
        {
            // The k-th waits for k service times of 0.25 s, its own included.
            var r = responses[(ulong)k];
            Assert.Equal(Seconds(0.25 * k), r.Times.LaneDelay);
            Assert.Equal(Traffic.Start + Seconds((0.25 * k) + 0.5), r.Times.Completed);
        }

        var late = responses[7];
        Assert.Equal(Traffic.Start + Seconds(0.3), late.Times.EnteredLane);
        Assert.Equal(Seconds(0.95), late.Times.LaneDelay);

        var end = model.Snapshot();
        Assert.Equal((8L, 5L, 3L, 0L), (end.Accepted, end.Completed, end.RejectedOverload, end.InFlight));
        Assert.True(end.IsBalanced, end.ToString());
        Assert.Null(time.NextWake);
    }

    [Fact]
    public void Deadlines_give_E21_to_on_demand_and_E30_to_future_dated_gas_requests_exactly_at_the_deadline()
    {
        var time = new VirtualTimeScheduler(Traffic.Start);
        var sink = new RecordingSink();
        var responder = new ScriptedResponder((d, _) => d.Index == 3 ? DeviceReply.Success(Seconds(40)) : DeviceReply.None);
        var options = Traffic.OneLane(1000, 10);
        options.OnDemandDeadline = Seconds(30);
        options.FutureDatedGasDeadline = Seconds(60);
        using var model = new DccCapacityModel(options, responder, sink, time);

        // #1 never answers; #2 is a future-dated update to a gas meter that never answers; #3 answers after 40 s.
        model.Submit(Traffic.Request(1, Traffic.ReadRegisters));
        model.Submit(Traffic.Request(2, Traffic.UpdateTariff, DccTrafficClass.FutureDated, Traffic.Device(2, DeviceType.GasMeter)));
        model.Submit(Traffic.Request(3, Traffic.UpdateCredentials));

        // Every request joined the lane at 0, so the deadlines fall at 30 s and 60 s and not one tick earlier.
        time.AdvanceTo(Traffic.Start + Seconds(30) - Tick);
        Assert.Empty(sink.Of("timeout"));

        time.Advance(Tick);
        var at30 = sink.Of("timeout").ToList();
        Assert.Equal(new ulong[] { 1, 3 }, at30.Select(e => e.Request.Id.Counter));
        Assert.All(at30, e => Assert.Equal(ResponseCode.Parse("E21"), e.Code));
        Assert.All(at30, e => Assert.Equal(Traffic.Start + Seconds(30), e.Times.Completed));
        Assert.Equal(new[] { DccFailureReason.NoResponse, DccFailureReason.DeviceLate }, at30.Select(e => e.Reason));

        time.AdvanceTo(Traffic.Start + Seconds(60) - Tick);
        Assert.Equal(2, sink.Of("timeout").Count());

        time.Advance(Tick);
        var gas = sink.Of("timeout").Last();
        Assert.Equal((2UL, ResponseCode.Parse("E30"), DccFailureReason.NoResponse), (gas.Request.Id.Counter, gas.Code, gas.Reason));
        Assert.Equal(Traffic.Start + Seconds(60), gas.Times.Completed);

        // #3 left the lane third, after 3 ms of 1 ms service times, so its late answer came at 40.003 s.
        var late = Assert.Single(sink.Of("late"));
        Assert.Equal(Traffic.Start + Seconds(40.003), late.Times.Completed);
        Assert.True(Assert.Single(responder.Answers).AfterDccFailure);
        Assert.Empty(sink.Of("response"));
        var end = model.Snapshot();
        Assert.Equal((3L, 2L, 1L, 1L), (end.TimedOut, end.TimedOutNoResponse, end.TimedOutLate, end.LateDeviceSuccesses));
        Assert.True(end.IsBalanced, end.ToString());
    }

    [Fact]
    public void A_shed_control_refuses_only_its_class_from_the_instant_it_is_switched_on_until_it_is_lifted()
    {
        var time = new VirtualTimeScheduler(Traffic.Start);
        var sink = new RecordingSink();
        using var model = new DccCapacityModel(DccCapacityOptions.WithDefaultLanes(), ScriptedResponder.Fixed(DeviceReply.Success(Seconds(1))), sink, time);

        Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request(1, Traffic.ReadRegisters)));
        time.Advance(Seconds(2));
        var control = model.Shed(TrafficSelector.OnDemandReads, "CSP North degraded by on-demand reads");
        Assert.Equal(Traffic.Start + Seconds(2), control.SwitchedOnAt);

        // Only on-demand reads are shed: an on-demand tariff update, a future-dated read and an alert all pass.
        Assert.Equal(DccAdmission.Shed, model.Submit(Traffic.Request(2, Traffic.ReadRegisters)));
        Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request(3, Traffic.UpdateTariff)));
        Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request(4, Traffic.ReadRegisters, DccTrafficClass.FutureDated)));
        Assert.Equal(DccAdmission.Queued, model.SubmitAlert(Traffic.Alert(5, 0x8F35)));

        time.Advance(Seconds(1));
        Assert.True(model.Lift(control));
        Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request(6, Traffic.ReadRegisters)));
        time.RunUntilIdle();

        var shed = Assert.Single(sink.Of("error"));
        Assert.Equal((2UL, ResponseCode.Parse("E20"), DccFailureReason.Shed), (shed.Request.Id.Counter, shed.Code, shed.Reason));
        Assert.Equal(Traffic.Start + Seconds(2), shed.Times.Completed);
        Assert.Equal(new ulong[] { 1, 3, 4, 6 }, sink.Of("response").Select(r => r.Request.Id.Counter).Order());
        Assert.Single(sink.Of("alert"));

        var lifted = model.AuditLog[^1];
        Assert.Equal((Traffic.Start + Seconds(3), false, 1L), (lifted.At, lifted.SwitchedOn, lifted.Affected));
        var end = model.Snapshot();
        // Requests and alerts are counted apart: five requests accepted, one shed, four answered, and the alert forwarded.
        Assert.Equal((5L, 1L, 5L), (end.Accepted, end.Shed, end.Completed + end.AlertsForwarded));
    }

    [Fact]
    public void Time_held_by_a_defer_control_does_not_count_against_the_deadline()
    {
        var time = new VirtualTimeScheduler(Traffic.Start);
        var sink = new RecordingSink();
        var options = Traffic.OneLane(10, 10);
        options.OnDemandDeadline = Seconds(30);
        using var model = new DccCapacityModel(options, ScriptedResponder.Fixed(DeviceReply.None), sink, time);

        var control = model.Defer(TrafficSelector.ForClass(DccTrafficClass.OnDemand), "hold on-demand while CSP recovers");
        time.Advance(Seconds(1));
        Assert.Equal(DccAdmission.Deferred, model.Submit(Traffic.Request(1, Traffic.ReadRegisters)));
        time.AdvanceTo(Traffic.Start + Seconds(20));
        Assert.Null(time.NextWake);
        model.Lift(control);

        // Released at 20 s, served in 0.1 s, timed out 30 s after it joined the lane: at 50 s, not at 31 s.
        Assert.Equal(Traffic.Start + Seconds(50), time.RunUntilIdle());
        var timeout = Assert.Single(sink.Events);
        Assert.Equal("timeout", timeout.Kind);
        Assert.Equal(
            new DccTimes(Traffic.Start + Seconds(1), Traffic.Start + Seconds(20), Traffic.Start + Seconds(20.1), Traffic.Start + Seconds(50)),
            timeout.Times);
    }

    [Fact]
    public void The_timer_scheduler_on_a_fake_clock_and_virtual_time_decide_the_same_outcomes_at_the_same_times()
    {
        static List<SinkEvent> Run(Func<DccCapacityOptions, RecordingSink, DccCapacityModel> create, Action<TimeSpan> advance)
        {
            var sink = new RecordingSink();
            var options = Traffic.OneLane(3, 4);
            options.OnDemandDeadline = Seconds(1.5);
            using var model = create(options, sink);
            for (var i = 1; i <= 30; i++)
            {
                // Requests every 0.2 s on a 3/s lane (a third of a second each, not a whole number of milliseconds).
                model.Submit(Traffic.Request((ulong)i, i % 4 == 0 ? Traffic.UpdateCredentials : Traffic.ReadRegisters));
                advance(Seconds(0.2));
            }

            advance(Seconds(60));
            return sink.Events;
        }

        static DeviceReply Reply(DeviceRecord d, ServiceReferenceVariant srv)
            => srv == Traffic.UpdateCredentials ? DeviceReply.Success(Seconds(2)) : d.Index % 5 == 0 ? DeviceReply.None : DeviceReply.Success(Seconds(0.7));

        var clock = Traffic.Clock();
        var live = Run((o, sink) => new DccCapacityModel(o, new ScriptedResponder(Reply), sink, clock), span => clock.Run(span, TimeSpan.FromMilliseconds(1)));
        var time = new VirtualTimeScheduler(Traffic.Start);
        var virtualRun = Run((o, sink) => new DccCapacityModel(o, new ScriptedResponder(Reply), sink, time), time.Advance);

        Assert.Equal(live, virtualRun);
        Assert.Contains(virtualRun, e => e.Kind == "error");
        Assert.Contains(virtualRun, e => e.Kind == "timeout" && e.Reason == DccFailureReason.QueuedPastDeadline);
        Assert.Contains(virtualRun, e => e.Kind == "late");
    }

    [Fact]
    public void Steady_traffic_on_virtual_time_allocates_nothing_per_request()
    {
        var time = new VirtualTimeScheduler(Traffic.Start);
        var sink = new CountingSink();
        var options = Traffic.OneLane(2000, 1000);
        options.MaxInFlight = 4096;
        using var model = new DccCapacityModel(options, new FixedResponder(DeviceReply.Success(Seconds(0.5))), sink, time);
        ulong counter = 0;

        // A thousand requests a second through one lane, each answered 0.5 s later: warm up, then measure.
        void Second()
        {
            for (var i = 0; i < 1000; i++)
            {
                counter++;
                model.Submit(Traffic.Request(counter, Traffic.ReadRegisters, device: Traffic.Device((int)(counter % 500))));
                time.Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        Second();
        Second();
        var fewest = Allocations.Fewest(Second);

        Assert.Equal(0, fewest);
        Assert.True(sink.Responses > 4000, sink.Responses.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Counts outcomes without keeping them, so measuring the model's allocations measures only the model.</summary>
    private sealed class CountingSink : IDccOutcomeSink
    {
        public long Responses { get; private set; }

        public void OnResponse(in DccRequest request, in DeviceReply reply, in DccTimes times) => Responses++;

        public void OnError(in DccRequest request, ResponseCode code, DccFailureReason reason, in DccTimes times) => throw new InvalidOperationException(reason.ToString());

        public void OnTimeout(in DccRequest request, ResponseCode code, DccFailureReason reason, in DccTimes times) => throw new InvalidOperationException(reason.ToString());

        public void OnLateDeviceAnswer(in DccRequest request, in DeviceReply reply, in DccTimes times) => throw new InvalidOperationException("late answer");

        public void OnAlert(in DccAlert alert, in DccTimes times) => throw new InvalidOperationException("alert");

        public void OnAlertDropped(in DccAlert alert, DccFailureReason reason, in DccTimes times) => throw new InvalidOperationException("alert dropped");
    }

    private sealed class FixedResponder(DeviceReply reply) : IDeviceResponder
    {
        public DeviceReply Respond(in DeviceRecord device, ServiceReferenceVariant srv) => reply;

        public void OnDeviceAnswered(in DeviceRecord device, ServiceReferenceVariant srv, in DeviceReply reply, bool afterDccFailure)
        {
        }
    }
}
