using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Validation;

namespace CapacitySim.Dcc.Validation;

/// <summary>How a <see cref="RequestValidator"/> checks requests.</summary>
public sealed class RequestValidatorOptions
{
    /// <summary>
    /// Verify each request's signature and that its signer is its originator (on by default; off for raw-throughput
    /// runs, when <see cref="Keys"/> may be null).
    /// </summary>
    public bool VerifySignatures { get; init; } = true;

    /// <summary>The certificates requests are verified against (DCC Boxed's keys folder, or the test PKI's).</summary>
    public DuisKeyStore? Keys { get; init; }

    /// <summary>The DUIS schema for the sampled full validation; null turns it off.</summary>
    public DuisSchema? Schema { get; init; }

    /// <summary>
    /// Validate one request in this many against the full <see cref="Schema"/> (1 = every request, 0 = none). Full
    /// validation builds a DOM-free but allocating XmlReader pass, so high-rate runs sample.
    /// </summary>
    public int SchemaSampleInterval { get; init; }

    /// <summary>The DCC's EUI-64: the BusinessTargetID of non-device requests.</summary>
    public Eui64 DccEui { get; init; } = RequestBodies.DccTarget;

    /// <summary>
    /// How far below the highest counter accepted from an originator a counter may still be accepted, once, in
    /// counter units (0, the default, is strict: every counter must exceed the highest). A client that sends one
    /// originator's requests over several connections at once cannot control which the DCC reads first; a window
    /// lets a lower counter that overtook nothing already seen through, while any counter seen before is still a replay.
    /// Rounded up to a multiple of 64.
    /// </summary>
    public int ReplayWindow { get; init; }

    /// <summary>
    /// The clock a future-dated request's ExecutionDateTime is compared with: real time (the default), even when the
    /// DCC runs compressed scenario time, because users stamp execution times from their own clocks, which compression
    /// does not speed up (the load engine stamps real time too).
    /// </summary>
    public TimeProvider WallClock { get; init; } = TimeProvider.System;

    /// <summary>
    /// How far an ExecutionDateTime may lie before <see cref="WallClock"/>'s now and still be accepted: the clock
    /// difference between a user's system and the DCC, and the request's time in transit (default 5 minutes).
    /// </summary>
    public TimeSpan ExecutionDateTimeTolerance { get; init; } = TimeSpan.FromMinutes(5);
}
