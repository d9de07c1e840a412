using System.Buffers;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Signing;
using CapacitySim.Load.Recording;

namespace CapacitySim.Load.Receiver;

/// <summary>Chooses what an alert's delivery latency is recorded against (set once by the engine; called per alert).</summary>
/// <param name="alert">The alert's header as read.</param>
public delegate LatencyKey AlertKeySelector(in DuisHeader alert);

/// <summary>
/// The users' side of asynchronous delivery, without HTTP: reads each delivered body with
/// <see cref="DuisHeaderReader"/>, completes the request in the <see cref="CorrelationTable"/> by RequestID and records
/// its end-to-end latency, records alerts' delivery latency, and counts every outcome. Thread-safe: each calling thread
/// records into its own <see cref="LatencyWorker"/>. Nothing allocates per delivery in steady state.
/// </summary>
public sealed class ResponseIntake : IDisposable
{
    private const int StatusSlots = 256;

    private readonly CorrelationTable _table;
    private readonly LatencyRecorder _recorder;
    private readonly AlertKeySelector _alertKey;
    private readonly TimeProvider _time;
    private readonly DuisKeyStore? _keyStore;
    private readonly ThreadLocal<FastEnvelopedVerifier>? _verifiers;
    private readonly long[] _malformed = new long[StatusSlots];
    private readonly DenseIdMap _alertCodes;
    private readonly long[] _alertCounts;
    private readonly long[] _throttledCounts;
    private readonly long[] _suppressedCounts;
    private long _received;
    private long _bytes;
    private long _completed;
    private long _acknowledgements;
    private long _unknown;
    private long _duplicates;
    private long _afterTimeOut;
    private long _uncorrelated;
    private long _notResponses;
    private long _tooLarge;
    private long _signaturesVerified;
    private long _signatureFailures;

    /// <summary>Creates the intake.</summary>
    /// <param name="table">The run's correlation table (the sender adds to it).</param>
    /// <param name="recorder">Where latencies go; its timestamp frequency must be <paramref name="time"/>'s.</param>
    /// <param name="alertKey">What alert latencies are recorded against.</param>
    /// <param name="time">The run clock: arrival timestamps and the wall-clock time alerts' ResponseDateTime is measured against.</param>
    /// <param name="verifySignaturesWith">When set, every delivery's signature is checked against these certificates and failures counted.</param>
    /// <param name="alertCodeCapacity">Distinct alert codes counted separately; more are counted under the last.</param>
    public ResponseIntake(
        CorrelationTable table,
        LatencyRecorder recorder,
        AlertKeySelector alertKey,
        TimeProvider? time = null,
        DuisKeyStore? verifySignaturesWith = null,
        int alertCodeCapacity = 256)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(alertKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(alertCodeCapacity, 1);
        _time = time ?? TimeProvider.System;
        if (_time.TimestampFrequency != recorder.Options.TimestampFrequency)
        {
            throw new ArgumentException(
                $"The recorder counts {recorder.Options.TimestampFrequency} timestamp ticks a second but the run clock {_time.TimestampFrequency}: latencies would be misread.",
                nameof(recorder));
        }

        _table = table;
        _recorder = recorder;
        _alertKey = alertKey;
        _keyStore = verifySignaturesWith;
        if (_keyStore is not null)
        {
            // The fast verifier keeps per-call scratch state: one per receiving thread.
            _verifiers = new ThreadLocal<FastEnvelopedVerifier>(() => new FastEnvelopedVerifier(_keyStore), trackAllValues: true);
        }

        _alertCodes = new DenseIdMap(alertCodeCapacity);
        _alertCounts = new long[alertCodeCapacity + 1];
        _throttledCounts = new long[alertCodeCapacity + 1];
        _suppressedCounts = new long[alertCodeCapacity + 1];
    }

    /// <summary>The run clock.</summary>
    public TimeProvider Time => _time;

    /// <summary>
    /// The clock alerts' ResponseDateTime was written by, when it is not the run clock's wall time (the embedded DCC's
    /// compressed clock); null: the run clock.
    /// </summary>
    public TimeProvider? AlertClock { get; set; }

    /// <summary>How many times faster than wall time <see cref="AlertClock"/> runs (its compression).</summary>
    public double AlertClockRate { get; set; } = 1;

    /// <summary>Sees every delivered response and alert (a traffic capture), or null.</summary>
    public Engine.ITrafficObserver? Observer { get; init; }

    /// <summary>The run start on the clock's timestamp scale, for the observer's times; null: 0.</summary>
    public Func<long>? ObserverStartTimestamp { get; init; }

    /// <summary>
    /// Takes one delivered body that arrived at <paramref name="receivedTimestamp"/> (the run clock's timestamp) and
    /// returns the HTTP status to answer: 200 for any well-formed DUIS response or alert (known or not), 400 for a body
    /// that is not one. Never throws on the body's content.
    /// </summary>
    public int Accept(in ReadOnlySequence<byte> body, long receivedTimestamp) => Accept(body, receivedTimestamp, out _);

    /// <summary>
    /// As <see cref="Accept(in ReadOnlySequence{byte}, long)"/>, handing back the header as read (meaningful when the
    /// result is 200), so that a caller that needs it too does not read the body a second time.
    /// </summary>
    public int Accept(in ReadOnlySequence<byte> body, long receivedTimestamp, out DuisHeader header)
    {
        Interlocked.Increment(ref _received);
        Interlocked.Add(ref _bytes, body.Length);
        var status = DuisHeaderReader.TryRead(body, out header);
        if (status != DuisReadStatus.Ok)
        {
            Interlocked.Increment(ref _malformed[(byte)status]);
            return 400;
        }

        if (header.MessageKind != DuisMessageKind.Response)
        {
            Interlocked.Increment(ref _notResponses);
            return 400;
        }

        if (_verifiers is not null)
        {
            Verify(body);
        }

        if (header.BodyKind is DuisBodyKind.DeviceAlertMessage or DuisBodyKind.DccAlertMessage)
        {
            var latency = AcceptAlert(in header, receivedTimestamp);
            Observe(in header, body, receivedTimestamp, latency, alert: true);
            return 200;
        }

        if (!header.HasRequestId)
        {
            Interlocked.Increment(ref _uncorrelated);
            return 200;
        }

        var code = header.ResponseCode;
        var outcome = _table.Complete(header.RequestId, receivedTimestamp, code == ResponseCode.Acknowledged, out var entry);
        if (Observer is not null)
        {
            Observe(in header, body, receivedTimestamp, outcome == CorrelationOutcome.Completed ? receivedTimestamp - entry.IntendedTimestamp : 0, alert: false);
        }

        switch (outcome)
        {
            case CorrelationOutcome.Completed:
                _recorder.CurrentThreadWorker.RecordResponse(in entry, code);
                Interlocked.Increment(ref _completed);
                break;
            case CorrelationOutcome.Acknowledged:
                Interlocked.Increment(ref _acknowledgements);
                break;
            case CorrelationOutcome.Duplicate:
                Interlocked.Increment(ref _duplicates);
                break;
            case CorrelationOutcome.AfterTimeOut:
                Interlocked.Increment(ref _afterTimeOut);
                break;
            default:
                Interlocked.Increment(ref _unknown);
                break;
        }

        return 200;
    }

    /// <summary>Counts a body refused before it was read because it was larger than the limit.</summary>
    public void CountTooLarge(long bytesRead)
    {
        Interlocked.Increment(ref _received);
        Interlocked.Add(ref _bytes, bytesRead);
        Interlocked.Increment(ref _tooLarge);
    }

    /// <summary>A consistent-enough copy of the counts (each count is exact; deliveries in progress may be half counted).</summary>
    public ReceiverCounters GetCounters()
    {
        var malformed = new Dictionary<DuisReadStatus, long>();
        for (var s = 0; s < StatusSlots; s++)
        {
            var n = Volatile.Read(ref _malformed[s]);
            if (n != 0)
            {
                malformed[(DuisReadStatus)s] = n;
            }
        }

        var alerts = new List<AlertCodeCount>();
        var codes = _alertCodes.Count;
        for (var i = 0; i <= codes; i++)
        {
            var count = Volatile.Read(ref _alertCounts[i]);
            if (count == 0)
            {
                continue;
            }

            var text = i < codes ? CodePacking.AlertText(_alertCodes.KeyAt(i)) : "other";
            var isDcc = i < codes && IsDccAlert(_alertCodes.KeyAt(i));
            alerts.Add(new AlertCodeCount(text, isDcc, count, Volatile.Read(ref _throttledCounts[i]), Volatile.Read(ref _suppressedCounts[i])));
        }

        return new ReceiverCounters(
            Volatile.Read(ref _received),
            Volatile.Read(ref _bytes),
            Volatile.Read(ref _completed),
            Volatile.Read(ref _acknowledgements),
            Volatile.Read(ref _unknown),
            Volatile.Read(ref _duplicates),
            Volatile.Read(ref _afterTimeOut),
            Volatile.Read(ref _uncorrelated),
            Volatile.Read(ref _notResponses),
            Volatile.Read(ref _tooLarge),
            Volatile.Read(ref _signaturesVerified),
            Volatile.Read(ref _signatureFailures),
            malformed,
            alerts);
    }

    /// <summary>Releases the signature verifiers.</summary>
    public void Dispose()
    {
        if (_verifiers is null)
        {
            return;
        }

        foreach (var verifier in _verifiers.Values)
        {
            verifier.Dispose();
        }

        _verifiers.Dispose();
    }

    // Packed device alert codes carry the marker 'G' where DCC alert codes carry their N or AD kind (CodePacking).
    private static bool IsDccAlert(ulong packed) => (byte)(packed >> 32) != (byte)'G';

    private void Observe(in DuisHeader header, in ReadOnlySequence<byte> body, long receivedTimestamp, long latencyTicks, bool alert)
    {
        if (Observer is not { } observer)
        {
            return;
        }

        var start = ObserverStartTimestamp?.Invoke() ?? 0;
        var frequency = _time.TimestampFrequency;
        var id = header.HasRequestId ? header.RequestId : default;
        ushort alertCode = 0;
        var isDcc = false;
        if (alert)
        {
            var packed = header.BodyKind == DuisBodyKind.DccAlertMessage ? CodePacking.Pack(header.DccAlertCode) : CodePacking.Pack(header.DeviceAlertCode);
            isDcc = IsDccAlert(packed);
            alertCode = (ushort)packed;
        }

        observer.Observe(
            new Engine.TrafficEvent(
                alert ? Engine.TrafficEventKind.Alert : Engine.TrafficEventKind.DeliveredResponse,
                (receivedTimestamp - start) * 1_000_000 / frequency,
                id,
                header.ServiceReferenceVariant,
                alert ? default : header.ResponseCode,
                alertCode,
                isDcc,
                latencyTicks * 1_000_000 / frequency,
                (int)body.Length,
                0),
            body);
    }

    // Returns the alert's delivery latency in timestamp ticks.
    private long AcceptAlert(in DuisHeader header, long receivedTimestamp)
    {
        // The alert's age by the wall clock, moved onto the timestamp scale: raised = received - age.
        // The sender's clock may run compressed (the embedded DCC's): its age then shrinks back to wall time.
        var age = AlertClock is { } alertClock
            ? (alertClock.GetUtcNow() - header.ResponseDateTime) / AlertClockRate
            : _time.GetUtcNow() - header.ResponseDateTime;
        var ageTicks = (long)((Int128)age.Ticks * _time.TimestampFrequency / TimeSpan.TicksPerSecond);
        var raised = receivedTimestamp - ageTicks;
        var key = _alertKey(in header);
        var worker = _recorder.CurrentThreadWorker;
        ulong packed;
        if (header.BodyKind == DuisBodyKind.DccAlertMessage)
        {
            worker.RecordAlert(key, header.DccAlertCode, raised, receivedTimestamp);
            packed = CodePacking.Pack(header.DccAlertCode);
        }
        else
        {
            worker.RecordAlert(key, header.DeviceAlertCode, raised, receivedTimestamp);
            packed = CodePacking.Pack(header.DeviceAlertCode);
        }

        var index = _alertCodes.GetOrAdd(packed);
        if (index < 0)
        {
            index = _alertCodes.Capacity;
        }

        Interlocked.Increment(ref _alertCounts[index]);
        if (header.HasThrottledAlertCount)
        {
            Interlocked.Increment(ref _throttledCounts[index]);
            Interlocked.Add(ref _suppressedCounts[index], header.ThrottledAlertCount);
        }

        return receivedTimestamp - raised;
    }

    private void Verify(in ReadOnlySequence<byte> body)
    {
        var verifier = _verifiers!.Value!;
        SignatureVerificationResult result;
        if (body.IsSingleSegment)
        {
            result = verifier.VerifyOrFallBack(body.FirstSpan);
        }
        else
        {
            // The header reader accepted the body, so it fits in an array.
            var length = (int)body.Length;
            var rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                body.CopyTo(rented);
                result = verifier.VerifyOrFallBack(rented.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        Interlocked.Increment(ref result == SignatureVerificationResult.Valid ? ref _signaturesVerified : ref _signatureFailures);
    }
}
