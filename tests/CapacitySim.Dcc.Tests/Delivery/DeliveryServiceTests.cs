using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Dcc.Tests.Integration;
using CapacitySim.Devices.Time;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Writing;
using Microsoft.Extensions.Time.Testing;

namespace CapacitySim.Dcc.Tests.Delivery;

public sealed class DeliveryServiceTests
{
    private static readonly Eui64 Meter = new(0x00DB_1234_5678_90A0);
    private static readonly Eui64 Supplier = new(0x90B3_D51F_3001_0000);
    private static readonly DateTimeOffset ScenarioStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan RealLimit = TimeSpan.FromSeconds(10);

    // Compression shrinks the per-POST time-out but not loopback latency: at ×1000 the default 30 s would be 30 ms of
    // real time, which a cold connection on a busy machine can exceed, so tests that expect no spurious failure give
    // POSTs two hours of scenario time (7.2 s of real time at ×1000).
    private static readonly TimeSpan PatientTimeout = TimeSpan.FromHours(2);

    [Fact]
    public async Task Every_message_is_delivered_once_over_a_pool_of_keep_alive_connections()
    {
        await using var receiver = await UserEndpoint.StartAsync();
        var observer = new RecordingObserver();
        var time = new CompressedTimeProvider(1000, ScenarioStart);
        await using var service = new DeliveryService(new DeliveryOptions { ConnectionsPerEndpoint = 4, RequestTimeout = PatientTimeout }, time, observer);
        var endpoint = service.Endpoint(receiver.Address);

        for (var i = 0UL; i < 300; i++)
        {
            Assert.Equal(DeliveryAcceptResult.Accepted, Accept(endpoint, i));
        }

        // The observer is told after the counters move, so wait for both.
        var done = await WaitForAsync(service, c => c.Delivered == 300 && observer.Delivered.Count == 300);
        Assert.Equal(300, done.Totals.Accepted);
        Assert.Equal(300, done.Totals.Attempts);
        Assert.Equal(0, done.Totals.FailedAttempts);
        Assert.Equal(0, done.Totals.BytesHeld);
        AssertEachReceivedOnce(receiver, 300);
        Assert.All(receiver.ContentTypes, t => Assert.Equal("application/xml", t));

        // Keep-alive: 300 POSTs travelled over at most the pool's 4 connections.
        Assert.InRange(receiver.Connections.Count, 1, 4);

        // The observer saw each message's identity once, first time.
        Assert.Equal(300, observer.Delivered.Count);
        Assert.All(observer.Delivered, d => Assert.Equal(1, d.Attempts));
        var response = Assert.Single(observer.Delivered, d => d.Info.ResponseId!.Value.Counter == 42);
        Assert.Equal(DeliveryKind.Response, response.Info.Kind);
        Assert.Equal(new RequestId(Supplier, Meter, 42), response.Info.RequestId);
    }

    [Fact]
    public async Task A_receiver_down_for_a_while_then_back_gets_every_message_once_through_retries()
    {
        var receiver = await UserEndpoint.StartAsync();
        try
        {
            var time = new CompressedTimeProvider(100, ScenarioStart);
            await using var service = new DeliveryService(new DeliveryOptions { ConnectionsPerEndpoint = 4, RequestTimeout = PatientTimeout }, time);
            var endpoint = service.Endpoint(receiver.Address);
            for (var i = 0UL; i < 50; i++)
            {
                Accept(endpoint, i);
            }

            await WaitForAsync(service, c => c.Delivered == 50);

            // The user system goes down; messages keep coming and fail.
            await receiver.StopAsync();
            for (var i = 50UL; i < 100; i++)
            {
                Accept(endpoint, i);
            }

            var failing = await WaitForAsync(service, c => c.Retrying == 4 && c.FailedAttempts >= 8);
            Assert.Equal(46, failing.Totals.Queued);

            // Back on the same port, well inside the 300 s retry window (about 10 s of scenario time later).
            await receiver.StartAsync();
            var done = await WaitForAsync(service, c => c.Delivered == 100);
            Assert.Equal(0, done.Totals.MovedToFailedQueue);
            Assert.Equal(0, done.Totals.Expired);
            Assert.Equal(done.Totals.Attempts, 100 + done.Totals.FailedAttempts);
            Assert.Equal(DeliveryEndpointState.Up, done.Endpoints[0].State);
            AssertEachReceivedOnce(receiver, 100);
        }
        finally
        {
            await receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_receiver_down_beyond_the_retry_window_gets_the_failed_queue_in_order_when_it_returns()
    {
        var receiver = await UserEndpoint.ReserveStoppedAsync();
        try
        {
            var observer = new RecordingObserver();
            var time = new CompressedTimeProvider(1000, ScenarioStart);

            // One connection, so the order of arrival is the order of re-delivery.
            var options = new DeliveryOptions { ConnectionsPerEndpoint = 1, ProbeInterval = TimeSpan.FromSeconds(30), RequestTimeout = PatientTimeout };
            await using var service = new DeliveryService(options, time, observer);
            var endpoint = service.Endpoint(receiver.Address);
            for (var i = 0UL; i < 40; i++)
            {
                Accept(endpoint, i);
            }

            // The first message is retried for the 300 s window, then everything waits on the failed queue.
            var parked = await WaitForAsync(service, c => c.FailedQueue + c.Redelivering == 40 && c.Queued == 0 && c.Retrying == 0);
            Assert.Equal(DeliveryEndpointState.Down, parked.Endpoints[0].State);
            Assert.Equal(40, parked.Totals.MovedToFailedQueue);
            Assert.True(parked.Totals.FailedAttempts >= 2, "the first message is retried at least once before it is parked");

            // Probes keep trying the oldest message while the receiver is away.
            await WaitForAsync(service, c => c.Probes >= 3);
            Assert.Empty(observer.Delivered);

            await receiver.StartAsync();
            var done = await WaitForAsync(service, c => c.Delivered == 40 && observer.Delivered.Count == 40);
            Assert.Equal(40, done.Totals.Redelivered);
            Assert.Equal(0, done.Totals.Expired);
            Assert.Equal(DeliveryEndpointState.Up, done.Endpoints[0].State);
            Assert.Equal(Enumerable.Range(0, 40).Select(i => (ulong)i), receiver.Received.Select(m => m.Header.ResponseId.Counter));
            Assert.All(observer.Delivered, d => Assert.True(d.FromFailedQueue));

            // Once recovered, new messages go straight out again, after the re-delivered ones.
            for (var i = 40UL; i < 50; i++)
            {
                Accept(endpoint, i);
            }

            await WaitForAsync(service, c => c.Delivered == 50);
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (ulong)i), receiver.Received.Select(m => m.Header.ResponseId.Counter));
            Assert.Equal(40, service.Snapshot().Totals.Redelivered);
        }
        finally
        {
            await receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_message_held_for_two_days_is_expired_and_counted()
    {
        // Nothing ever listens here. At ×200,000 the two days of the failed queue pass in under a second.
        var receiver = await UserEndpoint.ReserveStoppedAsync();
        var observer = new RecordingObserver();
        var time = new CompressedTimeProvider(200_000, ScenarioStart);
        observer.Clock = time;
        var options = new DeliveryOptions { ConnectionsPerEndpoint = 2, ProbeInterval = TimeSpan.FromHours(1) };
        await using var service = new DeliveryService(options, time, observer);
        var endpoint = service.Endpoint(receiver.Address);
        var acceptedAt = time.GetUtcNow();
        for (var i = 0UL; i < 20; i++)
        {
            Accept(endpoint, i);
        }

        var done = await WaitForAsync(service, c => c.Expired == 20 && observer.Expired.Count == 20);
        Assert.Equal(0, done.Totals.Delivered);
        Assert.Equal(0, done.Totals.Pending);
        Assert.Equal(0, done.Totals.BytesHeld);
        Assert.Equal(20, done.Totals.MovedToFailedQueue);

        // Each expired message was held at least the two days (plus the retry window of the first ones).
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (ulong)i), observer.Expired.Select(e => e.Info.ResponseId!.Value.Counter).Order());
        Assert.All(observer.Expired, e => Assert.True(e.At - acceptedAt >= TimeSpan.FromDays(2), $"expired after {e.At - acceptedAt}"));
        Assert.Empty(observer.Delivered);
    }

    [Fact]
    public async Task Messages_beyond_the_byte_cap_are_refused_and_counted_not_dropped()
    {
        var receiver = await UserEndpoint.ReserveStoppedAsync();
        var time = new CompressedTimeProvider(1000, ScenarioStart);
        var size = Render(0).Length;
        var options = new DeliveryOptions { ConnectionsPerEndpoint = 1, MaxBytesHeldPerEndpoint = (size * 3) + 10 };
        await using var service = new DeliveryService(options, time);
        var endpoint = service.Endpoint(receiver.Address);
        var results = new List<DeliveryAcceptResult>();
        for (var i = 0UL; i < 10; i++)
        {
            results.Add(Accept(endpoint, i));
        }

        Assert.Equal(3, results.Count(r => r == DeliveryAcceptResult.Accepted));
        Assert.Equal(7, results.Count(r => r == DeliveryAcceptResult.RefusedOverCapacity));
        var s = service.Snapshot().Totals;
        Assert.Equal(3, s.Accepted);
        Assert.Equal(7, s.Refused);
        Assert.True(s.IsBalanced);

        await service.DisposeAsync();
        Assert.Equal(DeliveryAcceptResult.RefusedStopped, Accept(endpoint, 99));
        var after = service.Snapshot().Totals;
        Assert.Equal(8, after.Refused);
        Assert.Equal(3, after.Pending);
        Assert.True(after.IsBalanced);
    }

    [Fact]
    public async Task Throttled_alerts_reach_the_user_with_their_suppressed_count()
    {
        await using var receiver = await UserEndpoint.StartAsync();
        var alertClock = new FakeTimeProvider(ScenarioStart);
        var storm = new AlertStormProtection(new AlertStormOptions { DefaultRule = new AlertThrottleRule(TimeSpan.FromHours(1), 10) }, alertClock);
        await using var service = new DeliveryService(new DeliveryOptions { ConnectionsPerEndpoint = 1, RequestTimeout = PatientTimeout }, new CompressedTimeProvider(1000, ScenarioStart));
        var endpoint = service.Endpoint(receiver.Address);
        var code = DeviceAlertCode.ActivePowerImportAboveLoadLimit;

        // 15 load-limit alerts in one hour, then one the next hour.
        for (var i = 0UL; i < 16; i++)
        {
            if (i == 15)
            {
                alertClock.Advance(TimeSpan.FromHours(1));
            }

            var decision = storm.Evaluate(Meter, code);
            if (decision.Deliver)
            {
                var body = new ArrayBufferWriter<byte>();
                new DuisResponseWriter().WriteDeviceAlert(
                    new ResponseHeaderFields(null, new ResponseId(Meter, Supplier, i), ResponseCode.Success, alertClock.GetUtcNow()),
                    code, decision.ThrottledAlertSequenceId, decision.ThrottledAlertCount, [0xD9, 0x01], body);
                endpoint.Accept(new DeliveryMessageInfo(DeliveryKind.DeviceAlert, null, new ResponseId(Meter, Supplier, i)), body.WrittenSpan);
            }

            alertClock.Advance(TimeSpan.FromMinutes(1));
        }

        using (var limit = new CancellationTokenSource(RealLimit))
        {
            Assert.True(await service.DrainAsync(limit.Token));
        }

        var drained = service.Snapshot().Totals;
        Assert.Equal(11, drained.Delivered);
        Assert.Equal(0, drained.Pending);
        var headers = receiver.Received.Select(m => m.Header).ToArray();
        Assert.Equal(11, headers.Length);
        Assert.All(headers[..10], h => Assert.False(h.HasThrottledAlertCount || h.HasThrottledAlertSequenceId));
        var last = headers[10];
        Assert.Equal(15UL, last.ResponseId.Counter);
        Assert.Equal(5u, last.ThrottledAlertCount);
        Assert.Equal(1u, last.ThrottledAlertSequenceId);
    }

    private static DeliveryAcceptResult Accept(DeliveryEndpoint endpoint, ulong counter)
    {
        var kind = counter % 2 == 0 ? DeliveryKind.Response : DeliveryKind.DeviceAlert;
        var info = new DeliveryMessageInfo(kind, kind == DeliveryKind.Response ? new RequestId(Supplier, Meter, counter) : null, new ResponseId(Meter, Supplier, counter));
        return endpoint.Accept(info, Render(counter));
    }

    /// <summary>A real DUIS message: even counters a response to a read, odd ones a device alert.</summary>
    private static ReadOnlySpan<byte> Render(ulong counter)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new DuisResponseWriter();
        var responseId = new ResponseId(Meter, Supplier, counter);
        if (counter % 2 == 0)
        {
            var header = new ResponseHeaderFields(new RequestId(Supplier, Meter, counter), responseId, ResponseCode.Success, ScenarioStart);
            writer.WriteResponse(header, ServiceReferenceVariant.Parse("4.1.1"), [0xDD, 0x00, 0x01], output);
        }
        else
        {
            var header = new ResponseHeaderFields(null, responseId, ResponseCode.Success, ScenarioStart);
            writer.WriteDeviceAlert(header, DeviceAlertCode.SupplyOutageRestored, null, null, [0xD9, 0x01], output);
        }

        return output.WrittenSpan;
    }

    private static void AssertEachReceivedOnce(UserEndpoint receiver, int count)
    {
        var counters = receiver.Received.Select(m => m.Header.ResponseId.Counter).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, count).Select(i => (ulong)i), counters);
    }

    /// <summary>
    /// Polls the service until <paramref name="condition"/> holds, checking the accounting identity in every snapshot
    /// on the way; fails after <see cref="RealLimit"/> of real time.
    /// </summary>
    private static async Task<DeliverySnapshot> WaitForAsync(DeliveryService service, Func<DeliveryCounters, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var snapshot = service.Snapshot();
            AssertBalanced(snapshot);
            if (condition(snapshot.Totals))
            {
                return snapshot;
            }

            if (clock.Elapsed > RealLimit)
            {
                Assert.Fail($"Delivery did not reach the expected state; last counters {snapshot.Totals}.");
            }

            await Task.Delay(2);
        }
    }

    private static void AssertBalanced(DeliverySnapshot snapshot)
    {
        foreach (var endpoint in snapshot.Endpoints)
        {
            var c = endpoint.Counters;
            Assert.True(c.IsBalanced, $"Accepted {c.Accepted} ≠ delivered {c.Delivered} + expired {c.Expired} + pending {c.Pending} ({c})");
            Assert.True(c.Queued >= 0 && c.Retrying >= 0 && c.FailedQueue >= 0 && c.Redelivering >= 0 && c.BytesHeld >= 0, c.ToString());
        }

        Assert.True(snapshot.Totals.IsBalanced);
    }

    private sealed class RecordingObserver : IDeliveryObserver
    {
        public TimeProvider? Clock { get; set; }

        public ConcurrentQueue<(DeliveryMessageInfo Info, int Attempts, bool FromFailedQueue)> Delivered { get; } = new();

        public ConcurrentQueue<(DeliveryMessageInfo Info, int Attempts, DateTimeOffset At)> Expired { get; } = new();

        void IDeliveryObserver.Delivered(Uri endpoint, in DeliveryMessageInfo message, int attempts, bool fromFailedQueue)
            => Delivered.Enqueue((message, attempts, fromFailedQueue));

        void IDeliveryObserver.Expired(Uri endpoint, in DeliveryMessageInfo message, int attempts)
            => Expired.Enqueue((message, attempts, Clock?.GetUtcNow() ?? default));
    }
}
