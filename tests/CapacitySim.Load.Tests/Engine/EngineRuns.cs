namespace CapacitySim.Load.Tests.Engine;

/// <summary>
/// Whole engine runs (pacer, connections, endpoint and receiver in this process) run one at a time and alone: run
/// side by side on a 2-core machine, a cold process's first requests can hold every connection long enough for a
/// run to drop arrivals it would otherwise send, and the tests count what was sent.
/// </summary>
[CollectionDefinition(nameof(EngineRuns), DisableParallelization = true)]
public sealed class EngineRuns;
