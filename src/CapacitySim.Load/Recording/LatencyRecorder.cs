using CapacitySim.Duis.Catalogue;
using HdrHistogram;

namespace CapacitySim.Load.Recording;

/// <summary>
/// End-to-end latency recording for a run: one <see cref="LatencyWorker"/> per receiving thread records without locks
/// into its own HdrHistogram recorders; <see cref="Snapshot"/> swaps every worker's interval histograms (recycling the
/// previous ones, so nothing allocates once every key has been seen) and merges them into per-key and per-category
/// totals without stopping recording. Latencies are kept in microseconds of wall-clock time.
/// </summary>
public sealed class LatencyRecorder : IDisposable
{
    private readonly Lock _workersLock = new();
    private readonly Lock _snapshotLock = new();
    private readonly ThreadLocal<LatencyWorker> _threadWorkers;
    private readonly LatencySnapshot _snapshot;
    private LatencyWorker[] _workers = [];

    /// <summary>Creates a recorder; throws <see cref="ArgumentException"/> listing every problem with the options.</summary>
    public LatencyRecorder(LatencyRecorderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        Options = options;
        Keys = new LatencyKeySpace(options.KeyCapacity);
        ResponseCodes = new DenseIdMap(options.ResponseCodeCapacity);
        AlertCodes = new DenseIdMap(options.AlertCodeCapacity);
        HighestTrackableMicroseconds = (long)options.HighestTrackableLatency.TotalMicroseconds;
        _threadWorkers = new ThreadLocal<LatencyWorker>(CreateWorker);
        _snapshot = new LatencySnapshot(this);
    }

    /// <summary>The options the recorder was made with.</summary>
    public LatencyRecorderOptions Options { get; }

    /// <summary>The keys recorded so far, with their dense indices.</summary>
    public LatencyKeySpace Keys { get; }

    /// <summary>Largest latency kept exactly, in microseconds.</summary>
    public long HighestTrackableMicroseconds { get; }

    /// <summary>
    /// The calling thread's worker, created on its first use. Suits receivers whose handlers run on pool threads: each
    /// thread records into its own histograms.
    /// </summary>
    public LatencyWorker CurrentThreadWorker => _threadWorkers.Value!;

    internal DenseIdMap ResponseCodes { get; }

    internal DenseIdMap AlertCodes { get; }

    /// <summary>Creates a worker. A worker must be used by one thread at a time.</summary>
    public LatencyWorker CreateWorker()
    {
        var worker = new LatencyWorker(this);
        lock (_workersLock)
        {
            // Copy-on-write: the snapshot thread reads the array without the lock.
            var grown = new LatencyWorker[_workers.Length + 1];
            _workers.CopyTo(grown, 0);
            grown[^1] = worker;
            Volatile.Write(ref _workers, grown);
        }

        return worker;
    }

    /// <summary>
    /// Ends the current interval at <paramref name="intervalEnd"/>: swaps every worker's interval histograms, merges them
    /// into the interval and cumulative figures and returns them. The returned object is reused: it is valid until the
    /// next call. Calls are serialised; recording goes on meanwhile.
    /// </summary>
    public LatencySnapshot Snapshot(DateTimeOffset intervalEnd)
    {
        lock (_snapshotLock)
        {
            var workers = Volatile.Read(ref _workers);
            var keyCount = Keys.Count;
            _snapshot.BeginInterval(intervalEnd, keyCount);
            foreach (var worker in workers)
            {
                worker.DrainInto(_snapshot, keyCount);
            }

            _snapshot.EndInterval();
            return _snapshot;
        }
    }

    /// <summary>Sets when the run (and so the first interval) started; call before the first snapshot.</summary>
    public void BeginRun(DateTimeOffset start)
    {
        lock (_snapshotLock)
        {
            _snapshot.SetRunStart(start);
        }
    }

    /// <summary>
    /// Ends warm-up at <paramref name="warmUpEnd"/>: what was recorded so far is thrown away (counts and histograms
    /// start again from zero), as wrk2 discards its calibration period. Recording goes on meanwhile.
    /// </summary>
    public void DiscardWarmUp(DateTimeOffset warmUpEnd)
    {
        lock (_snapshotLock)
        {
            _snapshot.DiscardFollowing();
        }

        Snapshot(warmUpEnd);
    }

    /// <summary>Releases the per-thread worker slots (workers already handed out stay usable).</summary>
    public void Dispose() => _threadWorkers.Dispose();

    /// <summary>Converts a span of timestamp ticks to whole microseconds without overflow.</summary>
    public long TicksToMicroseconds(long ticks)
    {
        var frequency = Options.TimestampFrequency;
        var whole = Math.DivRem(ticks, frequency, out var rest);
        return (whole * 1_000_000) + (rest * 1_000_000 / frequency);
    }

    internal HistogramBase CreateWorkerHistogram(long instanceId, long lowest, long highest, int digits)
        => new IntHistogram(instanceId, lowest, highest, digits);

    internal Recorder CreateRecorder()
        => new(1, HighestTrackableMicroseconds, Options.SignificantDigits, CreateWorkerHistogram);

    internal LongHistogram CreateMergedHistogram()
        => new(1, HighestTrackableMicroseconds, Options.SignificantDigits);
}

/// <summary>
/// One thread's recording side of a <see cref="LatencyRecorder"/>: no locks, no allocation once each key has been seen.
/// Latencies outside 0…<see cref="LatencyRecorder.HighestTrackableMicroseconds"/> are clamped to the range and counted.
/// </summary>
public sealed class LatencyWorker
{
    private readonly LatencyRecorder _owner;
    private readonly WorkerKeyState?[] _states;
    private long _keyOverflow;

    internal LatencyWorker(LatencyRecorder owner)
    {
        _owner = owner;
        _states = new WorkerKeyState?[owner.Keys.Capacity];
    }

    /// <summary>Latencies not recorded because the key space was full.</summary>
    public long KeyOverflow => Volatile.Read(ref _keyOverflow);

    /// <summary>
    /// Records a final response: latency from the intended send time (corrected for coordinated omission) and from the
    /// actual send (uncorrected), and one more response with <paramref name="code"/>.
    /// </summary>
    public void RecordResponse(in LatencyKey key, long intendedTimestamp, long sentTimestamp, long receivedTimestamp, ResponseCode code)
    {
        var state = StateFor(key);
        if (state is null)
        {
            return;
        }

        state.Corrected.RecordValue(Clamp(_owner.TicksToMicroseconds(receivedTimestamp - intendedTimestamp), ref state.Clamped));
        state.Uncorrected.RecordValue(Clamp(_owner.TicksToMicroseconds(receivedTimestamp - sentTimestamp), ref state.Clamped));
        state.ResponseCodeCounts[CodeIndex(_owner.ResponseCodes, CodePacking.Pack(code))]++;
    }

    /// <summary>Records the final response of a request the correlation table has just completed.</summary>
    public void RecordResponse(in CorrelationEntry completed, ResponseCode code)
        => RecordResponse(completed.Key, completed.IntendedTimestamp, completed.SentTimestamp, completed.ReceivedTimestamp, code);

    /// <summary>
    /// Records a device alert: its delivery latency (from the alert's ResponseDateTime, converted by the caller to the
    /// run's timestamp base, to its arrival) and one more alert with <paramref name="code"/>. Alerts have no intended
    /// send time, so corrected and uncorrected latency are the same value.
    /// </summary>
    public void RecordAlert(in LatencyKey key, DeviceAlertCode code, long raisedTimestamp, long receivedTimestamp)
        => RecordAlert(key, CodePacking.Pack(code), raisedTimestamp, receivedTimestamp);

    /// <summary>Records a DCC alert, as <see cref="RecordAlert(in LatencyKey, DeviceAlertCode, long, long)"/>.</summary>
    public void RecordAlert(in LatencyKey key, DccAlertCode code, long raisedTimestamp, long receivedTimestamp)
        => RecordAlert(key, CodePacking.Pack(code), raisedTimestamp, receivedTimestamp);

    internal void DrainInto(LatencySnapshot snapshot, int keyCount)
    {
        for (var k = 0; k < keyCount; k++)
        {
            var state = Volatile.Read(ref _states[k]);
            if (state is null)
            {
                continue;
            }

            state.CorrectedInterval = state.Corrected.GetIntervalHistogram(state.CorrectedInterval);
            state.UncorrectedInterval = state.Uncorrected.GetIntervalHistogram(state.UncorrectedInterval);
            snapshot.Merge(k, state.CorrectedInterval, state.UncorrectedInterval, state.ResponseCodeCounts, state.AlertCodeCounts, Volatile.Read(ref state.Clamped));
        }

        snapshot.AddKeyOverflow(KeyOverflow);
    }

    private static int CodeIndex(DenseIdMap codes, ulong packed)
    {
        // The last counter of each array collects codes beyond the code space's capacity.
        var index = codes.GetOrAdd(packed);
        return index >= 0 ? index : codes.Capacity;
    }

    private void RecordAlert(in LatencyKey key, ulong packedCode, long raisedTimestamp, long receivedTimestamp)
    {
        var state = StateFor(key);
        if (state is null)
        {
            return;
        }

        var latency = Clamp(_owner.TicksToMicroseconds(receivedTimestamp - raisedTimestamp), ref state.Clamped);
        state.Corrected.RecordValue(latency);
        state.Uncorrected.RecordValue(latency);
        state.AlertCodeCounts[CodeIndex(_owner.AlertCodes, packedCode)]++;
    }

    private long Clamp(long microseconds, ref long clamped)
    {
        if ((ulong)microseconds <= (ulong)_owner.HighestTrackableMicroseconds)
        {
            return microseconds;
        }

        clamped++;
        return microseconds < 0 ? 0 : _owner.HighestTrackableMicroseconds;
    }

    private WorkerKeyState? StateFor(in LatencyKey key)
    {
        var index = _owner.Keys.GetOrAdd(key);
        if (index < 0)
        {
            _keyOverflow++;
            return null;
        }

        // First sight of a key on this worker: the only allocation, published whole to the snapshot thread.
        return _states[index] ?? CreateState(index);
    }

    private WorkerKeyState CreateState(int index)
    {
        var state = new WorkerKeyState(_owner);
        Volatile.Write(ref _states[index], state);
        return state;
    }

    private sealed class WorkerKeyState(LatencyRecorder owner)
    {
        public readonly Recorder Corrected = owner.CreateRecorder();
        public readonly Recorder Uncorrected = owner.CreateRecorder();
        public readonly long[] ResponseCodeCounts = new long[owner.ResponseCodes.Capacity + 1];
        public readonly long[] AlertCodeCounts = new long[owner.AlertCodes.Capacity + 1];
        public long Clamped;

        // Touched only by the snapshot thread: the interval histograms handed back for recycling.
        public HistogramBase? CorrectedInterval;
        public HistogramBase? UncorrectedInterval;
    }
}
