using CapacitySim.Devices.Estate;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Recording;
using CapacitySim.Load.Results;
using CapacitySim.Load.Scenarios;
using Prometheus;

namespace CapacitySim.Load.Hosting;

/// <summary>What a run shows while it lasts: told once everything listens, then handed each interval's status.</summary>
public interface IRunProgress
{
    /// <summary>Called once the receiver listens and the embedded DCC serves, before the first request is sent.</summary>
    Task StartedAsync(RunStarted run, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="run"/>, handing it the callback that shows each interval's status.</summary>
    Task<LoadRunResult> RunAsync(Func<Action<RunStatus, LatencySnapshot>, Task<LoadRunResult>> run);
}

/// <summary>A run about to send its first request.</summary>
public sealed record RunStarted
{
    /// <summary>What the request settled to.</summary>
    public required RunPlan Plan { get; init; }

    /// <summary>The requests the schedule holds.</summary>
    public required long TotalArrivals { get; init; }

    /// <summary>The devices of the estate the users address.</summary>
    public required long Devices { get; init; }

    /// <summary>Where requests go: the external target, or the embedded DCC's address.</summary>
    public required Uri Target { get; init; }

    /// <summary>Where the users receive responses and alerts.</summary>
    public required Uri DeliveryAddress { get; init; }

    /// <summary>The response time-outs in force.</summary>
    public required ResponseTimeouts Timeouts { get; init; }

    /// <summary>How long (real time) the run waits at the end for requests in flight.</summary>
    public required TimeSpan Drain { get; init; }

    /// <summary>The performance levels the run is judged by.</summary>
    public required IReadOnlyList<CategoryLevel> Levels { get; init; }

    /// <summary>The estate's device model combinations, when the run built the estate.</summary>
    public IReadOnlyList<DmcInfo>? Dmcs { get; init; }

    /// <summary>The embedded DCC's metrics, or null against an external target.</summary>
    public CollectorRegistry? DccMetrics { get; init; }
}

/// <summary>A finished run.</summary>
/// <param name="Plan">What the request settled to.</param>
/// <param name="Result">The engine's result, or null when the run was cancelled.</param>
public sealed record RunOutcome(RunPlan Plan, LoadRunResult? Result)
{
    /// <summary>Whether the run was cancelled before it finished.</summary>
    public bool Cancelled => Result is null;

    /// <summary>Where the time compression came from.</summary>
    public string CompressionOrigin => Plan.CompressionOrigin;

    /// <summary>The embedded DCC's counts, taken at the same cut as the users'; null against an external target.</summary>
    public DccCounts? DccCounts => Result?.Summary.Dcc;
}
