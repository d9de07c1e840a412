using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Duis.Writing;
using CapacitySim.Load.Receiver;
using CapacitySim.Load.Recording;
using Microsoft.Extensions.Time.Testing;

namespace CapacitySim.Load.Tests.Receiver;

public sealed class ResponseReceiverTests : IAsyncLifetime, IDisposable
{
    private static readonly Eui64 Supplier = Eui64.Parse("90-B3-D5-1F-30-01-00-00");
    private static readonly Eui64 Meter = Eui64.Parse("00-DB-12-34-56-78-90-A0");
    private static readonly Eui64 Dsp = Eui64.Parse("90-B3-D5-1F-30-00-00-02");
    private static readonly ServiceReferenceVariant ReadInstantaneous = ServiceReferenceVariant.Parse("4.1.1");
    private static readonly LatencyKey ReadKey = new(new LatencyCategory(2), ReadInstantaneous, CspRegion.North, 7);
    private static readonly LatencyKey DeviceAlertKey = new(new LatencyCategory(6), default, CspRegion.North, 0);
    private static readonly LatencyKey DccAlertKey = new(new LatencyCategory(7), default, CspRegion.North, 0);
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly CorrelationTable _table = new(4096);
    private readonly LatencyRecorder _recorder;
    private readonly ResponseIntake _intake;
    private readonly DuisResponseWriter _writer = new();
    private ResponseReceiver? _receiver;
    private HttpClient? _client;

    public ResponseReceiverTests()
    {
        // The recorder counts in the run clock's ticks (FakeTimeProvider: 10 million a second).
        _recorder = new LatencyRecorder(new LatencyRecorderOptions { TimestampFrequency = _time.TimestampFrequency, SignificantDigits = 3 });
        _intake = new ResponseIntake(_table, _recorder, SelectAlertKey, _time);
    }

    private ResponseReceiver Receiver => _receiver!;

    private HttpClient Client => _client!;

    public async Task InitializeAsync()
    {
        _receiver = await ResponseReceiver.StartAsync(new ResponseReceiverOptions(), _intake);
        _client = NewClient(_receiver);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _intake.Dispose();
        _recorder.Dispose();
    }

    [Fact]
    public async Task Responses_to_requests_in_flight_complete_and_are_recorded_by_code()
    {
        var intended = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(1));
        var sent = _time.GetTimestamp();
        for (ulong counter = 1; counter <= 3; counter++)
        {
            Assert.True(_table.TryAdd(new CorrelationEntry(Id(counter), ReadKey, 0, intended, sent)));
        }

        // The device answered 5 s after the intended send time, 4 s after the actual send.
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Response(1, ResponseCode.Success)));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Response(2, ResponseCode.Success)));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Response(3, ResponseCode.Parse("E21"))));

        var counters = _intake.GetCounters();
        Assert.Equal(3, counters.Received);
        Assert.Equal(3, counters.ResponsesCompleted);
        Assert.Equal(3, counters.Accounted);
        Assert.Equal(0, _table.InFlight);

        var snapshot = _recorder.Snapshot(Start.AddSeconds(5));
        var key = KeyIndex(snapshot, ReadKey);
        Assert.Equal(2, ResponseCount(snapshot, key, ResponseCode.Success));
        Assert.Equal(1, ResponseCount(snapshot, key, ResponseCode.Parse("E21")));
        var corrected = LatencyStatistics.Percentiles(snapshot.GetCorrected(key));
        var uncorrected = LatencyStatistics.Percentiles(snapshot.GetUncorrected(key));
        Assert.Equal(3, corrected.Count);
        AssertNear(5_000_000, corrected.Max);
        AssertNear(4_000_000, uncorrected.Max);
    }

    [Fact]
    public async Task Unknown_and_repeated_request_ids_are_counted_not_lost()
    {
        var now = _time.GetTimestamp();
        Assert.True(_table.TryAdd(new CorrelationEntry(Id(10), ReadKey, 0, now, now)));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(Response(99, ResponseCode.Success)));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Response(10, ResponseCode.Success)));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Response(10, ResponseCode.Success)));

        var counters = _intake.GetCounters();
        Assert.Equal(3, counters.Received);
        Assert.Equal(1, counters.Unknown);
        Assert.Equal(1, counters.ResponsesCompleted);
        Assert.Equal(1, counters.Duplicates);
        Assert.Equal(3, counters.Accounted);
        var table = _table.GetCounts();
        Assert.Equal(1, table.Unknown);
        Assert.Equal(1, table.Duplicates);
    }

    [Fact]
    public async Task A_response_after_its_request_timed_out_is_counted_as_late()
    {
        var now = _time.GetTimestamp();
        Assert.True(_table.TryAdd(new CorrelationEntry(Id(20), ReadKey, 0, now, now)));
        _time.Advance(TimeSpan.FromMinutes(2));
        var expired = new CorrelationEntry[4];
        Assert.Equal(1, _table.Expire(_time.GetTimestamp(), expired));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(Response(20, ResponseCode.Success)));
        var counters = _intake.GetCounters();
        Assert.Equal(1, counters.AfterTimeOut);
        Assert.Equal(0, counters.ResponsesCompleted);
    }

    [Fact]
    public async Task An_acknowledgement_delivered_to_the_receiver_marks_the_request_without_completing_it()
    {
        var now = _time.GetTimestamp();
        Assert.True(_table.TryAdd(new CorrelationEntry(Id(30), ReadKey, 0, now, now)));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Response(30, ResponseCode.Acknowledged)));
        Assert.Equal(1, _intake.GetCounters().AcknowledgementsSeen);
        Assert.Equal(1, _table.InFlight);
    }

    [Fact]
    public async Task Device_and_dcc_alerts_are_counted_by_code_with_their_throttled_counts_and_delivery_latency()
    {
        // The DCC alert was raised 7 s and the device alert 3 s before both reach the user.
        var raisedDcc = _time.GetUtcNow();
        var outage = DccAlertBody.PowerOutageEvent(Meter, raisedDcc.AddMinutes(-10), 1234567890123);
        _time.Advance(TimeSpan.FromSeconds(4));
        var raisedDevice = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(3));

        var device = new ArrayBufferWriter<byte>();
        _writer.WriteDeviceAlert(new ResponseHeaderFields(null, new ResponseId(Meter, Supplier, 1), ResponseCode.Success, raisedDevice), DeviceAlertCode.SupplyOutageRestored, 7, 12, default, device);
        var deviceUnthrottled = new ArrayBufferWriter<byte>();
        _writer.WriteDeviceAlert(new ResponseHeaderFields(null, new ResponseId(Meter, Supplier, 2), ResponseCode.Success, raisedDevice), DeviceAlertCode.SupplyOutageRestored, null, null, default, deviceUnthrottled);
        var dcc = new ArrayBufferWriter<byte>();
        _writer.WriteDccAlert(new ResponseHeaderFields(null, new ResponseId(Dsp, Supplier, 3), ResponseCode.Success, raisedDcc), DccAlertCode.Parse("N24"), 8, 5, outage, dcc);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(device.WrittenMemory.ToArray()));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(deviceUnthrottled.WrittenMemory.ToArray()));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(dcc.WrittenMemory.ToArray()));

        var counters = _intake.GetCounters();
        Assert.Equal(2, counters.DeviceAlerts);
        Assert.Equal(1, counters.DccAlerts);
        Assert.Equal(2, counters.ThrottledAlerts);
        Assert.Equal(17, counters.SuppressedAlerts);
        Assert.Equal(3, counters.Accounted);
        var restored = Assert.Single(counters.Alerts, a => a.Code == "8F35");
        Assert.Equal(new AlertCodeCount("8F35", false, 2, 1, 12), restored);
        var outageAlert = Assert.Single(counters.Alerts, a => a.Code == "N24");
        Assert.Equal(new AlertCodeCount("N24", true, 1, 1, 5), outageAlert);

        var snapshot = _recorder.Snapshot(Start.AddSeconds(7));
        var deviceKey = KeyIndex(snapshot, DeviceAlertKey);
        var dccKey = KeyIndex(snapshot, DccAlertKey);
        var deviceLatency = LatencyStatistics.Percentiles(snapshot.GetCorrected(deviceKey));
        Assert.Equal(2, deviceLatency.Count);
        AssertNear(3_000_000, deviceLatency.Max);
        AssertNear(7_000_000, LatencyStatistics.Percentiles(snapshot.GetCorrected(dccKey)).Max);
        Assert.Equal(2, AlertCount(snapshot, deviceKey, "8F35"));
        Assert.Equal(1, AlertCount(snapshot, dccKey, "N24"));
    }

    [Fact]
    public async Task Malformed_bodies_are_answered_400_and_counted_by_reader_status()
    {
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("<sr:Response xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\"><sr:Header>"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("{\"not\":\"xml\"}"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("<other/>"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(File.ReadAllBytes(Directory.GetFiles(SharedDuis.SignedSamples, "*.xml")[0])));

        var counters = _intake.GetCounters();
        Assert.Equal(4, counters.Received);
        Assert.Equal(3, counters.Malformed);
        Assert.Equal(1, counters.MalformedByStatus[DuisReadStatus.UnexpectedEnd]);
        Assert.Equal(1, counters.MalformedByStatus[DuisReadStatus.NotXml]);
        Assert.Equal(1, counters.MalformedByStatus[DuisReadStatus.NotDuis]);
        Assert.Equal(1, counters.NotResponses);
        Assert.Equal(4, counters.Accounted);
    }

    [Fact]
    public async Task Deliveries_are_taken_under_the_delivery_path_only_and_by_post_only()
    {
        var now = _time.GetTimestamp();
        Assert.True(_table.TryAdd(new CorrelationEntry(Id(40), ReadKey, 0, now, now)));
        using (var content = Xml(Response(40, ResponseCode.Success)))
        {
            using var under = await Client.PostAsync(new Uri(Receiver.DeliveryAddress, "supplier-a"), content);
            Assert.Equal(HttpStatusCode.OK, under.StatusCode);
            Assert.Equal(0, under.Content.Headers.ContentLength);
        }

        using (var content = Xml(Response(41, ResponseCode.Success)))
        {
            using var elsewhere = await Client.PostAsync(new Uri(Receiver.BaseAddress, "/somewhere-else"), content);
            Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        }

        using var get = await Client.GetAsync(Receiver.DeliveryAddress);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        var counters = _intake.GetCounters();
        Assert.Equal(1, counters.Received);
        Assert.Equal(1, counters.ResponsesCompleted);
    }

    [Fact]
    public async Task Concurrent_deliveries_from_several_clients_are_all_accounted_for()
    {
        const int Known = 1500;
        const int Unknown = 250;
        const int Repeats = 150;
        const int Malformed = 100;
        var now = _time.GetTimestamp();
        var bodies = new List<byte[]>();
        for (ulong counter = 1; counter <= Known; counter++)
        {
            Assert.True(_table.TryAdd(new CorrelationEntry(Id(counter), ReadKey, 0, now, now)));
            bodies.Add(Response(counter, ResponseCode.Success));
        }

        for (ulong counter = 0; counter < Unknown; counter++)
        {
            bodies.Add(Response(1_000_000 + counter, ResponseCode.Success));
        }

        var shuffled = bodies.ToArray();
        new Random(4).Shuffle(shuffled);

        // Repeats follow after all the originals so that each repeat finds its request already completed.
        var repeats = new List<byte[]>();
        for (var i = 0; i < Repeats; i++)
        {
            repeats.Add(Response((ulong)(i + 1), ResponseCode.Success));
        }

        for (var i = 0; i < Malformed; i++)
        {
            repeats.Add("<sr:Response"u8.ToArray());
        }

        var clients = new HttpClient[4];
        for (var c = 0; c < clients.Length; c++)
        {
            clients[c] = NewClient(Receiver);
        }

        try
        {
            await SendAllAsync(clients, shuffled);
            await SendAllAsync(clients, repeats.ToArray());
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        var counters = _intake.GetCounters();
        Assert.Equal(Known + Unknown + Repeats + Malformed, counters.Received);
        Assert.Equal(Known, counters.ResponsesCompleted);
        Assert.Equal(Unknown, counters.Unknown);
        Assert.Equal(Repeats, counters.Duplicates);
        Assert.Equal(Malformed, counters.Malformed);
        Assert.Equal(counters.Received, counters.Accounted);
        Assert.Equal(0, _table.InFlight);
        var snapshot = _recorder.Snapshot(Start.AddSeconds(1));
        Assert.Equal(Known, ResponseCount(snapshot, KeyIndex(snapshot, ReadKey), ResponseCode.Success));
    }

    [Fact]
    public async Task Bodies_over_the_size_limit_are_refused_and_counted()
    {
        await using var small = await ResponseReceiver.StartAsync(new ResponseReceiverOptions { MaxRequestBytes = 256, Path = "/small" }, _intake);
        using var client = NewClient(small);
        using var content = Xml(Response(50, ResponseCode.Success));
        using var answer = await client.PostAsync(small.DeliveryAddress, content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
        var counters = _intake.GetCounters();
        Assert.Equal(1, counters.TooLarge);
        Assert.Equal(1, counters.Accounted);
    }

    [Fact]
    public void A_listen_url_sets_address_port_and_path()
    {
        var any = ResponseReceiverOptions.FromUrl(new Uri("http://0.0.0.0:8080/users/receive"));
        Assert.Equal(IPAddress.Any, any.Address);
        Assert.Equal(8080, any.Port);
        Assert.Equal("/users/receive", any.Path);
        var local = ResponseReceiverOptions.FromUrl(new Uri("http://localhost:9000"));
        Assert.Equal(IPAddress.Loopback, local.Address);
        Assert.Equal(ResponseReceiverOptions.DefaultPath, local.Path);
        Assert.Throws<ArgumentException>(() => ResponseReceiverOptions.FromUrl(new Uri("https://127.0.0.1:9443/")));
        Assert.Throws<ArgumentException>(() => ResponseReceiverOptions.FromUrl(new Uri("http://dcc.example:80/")));
    }

    [Fact]
    public void A_recorder_on_another_timestamp_scale_is_refused()
    {
        using var recorder = new LatencyRecorder(new LatencyRecorderOptions { TimestampFrequency = 1_000_000 });
        Assert.Throws<ArgumentException>(() => new ResponseIntake(_table, recorder, SelectAlertKey, _time));
    }

    private static LatencyKey SelectAlertKey(in DuisHeader alert)
        => alert.BodyKind == DuisBodyKind.DccAlertMessage ? DccAlertKey : DeviceAlertKey;

    private static RequestId Id(ulong counter) => new(Supplier, Meter, counter);

    private static HttpClient NewClient(ResponseReceiver receiver)
        => new() { BaseAddress = receiver.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static ByteArrayContent Xml(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        return content;
    }

    private static async Task SendAllAsync(HttpClient[] clients, byte[][] bodies)
    {
        var next = -1;
        var tasks = new Task[clients.Length * 4];
        for (var t = 0; t < tasks.Length; t++)
        {
            var client = clients[t % clients.Length];
            tasks[t] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < bodies.Length)
                {
                    using var content = Xml(bodies[i]);
                    using var answer = await client.PostAsync(new Uri(ResponseReceiverOptions.DefaultPath, UriKind.Relative), content);
                }
            });
        }

        await Task.WhenAll(tasks);
    }

    private static int KeyIndex(LatencySnapshot snapshot, LatencyKey key)
    {
        for (var i = 0; i < snapshot.KeyCount; i++)
        {
            if (snapshot.GetKey(i) == key)
            {
                return i;
            }
        }

        Assert.Fail($"No latency recorded for {key}.");
        return -1;
    }

    private static long ResponseCount(LatencySnapshot snapshot, int key, ResponseCode code)
    {
        for (var c = 0; c < snapshot.ResponseCodeCount; c++)
        {
            if (snapshot.GetResponseCode(c) == code)
            {
                return snapshot.GetResponseCount(key, c);
            }
        }

        return 0;
    }

    private static long AlertCount(LatencySnapshot snapshot, int key, string code)
    {
        for (var c = 0; c < snapshot.AlertCodeCount; c++)
        {
            if (snapshot.GetAlertCodeText(c) == code)
            {
                return snapshot.GetAlertCount(key, c);
            }
        }

        return 0;
    }

    private static void AssertNear(long expectedMicroseconds, long actual)
        => Assert.InRange(actual, expectedMicroseconds * 999 / 1000, expectedMicroseconds * 1001 / 1000);

    private byte[] Response(ulong counter, ResponseCode code)
    {
        var output = new ArrayBufferWriter<byte>();
        var header = new ResponseHeaderFields(Id(counter), new ResponseId(Meter, Supplier, counter), code, _time.GetUtcNow());
        _writer.WriteResponse(header, ReadInstantaneous, code == ResponseCode.Success ? "\u0001\u0002"u8 : default, output);
        return output.WrittenMemory.ToArray();
    }

    private async Task<HttpStatusCode> PostAsync(byte[] body)
    {
        using var content = Xml(body);
        using var answer = await Client.PostAsync(Receiver.DeliveryAddress, content);
        return answer.StatusCode;
    }
}
