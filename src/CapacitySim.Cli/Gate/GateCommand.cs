using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CapacitySim.Load.Results;
using CapacitySim.Reporting.Gate;

namespace CapacitySim.Cli.Gate;

/// <summary>
/// <c>capacitysim gate RESULT_DIR --baseline FILE [--update-baseline]</c>: the CI regression gate. Compares the run's
/// <c>summary.json</c> with a baseline summary (see <see cref="RegressionGate"/>), prints the table, and exits 0 on
/// pass, 1 on regression, 2 when a file cannot be read. With <c>--update-baseline</c> it writes the run's summary as
/// the new baseline instead and exits 0.
/// </summary>
internal static class GateCommand
{
    public static Command Create(CliConsole console)
    {
        var resultDir = new Argument<string>("RESULT_DIR")
        {
            Description = "Result folder of the run to judge (holding summary.json), or the summary.json file itself.",
        };
        var baseline = new Option<string>("--baseline")
        {
            Description = "Baseline summary (a summary.json of an accepted run) to compare with.",
            Required = true,
        };
        var update = new Option<bool>("--update-baseline")
        {
            Description = "Write the run's summary to the --baseline file (creating folders) instead of comparing, and exit 0.",
        };
        var command = new Command("gate", "Compare a run with a baseline summary using the scenario's gate tolerances; exit 1 on regression.")
        {
            resultDir, baseline, update,
        };
        command.SetAction(parse => Run(parse.GetValue(resultDir)!, parse.GetValue(baseline)!, parse.GetValue(update), console));
        return command;
    }

    internal static int Run(string resultDir, string baselinePath, bool updateBaseline, CliConsole console)
    {
        var summaryPath = Directory.Exists(resultDir) ? Path.Combine(resultDir, RunSummaryJson.FileName) : resultDir;
        if (!File.Exists(summaryPath))
        {
            throw new CliException(Directory.Exists(resultDir)
                ? $"{resultDir} holds no {RunSummaryJson.FileName}: give the result folder of a finished run."
                : $"{resultDir} does not exist: give the result folder of a run (or its {RunSummaryJson.FileName}).");
        }

        var current = ReadSummary(summaryPath, "run summary");
        if (updateBaseline)
        {
            var replaced = File.Exists(baselinePath);
            var folder = Path.GetDirectoryName(Path.GetFullPath(baselinePath));
            try
            {
                if (!string.IsNullOrEmpty(folder))
                {
                    Directory.CreateDirectory(folder);
                }

                // Written through a temporary file so that an interrupted update never leaves a half-written baseline.
                var temporary = baselinePath + ".tmp";
                File.Copy(summaryPath, temporary, overwrite: true);
                File.Move(temporary, baselinePath, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot write the baseline {baselinePath}: {e.Message}", e);
            }

            var throughput = RegressionGate.AchievedThroughput(current);
            console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{(replaced ? "replaced" : "created")} baseline {baselinePath} from {summaryPath} (scenario {current.Scenario}, throughput {(throughput is { } perSecond ? perSecond.ToString("0.###", CultureInfo.InvariantCulture) + "/s" : "n/a")}, {current.Categories.Count} categories)"));
            return 0;
        }

        if (!File.Exists(baselinePath))
        {
            throw new CliException(
                $"baseline {baselinePath} does not exist. Create it from an accepted run with: capacitysim gate {resultDir} --baseline {baselinePath} --update-baseline");
        }

        var baseline = ReadSummary(baselinePath, "baseline");
        if (!string.Equals(baseline.Scenario, current.Scenario, StringComparison.Ordinal))
        {
            throw new CliException(
                $"the baseline {baselinePath} is of scenario '{baseline.Scenario}' but the run is of '{current.Scenario}': compare runs of the same scenario, or replace the baseline with --update-baseline.");
        }

        var result = RegressionGate.Compare(baseline, current);
        var t = result.Tolerances;
        console.Out.WriteLine($"gate: {summaryPath} against baseline {baselinePath} (scenario {current.Scenario})");
        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"tolerances: throughput drop {t.ThroughputDrop * 100:0.##}%, p99 rise {t.P99Rise * 100:0.##}%, within-TRT fall {t.WithinTrtFall * 100:0.###} pt, error-share rise {t.ErrorRateRise * 100:0.###} pt"));
        console.Out.WriteLine("throughput = final responses per second of scenario time over the measured window; p99 = corrected latency (ms of scenario time)");
        console.Out.WriteLine();
        RegressionGate.WriteTable(result, console.Out);
        return result.Passed ? 0 : 1;
    }

    private static RunSummary ReadSummary(string path, string what)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return RunSummaryJson.Read(stream);
        }
        catch (JsonException e)
        {
            throw new CliException($"{path} is not a valid {what} (summary.json format): {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the {what} {path}: {e.Message}", e);
        }
    }
}
