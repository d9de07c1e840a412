using CapacitySim.Load.Scenarios;

namespace CapacitySim.Cli.Run;

/// <summary>What <c>capacitysim run</c> was asked to do.</summary>
internal sealed record RunSettings
{
    public required string ScenarioPath { get; init; }

    /// <summary>External DUIS endpoint; null runs against the embedded simulated DCC (unless the scenario names one).</summary>
    public Uri? Target { get; init; }

    /// <summary>Where the users' receiver listens; null: the scenario's, else a default.</summary>
    public Uri? Listen { get; init; }

    /// <summary>Result folder; null: results/&lt;scenario&gt;-&lt;time&gt;.</summary>
    public string? Output { get; init; }

    public bool Progress { get; init; } = true;

    /// <summary>False turns request signing off whatever the scenario says.</summary>
    public bool Signing { get; init; } = true;

    public int Connections { get; init; } = 128;

    /// <summary>How long an arrival may wait for a busy connection before it is dropped (0: no longer than 2 ms after its release, two of the pacer's batch intervals).</summary>
    public TimeSpan MaxConnectionWait { get; init; }

    /// <summary>Overrides the scenario's time compression.</summary>
    public double? TimeCompression { get; init; }

    /// <summary>Response time-outs by category (<c>--response-timeout</c>), replacing the scenario's and the derived ones.</summary>
    public IReadOnlyList<CapacitySim.Load.Scenarios.ResponseTimeoutSetting> ResponseTimeouts { get; init; } = [];

    /// <summary>How long (real time) the run waits at the end for requests in flight (<c>--drain</c>); null: the scenario's or the derived one.</summary>
    public TimeSpan? Drain { get; init; }

    /// <summary>Accept any server certificate of an https endpoint (a test endpoint's self-signed one).</summary>
    public bool Insecure { get; init; }

    /// <summary>Port of the run's /metrics (0: any free port); null: no metrics endpoint.</summary>
    public int? MetricsPort { get; init; }

    /// <summary>Traffic capture file, or null.</summary>
    public string? Capture { get; init; }

    /// <summary>Whether the capture holds full message bodies.</summary>
    public bool CaptureBodies { get; init; }

    /// <summary>TLS both ways as the command line gives it; each value set overrides the scenario's <c>target.tls</c>.</summary>
    public TargetTlsOptions Tls { get; init; } = new();
}
