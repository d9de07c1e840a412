using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Hosting;

/// <summary>What a request settles to before anything listens: the target, the receiver, the time compression and signing.</summary>
/// <param name="Scenario">The scenario with its time compression settled.</param>
/// <param name="CompressionOrigin">Where the time compression comes from, for the run's header.</param>
/// <param name="Target">The external DCC, or null for the embedded one.</param>
/// <param name="Listen">Where the users' receiver listens.</param>
/// <param name="Signing">Whether requests are signed (and, with the embedded DCC, checked and answers signed).</param>
public sealed record RunPlan(Scenario Scenario, string CompressionOrigin, Uri? Target, Uri Listen, bool Signing)
{
    /// <summary>Whether the run hosts the simulated DCC itself.</summary>
    public bool Embedded => Target is null;

    internal static RunPlan Of(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scenario = request.Scenario;
        var target = request.Target ?? scenario.Target?.Url;
        var embedded = target is null;

        // Against an external endpoint the scenario runs in real time unless told otherwise: compressing its schedule
        // would send a real DCC many times the scenario's rates, and its latencies, which do not shrink, would be
        // reported many times too long.
        string origin;
        if (request.TimeCompression is { } forced)
        {
            scenario = scenario.WithTimeCompression(forced);
            origin = "--time-compression";
        }
        else if (scenario.TimeCompressionGiven)
        {
            origin = "the scenario's timeCompression";
        }
        else if (embedded)
        {
            origin = "the default with the embedded DCC";
        }
        else
        {
            scenario = scenario.WithTimeCompression(1);
            origin = "the default against an external target";
        }

        if (embedded && scenario.Estate.Kind == EstateSourceKind.DevicesCsv)
        {
            throw new RunSetupException($"{request.ScenarioFile}: the estate is an external DCC's devices CSV, so the run needs --target (or target.url in the scenario).");
        }

        var signing = request.Signing && (embedded ? scenario.Dcc?.Signing ?? true : scenario.Target?.Signing ?? true);
        var listen = request.Listen ?? scenario.Target?.Listen
            ?? (embedded ? new Uri("http://127.0.0.1:0/receive-response") : new Uri("http://0.0.0.0:8080/receive-response"));
        return new RunPlan(scenario, origin, target, listen, signing);
    }
}
