using System.Buffers;
using System.Globalization;
using System.Runtime.ExceptionServices;
using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Load.Arrivals;
using CapacitySim.Load.Http;
using CapacitySim.Load.Receiver;
using CapacitySim.Load.Recording;
using CapacitySim.Load.Results;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Engine;

/// <summary>
/// The load engine: runs a scenario's open-model load against a DUIS endpoint and measures every request end to end.
/// The pacer releases each arrival at its intended time to a free connection (none free, or the correlation table
/// full: the arrival is dropped and counted, never delayed); the connection's sender renders, signs and sends the
/// request and reads the synchronous answer; the users' receiver takes the delivered responses and alerts; both
/// complete requests in one correlation table and record latency from the intended send time (corrected) and from
/// the actual send (uncorrected) into HdrHistograms per (category, SRV, region, DMC). Once per progress interval the
/// engine snapshots the histograms, writes the .hlog intervals and reports a <see cref="RunStatus"/>.
/// </summary>
public sealed class LoadEngine : IArrivalSink, IAsyncDisposable
{
    private const int HttpStatusSlots = 600;

    /// <summary>The shortest real time a request is given for its final response, whatever the compression.</summary>
    public static readonly TimeSpan MinimumWallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the receiver lets deliveries in progress finish when it stops at the end of a run.</summary>
    public static readonly TimeSpan ReceiverStopDrain = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long after its release an arrival that finds every connection busy may wait for one, whatever
    /// <see cref="LoadEngineOptions.MaxConnectionWait"/> is: two of the pacer's batch intervals. Above a few thousand
    /// arrivals a second the pacer releases a batch about every millisecond; waiting until after the next batch (whose
    /// sleep may overrun) means a connection that comes back between batches takes an arrival on its own thread
    /// instead of idling until the next batch hands it one through the thread pool, while that batch drops arrivals.
    /// </summary>
    public static readonly TimeSpan HandOverWindow = 2 * Pacer.BatchInterval;

    // How the pacer waits; the run sets the compression.
    private static readonly PacerOptions PacingOptions = new();

    private LoadEngineOptions options;
    private readonly Scenario scenario;
    private DuisConnectionPool pool = null!;
    private SendSlot[] slots = [];
    private readonly long[] counters;
    private readonly long[] sentByEntry;
    private readonly string[] entryCategories;
    private readonly long[] sendFailures = new long[Enum.GetValues<DuisHttpResult>().Length + 1];
    private readonly long[] httpErrors = new long[HttpStatusSlots];
    private readonly CategoryLevel[] levels;
    private readonly CancellationTokenSource stopping = new();
    private readonly double compression;
    private readonly long[] timeoutTicks;
    private long refused;
    private long sent;
    private readonly Lock waitGate = new();
    private readonly WaitingArrival[] waiting;
    private readonly long maxWaitTicks;
    private readonly long handOverTicks;
    private readonly long lateTicks;
    private int waitHead;
    private int waitCount;
    private readonly long[] lateAfterWait;
    private readonly long[] waitedTooLong;
    private ExceptionDispatchInfo? failure;
    private ResponseReceiver? receiver;
    private long runStartTimestamp;
    private DateTimeOffset runStart;
    private long allocatedFrom = -1;
    private long sentFrom;
    private double? allocatedBytesPerRequest;

    /// <summary>Prepares a run: the traffic plan, the connections (not yet opened), the recorder and the table.</summary>
    /// <exception cref="ConfigException">The scenario cannot run on this estate (an entry addresses no device).</exception>
    public LoadEngine(Scenario scenario, TargetEstate estate, LoadEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Signers.Count != scenario.Users.Count)
        {
            throw new ArgumentException($"One signer (or null) per scenario user is needed: {scenario.Users.Count} users, {options.Signers.Count} signers.", nameof(options));
        }

        this.scenario = scenario;
        this.options = options;
        compression = scenario.TimeCompression;
        Plan = TrafficPlan.Build(scenario, estate);
        Schedule = new ArrivalSchedule(PhasePlan.ToArrivalPhases(scenario.Phases));
        levels = LevelsOf(scenario.PerformanceLevels);

        Timeouts = Scenarios.ResponseTimeouts.Resolve(scenario.PerformanceLevels, options.DeviceDeadlines ?? (static _ => null), scenario.ResponseTimeouts, options.ResponseTimeouts);
        ResponseTimeout = Timeouts.LongestForRequests;

        // Each category's time-out in wall-clock ticks, by category id (the correlation table's expiry reads it).
        // Never less than MinimumWallTimeout of real time: at high compression a scenario time-out can be shorter than
        // the machine's own latency, and requests would time out only to be answered a moment later.
        timeoutTicks = new long[PerformanceCategories.Count];
        for (var c = 0; c < timeoutTicks.Length; c++)
        {
            timeoutTicks[c] = Math.Max(WallTicks(Timeouts[(PerformanceCategory)c]), WallTicksOfWall(MinimumWallTimeout));
        }

        Drain = options.Drain ?? scenario.Drain ?? TimeSpan.FromSeconds(Math.Max(ResponseTimeout.TotalSeconds / compression, MinimumWallTimeout.TotalSeconds) + 2);

        Recorder = new LatencyRecorder(new LatencyRecorderOptions
        {
            TimestampFrequency = Clock.TimestampFrequency,
            HighestTrackableLatency = TimeSpan.FromSeconds(Math.Max(60, ResponseTimeout.TotalSeconds * 2 / compression)),
        });
        Table = new CorrelationTable(options.InFlightCapacity > 0 ? options.InFlightCapacity : SizeTable(scenario, ResponseTimeout));
        SynchronousIntake = new ResponseIntake(Table, Recorder, AlertKey, Clock);
        DeliveryIntake = CreateDeliveryIntake();

        // Counters start at the run's start in microseconds since 1970, so that a later run's counters always exceed
        // an earlier one's at the same DCC (the DCC Boxed tools use milliseconds in the same way).
        var first = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
        counters = new long[scenario.Users.Count];
        Array.Fill(counters, (long)first);
        sentByEntry = new long[Plan.Entries.Length];

        // The category each entry's sends are shown under (the first device it may address stands for the rest).
        entryCategories = new string[Plan.Entries.Length];
        foreach (var entry in Plan.Entries)
        {
            var key = Plan.KeyOf(entry, entry.Devices.Length > 0 ? entry.Devices[0] : -1, entry.CommandVariant);
            entryCategories[entry.Index] = PerformanceCategories.NameOf((PerformanceCategory)key.Category.Id);
        }

        maxWaitTicks = WallTicksOfWall(options.MaxConnectionWait);
        handOverTicks = WallTicksOfWall(HandOverWindow);
        lateTicks = WallTicksOfWall(PacingOptions.LatenessThreshold);
        waiting = new WaitingArrival[65536];
        lateAfterWait = new long[Schedule.PhaseCount];
        waitedTooLong = new long[Schedule.PhaseCount];
    }

    /// <summary>The run clock (real time; the compression is applied by the pacer).</summary>
    public TimeProvider Clock { get; } = TimeProvider.System;

    /// <summary>What each arrival sends.</summary>
    public TrafficPlan Plan { get; }

    /// <summary>The arrivals.</summary>
    public ArrivalSchedule Schedule { get; }

    /// <summary>The latency recorder.</summary>
    public LatencyRecorder Recorder { get; }

    /// <summary>Requests in flight.</summary>
    public CorrelationTable Table { get; }

    /// <summary>Reads the synchronous answers.</summary>
    public ResponseIntake SynchronousIntake { get; }

    /// <summary>Reads what the DCC delivers to the users.</summary>
    public ResponseIntake DeliveryIntake { get; }

    /// <summary>Scenario time after which a request of each category with no final response is timed out.</summary>
    public ResponseTimeouts Timeouts { get; }

    /// <summary>The longest of <see cref="Timeouts"/> for any request category (scenario time).</summary>
    public TimeSpan ResponseTimeout { get; }

    /// <summary>Wall-clock time the run waits at the end for requests in flight.</summary>
    public TimeSpan Drain { get; }

    /// <summary>Where the DCC must deliver responses and alerts; valid after <see cref="StartAsync"/>.</summary>
    public Uri DeliveryAddress => receiver?.DeliveryAddress ?? throw new InvalidOperationException("The receiver has not started.");

    /// <summary>The performance levels as the summary names them.</summary>
    public IReadOnlyList<CategoryLevel> Levels => levels;

    internal CancellationToken Stopping => stopping.Token;

    /// <summary>
    /// Points the run at the endpoint it is to load, before <see cref="RunAsync"/>: the embedded DCC can only be
    /// built once the receiver's address is known, so it is named after <see cref="StartAsync"/>.
    /// </summary>
    public void Retarget(Uri target, Func<DccCounts>? dccCounts = null, TimeProvider? dccClock = null, Func<Task>? beforeFinalSnapshot = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (slots.Length > 0)
        {
            throw new InvalidOperationException("The run has started; its target can no longer change.");
        }

        options = options with
        {
            Target = target,
            DccCounts = dccCounts ?? options.DccCounts,
            DccClock = dccClock ?? options.DccClock,
            BeforeFinalSnapshot = beforeFinalSnapshot ?? options.BeforeFinalSnapshot,
        };
        DeliveryIntake.AlertClock = options.DccClock;
        DeliveryIntake.AlertClockRate = options.DccClock is null ? 1 : compression;
    }

    private ResponseIntake CreateDeliveryIntake() => new(Table, Recorder, AlertKey, Clock, options.VerifyDeliveriesWith)
    {
        Observer = options.Observer,
        ObserverStartTimestamp = () => runStartTimestamp,
        AlertClock = options.DccClock,
        AlertClockRate = options.DccClock is null ? 1 : compression,
    };

    private void CreateConnections()
    {
        var paths = TrafficPlan.ServicePaths(options.Target);
        var clientOptions = new DuisClientOptions
        {
            Endpoint = new Uri(options.Target, paths[0]),
            AlternatePaths = [paths[1], paths[2]],
            ClientCertificate = options.ClientCertificate,
            ServerCertificateValidation = options.ServerCertificateValidation,
            ResponseTimeout = TimeSpan.FromSeconds(Math.Max(5, ResponseTimeout.TotalSeconds / compression)),
        };
        pool = new DuisConnectionPool(clientOptions, options.Connections);
        var created = new SendSlot[options.Connections];
        for (var i = 0; i < created.Length; i++)
        {
            pool.TryRent(out var connection);
            created[connection!.PoolIndex] = new SendSlot(this, connection, options.Signers);
        }

        foreach (var slot in created)
        {
            pool.Return(slot.Connection);
        }

        slots = created;
    }

    /// <summary>Starts the users' receiver (the DCC needs its address before the run starts).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        receiver = await ResponseReceiver.StartAsync(ResponseReceiverOptions.FromUrl(options.Listen, options.ReceiverCertificate) with { ClientCertificateValidation = options.ReceiverClientCertificateValidation }, DeliveryIntake, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the scenario: opens the connections, paces every arrival, reports progress once per interval, waits for
    /// requests in flight, then builds the summary, evaluates the checks and writes the result folder. Cancelling
    /// stops the pacer; what was sent is still drained and reported.
    /// </summary>
    public async Task<LoadRunResult> RunAsync(Action<RunStatus, LatencySnapshot>? progress = null, CancellationToken cancellationToken = default)
    {
        if (receiver is null)
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
        }

        CreateConnections();
        await pool.ConnectAllAsync(cancellationToken).ConfigureAwait(false);
        runStart = Clock.GetUtcNow();
        Recorder.BeginRun(runStart);
        using var pacer = new Pacer(Schedule, this, Clock, PacingOptions with { CompressionFactor = compression });
        runStartTimestamp = Clock.GetTimestamp();
        HistogramLogFiles? logs = options.OutputFolder is null ? null : new HistogramLogFiles(options.OutputFolder, runStart, compression, levels);
        var files = new List<string>();
        try
        {
            pacer.Start(runStartTimestamp, cancellationToken);
            var warmUpOver = scenario.WarmUp <= TimeSpan.Zero;
            if (warmUpOver)
            {
                MarkAllocations();
            }
            var measuredFrom = runStart;
            var expired = new CorrelationEntry[4096];
            var lastSent = 0L;
            var lastTick = runStartTimestamp;
            var drainDeadline = long.MaxValue;
            while (true)
            {
                var pacingDone = pacer.Completion.IsCompleted;
                if (pacingDone && drainDeadline == long.MaxValue)
                {
                    drainDeadline = Clock.GetTimestamp() + WallTicksOfWall(Drain);
                    allocatedBytesPerRequest = AllocatedPerRequestSinceMark();
                }

                ExpireWaiting(Clock.GetTimestamp());
                if (pacingDone && ((Table.InFlight == 0 && pool.FreeCount == pool.ConnectionCount && Volatile.Read(ref waitCount) == 0) || Clock.GetTimestamp() >= drainDeadline))
                {
                    break;
                }

                await Task.WhenAny(pacer.Completion, Task.Delay(pacingDone ? TimeSpan.FromMilliseconds(20) : options.ProgressInterval, CancellationToken.None)).ConfigureAwait(false);
                var now = Clock.GetTimestamp();
                if (!warmUpOver && ScenarioElapsed(now) >= scenario.WarmUp)
                {
                    measuredFrom = Clock.GetUtcNow();
                    Recorder.DiscardWarmUp(measuredFrom);
                    warmUpOver = true;
                    MarkAllocations();
                }

                if (!pacingDone || Clock.GetElapsedTime(lastTick, now) >= options.ProgressInterval)
                {
                    while (Table.Expire(now, timeoutTicks, expired) == expired.Length)
                    {
                        // More timed out than the buffer holds: the table counts them; go round again.
                    }

                    var snapshot = Recorder.Snapshot(Clock.GetUtcNow());
                    logs?.Append(snapshot);
                    var sentNow = Volatile.Read(ref sent);
                    progress?.Invoke(Status(pacer, snapshot, now, lastTick, sentNow - lastSent, !warmUpOver, pacingDone), snapshot);
                    lastSent = sentNow;
                    lastTick = now;
                }

                failure?.Throw();
            }

            if (pacer.Completion.IsFaulted)
            {
                await pacer.Completion.ConfigureAwait(false);
            }

            if (options.BeforeFinalSnapshot is { } beforeFinal)
            {
                await beforeFinal().ConfigureAwait(false);
            }

            // The receiver stops taking deliveries before the final figures: a delivery answered 200 after them would
            // be one the DCC counts as delivered and never retries, yet in no count of the run.
            await receiver!.StopAsync(ReceiverStopDrain).ConfigureAwait(false);
            var final = Recorder.Snapshot(Clock.GetUtcNow());
            logs?.Append(final);
            var finalNow = Clock.GetTimestamp();
            progress?.Invoke(Status(pacer, final, finalNow, lastTick, Volatile.Read(ref sent) - lastSent, false, true), final);
            var summary = Summarise(pacer, final, measuredFrom, Clock.GetUtcNow());
            if (options.OutputFolder is not null)
            {
                files.Add(RunSummaryJson.WriteFile(summary, options.OutputFolder));
                files.AddRange(logs!.Paths);
            }

            return new LoadRunResult(summary, files);
        }
        finally
        {
            pacer.Stop();
            await stopping.CancelAsync().ConfigureAwait(false);
            logs?.Dispose();
        }
    }

    /// <inheritdoc/>
    public bool OnArrival(in Arrival arrival, long intendedTimestamp, long actualTimestamp)
    {
        if (Table.InFlight >= Table.Capacity)
        {
            return false;
        }

        if (pool.TryRent(out var connection))
        {
            slots[connection.PoolIndex].Begin(arrival, intendedTimestamp, actualTimestamp);
            return true;
        }

        // Every connection is busy: wait for one (bounded), to be sent late rather than dropped. Until when: the
        // allowed connection wait from the intended time, and at least the hand-over window from the release.
        var deadline = Math.Max(intendedTimestamp + maxWaitTicks, actualTimestamp + handOverTicks);
        lock (waitGate)
        {
            if (waitCount == waiting.Length)
            {
                return false;
            }

            waiting[(waitHead + waitCount) % waiting.Length] = new WaitingArrival(arrival, intendedTimestamp, actualTimestamp, deadline);
            Volatile.Write(ref waitCount, waitCount + 1);
        }

        // A connection may have come back between the failed rent and the queueing.
        if (pool.TryRent(out connection))
        {
            if (TryTakeWaiting(out var next, out var now))
            {
                slots[connection.PoolIndex].Begin(next.Arrival, next.IntendedTimestamp, now);
            }
            else
            {
                pool.Return(connection);
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (receiver is not null)
        {
            await receiver.StopAsync(ReceiverStopDrain).ConfigureAwait(false);
            await receiver.DisposeAsync().ConfigureAwait(false);
        }

        pool?.Dispose();
        foreach (var slot in slots)
        {
            slot.Dispose();
        }

        SynchronousIntake.Dispose();
        DeliveryIntake.Dispose();
        Recorder.Dispose();
        stopping.Dispose();
    }

    internal ulong NextCounter(int userIndex) => (ulong)Interlocked.Increment(ref counters[userIndex]);

    internal DateTimeOffset ExecutionDateTime() => Clock.GetUtcNow();

    // A slot whose request is done takes the oldest arrival waiting for a connection, on the thread that finished the
    // request (no hand-over to the thread pool), or goes back to the pool.
    internal void ReturnSlot(SendSlot slot)
    {
        if (Volatile.Read(ref waitCount) > 0 && TryTakeWaiting(out var next, out var now))
        {
            slot.BeginHere(next.Arrival, next.IntendedTimestamp, now);
            return;
        }

        pool.Return(slot.Connection);
    }

    // Takes the oldest arrival still within its wait, to be sent now; arrivals past their wait are dropped on the
    // way. One that waited is counted late, unless the pacer already counted it late when it released it.
    private bool TryTakeWaiting(out WaitingArrival next, out long now)
    {
        lock (waitGate)
        {
            now = Clock.GetTimestamp();
            while (waitCount > 0)
            {
                next = waiting[waitHead];
                waitHead = (waitHead + 1) % waiting.Length;
                Volatile.Write(ref waitCount, waitCount - 1);
                if (now > next.Deadline)
                {
                    Interlocked.Increment(ref waitedTooLong[next.Arrival.PhaseIndex]);
                    continue;
                }

                if (next.ReleasedTimestamp - next.IntendedTimestamp <= lateTicks)
                {
                    Interlocked.Increment(ref lateAfterWait[next.Arrival.PhaseIndex]);
                }

                return true;
            }
        }

        next = default;
        return false;
    }

    // Drops waiting arrivals that can no longer be sent within the allowed wait (when no connection comes back).
    private void ExpireWaiting(long now)
    {
        if (Volatile.Read(ref waitCount) == 0)
        {
            return;
        }

        lock (waitGate)
        {
            while (waitCount > 0 && now > waiting[waitHead].Deadline)
            {
                Interlocked.Increment(ref waitedTooLong[waiting[waitHead].Arrival.PhaseIndex]);
                waitHead = (waitHead + 1) % waiting.Length;
                waitCount--;
            }
        }
    }

    // Deadlines only grow in queue order: both the intended and the release time do.
    private readonly record struct WaitingArrival(Arrival Arrival, long IntendedTimestamp, long ReleasedTimestamp, long Deadline);

    internal void CountRefused() => Interlocked.Increment(ref refused);

    // Arrivals dropped: by the pacer (the sink refused them), refused by a full correlation table, or past their wait.
    private long DroppedSoFar(PacerPhaseCounters pacerTotals) => pacerTotals.Dropped + Volatile.Read(ref refused) + Sum(waitedTooLong);

    // Arrivals late: released late by the pacer, or sent after waiting for a connection (each counted once).
    private long LateSoFar(PacerPhaseCounters pacerTotals) => pacerTotals.Late + Sum(lateAfterWait);

    private static long Sum(long[] byPhase)
    {
        long total = 0;
        for (var p = 0; p < byPhase.Length; p++)
        {
            total += Volatile.Read(ref byPhase[p]);
        }

        return total;
    }

    internal void CountSent(PlanEntry entry)
    {
        Interlocked.Increment(ref sent);
        Interlocked.Increment(ref sentByEntry[entry.Index]);
    }

    internal void CountSendFailure(DuisHttpResult result, in RequestId requestId, PlanEntry entry)
    {
        Table.TryAbandon(requestId, out _);
        Interlocked.Increment(ref sendFailures[(int)result]);
        if (options.Observer is { } observer)
        {
            var at = Clock.GetTimestamp();
            observer.Observe(new TrafficEvent(TrafficEventKind.SendFailed, Microseconds(at - runStartTimestamp), requestId, entry.Srv, default, 0, false, 0, 0, (int)result), ReadOnlySequence<byte>.Empty);
        }
    }

    internal void CountHttpError(int status, in RequestId requestId)
    {
        Table.TryAbandon(requestId, out _);
        Interlocked.Increment(ref httpErrors[Math.Clamp(status, 0, HttpStatusSlots - 1)]);
    }

    internal void ObserveSent(in RequestId requestId, ServiceReferenceVariant srv, ReadOnlyMemory<byte> body)
    {
        if (options.Observer is { } observer)
        {
            var at = Clock.GetTimestamp();
            observer.Observe(new TrafficEvent(TrafficEventKind.RequestSent, Microseconds(at - runStartTimestamp), requestId, srv, default, 0, false, 0, body.Length, 0), new ReadOnlySequence<byte>(body));
        }
    }

    internal void ObserveAnswer(in DuisHeader header, in ReadOnlySequence<byte> body, long at)
    {
        if (options.Observer is { } observer)
        {
            var id = header.HasRequestId ? header.RequestId : default;
            observer.Observe(new TrafficEvent(TrafficEventKind.SynchronousResponse, Microseconds(at - runStartTimestamp), id, header.ServiceReferenceVariant, header.ResponseCode, 0, false, 0, (int)body.Length, 0), body);
        }
    }

    // The sender's cost in memory: process-wide bytes allocated per request sent from the end of the warm-up to the
    // last arrival (the drain and the summary are not the sender's steady state).
    private void MarkAllocations()
    {
        allocatedFrom = GC.GetTotalAllocatedBytes(precise: true);
        sentFrom = Volatile.Read(ref sent);
    }

    private double? AllocatedPerRequestSinceMark()
    {
        var requests = Volatile.Read(ref sent) - sentFrom;
        return allocatedFrom < 0 || requests <= 0 ? null : (double)(GC.GetTotalAllocatedBytes(precise: true) - allocatedFrom) / requests;
    }

    internal void Fail(Exception exception) => Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(exception), null);

    private long Microseconds(long timestampTicks) => timestampTicks * 1_000_000 / Clock.TimestampFrequency;

    private TimeSpan ScenarioElapsed(long timestamp) => Clock.GetElapsedTime(runStartTimestamp, timestamp) * compression;

    private long WallTicks(TimeSpan scenarioTime) => (long)(scenarioTime.TotalSeconds / compression * Clock.TimestampFrequency);

    private long WallTicksOfWall(TimeSpan wall) => (long)(wall.TotalSeconds * Clock.TimestampFrequency);

    private LatencyKey AlertKey(in DuisHeader alert)
    {
        var estate = Plan.Estate;
        var device = alert.HasResponseId ? estate.IndexOf(alert.ResponseId.Source) : -1;
        if (alert.BodyKind == DuisBodyKind.DccAlertMessage)
        {
            return device < 0
                ? new LatencyKey(new LatencyCategory((byte)PerformanceCategory.DccAlert), default, default, 0)
                : new LatencyKey(new LatencyCategory((byte)PerformanceCategory.DccAlert), default, estate.Region(device), estate.Dmc(device));
        }

        if (device < 0)
        {
            return new LatencyKey(new LatencyCategory((byte)PerformanceCategory.DeviceAlert), default, default, 0);
        }

        var category = PerformanceCategories.ForDeviceAlert(estate.Generation(device));
        return new LatencyKey(new LatencyCategory((byte)category), default, estate.Region(device), estate.Dmc(device));
    }

    private RunStatus Status(Pacer pacer, LatencySnapshot snapshot, long now, long lastTick, long sentInInterval, bool warmingUp, bool draining)
    {
        var totals = pacer.GetTotals();
        var counts = Table.GetCounts();
        var elapsed = Clock.GetElapsedTime(runStartTimestamp, now);
        var scenarioElapsed = elapsed * compression;
        var phase = PhaseAt(scenarioElapsed);
        var interval = Clock.GetElapsedTime(lastTick, now).TotalSeconds * compression;

        // Progress shows the measured part of the run (since warm-up); the summary's accounting counts it all.
        var responses = CodeCounts(snapshot, sinceStart: false);
        var failures = FailuresByName();
        var errors = ErrorCount(responses) + failures.Values.Sum();

        var categories = new List<CategoryStatus>();
        foreach (var level in levels)
        {
            if (snapshot.GetCategory(level.Category) is not { } latency || latency.CumulativeCorrected.TotalCount == 0)
            {
                continue;
            }

            var histogram = latency.CumulativeCorrected;
            double? trtMs = level.Trt is { } trt ? trt.TotalMilliseconds : null;
            double? within = null;
            if (level.Trt is { } t)
            {
                var limit = (long)Math.Floor(t.TotalMicroseconds / compression);
                within = (double)CountAtOrBelow(histogram, limit) / histogram.TotalCount;
            }

            categories.Add(new CategoryStatus
            {
                Name = level.Name,
                Count = histogram.TotalCount,
                P50 = histogram.GetValueAtPercentile(50) * compression / 1000.0,
                P99 = histogram.GetValueAtPercentile(99) * compression / 1000.0,
                TrtMs = trtMs,
                WithinTrt = within,
                ServiceLevelTarget = level.ServiceLevelTarget,
                ServiceLevelMinimum = level.ServiceLevelMinimum,
            });
        }

        var alertsByCode = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var intake = DeliveryIntake.GetCounters();
        foreach (var alert in intake.Alerts)
        {
            alertsByCode[alert.Code] = alert.Alerts;
        }

        var bySrv = new List<SrvSentCount>(Plan.Entries.Length);
        foreach (var entry in Plan.Entries)
        {
            bySrv.Add(new SrvSentCount(entry.SrvText, entryCategories[entry.Index], Volatile.Read(ref sentByEntry[entry.Index])));
        }

        return new RunStatus
        {
            Scenario = scenario.Name,
            Elapsed = elapsed,
            ScenarioElapsed = scenarioElapsed,
            ScenarioDuration = Schedule.Duration,
            Compression = compression,
            WarmingUp = warmingUp,
            Draining = draining,
            PhaseIndex = phase,
            PhaseName = PhaseName(phase),
            PhaseCount = Schedule.PhaseCount,
            TargetRate = draining ? 0 : Schedule.GetTargetRate(scenarioElapsed),
            AchievedRate = interval > 0 ? sentInInterval / interval : 0,
            Scheduled = Schedule.TotalArrivals,
            Sent = Volatile.Read(ref sent),
            Dropped = DroppedSoFar(totals),
            Late = LateSoFar(totals),
            InFlight = Table.InFlight,
            Acknowledged = counts.Acknowledged,
            Responded = counts.Completed,
            Errors = errors,
            TimedOut = counts.TimedOut,
            SendFailures = failures,
            UnknownOrDuplicate = counts.Unknown + counts.Duplicates,
            ResponsesByCode = responses,
            SentBySrv = bySrv,
            Categories = categories,
            Alerts = intake.DeviceAlerts + intake.DccAlerts,
            AlertsByCode = alertsByCode,
            AlertsThrottled = intake.ThrottledAlerts,
        };
    }

    // Final responses by code over every key: since the run began, or since the warm-up ended.
    private static SortedDictionary<string, long> CodeCounts(LatencySnapshot snapshot, bool sinceStart)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var k = 0; k < snapshot.KeyCount; k++)
        {
            for (var c = 0; c < snapshot.ResponseCodeCount; c++)
            {
                var n = sinceStart ? snapshot.GetResponseCountSinceStart(k, c) : snapshot.GetResponseCount(k, c);
                if (n > 0)
                {
                    var code = snapshot.GetResponseCode(c).ToString();
                    counts[code] = counts.GetValueOrDefault(code) + n;
                }
            }
        }

        return counts;
    }

    private static long ErrorCount(IReadOnlyDictionary<string, long> byCode)
    {
        long errors = 0;
        foreach (var (code, n) in byCode)
        {
            errors += IsErrorCode(code) ? n : 0;
        }

        return errors;
    }

    private static bool IsErrorCode(string code) => code.StartsWith('E');

    private int PhaseAt(TimeSpan scenarioElapsed)
    {
        for (var p = 0; p < Schedule.PhaseCount; p++)
        {
            if (scenarioElapsed < Schedule.GetPhaseEnd(p))
            {
                return p;
            }
        }

        return Math.Max(0, Schedule.PhaseCount - 1);
    }

    private string PhaseName(int phase)
        => scenario.Phases.Count == 0 ? "none" : string.Create(CultureInfo.InvariantCulture, $"{phase + 1}/{scenario.Phases.Count} {PhasePlan.NameOf(scenario.Phases[phase], phase)}");

    private Dictionary<string, long> FailuresByName()
    {
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var result in Enum.GetValues<DuisHttpResult>())
        {
            var n = Volatile.Read(ref sendFailures[(int)result]);
            if (n > 0)
            {
                byName[result.ToString()] = n;
            }
        }

        for (var s = 0; s < HttpStatusSlots; s++)
        {
            var n = Volatile.Read(ref httpErrors[s]);
            if (n > 0)
            {
                // A 200 whose body is not a DUIS response is as much a failure as an HTTP error status.
                byName[s == 200 ? "NotDuisResponse" : string.Create(CultureInfo.InvariantCulture, $"HTTP{s}")] = n;
            }
        }

        return byName;
    }

    private RunSummary Summarise(Pacer pacer, LatencySnapshot final, DateTimeOffset measuredFrom, DateTimeOffset endedAt)
    {
        var totals = pacer.GetTotals();
        var dropped = DroppedSoFar(totals);
        var correlation = Table.GetCounts();
        var late = LateSoFar(totals);
        var summary = RunSummaryBuilder.Build(scenario.Name, measuredFrom, endedAt, compression, levels, new SenderCounts(Volatile.Read(ref sent), dropped, late), correlation, final);

        // Responses during the warm-up count in the accounting though their latencies were discarded; requests that
        // got no DUIS answer at all (connection failures, HTTP errors) are errors too.
        var failures = FailuresByName();
        var responsesByCode = CodeCounts(final, sinceStart: true);
        var responded = responsesByCode.Values.Sum();
        var codedErrors = ErrorCount(responsesByCode);
        var errorsByCode = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (code, n) in responsesByCode)
        {
            if (IsErrorCode(code))
            {
                errorsByCode[code] = n;
            }
        }

        long failureTotal = 0;
        foreach (var (name, n) in failures)
        {
            errorsByCode[name] = n;
            failureTotal += n;
        }

        var counts = summary.Counts with
        {
            Responded = responded,
            Errors = codedErrors + failureTotal,
            ResponsesByCode = responsesByCode,
            ErrorsByCode = errorsByCode,
        };
        var intake = DeliveryIntake.GetCounters();
        var alerts = AlertBreakdown(final, summary.Alerts, intake);
        var dcc = options.DccCounts?.Invoke();
        summary = summary with
        {
            Counts = counts,
            Alerts = alerts,
            ScenarioFile = options.ScenarioFile,
            Seed = scenario.Seed,
            Environment = (options.Environment ?? DefaultEnvironment()) with
            {
                Devices = Plan.Estate.Count,
                Connections = pool.ConnectionCount,
                WarmUpSeconds = scenario.WarmUp.TotalSeconds,
                Signing = options.Signers.Any(s => s is not null),
                AllocatedBytesPerRequest = allocatedBytesPerRequest,
                PerformanceLevels = scenario.PerformanceLevels.Path,
                ResponseTimeoutsMs = TimeoutsByName(),
                DrainSeconds = Drain.TotalSeconds,
            },
            Deliveries = new DeliveryCounts
            {
                Received = intake.Received,
                Accepted = intake.Received - intake.Malformed - intake.NotResponses - intake.TooLarge,
                Refused = intake.Malformed + intake.NotResponses + intake.TooLarge,
            },
            Phases = PhaseSummaries(pacer),
            Breakdown = Breakdown(final),
            Dcc = dcc,
            Gate = scenario.Gate ?? new GateTolerances(),
        };

        var context = new RunCheckContext(summary, final, compression, totals, dcc);
        var outcomes = new List<CheckOutcome>();
        foreach (var check in scenario.Checks)
        {
            var result = check.Expression.Evaluate(context);
            outcomes.Add(new CheckOutcome
            {
                Check = check.Text,
                Passed = result.Passed,
                Measured = result.Actual,
                MeasuredText = result.Description,
                Threshold = check.Expression.Threshold,
                Severity = check.Severity,
                Line = check.Position.Line,
                Column = check.Position.Column,
            });
        }

        return summary with { Checks = outcomes };
    }

    private SortedDictionary<string, double> TimeoutsByName()
    {
        var byName = new SortedDictionary<string, double>(StringComparer.Ordinal);
        for (var c = 0; c < PerformanceCategories.Count; c++)
        {
            var category = (PerformanceCategory)c;
            if (Scenarios.ResponseTimeouts.IsRequestCategory(category))
            {
                byName[PerformanceCategories.NameOf(category)] = Timeouts[category].TotalMilliseconds;
            }
        }

        return byName;
    }

    private RunEnvironment DefaultEnvironment() => new()
    {
        ToolVersion = typeof(LoadEngine).Assembly.GetName().Version?.ToString() ?? "unknown",
        Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Machine = System.Environment.MachineName,
        ProcessorCount = System.Environment.ProcessorCount,
        Target = options.Target.ToString(),
    };

    private List<PhaseSummary> PhaseSummaries(Pacer pacer)
    {
        var phases = new List<PhaseSummary>();
        for (var p = 0; p < Schedule.PhaseCount; p++)
        {
            var c = pacer.GetCounters(p);

            // Released by the pacer but dropped while waiting for a connection.
            var dropped = Volatile.Read(ref waitedTooLong[p]);
            var start = Schedule.GetPhaseStart(p);
            var end = Schedule.GetPhaseEnd(p);
            var seconds = (end - start).TotalSeconds;
            var phase = scenario.Phases[p];
            phases.Add(new PhaseSummary
            {
                Index = p,
                Kind = phase.Shape.ToString().ToLowerInvariant(),
                Name = PhasePlan.NameOf(phase, p),
                StartSeconds = start.TotalSeconds,
                EndSeconds = end.TotalSeconds,
                Scheduled = c.Scheduled,
                Sent = c.Released - dropped,
                Dropped = c.Dropped + dropped,
                Late = c.Late + Volatile.Read(ref lateAfterWait[p]),
                TargetRate = seconds > 0 ? c.Scheduled / seconds : 0,
                AchievedRate = seconds > 0 ? (c.Released - dropped) / seconds : 0,
            });
        }

        return phases;
    }

    private List<BreakdownCell> Breakdown(LatencySnapshot snapshot)
    {
        var cells = new SortedDictionary<(string Srv, string Dmc, string Region), (long Responses, long Successes, long Errors)>();
        for (var k = 0; k < snapshot.KeyCount; k++)
        {
            var key = snapshot.GetKey(k);
            if (key.Srv == default)
            {
                continue;
            }

            long responses = 0, successes = 0, errors = 0;
            for (var c = 0; c < snapshot.ResponseCodeCount; c++)
            {
                var n = snapshot.GetResponseCount(k, c);
                responses += n;
                var kind = snapshot.GetResponseCode(c).Kind;
                successes += kind == ResponseCodeKind.Information ? n : 0;
                errors += kind == ResponseCodeKind.Error ? n : 0;
            }

            var other = snapshot.GetOtherResponseCount(k);
            responses += other;
            if (responses == 0)
            {
                continue;
            }

            var id = (key.Srv.ToString(), DmcName(key), RegionName(key.Region));
            var sum = cells.GetValueOrDefault(id);
            cells[id] = (sum.Responses + responses, sum.Successes + successes, sum.Errors + errors);
        }

        var list = new List<BreakdownCell>(cells.Count);
        foreach (var ((srv, dmc, region), (responses, successes, errors)) in cells)
        {
            list.Add(new BreakdownCell { Srv = srv, Dmc = dmc, Region = region, Responses = responses, Successes = successes, Errors = errors });
        }

        return list;
    }

    private AlertSummary AlertBreakdown(LatencySnapshot snapshot, AlertSummary alerts, ReceiverCounters intake)
    {
        var byRegion = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var byDmc = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var k = 0; k < snapshot.KeyCount; k++)
        {
            var key = snapshot.GetKey(k);
            long n = snapshot.GetOtherAlertCount(k);
            for (var c = 0; c < snapshot.AlertCodeCount; c++)
            {
                n += snapshot.GetAlertCount(k, c);
            }

            if (n == 0)
            {
                continue;
            }

            var region = key.Region == default ? "dcc" : RegionName(key.Region);
            byRegion[region] = byRegion.GetValueOrDefault(region) + n;
            if (key.Region != default)
            {
                var dmc = DmcName(key);
                byDmc[dmc] = byDmc.GetValueOrDefault(dmc) + n;
            }
        }

        long suppressed = 0;
        foreach (var a in intake.Alerts)
        {
            suppressed += a.Suppressed;
        }

        return alerts with { ByRegion = byRegion, ByDmc = byDmc, Throttled = intake.ThrottledAlerts, Suppressed = suppressed };
    }

    private string DmcName(in LatencyKey key)
        => key.Region == default && key.Dmc == 0 ? string.Empty
            : key.Dmc < Plan.Estate.DmcNames.Count ? Plan.Estate.DmcNames[key.Dmc] : key.Dmc.ToString(CultureInfo.InvariantCulture);

    private static string RegionName(CspRegion region) => region == default ? string.Empty : region.ToString().ToLowerInvariant();

    internal static long CountAtOrBelow(HdrHistogram.HistogramBase histogram, long limit)
    {
        long count = 0;
        foreach (var value in histogram.RecordedValues())
        {
            if (histogram.LowestEquivalentValue(value.ValueIteratedTo) > limit)
            {
                break;
            }

            count += value.CountAtValueIteratedTo;
        }

        return count;
    }

    private static CategoryLevel[] LevelsOf(PerformanceLevels performanceLevels)
    {
        var result = new CategoryLevel[PerformanceCategories.Count];
        for (var c = 0; c < result.Length; c++)
        {
            var category = (PerformanceCategory)c;
            var level = performanceLevels[category];
            result[c] = new CategoryLevel(new LatencyCategory((byte)c), PerformanceCategories.NameOf(category), level.TargetResponseTime, level.TargetPercent / 100, level.MinimumPercent / 100);
        }

        return result;
    }

    // Enough slots for the peak arrival rate over the response time-out (every request could still be waiting), as a
    // power of two between 4,096 and 524,288. The ceiling keeps the table (about 120 bytes a slot, two slots an entry)
    // near 128 MB: a larger one spreads each request's entry over memory the caches cannot hold, and its first touches
    // cost page faults on the send path. Beyond it a request is refused and counted as dropped, never lost.
    private static int SizeTable(Scenario scenario, TimeSpan responseTimeout)
    {
        double peak = 0;
        var schedule = new ArrivalSchedule(PhasePlan.ToArrivalPhases(scenario.Phases));
        for (var t = TimeSpan.Zero; t < schedule.Duration; t += TimeSpan.FromSeconds(Math.Max(1, schedule.Duration.TotalSeconds / 500)))
        {
            peak = Math.Max(peak, schedule.GetTargetRate(t));
        }

        var needed = (long)Math.Ceiling(peak * responseTimeout.TotalSeconds * 1.5);
        var size = 4096;
        while (size < needed && size < (1 << 19))
        {
            size <<= 1;
        }

        return size;
    }
}
