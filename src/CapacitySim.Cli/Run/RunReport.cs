using System.Globalization;
using CapacitySim.Load.Engine;

namespace CapacitySim.Cli.Run;

/// <summary>The closing lines of a run: per-category latency against TRT, the accounting, the checks and the files.</summary>
internal static class RunReport
{
    public static void Write(TextWriter o, LoadRunResult result, string folder)
    {
        var s = result.Summary;
        var c = s.Counts;
        o.WriteLine();
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Scenario}: measured {(s.EndedAt - s.StartedAt).TotalSeconds * s.Compression:0.#} s of scenario time (x{s.Compression:0.###}), latency in scenario time from the intended send time"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"category",-28} {"count",9} {"p50",9} {"p99",9} {"max",9} {"TRT",9} {"within",8} {"target",7}"));
        foreach (var cat in s.Categories)
        {
            if (cat.Count == 0)
            {
                continue;
            }

            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {cat.Name,-28} {cat.Count,9:N0} {RunProgress.Ms(cat.Corrected.P50),9} {RunProgress.Ms(cat.Corrected.P99),9} {RunProgress.Ms(cat.Corrected.Max),9} {(cat.TrtMs is { } t ? RunProgress.Ms(t) : "-"),9} {(cat.WithinTrt is { } w ? (w * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-"),8} {(cat.ServiceLevelTarget is { } st ? (st * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-"),7}"));
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sent {c.Sent:N0} = responded {c.Responded:N0} + no DUIS answer {c.Abandoned:N0} + timed out {c.TimedOut:N0} + in flight {c.InFlightAtEnd:N0} ({(c.Sent == c.Responded + c.Abandoned + c.TimedOut + c.InFlightAtEnd ? "balanced" : "NOT BALANCED")}); dropped {c.Dropped:N0}, late {c.Late:N0}, unknown {c.Unknown:N0}, duplicates {c.Duplicates:N0}"));
        o.WriteLine("  responses by code: " + (c.ResponsesByCode.Count == 0 ? "none" : string.Join(", ", c.ResponsesByCode.Select(kv => $"{kv.Key} {kv.Value:N0}"))));
        if (c.ErrorsByCode.Count > 0)
        {
            o.WriteLine("  errors by code: " + string.Join(", ", c.ErrorsByCode.Select(kv => $"{kv.Key} {kv.Value:N0}")));
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  alerts received {s.Alerts.Received:N0} (throttled {s.Alerts.Throttled:N0}, repeats suppressed {s.Alerts.Suppressed:N0})"));
        if (s.Dcc is { } d)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  DCC: received {d.Received:N0}, accepted {d.Accepted:N0}, refused {d.RejectedByCode.Values.Sum():N0}, responses delivered {d.ResponsesDelivered:N0}, alerts delivered {d.AlertsDelivered:N0}, still in flight {d.InFlight:N0}"));
        }

        o.WriteLine("checks:");
        foreach (var check in s.Checks)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(check.Passed ? "PASS" : "FAIL")}  {check.MeasuredText}  (line {check.Line}, severity {check.Severity})"));
        }

        if (s.Checks.Count == 0)
        {
            o.WriteLine("  (the scenario has none)");
        }

        o.WriteLine($"results: {Path.GetFullPath(folder)} ({string.Join(", ", result.Files.Select(Path.GetFileName))})");
        o.WriteLine(result.Passed ? "PASSED" : "FAILED: a check did not hold (exit code 1)");
        o.Flush();
    }

}
