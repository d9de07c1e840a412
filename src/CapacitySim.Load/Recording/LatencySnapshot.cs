using CapacitySim.Duis.Catalogue;
using HdrHistogram;

namespace CapacitySim.Load.Recording;

/// <summary>
/// The figures of a <see cref="LatencyRecorder"/> at the end of an interval: per key, cumulative corrected and
/// uncorrected latency and counts by response and alert code; per category, the interval's and the cumulative
/// histograms. Latencies are in microseconds of wall-clock time. The object is reused by the next snapshot.
/// </summary>
public sealed class LatencySnapshot
{
    private const int CategorySpace = 256;

    private readonly LatencyRecorder _owner;
    private readonly KeyTotals?[] _keys;
    private readonly CategoryLatency?[] _categories = new CategoryLatency?[CategorySpace];
    private readonly List<LatencyCategory> _categoriesSeen = [];
    private readonly LongHistogram _empty;
    private bool _discarding;
    private long _keyOverflow;
    private long _keyOverflowBaseline;

    internal LatencySnapshot(LatencyRecorder owner)
    {
        _owner = owner;
        _keys = new KeyTotals?[owner.Keys.Capacity];
        _empty = owner.CreateMergedHistogram();
    }

    /// <summary>Start of the interval: the previous snapshot's end, or the run's start for the first.</summary>
    public DateTimeOffset IntervalStart { get; private set; }

    /// <summary>End of the interval.</summary>
    public DateTimeOffset IntervalEnd { get; private set; }

    /// <summary>Keys covered; indices 0…KeyCount−1 match <see cref="LatencyRecorder.Keys"/>.</summary>
    public int KeyCount { get; private set; }

    /// <summary>Distinct response codes seen by the run; indices 0…ResponseCodeCount−1.</summary>
    public int ResponseCodeCount => _owner.ResponseCodes.Count;

    /// <summary>Distinct alert codes seen by the run; indices 0…AlertCodeCount−1.</summary>
    public int AlertCodeCount => _owner.AlertCodes.Count;

    /// <summary>Categories that have recorded at least once, in order of first sight.</summary>
    public IReadOnlyList<LatencyCategory> Categories => _categoriesSeen;

    /// <summary>Latencies not recorded because the key space was full.</summary>
    public long KeyOverflow => _keyOverflow - _keyOverflowBaseline;

    /// <summary>The key at a dense index.</summary>
    public LatencyKey GetKey(int keyIndex) => _owner.Keys[keyIndex];

    /// <summary>The response code at a code index.</summary>
    public ResponseCode GetResponseCode(int codeIndex) => CodePacking.UnpackResponse(_owner.ResponseCodes.KeyAt(codeIndex));

    /// <summary>The wire text of the alert code at a code index.</summary>
    public string GetAlertCodeText(int codeIndex) => CodePacking.AlertText(_owner.AlertCodes.KeyAt(codeIndex));

    /// <summary>Cumulative corrected latency (from intended send time) of a key.</summary>
    public HistogramBase GetCorrected(int keyIndex) => (HistogramBase?)_keys[keyIndex]?.Corrected ?? _empty;

    /// <summary>Cumulative uncorrected latency (from actual send time) of a key.</summary>
    public HistogramBase GetUncorrected(int keyIndex) => (HistogramBase?)_keys[keyIndex]?.Uncorrected ?? _empty;

    /// <summary>Responses of a key with the code at <paramref name="codeIndex"/>.</summary>
    public long GetResponseCount(int keyIndex, int codeIndex) => _keys[keyIndex]?.Response(codeIndex) ?? 0;

    /// <summary>
    /// Final responses of key <paramref name="keyIndex"/> with code <paramref name="codeIndex"/> since the run began,
    /// warm-up included: the run's accounting counts every response, while its latency figures start after warm-up.
    /// </summary>
    public long GetResponseCountSinceStart(int keyIndex, int codeIndex) => _keys[keyIndex]?.ResponseCounts[codeIndex] ?? 0;

    /// <summary>Responses of a key whose code did not fit the code space.</summary>
    public long GetOtherResponseCount(int keyIndex) => _keys[keyIndex]?.Response(_owner.ResponseCodes.Capacity) ?? 0;

    /// <summary>Alerts of a key with the code at <paramref name="codeIndex"/>.</summary>
    public long GetAlertCount(int keyIndex, int codeIndex) => _keys[keyIndex]?.Alert(codeIndex) ?? 0;

    /// <summary>Alerts of a key whose code did not fit the code space.</summary>
    public long GetOtherAlertCount(int keyIndex) => _keys[keyIndex]?.Alert(_owner.AlertCodes.Capacity) ?? 0;

    /// <summary>Latencies of a key that fell outside the trackable range and were clamped.</summary>
    public long GetClamped(int keyIndex) => _keys[keyIndex]?.ClampedSinceBaseline ?? 0;

    /// <summary>The interval and cumulative histograms of a category, or null when it has recorded nothing.</summary>
    public CategoryLatency? GetCategory(LatencyCategory category) => _categories[category.Id];

    /// <summary>
    /// Marks everything recorded up to now as warm-up: the figures start again from zero at the next interval, as a
    /// calibration period's data is thrown away.
    /// </summary>
    internal void DiscardFollowing() => _discarding = true;

    internal void SetRunStart(DateTimeOffset start) => IntervalEnd = start;

    internal void BeginInterval(DateTimeOffset intervalEnd, int keyCount)
    {
        // Without a run start, the first interval is taken to begin at its own end rather than at year 1.
        IntervalStart = IntervalEnd == default ? intervalEnd : IntervalEnd;
        IntervalEnd = intervalEnd;
        KeyCount = keyCount;
        _keyOverflow = 0;
        for (var k = 0; k < keyCount; k++)
        {
            _keys[k]?.ClearCounts();
        }

        foreach (var category in _categoriesSeen)
        {
            var latency = _categories[category.Id]!;
            latency.IntervalCorrected.Reset();
            latency.IntervalUncorrected.Reset();
        }
    }

    internal void Merge(int keyIndex, HistogramBase corrected, HistogramBase uncorrected, long[] responseCounts, long[] alertCounts, long clamped)
    {
        var totals = _keys[keyIndex] ??= new KeyTotals(_owner);
        for (var c = 0; c < responseCounts.Length; c++)
        {
            totals.ResponseCounts[c] += Volatile.Read(ref responseCounts[c]);
        }

        for (var c = 0; c < alertCounts.Length; c++)
        {
            totals.AlertCounts[c] += Volatile.Read(ref alertCounts[c]);
        }

        totals.Clamped += clamped;
        if (_discarding)
        {
            return;
        }

        totals.Corrected.Add(corrected);
        totals.Uncorrected.Add(uncorrected);
        var category = _owner.Keys[keyIndex].Category;
        var latency = _categories[category.Id];
        if (latency is null)
        {
            latency = new CategoryLatency(category, _owner);
            _categories[category.Id] = latency;
            _categoriesSeen.Add(category);
        }

        latency.IntervalCorrected.Add(corrected);
        latency.IntervalUncorrected.Add(uncorrected);
        latency.CumulativeCorrected.Add(corrected);
        latency.CumulativeUncorrected.Add(uncorrected);
    }

    internal void AddKeyOverflow(long overflow) => _keyOverflow += overflow;

    internal void EndInterval()
    {
        var start = IntervalStart.ToUnixTimeMilliseconds();
        var end = IntervalEnd.ToUnixTimeMilliseconds();
        foreach (var category in _categoriesSeen)
        {
            var latency = _categories[category.Id]!;
            latency.IntervalCorrected.StartTimeStamp = start;
            latency.IntervalCorrected.EndTimeStamp = end;
            latency.IntervalUncorrected.StartTimeStamp = start;
            latency.IntervalUncorrected.EndTimeStamp = end;
        }

        if (!_discarding)
        {
            return;
        }

        // Warm-up ends here: counts start from this baseline and histograms from empty.
        _discarding = false;
        _keyOverflowBaseline = _keyOverflow;
        for (var k = 0; k < KeyCount; k++)
        {
            _keys[k]?.TakeBaseline();
        }

        foreach (var category in _categoriesSeen)
        {
            var latency = _categories[category.Id]!;
            latency.IntervalCorrected.Reset();
            latency.IntervalUncorrected.Reset();
            latency.CumulativeCorrected.Reset();
            latency.CumulativeUncorrected.Reset();
        }
    }

    private sealed class KeyTotals(LatencyRecorder owner)
    {
        public readonly LongHistogram Corrected = owner.CreateMergedHistogram();
        public readonly LongHistogram Uncorrected = owner.CreateMergedHistogram();
        public readonly long[] ResponseCounts = new long[owner.ResponseCodes.Capacity + 1];
        public readonly long[] AlertCounts = new long[owner.AlertCodes.Capacity + 1];
        private readonly long[] _responseBaseline = new long[owner.ResponseCodes.Capacity + 1];
        private readonly long[] _alertBaseline = new long[owner.AlertCodes.Capacity + 1];
        private long _clampedBaseline;

        public long Clamped;

        public long ClampedSinceBaseline => Clamped - _clampedBaseline;

        public long Response(int codeIndex) => ResponseCounts[codeIndex] - _responseBaseline[codeIndex];

        public long Alert(int codeIndex) => AlertCounts[codeIndex] - _alertBaseline[codeIndex];

        public void ClearCounts()
        {
            Array.Clear(ResponseCounts);
            Array.Clear(AlertCounts);
            Clamped = 0;
        }

        public void TakeBaseline()
        {
            ResponseCounts.CopyTo(_responseBaseline, 0);
            AlertCounts.CopyTo(_alertBaseline, 0);
            _clampedBaseline = Clamped;
            Corrected.Reset();
            Uncorrected.Reset();
        }
    }
}

/// <summary>One category's latency in a <see cref="LatencySnapshot"/>: the last interval's and the cumulative histograms.</summary>
public sealed class CategoryLatency
{
    internal CategoryLatency(LatencyCategory category, LatencyRecorder owner)
    {
        Category = category;
        IntervalCorrected = owner.CreateMergedHistogram();
        IntervalUncorrected = owner.CreateMergedHistogram();
        CumulativeCorrected = owner.CreateMergedHistogram();
        CumulativeUncorrected = owner.CreateMergedHistogram();
    }

    /// <summary>The category.</summary>
    public LatencyCategory Category { get; }

    /// <summary>Corrected latency recorded in the last interval (start and end timestamps set).</summary>
    public HistogramBase IntervalCorrected { get; }

    /// <summary>Uncorrected latency recorded in the last interval.</summary>
    public HistogramBase IntervalUncorrected { get; }

    /// <summary>Corrected latency since the run (or the end of warm-up) began.</summary>
    public HistogramBase CumulativeCorrected { get; }

    /// <summary>Uncorrected latency since the run (or the end of warm-up) began.</summary>
    public HistogramBase CumulativeUncorrected { get; }
}
