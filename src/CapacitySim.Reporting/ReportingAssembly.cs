namespace CapacitySim.Reporting;

/// <summary>
/// The evidence side of a run: Prometheus metrics from interval snapshots, the SCT evidence report (HTML, Markdown,
/// JUnit), the regression gate and the traffic capture.
/// </summary>
public static class ReportingAssembly
{
    /// <summary>The assembly's name, for diagnostics.</summary>
    public const string Name = "CapacitySim.Reporting";
}
