using CapacitySim.Load.Results;

namespace CapacitySim.Reporting.Evidence;

/// <summary>
/// The run's accounting identity: every request sent ends as a final response (success or error), a time-out, or is
/// still in flight at the end. <c>counts.responded</c> includes the error responses, so the identity's terms are
/// responded without errors, errors, timed out and in flight.
/// </summary>
/// <param name="Sent">Requests sent.</param>
/// <param name="Answered">Final responses without an E code.</param>
/// <param name="Errors">Final responses with an E code.</param>
/// <param name="TimedOut">Requests given up on after the time-out.</param>
/// <param name="InFlight">Requests still awaiting a final response at the end.</param>
internal readonly record struct AccountingIdentity(long Sent, long Answered, long Errors, long TimedOut, long InFlight)
{
    /// <summary>The sum of the terms.</summary>
    public long Accounted => Answered + Errors + TimedOut + InFlight;

    /// <summary>Sent minus accounted: positive when requests went missing, negative when more ended than were sent.</summary>
    public long Difference => Sent - Accounted;

    /// <summary>Whether every request sent is accounted for exactly once.</summary>
    public bool Balances => Difference == 0;

    public static AccountingIdentity Of(SummaryCounts counts)
        => new(counts.Sent, counts.Responded - counts.Errors, counts.Errors, counts.TimedOut, counts.InFlightAtEnd);
}
