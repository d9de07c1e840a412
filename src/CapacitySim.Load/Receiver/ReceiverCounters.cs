using CapacitySim.Duis.Reading;

namespace CapacitySim.Load.Receiver;

/// <summary>
/// What the users' receiver made of every delivery so far. Each delivery lands in exactly one of the outcome counts,
/// so <see cref="Received"/> equals <see cref="Accounted"/> whenever no delivery is being processed.
/// </summary>
public sealed class ReceiverCounters
{
    internal ReceiverCounters(
        long received,
        long bytes,
        long completed,
        long acknowledgements,
        long unknown,
        long duplicates,
        long afterTimeOut,
        long uncorrelated,
        long notResponses,
        long tooLarge,
        long signaturesVerified,
        long signatureFailures,
        IReadOnlyDictionary<DuisReadStatus, long> malformedByStatus,
        IReadOnlyList<AlertCodeCount> alerts)
    {
        Received = received;
        Bytes = bytes;
        ResponsesCompleted = completed;
        AcknowledgementsSeen = acknowledgements;
        Unknown = unknown;
        Duplicates = duplicates;
        AfterTimeOut = afterTimeOut;
        Uncorrelated = uncorrelated;
        NotResponses = notResponses;
        TooLarge = tooLarge;
        SignaturesVerified = signaturesVerified;
        SignatureFailures = signatureFailures;
        MalformedByStatus = malformedByStatus;
        Alerts = alerts;
        long malformed = 0;
        foreach (var pair in malformedByStatus)
        {
            malformed += pair.Value;
        }

        Malformed = malformed;
        foreach (var alert in alerts)
        {
            if (alert.IsDccAlert)
            {
                DccAlerts += alert.Alerts;
            }
            else
            {
                DeviceAlerts += alert.Alerts;
            }

            ThrottledAlerts += alert.ThrottledAlerts;
            SuppressedAlerts += alert.Suppressed;
        }
    }

    /// <summary>Deliveries received (every POST to the delivery path).</summary>
    public long Received { get; }

    /// <summary>Body bytes received.</summary>
    public long Bytes { get; }

    /// <summary>Final responses (device responses, errors, time-outs) that completed a request in flight and were recorded.</summary>
    public long ResponsesCompleted { get; }

    /// <summary>I99 acknowledgements delivered to the receiver (matched or remembered by the correlation table).</summary>
    public long AcknowledgementsSeen { get; }

    /// <summary>Responses for RequestIDs this run does not know.</summary>
    public long Unknown { get; }

    /// <summary>Repeated responses for the same RequestID.</summary>
    public long Duplicates { get; }

    /// <summary>Final responses that arrived after their request had been given up as timed out.</summary>
    public long AfterTimeOut { get; }

    /// <summary>Well-formed responses that are neither an alert nor carry a RequestID: nothing to match them to.</summary>
    public long Uncorrelated { get; }

    /// <summary>Well-formed DUIS that is a Request, not a Response (answered 400).</summary>
    public long NotResponses { get; }

    /// <summary>Bodies larger than the configured limit (answered 413).</summary>
    public long TooLarge { get; }

    /// <summary>Bodies not readable as a DUIS response header (answered 400), by the reader's status.</summary>
    public IReadOnlyDictionary<DuisReadStatus, long> MalformedByStatus { get; }

    /// <summary>Sum of <see cref="MalformedByStatus"/>.</summary>
    public long Malformed { get; }

    /// <summary>Alerts by code, in order of first arrival.</summary>
    public IReadOnlyList<AlertCodeCount> Alerts { get; }

    /// <summary>Device alerts (DeviceAlertMessage) received.</summary>
    public long DeviceAlerts { get; }

    /// <summary>DCC alerts (DCCAlertMessage) received.</summary>
    public long DccAlerts { get; }

    /// <summary>Alerts that carried a ThrottledAlertCount (alert storm protection summaries).</summary>
    public long ThrottledAlerts { get; }

    /// <summary>Sum of ThrottledAlertCount: repeats the DCC's alert storm protection reports it suppressed.</summary>
    public long SuppressedAlerts { get; }

    /// <summary>Signatures checked and found valid (only when verification is on).</summary>
    public long SignaturesVerified { get; }

    /// <summary>Signatures checked and found missing or invalid (the delivery is still processed and counted).</summary>
    public long SignatureFailures { get; }

    /// <summary>Sum of every outcome count: equals <see cref="Received"/> when nothing is in progress.</summary>
    public long Accounted => ResponsesCompleted + AcknowledgementsSeen + Unknown + Duplicates + AfterTimeOut
        + DeviceAlerts + DccAlerts + Uncorrelated + NotResponses + TooLarge + Malformed;
}

/// <summary>Alerts of one code received by the users' receiver.</summary>
/// <param name="Code">The alert code's wire text (<c>8F35</c>, <c>N24</c>, <c>AD1</c>).</param>
/// <param name="IsDccAlert">True for a DCC alert, false for a device alert.</param>
/// <param name="Alerts">Alerts of this code received.</param>
/// <param name="ThrottledAlerts">Of those, alerts that carried a ThrottledAlertCount.</param>
/// <param name="Suppressed">Sum of their ThrottledAlertCount values.</param>
public readonly record struct AlertCodeCount(string Code, bool IsDccAlert, long Alerts, long ThrottledAlerts, long Suppressed);
