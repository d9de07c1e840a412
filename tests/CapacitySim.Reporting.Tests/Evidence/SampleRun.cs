using CapacitySim.Duis.Tests.Support;
using CapacitySim.Load.Results;

namespace CapacitySim.Reporting.Tests.Evidence;

/// <summary>
/// A realistic peak-day run summary built in code: a compressed five-hour peak with four phases, categories with TRTs
/// (one below its target, one below its minimum, one with no latencies), seven checks of which one severity 3 check
/// fails, a breakdown over DMCs and regions, alerts by code, region and DMC, and the embedded DCC's counts.
/// <c>Fixtures/summary.json</c> is this summary as written; a test keeps the two the same.
/// </summary>
internal static class SampleRun
{
    public static string FixturePath => Path.Combine(SharedDuis.RepositoryRoot, "tests", "CapacitySim.Reporting.Tests", "Fixtures", RunSummaryJson.FileName);

    public static RunSummary Summary()
    {
        return new RunSummary
        {
            Scenario = "peak-day: supplier and network operator peak",
            ScenarioFile = "scenarios/peak-day.yaml",
            StartedAt = new DateTimeOffset(2025, 3, 11, 9, 0, 10, TimeSpan.Zero),
            EndedAt = new DateTimeOffset(2025, 3, 11, 9, 30, 10, TimeSpan.Zero),
            Compression = 10,
            Seed = 20250311,
            Environment = new RunEnvironment
            {
                ToolVersion = "0.5.0",
                Runtime = ".NET 10.0.0",
                Os = "Debian GNU/Linux 12 (bookworm)",
                Machine = "sct-runner-01",
                ProcessorCount = 8,
                Target = "embedded",
                Signing = true,
                Devices = 250_000,
                Connections = 16,
                WarmUpSeconds = 60,
            },
            Counts = new SummaryCounts
            {
                Sent = 869_450,
                Acknowledged = 781_950,
                Responded = 868_900,
                Errors = 2_150,
                ResponsesByCode = new Dictionary<string, long> { ["I0"] = 866_750, ["E19"] = 1_200, ["E21"] = 610, ["E54"] = 340 },
                ErrorsByCode = new Dictionary<string, long> { ["E19"] = 1_200, ["E21"] = 610, ["E54"] = 340 },
                TimedOut = 410,
                RespondedAfterTimeOut = 37,
                Dropped = 3_500,
                Late = 6_662,
                Duplicates = 3,
                InFlightAtEnd = 140,
            },
            Categories =
            [
                Category(0, "transform", 3_000, 21_000, 0.9995, (640, 1_100, 2_300, 2_900, 3_400), 0.93),
                Category(1, "non_device", 5_000, 86_500, 0.9989, (310, 900, 2_700, 4_600, 7_900), 0.95),
                Category(2, "on_demand_esme_chf", 30_000, 410_000, 0.9942, (6_200, 14_800, 27_400, 41_000, 58_000), 0.9),
                Category(3, "on_demand_gsme_gpf", 60_000, 150_000, 0.9871, (18_500, 39_000, 71_000, 96_000, 118_000), 0.9),
                Category(4, "future_dated_esme_chf", 30_000, 60_000, 0.996, (4_100, 11_200, 24_800, 33_500, 44_000), 0.95),
                Category(5, "dcc_scheduled", 30_000, 0, null, (0, 0, 0, 0, 0), 1),
                Category(6, "smets1_on_demand_esme_chf", 30_000, 141_400, 0.9573, (12_400, 22_900, 47_500, 69_000, 92_000), 0.85),
                Category(7, "device_alert", 60_000, 52_300, 0.9991, (1_900, 8_700, 31_000, 58_000, 83_000), 1),
                Category(8, "dcc_alert", 60_000, 1_850, 1.0, (420, 1_300, 4_100, 6_800, 9_200), 1),
            ],
            ServiceReferenceVariants =
            [
                Srv("1.5", "transform", 3_000, 21_000, 0.9995, (640, 1_100, 2_300, 2_900, 3_400)),
                Srv("1.5", "on_demand_esme_chf", 30_000, 21_000, 0.9951, (5_900, 13_900, 26_100, 39_000, 51_000)),
                Srv("4.1.1", "on_demand_esme_chf", 30_000, 246_000, 0.9947, (6_100, 14_500, 26_900, 40_500, 58_000)),
                Srv("4.3", "on_demand_esme_chf", 30_000, 61_000, 0.9938, (6_300, 15_000, 27_900, 41_200, 52_000)),
                Srv("4.8.1", "on_demand_esme_chf", 30_000, 82_000, 0.9925, (6_600, 15_600, 28_800, 43_000, 57_000)),
                Srv("4.17", "on_demand_gsme_gpf", 60_000, 150_000, 0.9871, (18_500, 39_000, 71_000, 96_000, 118_000)),
                Srv("4.6.1", "future_dated_esme_chf", 30_000, 60_000, 0.996, (4_100, 11_200, 24_800, 33_500, 44_000)),
                Srv("4.1.1", "smets1_on_demand_esme_chf", 30_000, 141_400, 0.9573, (12_400, 22_900, 47_500, 69_000, 92_000)),
                Srv("8.2", "non_device", 5_000, 86_500, 0.9989, (310, 900, 2_700, 4_600, 7_900)),
            ],
            Alerts = new AlertSummary
            {
                Received = 54_150,
                ByCode = new Dictionary<string, long>
                {
                    ["8F35"] = 31_200, ["8F01"] = 6_400, ["8F12"] = 5_900, ["8F3E"] = 3_100, ["8014"] = 3_000, ["81B8"] = 2_700, ["N24"] = 1_100, ["AD1"] = 750,
                },
                ByRegion = new Dictionary<string, long> { ["north"] = 18_900, ["central"] = 20_150, ["south"] = 13_250, ["dcc"] = 1_850 },
                ByDmc = new Dictionary<string, long>
                {
                    ["S2-ELEC-LandisE470S2"] = 14_100, ["S2-ELEC-AclaraSGM1414"] = 9_300, ["S1-ELEC-SecureLiberty100"] = 8_800, ["S1-ELEC-LandisE470S1"] = 6_900,
                    ["S1-ELEC-EdmiAtlasS1"] = 4_200, ["S2-CHF-ToshibaCH2"] = 4_600, ["S1-CHF-SecureLibertyHub"] = 2_900, ["S2-GAS-FlonidanUniG4S2"] = 1_500,
                },
                Throttled = 860,
                Suppressed = 14_320,
            },
            Phases =
            [
                Phase(0, "ramping", "morning ramp", 0, 3_600, 108_000, 107_950, 0, 12, 30, 29.99),
                Phase(1, "constant", "peak", 3_600, 10_800, 432_000, 431_200, 800, 1_450, 60, 59.89),
                Phase(2, "step", "step to 80/s", 10_800, 14_400, 252_000, 249_300, 2_700, 5_200, 70, 69.25),
                Phase(3, "diurnal", "evening", 14_400, 18_000, 81_000, 81_000, 0, 0, 22.5, 22.5),
            ],
            Checks =
            [
                Check("p99(on_demand_esme_chf) < 30s", true, 27_400, "27.4 s", 30_000, 2, 61),
                Check("within_trt(on_demand_esme_chf) >= 99%", true, 0.9942, "99.42%", 0.99, 2, 62),
                Check("within_trt(smets1_on_demand_esme_chf) >= 96%", false, 0.9573, "95.73%", 0.96, 3, 63),
                Check("errors < 0.5%", true, 0.00247, "0.25%", 0.005, 2, 64),
                Check("dropped < 5000", true, 3_500, "3,500", 5_000, 4, 65),
                Check("throughput >= 45/s", true, 48.3, "48.3/s", 45, 2, 66),
                Check("p50(transform) <= 2s", true, 640, "640 ms", 2_000, 3, 67),
            ],
            Breakdown = Breakdown(),
            Dcc = new DccCounts
            {
                Received = 869_450,
                Accepted = 867_300,
                RejectedByCode = new Dictionary<string, long> { ["E19"] = 1_200, ["E54"] = 340 },
                ResponsesDelivered = 781_400,
                AlertsGenerated = 68_470,
                AlertsThrottled = 14_320,
                AlertsDelivered = 54_150,
                DeliveryRetries = 212,
                FailedQueue = 0,
                InFlight = 140,
            },
        };
    }

    private static CategorySummary Category(int id, string name, double trt, long count, double? within, (double P50, double P90, double P99, double P999, double Max) p, double uncorrectedShare)
        => new()
        {
            Id = id,
            Name = name,
            TrtMs = trt,
            ServiceLevelTarget = 0.99,
            ServiceLevelMinimum = 0.96,
            Count = count,
            WithinTrt = within,
            WithinTrtCount = within is { } w ? (long)Math.Round(w * count) : null,
            Corrected = Latency(p, 1),
            Uncorrected = Latency(p, uncorrectedShare),
            ResponsesByCode = name.Contains("alert", StringComparison.Ordinal) ? new Dictionary<string, long>() : new Dictionary<string, long> { ["I0"] = count },
        };

    private static SrvSummary Srv(string srv, string category, double trt, long count, double within, (double P50, double P90, double P99, double P999, double Max) p)
        => new()
        {
            Srv = srv,
            Category = category,
            TrtMs = trt,
            Count = count,
            WithinTrt = within,
            Corrected = Latency(p, 1),
            Uncorrected = Latency(p, 0.9),
            ResponsesByCode = new Dictionary<string, long> { ["I0"] = count - (count / 400), ["E19"] = count / 400 },
        };

    private static LatencySummary Latency((double P50, double P90, double P99, double P999, double Max) p, double share)
        => new() { P50 = p.P50 * share, P90 = p.P90 * share, P99 = p.P99 * share, P999 = p.P999 * share, Max = p.Max * share };

    private static PhaseSummary Phase(int index, string kind, string name, double start, double end, long scheduled, long sent, long dropped, long late, double target, double achieved)
        => new() { Index = index, Kind = kind, Name = name, StartSeconds = start, EndSeconds = end, Scheduled = scheduled, Sent = sent, Dropped = dropped, Late = late, TargetRate = target, AchievedRate = achieved };

    private static CheckOutcome Check(string check, bool passed, double measured, string text, double threshold, int severity, int line)
        => new() { Check = check, Passed = passed, Measured = measured, MeasuredText = text, Threshold = threshold, Severity = severity, Line = line, Column = 5 };

    /// <summary>Cells over (SRV, DMC, region): most succeed at 99.8%; one SMETS1 DMC and one region do worse, as a real run's weak spots would.</summary>
    private static List<BreakdownCell> Breakdown()
    {
        string[] electricity = ["S1-ELEC-SecureLiberty100", "S1-ELEC-LandisE470S1", "S1-ELEC-EdmiAtlasS1", "S2-ELEC-LandisE470S2", "S2-ELEC-AclaraSGM1414"];
        string[] gas = ["S1-GAS-SecureEuropaG4", "S2-GAS-FlonidanUniG4S2"];
        string[] regions = ["north", "central", "south"];
        var cells = new List<BreakdownCell>();
        void Add(string srv, string dmc, string region, long responses, double success)
        {
            var successes = (long)Math.Round(responses * success);
            cells.Add(new BreakdownCell { Srv = srv, Dmc = dmc, Region = region, Responses = responses, Successes = successes, Errors = responses - successes });
        }

        foreach (var region in regions)
        {
            var regional = region == "south" ? 0.006 : 0;
            foreach (var (dmc, i) in electricity.Select((d, i) => (d, i)))
            {
                var weak = dmc == "S1-ELEC-EdmiAtlasS1" ? 0.035 : 0;
                Add("1.5", dmc, region, 1_400 + (i * 40), 0.998 - regional - weak);
                Add("4.1.1", dmc, region, 25_000 + (i * 900), 0.9985 - regional - weak);
                Add("4.3", dmc, region, 4_100 + (i * 120), 0.998 - regional - (weak / 2));
                Add("4.8.1", dmc, region, 5_400 + (i * 200), 0.997 - regional - (weak * 1.6));
                Add("4.6.1", dmc, region, 4_000 + (i * 100), 0.999 - regional);
            }

            foreach (var dmc in gas)
            {
                Add("4.17", dmc, region, 25_000, dmc.StartsWith("S1", StringComparison.Ordinal) ? 0.992 - regional : 0.997 - regional);
            }
        }

        Add("8.2", string.Empty, string.Empty, 86_500, 0.9989);
        return cells;
    }
}
