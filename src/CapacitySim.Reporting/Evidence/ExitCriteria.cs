using CapacitySim.Load.Results;

namespace CapacitySim.Reporting.Evidence;

/// <summary>Whether a run's evidence meets the SCT exit criteria.</summary>
public enum ExitVerdict
{
    /// <summary>Open testing issues are within the threshold of every severity.</summary>
    Met,

    /// <summary>At least one severity has more open testing issues than its threshold allows.</summary>
    NotMet,

    /// <summary>The summary records no checks, so there is nothing to judge the run by.</summary>
    NotAssessed,
}

/// <summary>
/// The SCT exit criteria applied to a run: every failed check raises one testing issue of the check's severity
/// (1 highest … 5 lowest), and the run meets the criteria when no severity has more open issues than its threshold.
/// </summary>
public sealed record ExitCriteria
{
    /// <summary>Most open testing issues SCT allows per severity, index 0 being severity 1: 0, 0, 15, 30, 60.</summary>
    public static IReadOnlyList<int> SctThresholds { get; } = [0, 0, 15, 30, 60];

    /// <summary>Open testing issues per severity, index 0 being severity 1.</summary>
    public required IReadOnlyList<int> OpenIssues { get; init; }

    /// <summary>The thresholds the issues were judged against, index 0 being severity 1.</summary>
    public required IReadOnlyList<int> Thresholds { get; init; }

    /// <summary>Checks judged.</summary>
    public int Checks { get; init; }

    /// <summary>The verdict.</summary>
    public ExitVerdict Verdict { get; init; }

    /// <summary>One sentence stating the verdict and why, as the report prints it.</summary>
    public string Statement => Verdict switch
    {
        ExitVerdict.NotAssessed => "Exit criteria NOT ASSESSED: the run recorded no checks, so no testing issue can be raised or cleared.",
        ExitVerdict.Met => OpenIssues.Sum() == 0
            ? "Exit criteria MET: every check passed; no testing issue is open."
            : $"Exit criteria MET: {Issues(OpenIssues.Sum())} open, within the threshold of every severity.",
        _ => "Exit criteria NOT MET: " + string.Join("; ", Exceeded().Select(s => $"{Issues(OpenIssues[s - 1], s)} open, at most {Thresholds[s - 1]} allowed")) + ".",
    };

    private static string Issues(int count, int? severity = null)
        => $"{count} {(severity is { } s ? $"severity {s} " : string.Empty)}testing issue{(count == 1 ? string.Empty : "s")}";

    /// <summary>Severities (1…5) whose open issues exceed the threshold.</summary>
    public IEnumerable<int> Exceeded()
    {
        for (var i = 0; i < OpenIssues.Count; i++)
        {
            if (OpenIssues[i] > Thresholds[i])
            {
                yield return i + 1;
            }
        }
    }

    /// <summary>The severity (1…5) a check's failure raises: values outside the scale are taken to its nearest end.</summary>
    public static int SeverityOf(CheckOutcome check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return Math.Clamp(check.Severity, 1, 5);
    }

    /// <summary>Judges <paramref name="checks"/> against the SCT thresholds.</summary>
    public static ExitCriteria Evaluate(IReadOnlyList<CheckOutcome> checks) => Evaluate(checks, SctThresholds);

    /// <summary>Judges <paramref name="checks"/> against <paramref name="thresholds"/> (five values, severity 1 first).</summary>
    public static ExitCriteria Evaluate(IReadOnlyList<CheckOutcome> checks, IReadOnlyList<int> thresholds)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (thresholds.Count != 5)
        {
            throw new ArgumentException("The exit criteria need one threshold per severity 1 to 5.", nameof(thresholds));
        }

        var open = new int[5];
        var judged = 0;
        foreach (var check in checks)
        {
            if (check is null)
            {
                continue;
            }

            judged++;
            if (!check.Passed)
            {
                open[SeverityOf(check) - 1]++;
            }
        }

        var verdict = judged == 0 ? ExitVerdict.NotAssessed : ExitVerdict.Met;
        for (var i = 0; i < 5 && verdict == ExitVerdict.Met; i++)
        {
            if (open[i] > thresholds[i])
            {
                verdict = ExitVerdict.NotMet;
            }
        }

        return new ExitCriteria { OpenIssues = open, Thresholds = [.. thresholds], Checks = judged, Verdict = verdict };
    }
}
