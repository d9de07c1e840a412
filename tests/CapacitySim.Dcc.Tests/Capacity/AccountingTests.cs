using CapacitySim.Dcc.Capacity;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Dcc.Tests.Capacity;

public class AccountingTests
{
    [Fact]
    public void Every_request_ends_in_exactly_one_outcome_and_the_identity_holds_at_every_snapshot_of_a_run_with_failures()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();

        // Device index decides its answer: every 7th never answers, every 11th is unreachable, every 13th answers late.
        var responder = new ScriptedResponder((d, _) =>
            d.Index % 7 == 0 ? DeviceReply.None
            : d.Index % 11 == 0 ? DeviceReply.Unreachable(TimeSpan.FromSeconds(2))
            : d.Index % 13 == 0 ? DeviceReply.Success(TimeSpan.FromSeconds(45))
            : DeviceReply.Success(TimeSpan.FromSeconds(1 + (d.Index % 5))));
        var options = Traffic.OneLane(20, 40);
        using var model = new DccCapacityModel(options, responder, sink, clock);

        var snapshots = new List<DccCapacitySnapshot>();
        EmergencyControl? shed = null;
        EmergencyControl? defer = null;
        ulong counter = 0;
        for (var tick = 0; tick < 100; tick++)
        {
            // 30 requests a second against a 20/s lane: the queue fills and overload rejections follow.
            for (var i = 0; i < 3; i++)
            {
                counter++;
                var srv = counter % 2 == 0 ? Traffic.ReadRegisters : Traffic.UpdateTariff;
                model.Submit(Traffic.Request(counter, srv));
            }

            if (tick == 20)
            {
                shed = model.Shed(TrafficSelector.OnDemandReads, "reads degrade service");
            }

            if (tick == 40)
            {
                model.Lift(shed!);
                defer = model.Defer(TrafficSelector.ForServiceVariant(Traffic.UpdateTariff), "tariff batch held");
            }

            if (tick == 60)
            {
                model.Lift(defer!);
            }

            clock.Advance(TimeSpan.FromMilliseconds(100));
            if (tick % 10 == 5)
            {
                snapshots.Add(model.Snapshot());
            }
        }

        clock.Run(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1));
        var end = model.Snapshot();
        snapshots.Add(end);

        Assert.All(snapshots, s => Assert.True(s.IsBalanced, s.ToString()));
        Assert.Contains(snapshots, s => s.InFlight > 0 && s.Errors > 0);
        Assert.Equal(300, end.Accepted);
        Assert.Equal(0, end.InFlight);
        Assert.True(end.RejectedOverload > 0, end.ToString());
        Assert.True(end.Shed > 0, end.ToString());
        Assert.True(end.Unreachable > 0, end.ToString());
        Assert.True(end.TimedOutNoResponse > 0, end.ToString());
        Assert.True(end.TimedOutLate > 0, end.ToString());
        Assert.Equal(end.TimedOutLate, end.LateDeviceSuccesses);

        // The sink saw exactly one terminal outcome per request, agreeing with the counters.
        var terminal = sink.Events.Where(e => e.Kind is "response" or "error" or "timeout").ToList();
        Assert.Equal(300, terminal.Count);
        Assert.Equal(300, terminal.Select(e => e.Request.Id.Counter).Distinct().Count());
        Assert.Equal(end.Completed, terminal.Count(e => e.Kind == "response"));
        Assert.Equal(end.Errors, terminal.Count(e => e.Kind == "error"));
        Assert.Equal(end.TimedOut, terminal.Count(e => e.Kind == "timeout"));
        Assert.Equal(end.LateDeviceSuccesses, sink.Of("late").Count());

        // Every device answer changed the device, on time or late.
        Assert.Equal(end.Completed + end.LateDeviceSuccesses, responder.Answers.Count);
        Assert.Equal(end.LateDeviceSuccesses, responder.Answers.Count(a => a.AfterDccFailure));
        Assert.All(terminal.Where(e => e.Kind == "error" && e.Reason == DccFailureReason.Overload), e => Assert.Equal(ResponseCodes.CannotCommunicateWithDevice, e.Code));
    }

    [Fact]
    public void Running_out_of_in_flight_slots_is_an_overload_rejection_and_slots_are_reused()
    {
        var clock = Traffic.Clock();
        var sink = new RecordingSink();
        var options = Traffic.OneLane(1000, 100);
        options.MaxInFlight = 4;
        using var model = new DccCapacityModel(options, ScriptedResponder.Fixed(DeviceReply.Success(TimeSpan.FromSeconds(1))), sink, clock);

        for (var i = 1; i <= 6; i++)
        {
            model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters));
        }

        Assert.Equal(2, model.Snapshot().RejectedOverload);
        clock.Run(TimeSpan.FromSeconds(2));
        for (var i = 7; i <= 10; i++)
        {
            Assert.Equal(DccAdmission.Queued, model.Submit(Traffic.Request((ulong)i, Traffic.ReadRegisters)));
        }

        clock.Run(TimeSpan.FromSeconds(2));
        var end = model.Snapshot();
        Assert.Equal((10L, 8L, 2L, 0L), (end.Accepted, end.Completed, end.Errors, end.InFlight));
    }

    [Fact]
    public void In_steady_state_submitting_and_completing_requests_allocates_nothing()
    {
        // A hand-driven clock: the fake time provider itself allocates when advanced, which would hide the model's own figure.
        using var clock = new ManualClock();
        var sink = new CountingSink();
        var responder = new FixedResponder();
        using var model = new DccCapacityModel(Traffic.OneLane(10_000, 10_000), responder, sink, clock);
        var requests = new DccRequest[100];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = Traffic.Request((ulong)i + 1, Traffic.ReadRegisters);
        }

        void Round()
        {
            for (var i = 0; i < requests.Length; i++)
            {
                model.Submit(in requests[i]);
            }

            clock.RunFor(TimeSpan.FromMilliseconds(600));
        }

        for (var i = 0; i < 20; i++)
        {
            Round();
        }

        var completedBefore = sink.Responses;
        var fewest = Allocations.Fewest(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                Round();
            }
        });

        Assert.Equal(3 * 2000, sink.Responses - completedBefore);
        Assert.Equal(0, fewest);
    }

    /// <summary>One timer, fired by the test in due order; reads and firing allocate nothing.</summary>
    private sealed class ManualClock : TimeProvider, IDisposable
    {
        private long now;
        private ManualTimer? timer;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => now;

        public override DateTimeOffset GetUtcNow() => Traffic.Start.AddTicks(now);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            timer = new ManualTimer(this, callback, state);
            timer.Change(dueTime, period);
            return timer;
        }

        public void Dispose() => timer?.Dispose();

        public void RunFor(TimeSpan span)
        {
            var end = now + span.Ticks;
            while (timer is { Due: var due } t && due <= end)
            {
                now = Math.Max(now, due);
                t.Due = long.MaxValue;
                t.Fire();
            }

            now = end;
        }

        private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
        {
            public long Due { get; set; } = long.MaxValue;

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : clock.now + dueTime.Ticks;
                return true;
            }

            public void Fire() => callback(state);

            public void Dispose() => Due = long.MaxValue;

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }

    private sealed class FixedResponder : IDeviceResponder
    {
        public DeviceReply Respond(in DeviceRecord device, ServiceReferenceVariant srv) => DeviceReply.Success(TimeSpan.FromMilliseconds(500));

        public void OnDeviceAnswered(in DeviceRecord device, ServiceReferenceVariant srv, in DeviceReply reply, bool afterDccFailure)
        {
        }
    }

    private sealed class CountingSink : IDccOutcomeSink
    {
        public long Responses { get; private set; }

        public void OnResponse(in DccRequest request, in DeviceReply reply, in DccTimes times) => Responses++;

        public void OnError(in DccRequest request, ResponseCode code, DccFailureReason reason, in DccTimes times)
        {
        }

        public void OnTimeout(in DccRequest request, ResponseCode code, DccFailureReason reason, in DccTimes times)
        {
        }

        public void OnLateDeviceAnswer(in DccRequest request, in DeviceReply reply, in DccTimes times)
        {
        }

        public void OnAlert(in DccAlert alert, in DccTimes times)
        {
        }

        public void OnAlertDropped(in DccAlert alert, DccFailureReason reason, in DccTimes times)
        {
        }
    }
}
