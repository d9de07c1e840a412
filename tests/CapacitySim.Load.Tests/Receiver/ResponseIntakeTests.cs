using System.Buffers;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Duis.Writing;
using CapacitySim.Load.Receiver;
using CapacitySim.Load.Recording;
using Microsoft.Extensions.Time.Testing;

namespace CapacitySim.Load.Tests.Receiver;

public class ResponseIntakeTests
{
    private static readonly Eui64 Supplier = Eui64.Parse("90-B3-D5-1F-30-01-00-00");
    private static readonly Eui64 Meter = Eui64.Parse("00-DB-12-34-56-78-90-A0");
    private static readonly Eui64 Dsp = Eui64.Parse("90-B3-D5-1F-30-00-00-02");
    private static readonly ServiceReferenceVariant ReadInstantaneous = ServiceReferenceVariant.Parse("4.1.1");
    private static readonly LatencyKey ReadKey = new(new LatencyCategory(2), ReadInstantaneous, CspRegion.North, 7);
    private static readonly LatencyKey AlertKey = new(new LatencyCategory(6), default, CspRegion.North, 0);
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Taking_responses_and_alerts_allocates_nothing_in_steady_state()
    {
        const int Bodies = 512;
        const int Rounds = 100;
        var time = new FakeTimeProvider(Start);
        var table = new CorrelationTable(1024);
        using var recorder = new LatencyRecorder(new LatencyRecorderOptions { TimestampFrequency = time.TimestampFrequency });
        using var intake = new ResponseIntake(table, recorder, SelectAlertKey, time);
        var writer = new DuisResponseWriter();
        var responses = new ReadOnlySequence<byte>[Bodies];
        var entries = new CorrelationEntry[Bodies];
        for (var i = 0; i < Bodies; i++)
        {
            var id = new RequestId(Supplier, Meter, (ulong)i + 1);
            var output = new ArrayBufferWriter<byte>();
            var code = i % 16 == 0 ? ResponseCode.Parse("E21") : ResponseCode.Success;
            writer.WriteResponse(new ResponseHeaderFields(id, new ResponseId(Meter, Supplier, (ulong)i + 1), code, Start), ReadInstantaneous, default, output);
            responses[i] = new ReadOnlySequence<byte>(output.WrittenMemory.ToArray());
            entries[i] = new CorrelationEntry(id, ReadKey, 0, 0, 0);
        }

        var alertOutput = new ArrayBufferWriter<byte>();
        writer.WriteDeviceAlert(new ResponseHeaderFields(null, new ResponseId(Meter, Supplier, 9), ResponseCode.Success, Start), DeviceAlertCode.SupplyOutageRestored, 3, 40, default, alertOutput);
        var alert = new ReadOnlySequence<byte>(alertOutput.WrittenMemory.ToArray());

        // Warm-up: every key, code and the thread's worker are seen once.
        Assert.Equal(0, Round(table, intake, entries, responses, alert));

        var failures = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < Rounds; r++)
        {
            failures += Round(table, intake, entries, responses, alert);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);

        // The runtime itself may allocate a few kilobytes once on this thread while it recompiles hot methods; any
        // allocation per delivery would be at least one object (24 bytes) for each of the ~53,000 deliveries.
        var deliveries = Rounds * (Bodies + (Bodies / 16));
        Assert.True(allocated < deliveries, $"{allocated} bytes allocated over {deliveries} deliveries.");
        var counters = intake.GetCounters();
        Assert.Equal((Rounds + 1) * Bodies, counters.ResponsesCompleted);
        Assert.Equal((Rounds + 1) * Bodies / 16, counters.DeviceAlerts);
        Assert.Equal(counters.Received, counters.Accounted);
    }

    [Fact]
    public void Signatures_are_verified_when_asked_and_failures_counted()
    {
        var time = new FakeTimeProvider(Start);
        var table = new CorrelationTable(16);
        var keys = DuisKeyStore.Load(SharedDuis.Keys);
        using var recorder = new LatencyRecorder(new LatencyRecorderOptions { TimestampFrequency = time.TimestampFrequency });
        using var intake = new ResponseIntake(table, recorder, SelectAlertKey, time, verifySignaturesWith: keys);
        using var dsp = new FastEnvelopedSigner(keys.IdentityFor(Dsp));
        var writer = new DuisResponseWriter();

        var unsigned = new ArrayBufferWriter<byte>();
        writer.WriteResponse(new ResponseHeaderFields(new RequestId(Supplier, Meter, 1), new ResponseId(Meter, Supplier, 1), ResponseCode.Success, Start), ReadInstantaneous, "\u0001"u8, unsigned);
        var signed = new ArrayBufferWriter<byte>();
        dsp.WriteSigned(unsigned.WrittenSpan, signed);
        var tampered = signed.WrittenSpan.ToArray();

        // A changed ResponseCode (I0 to I1) still reads but no longer matches the signed digest.
        var at = tampered.AsSpan().IndexOf("<sr:ResponseCode>I0<"u8) + "<sr:ResponseCode>I"u8.Length;
        tampered[at] = (byte)'1';

        Assert.Equal(200, intake.Accept(new ReadOnlySequence<byte>(signed.WrittenMemory), time.GetTimestamp()));
        Assert.Equal(200, intake.Accept(new ReadOnlySequence<byte>(tampered), time.GetTimestamp()));
        Assert.Equal(200, intake.Accept(new ReadOnlySequence<byte>(unsigned.WrittenMemory), time.GetTimestamp()));

        var counters = intake.GetCounters();
        Assert.Equal(1, counters.SignaturesVerified);
        Assert.Equal(2, counters.SignatureFailures);
        Assert.Equal(3, counters.Unknown);
    }

    // Returns how many steps failed, so that nothing in the measured loop allocates on the test's side.
    private static int Round(CorrelationTable table, ResponseIntake intake, CorrelationEntry[] entries, ReadOnlySequence<byte>[] responses, in ReadOnlySequence<byte> alert)
    {
        var failures = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            failures += table.TryAdd(entries[i]) ? 0 : 1;
            failures += intake.Accept(responses[i], i) == 200 ? 0 : 1;
            if (i % 16 == 0)
            {
                failures += intake.Accept(alert, i) == 200 ? 0 : 1;
            }
        }

        return failures;
    }

    private static LatencyKey SelectAlertKey(in DuisHeader alert) => AlertKey;
}
