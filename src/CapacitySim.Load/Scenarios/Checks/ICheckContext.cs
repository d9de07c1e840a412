namespace CapacitySim.Load.Scenarios;

/// <summary>
/// The counts a check may compare. Each that makes sense as a share has a base (see
/// <see cref="CheckCounters.BaseOf"/>): <c>errors &lt; 0.1%</c> compares errors with responses, <c>errors == 0</c>
/// compares the count itself.
/// </summary>
public enum CheckCounter : byte
{
    /// <summary>Arrivals the schedule produced (sent, dropped or late).</summary>
    Arrivals = 0,

    /// <summary>Requests sent.</summary>
    Requests,

    /// <summary>Responses received (including errors).</summary>
    Responses,

    /// <summary>Responses with an error (E) response code, or no DUIS response at all.</summary>
    Errors,

    /// <summary>Arrivals dropped because no connection or in-flight slot was free.</summary>
    Dropped,

    /// <summary>Arrivals sent later than their intended time by more than the pacer's tolerance.</summary>
    Late,

    /// <summary>Requests that got no response within the run's time-out.</summary>
    Timeouts,

    /// <summary>Requests the DCC answered negatively (it timed out) though the device carried the command out.</summary>
    LateDeviceSuccesses,

    /// <summary>Responses whose RequestID matched no request sent.</summary>
    UnknownResponses,

    /// <summary>Responses for a request that had already been answered.</summary>
    DuplicateResponses,

    /// <summary>Alerts delivered to the users.</summary>
    Alerts,
}

/// <summary>Names and bases of the <see cref="CheckCounter"/>s.</summary>
public static class CheckCounters
{
    private static readonly string[] Names =
    [
        "arrivals", "requests", "responses", "errors", "dropped", "late", "timeouts", "late_device_successes",
        "unknown_responses", "duplicate_responses", "alerts",
    ];

    /// <summary>Every counter name, in enum order.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>The snake_case name checks use.</summary>
    public static string NameOf(CheckCounter counter) => Names[(int)counter];

    /// <summary>Parses a counter name.</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out CheckCounter counter)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                counter = (CheckCounter)i;
                return true;
            }
        }

        counter = default;
        return false;
    }

    /// <summary>
    /// What a counter is a share of when a check gives a percentage, or null when it is a total with no base
    /// (arrivals, requests, responses, alerts).
    /// </summary>
    public static CheckCounter? BaseOf(CheckCounter counter) => counter switch
    {
        CheckCounter.Dropped or CheckCounter.Late => CheckCounter.Arrivals,
        CheckCounter.Timeouts => CheckCounter.Requests,
        CheckCounter.Errors or CheckCounter.LateDeviceSuccesses or CheckCounter.UnknownResponses or CheckCounter.DuplicateResponses => CheckCounter.Responses,
        _ => null,
    };
}

/// <summary>
/// What a run measured, as checks read it. The engine implements it over its merged histograms and counters; latency
/// is from the intended send time (corrected for coordinated omission) and excludes the warm-up.
/// </summary>
public interface ICheckContext
{
    /// <summary>
    /// The <paramref name="percentile"/>th percentile (0 to 100) of the response times of the categories in
    /// <paramref name="categories"/> taken together, or null when none had a response.
    /// </summary>
    TimeSpan? Percentile(PerformanceCategorySet categories, double percentile);

    /// <summary>
    /// Share (0 to 1) of the responses of <paramref name="categories"/> that came within their own category's TRT, or
    /// null when none had a response.
    /// </summary>
    double? WithinTrt(PerformanceCategorySet categories);

    /// <summary>A count over the measured part of the run.</summary>
    long Count(CheckCounter counter);

    /// <summary>Responses of <paramref name="categories"/> per second of scenario time over the measured part of the run.</summary>
    double Throughput(PerformanceCategorySet categories);
}
