using CapacitySim.Dcc.Capacity;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Dcc.Tests.Capacity;

public class DccCapacityModelTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public void Twenty_requests_at_once_on_one_lane_of_ten_per_second_queue_and_the_last_completes_after_two_seconds_plus_latency()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        using var model = new DccCapacityModel(Traffic.OneLane(10, 100), ScriptedResponder.Fixed(DeviceReply.Success(OneSecond)), sink, clock);

        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters)));
        }

        Assert.Equal(19, model.LaneWaiting(0));
        clock.Run(TimeSpan.FromSeconds(3.5));

        var responses = sink.Of("response").ToList();
        Assert.Equal(20, responses.Count);
        for (var k = 1; k <= 20; k++)
        {
            // The k-th request leaves the lane after k service times of 0.1 s and its device answers 1 s later.
            var r = responses[k - 1];
            Assert.Equal((ulong)k, r.Request.Id.Counter);
            Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(0.1 * k), r.Times.Sent);
            Assert.Equal(Traffic.Start + TimeSpan.FromSeconds((0.1 * k) + 1), r.Times.Completed);
            Assert.Equal(ResponseCode.Success, r.Code);
        }

        Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(3), responses[^1].Times.Completed);
        Assert.Equal(20, model.LaneServed(0));
    }

    [Fact]
    public void Queueing_delay_grows_with_offered_load_above_lane_capacity()
    {
        static TimeSpan LastLaneDelay(double offeredPerSecond)
        {
            var clock = Traffic.Clock();
            var sink = new RecordingSink();
            using var model = new DccCapacityModel(Traffic.OneLane(10, 1000), ScriptedResponder.Fixed(DeviceReply.Success(TimeSpan.Zero)), sink, clock);
            var gap = TimeSpan.FromSeconds(1 / offeredPerSecond);
            for (var i = 1; i <= 40; i++)
            {
                model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters));
                clock.Advance(gap);
            }

            clock.Run(TimeSpan.FromSeconds(10));
            var responses = sink.Of("response").ToList();
            Assert.Equal(40, responses.Count);
            return responses[^1].Times.LaneDelay;
        }

        // Below capacity (5/s on a 10/s lane) a request only takes its own service time.
        Assert.Equal(TimeSpan.FromSeconds(0.1), LastLaneDelay(5));

        // At 20/s and 40/s the backlog grows by (offered - 10) per second over the 40 arrivals: 40 × 0.1 s of work
        // arrives within 2 s or 1 s, so the last request waits 4 s - 2 s + its service, or 4 s - 1 s + its service.
        var at20 = LastLaneDelay(20);
        var at40 = LastLaneDelay(40);
        Assert.Equal(TimeSpan.FromSeconds(2.05), at20);
        Assert.Equal(TimeSpan.FromSeconds(3.025), at40);
    }

    [Fact]
    public void Past_the_queue_bound_requests_are_rejected_with_E20_and_counted()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        using var model = new DccCapacityModel(Traffic.OneLane(10, 5), ScriptedResponder.Fixed(DeviceReply.Success(OneSecond)), sink, clock);

        var admissions = Enumerable.Range(1, 10).Select(i => model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters))).ToList();

        // One in service, five waiting, four refused.
        Assert.Equal(6, admissions.Count(a => a == DccAdmission.Queued));
        Assert.Equal(4, admissions.Count(a => a == DccAdmission.RejectedOverload));
        var errors = sink.Of("error").ToList();
        Assert.Equal(4, errors.Count);
        Assert.All(errors, e => Assert.Equal(ResponseCodes.CannotCommunicateWithDevice, e.Code));
        Assert.All(errors, e => Assert.Equal(DccFailureReason.Overload, e.Reason));
        Assert.Equal(new ulong[] { 7, 8, 9, 10 }, errors.Select(e => e.Request.Id.Counter));

        var snapshot = model.Snapshot();
        Assert.Equal(10, snapshot.Accepted);
        Assert.Equal(4, snapshot.RejectedOverload);
        Assert.Equal(6, snapshot.InLanes);
        Assert.True(snapshot.IsBalanced, snapshot.ToString());

        clock.Run(TimeSpan.FromSeconds(3));
        Assert.Equal(6, sink.Of("response").Count());
        Assert.Equal(6, model.Snapshot().Completed);
    }

    [Fact]
    public void A_device_answering_after_the_deadline_fails_the_user_at_the_deadline_and_its_late_success_is_counted()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        var responder = ScriptedResponder.Fixed(DeviceReply.Success(TimeSpan.FromSeconds(40)));
        responder.Clock = clock;
        var options = Traffic.OneLane(1000, 10);
        options.OnDemandDeadline = TimeSpan.FromSeconds(30);
        using var model = new DccCapacityModel(options, responder, sink, clock);

        model.Submit(Traffic.Request(1, Traffic.UpdateCredentials));
        clock.Run(TimeSpan.FromSeconds(29.9));
        Assert.Empty(sink.Events);

        clock.Run(TimeSpan.FromSeconds(0.1));
        var timeout = Assert.Single(sink.Events);
        Assert.Equal("timeout", timeout.Kind);
        Assert.Equal(ResponseCodes.NoResponseFromDevice, timeout.Code);
        Assert.Equal(DccFailureReason.DeviceLate, timeout.Reason);
        Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(30), timeout.Times.Completed);
        Assert.Empty(responder.Answers);
        var atDeadline = model.Snapshot();
        Assert.Equal(1, atDeadline.TimedOutLate);
        Assert.Equal(1, atDeadline.AwaitingLateAnswer);
        Assert.Equal(0, atDeadline.LateDeviceSuccesses);
        Assert.True(atDeadline.IsBalanced, atDeadline.ToString());

        // The device got the request after 1 ms in the lane and answers 40 s later.
        clock.Run(TimeSpan.FromSeconds(10.1));
        Assert.Equal(2, sink.Events.Count);
        var late = sink.Events[1];
        Assert.Equal("late", late.Kind);
        Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(40.001), late.Times.Completed);
        var answer = Assert.Single(responder.Answers);
        Assert.True(answer.AfterDccFailure);
        Assert.Equal(Traffic.UpdateCredentials, answer.Srv);

        var after = model.Snapshot();
        Assert.Equal(1, after.LateDeviceSuccesses);
        Assert.Equal(1, after.TimedOut);
        Assert.Equal(0, after.Completed);
        Assert.Equal(0, after.AwaitingLateAnswer);
        Assert.True(after.IsBalanced, after.ToString());
    }

    [Fact]
    public void Gas_devices_have_the_longer_deadline_and_future_dated_requests_time_out_with_E30()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        var responder = ScriptedResponder.Fixed(DeviceReply.Success(TimeSpan.FromSeconds(40)));
        using var model = new DccCapacityModel(Traffic.OneLane(1000, 10), responder, sink, clock);

        model.Submit(Traffic.Request(1, Traffic.ReadRegisters, device: Traffic.Device(1, DeviceType.GasMeter)));
        model.Submit(Traffic.Request(2, Traffic.ReadRegisters, DccTrafficClass.FutureDated));
        clock.Run(TimeSpan.FromSeconds(45));

        var gas = Assert.Single(sink.Of("response"));
        Assert.Equal(1ul, gas.Request.Id.Counter);
        var future = Assert.Single(sink.Of("timeout"));
        Assert.Equal(2ul, future.Request.Id.Counter);
        Assert.Equal(ResponseCodes.FutureDatedTimeout, future.Code);
        Assert.Equal(2, responder.Answers.Count);
        Assert.Equal([false, true], responder.Answers.OrderBy(a => a.Device.Index).Select(a => a.AfterDccFailure));
    }

    [Fact]
    public void A_deadline_for_one_service_variant_overrides_its_class_deadline()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        var options = Traffic.OneLane(1000, 10);
        options.ServiceVariantDeadlines[Traffic.UpdateCredentials] = TimeSpan.FromSeconds(120);
        using var model = new DccCapacityModel(options, ScriptedResponder.Fixed(DeviceReply.Success(TimeSpan.FromSeconds(40))), sink, clock);

        model.Submit(Traffic.Request(1, Traffic.UpdateCredentials));
        model.Submit(Traffic.Request(2, Traffic.ReadRegisters));
        clock.Run(TimeSpan.FromSeconds(41));

        Assert.Equal(1ul, Assert.Single(sink.Of("response")).Request.Id.Counter);
        Assert.Equal(2ul, Assert.Single(sink.Of("timeout")).Request.Id.Counter);
    }

    [Fact]
    public void Requests_still_queued_at_their_deadline_time_out_without_reaching_the_device()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        var responder = ScriptedResponder.Fixed(DeviceReply.Success(TimeSpan.Zero));
        var options = Traffic.OneLane(1, 100);
        options.OnDemandDeadline = TimeSpan.FromSeconds(5);
        using var model = new DccCapacityModel(options, responder, sink, clock);

        for (var i = 1; i <= 10; i++)
        {
            model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters));
        }

        clock.Run(TimeSpan.FromSeconds(12));

        // At 1/s the first five leave the lane by 5 s (the fifth exactly at its deadline, and a device answer at the
        // deadline counts as in time); the other five time out in the queue at 5 s and never reach their device.
        Assert.Equal(5, sink.Of("response").Count());
        var timeouts = sink.Of("timeout").ToList();
        Assert.Equal(5, timeouts.Count);
        Assert.All(timeouts, t => Assert.Equal(DccFailureReason.QueuedPastDeadline, t.Reason));
        Assert.All(timeouts, t => Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(5), t.Times.Completed));
        Assert.Equal(5, responder.Answers.Count);
        Assert.Equal(5, model.Snapshot().TimedOutInQueue);

        // The lane skips the timed-out requests: the next one is served at once.
        model.Submit(Traffic.Request(11, Traffic.ReadRegisters));
        clock.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(13), sink.Of("response").Last().Times.Completed);
    }

    [Fact]
    public void No_response_and_unreachable_devices_end_in_E21_at_the_deadline_and_E20_when_reported()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        var responder = new ScriptedResponder((d, _) => d.Index == 1 ? DeviceReply.None : DeviceReply.Unreachable(TimeSpan.FromSeconds(3)));
        using var model = new DccCapacityModel(Traffic.OneLane(1000, 10), responder, sink, clock);

        model.Submit(Traffic.Request(1, Traffic.ReadRegisters));
        model.Submit(Traffic.Request(2, Traffic.ReadRegisters));
        clock.Run(TimeSpan.FromSeconds(31));

        var error = Assert.Single(sink.Of("error"));
        Assert.Equal(ResponseCodes.CannotCommunicateWithDevice, error.Code);
        Assert.Equal(DccFailureReason.Unreachable, error.Reason);
        var timeout = Assert.Single(sink.Of("timeout"));
        Assert.Equal(ResponseCodes.NoResponseFromDevice, timeout.Code);
        Assert.Equal(DccFailureReason.NoResponse, timeout.Reason);
        Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(30), timeout.Times.Completed);
        Assert.Empty(responder.Answers);
        var snapshot = model.Snapshot();
        Assert.Equal((1, 1, 0L), (snapshot.Unreachable, snapshot.TimedOutNoResponse, snapshot.InFlight));
    }

    [Fact]
    public void Shedding_on_demand_reads_rejects_them_with_a_counted_code_and_leaves_other_traffic_alone()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        using var model = new DccCapacityModel(DccCapacityOptions.WithDefaultLanes(), ScriptedResponder.Fixed(DeviceReply.Success(OneSecond)), sink, clock);

        clock.Advance(TimeSpan.FromSeconds(5));
        var control = model.Shed(TrafficSelector.OnDemandReads, "CSP North degraded by on-demand reads");
        Assert.Equal(DccAdmission.Shed, model.Submit(Traffic.Request(1, Traffic.ReadRegisters)));
        Assert.Equal(DccAdmission.Shed, model.Submit(Traffic.Request(2, ServiceReferenceVariant.Parse("4.6.1"))));
        Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request(3, Traffic.UpdateTariff)));
        Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request(4, Traffic.ReadRegisters, DccTrafficClass.FutureDated)));
        Assert.Equal(DccAdmission.Queued, model.SubmitAlert(Traffic.Alert(5, 0x8F35)));

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(model.Lift(control));
        Assert.False(model.Lift(control));
        Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request(6, Traffic.ReadRegisters)));
        clock.Run(TimeSpan.FromSeconds(2));

        var shedErrors = sink.Of("error").ToList();
        Assert.Equal(new ulong[] { 1, 2 }, shedErrors.Select(e => e.Request.Id.Counter));
        Assert.All(shedErrors, e => Assert.Equal((ResponseCodes.CannotCommunicateWithDevice, DccFailureReason.Shed), (e.Code, e.Reason)));
        Assert.Equal(new ulong[] { 3, 4, 6 }, sink.Of("response").Select(e => e.Request.Id.Counter).Order());
        Assert.Single(sink.Of("alert"));

        Assert.Equal(2, control.Affected);
        Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(5), control.SwitchedOnAt);
        Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(10), control.SwitchedOffAt);
        var audit = model.AuditLog;
        Assert.Equal(2, audit.Count);
        Assert.Equal((true, Traffic.Start + TimeSpan.FromSeconds(5)), (audit[0].SwitchedOn, audit[0].At));
        Assert.Equal((false, Traffic.Start + TimeSpan.FromSeconds(10), 2L), (audit[1].SwitchedOn, audit[1].At, audit[1].Affected));
        Assert.Equal(2, model.Snapshot().Shed);
        Assert.Empty(model.ActiveControls);
    }

    [Fact]
    public void A_shed_code_can_be_chosen_and_a_control_can_be_limited_to_one_region_or_one_service_variant()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        using var model = new DccCapacityModel(DccCapacityOptions.WithDefaultLanes(), ScriptedResponder.Fixed(DeviceReply.Success(OneSecond)), sink, clock);
        var e21 = ResponseCodes.NoResponseFromDevice;
        model.Shed(TrafficSelector.OnDemandReads.InRegion(CspRegion.North), "North only", e21);
        model.Shed(TrafficSelector.ForServiceVariant(Traffic.UpdateTariff), "tariff freeze");

        Assert.Equal(DccAdmission.Shed, model.Submit(Traffic.Request(1, Traffic.ReadRegisters, device: Traffic.Device(1, region: CspRegion.North))));
        Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request(2, Traffic.ReadRegisters, device: Traffic.Device(2, region: CspRegion.South))));
        Assert.Equal(DccAdmission.Shed, model.Submit(Traffic.Request(3, Traffic.UpdateTariff)));
        Assert.Equal(e21, sink.Of("error").First().Code);
    }

    [Fact]
    public void Deferred_traffic_is_held_until_the_control_is_lifted_then_processed_in_arrival_order()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        using var model = new DccCapacityModel(Traffic.OneLane(10, 100), ScriptedResponder.Fixed(DeviceReply.Success(OneSecond)), sink, clock);

        var control = model.Defer(TrafficSelector.ForClass(DccTrafficClass.OnDemand), "hold on-demand during the incident");
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(DccAdmission.Deferred, model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters)));
        }

        Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request(4, Traffic.ReadRegisters, DccTrafficClass.FutureDated)));

        // Held far beyond the 30 s deadline: deferral time does not count against it.
        clock.Run(TimeSpan.FromSeconds(60));
        Assert.Equal(4ul, Assert.Single(sink.Events).Request.Id.Counter);
        var held = model.Snapshot();
        Assert.Equal(3, held.Deferred);
        Assert.True(held.IsBalanced, held.ToString());

        Assert.True(model.Lift(control));
        clock.Run(TimeSpan.FromSeconds(2));
        var released = sink.Of("response").Where(e => e.Request.Id.Counter <= 3).ToList();
        Assert.Equal(new ulong[] { 1, 2, 3 }, released.Select(e => e.Request.Id.Counter));
        for (var k = 1; k <= 3; k++)
        {
            var r = released[k - 1];
            Assert.Equal(Traffic.Start, r.Times.Admitted);
            Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(60), r.Times.EnteredLane);
            Assert.Equal(Traffic.Start + TimeSpan.FromSeconds(60 + (0.1 * k) + 1), r.Times.Completed);
        }

        Assert.Equal((3L, 3L), (control.Affected, control.Released));
        Assert.Equal((false, 3L, 3L), (model.AuditLog[^1].SwitchedOn, model.AuditLog[^1].Affected, model.AuditLog[^1].Released));
        Assert.Equal(4, model.Snapshot().Completed);
    }

    [Fact]
    public void Alerts_of_one_code_can_be_shed_or_deferred_while_other_alerts_pass()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        using var model = new DccCapacityModel(DccCapacityOptions.WithDefaultLanes(), ScriptedResponder.Fixed(DeviceReply.Success(OneSecond)), sink, clock);

        model.Shed(TrafficSelector.ForAlertCode(DeviceAlertCode.ActivePowerImportAboveLoadLimit), "8F01 wave from firmware");
        var defer = model.Defer(TrafficSelector.ForAlertCode(DeviceAlertCode.ChfDeviceLogChanged), "8F12 wearing hub memory");
        Assert.Equal(DccAdmission.Shed, model.SubmitAlert(Traffic.Alert(1, 0x8F01)));
        Assert.Equal(DccAdmission.Deferred, model.SubmitAlert(Traffic.Alert(2, 0x8F12)));
        Assert.Equal(DccAdmission.Queued, model.SubmitAlert(Traffic.Alert(3, 0x8F35)));
        clock.Run(TimeSpan.FromSeconds(1));

        Assert.Equal(0x8F35, Assert.Single(sink.Of("alert")).Alert.Code.Value);
        Assert.Equal(DccFailureReason.Shed, Assert.Single(sink.Of("alert-dropped")).Reason);

        model.Lift(defer);
        clock.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(new ushort[] { 0x8F35, 0x8F12 }, sink.Of("alert").Select(e => e.Alert.Code.Value));
        var s = model.Snapshot();
        Assert.Equal((3L, 2L, 1L, 0L), (s.AlertsAccepted, s.AlertsForwarded, s.AlertsShed, s.AlertsInFlight));
        Assert.True(s.IsBalanced);
    }

    [Fact]
    public void Lanes_by_class_carry_their_own_traffic_and_round_robin_spreads_it()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        using (var model = new DccCapacityModel(DccCapacityOptions.WithDefaultLanes(), ScriptedResponder.Fixed(DeviceReply.Success(OneSecond)), sink, clock))
        {
            for (var i = 1; i <= 5; i++)
            {
                model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters));
            }

            for (var i = 6; i <= 8; i++)
            {
                model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters, DccTrafficClass.DccScheduled));
            }

            model.SubmitAlert(Traffic.Alert(9, 0x8F35));
            clock.Run(TimeSpan.FromSeconds(2));
            Assert.Equal(["on-demand", "scheduled", "alerts"], Enumerable.Range(0, model.LaneCount).Select(model.LaneName));
            Assert.Equal(new long[] { 5, 3, 1 }, Enumerable.Range(0, model.LaneCount).Select(model.LaneServed));
        }

        var options = Traffic.OneLane(10, 100);
        options.Lanes.Add(new DccLaneOptions { Name = "second", ServiceRatePerSecond = 10, QueueCapacity = 100 });
        options.Assignment = LaneAssignment.RoundRobin;
        var sink2 = new RecordingSink();
        var secondStart = clock.GetUtcNow();
        using (var model = new DccCapacityModel(options, ScriptedResponder.Fixed(DeviceReply.Success(TimeSpan.Zero)), sink2, clock))
        {
            for (var i = 1; i <= 6; i++)
            {
                model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters));
            }

            // Two lanes in turn: three requests each, so the last leaves after 0.3 s rather than 0.6 s.
            clock.Run(TimeSpan.FromSeconds(1));
            Assert.Equal((3L, 3L), (model.LaneServed(0), model.LaneServed(1)));
            Assert.Equal(secondStart + TimeSpan.FromSeconds(0.3), sink2.Of("response").Max(e => e.Times.Completed));
        }
    }

    [Fact]
    public void Two_lanes_for_one_class_share_its_traffic_by_shortest_queue()
    {
        var clock = Traffic.Clock();
        var options = Traffic.OneLane(10, 100);
        var second = new DccLaneOptions { Name = "third lane", ServiceRatePerSecond = 10, QueueCapacity = 100 };
        second.Carries.Add(DccTrafficClass.OnDemand);
        options.Lanes.Add(second);
        using var model = new DccCapacityModel(options, ScriptedResponder.Fixed(DeviceReply.Success(TimeSpan.Zero)), new RecordingSink(), clock);

        for (var i = 1; i <= 10; i++)
        {
            model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters));
        }

        Assert.Equal((4, 4), (model.LaneWaiting(0), model.LaneWaiting(1)));
    }

    [Fact]
    public void Options_that_leave_a_class_without_a_lane_are_refused()
    {
        var options = new DccCapacityOptions();
        var lane = new DccLaneOptions();
        lane.Carries.Add(DccTrafficClass.OnDemand);
        options.Lanes.Add(lane);
        var e = Assert.Throws<ArgumentException>(() => new DccCapacityModel(options, ScriptedResponder.Fixed(default), new RecordingSink(), Traffic.Clock()));
        Assert.Contains("FutureDated", e.Message, StringComparison.Ordinal);
    }
}
