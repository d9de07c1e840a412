using System.Buffers;
using CapacitySim.Dcc.Users;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Validation;

namespace CapacitySim.Dcc.Validation;

/// <summary>
/// The DCC's checks of an incoming service request, in DUIS order, each failure with its response code
/// (<see cref="DccErrorCodes"/>):
/// <list type="number">
/// <item>Not XML, not a DUIS request, or no readable RequestID or ServiceReferenceVariant to address a DUIS response
/// to: HTTP 400. Other header fields missing or not allowed by the schema, an unknown
/// Service Reference Variant, a ServiceReference that does not match it, or (for one request in
/// <see cref="RequestValidatorOptions.SchemaSampleInterval"/>) a full schema failure: the schema code.</item>
/// <item>The request does not belong to the web service it was posted to: E13.</item>
/// <item>The command variant is not one the Service Reference Variant may use: E12.</item>
/// <item>A future-dated request's ExecutionDateTime has passed (beyond <see cref="RequestValidatorOptions.ExecutionDateTimeTolerance"/>):
/// <see cref="DccErrorCodes.ExecutionDateTimeInPast"/>.</item>
/// <item>Unknown originator or a user without a role: E1; no role eligible for the variant: E2; user suspended: E3.</item>
/// <item>Unknown target device: E19.</item>
/// <item>Variant not applicable to the device's type (<see cref="ServiceDeviceTypes"/>): E11; device suspended or
/// decommissioned: E5.</item>
/// <item>Signature missing or invalid, or signed by a certificate not of the originator (when
/// <see cref="RequestValidatorOptions.VerifySignatures"/>).</item>
/// <item>Originator counter not greater than the highest accepted from the originator: a replay (with a
/// <see cref="RequestValidatorOptions.ReplayWindow"/>, a counter within the window below the highest is accepted once).</item>
/// </list>
/// Thread-safe. The accept path allocates nothing but what signature verification needs (nothing at all with
/// signature checking off); replay protection is one lock-free slot per user.
/// </summary>
/// <remarks>
/// Only accepted requests advance their originator's counter: a refused request leaves it as it was. The highest
/// counter starts at 0, so the first counter of an originator must be at least 1.
/// </remarks>
public sealed class RequestValidator : IDisposable
{
    private readonly UserDirectory users;
    private readonly IDeviceDirectory devices;
    private readonly bool verifySignatures;
    private readonly DuisSchema? schema;
    private readonly int schemaInterval;
    private readonly Eui64 dccEui;
    private readonly SignerCertificates? signers;
    private readonly ThreadLocal<FastEnvelopedVerifier>? verifiers;
    private readonly long[] highestCounters;
    private readonly int windowWords;
    private readonly ulong[] seenBelowHighest;
    private readonly Lock[] counterGates;
    private readonly TimeProvider wallClock;
    private readonly TimeSpan executionTolerance;
    private long schemaTicket;

    /// <summary>Creates a validator for the given users and estate.</summary>
    /// <exception cref="ArgumentException">Signature checking is on and <see cref="RequestValidatorOptions.Keys"/> is null.</exception>
    public RequestValidator(UserDirectory users, IDeviceDirectory devices, RequestValidatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(devices);
        options ??= new RequestValidatorOptions();
        this.users = users;
        this.devices = devices;
        verifySignatures = options.VerifySignatures;
        schema = options.Schema;
        schemaInterval = options.Schema is null ? 0 : Math.Max(0, options.SchemaSampleInterval);
        dccEui = options.DccEui;
        wallClock = options.WallClock;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ExecutionDateTimeTolerance, TimeSpan.Zero);
        executionTolerance = options.ExecutionDateTimeTolerance;
        highestCounters = new long[users.Count];
        ArgumentOutOfRangeException.ThrowIfNegative(options.ReplayWindow);
        windowWords = (options.ReplayWindow + 63) / 64;
        seenBelowHighest = new ulong[users.Count * windowWords];
        counterGates = new Lock[windowWords == 0 ? 0 : users.Count];
        for (var i = 0; i < counterGates.Length; i++)
        {
            counterGates[i] = new Lock();
        }

        if (verifySignatures)
        {
            var keys = options.Keys ?? throw new ArgumentException("Signature checking needs a key store (RequestValidatorOptions.Keys).", nameof(options));
            signers = new SignerCertificates(users, keys);
            verifiers = new ThreadLocal<FastEnvelopedVerifier>(() => new FastEnvelopedVerifier(keys), trackAllValues: true);
        }
    }

    /// <summary>Counts of outcomes by reason.</summary>
    public ValidationCounters Counters { get; } = new();

    /// <summary>True when signatures are verified.</summary>
    public bool VerifiesSignatures => verifySignatures;

    /// <summary>The users requests are checked against.</summary>
    public UserDirectory Users => users;

    /// <summary>The highest originator counter accepted from <paramref name="user"/> (0 when none).</summary>
    public ulong HighestCounter(DuisUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return (ulong)Volatile.Read(ref highestCounters[user.Index]);
    }

    /// <summary>Validates a request body received on <paramref name="webService"/>, and counts the outcome.</summary>
    public ValidationOutcome Validate(DuisWebService webService, in ReadOnlySequence<byte> request)
    {
        if (request.IsSingleSegment)
        {
            return Validate(webService, request.FirstSpan);
        }

        // The signature and schema checks read the message as one span: copy a multi-segment body into a pooled buffer.
        if (request.Length > Array.MaxLength)
        {
            return Count(ValidationOutcome.Reject(ValidationReason.MalformedXml, DuisReadStatus.MessageTooLarge, default, webService));
        }

        var length = (int)request.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            request.CopyTo(buffer);
            return Validate(webService, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Validates a request body received on <paramref name="webService"/>, and counts the outcome.</summary>
    public ValidationOutcome Validate(DuisWebService webService, ReadOnlySpan<byte> request) => Count(Check(webService, request));

    /// <inheritdoc/>
    public void Dispose()
    {
        if (verifiers is null)
        {
            return;
        }

        foreach (var verifier in verifiers.Values)
        {
            verifier.Dispose();
        }

        verifiers.Dispose();
    }

    private ValidationOutcome Count(in ValidationOutcome outcome)
    {
        Counters.Increment(outcome.Reason);
        return outcome;
    }

    private ValidationOutcome Check(DuisWebService webService, ReadOnlySpan<byte> request)
    {
        // (a) XML, DUIS shape, header fields, catalogue, sampled schema.
        var status = DuisHeaderReader.TryRead(request, out var header);
        if (status.IsXmlError())
        {
            return ValidationOutcome.Reject(ValidationReason.MalformedXml, status, header, webService);
        }

        if (status == DuisReadStatus.NotDuis || header.MessageKind != DuisMessageKind.Request)
        {
            return ValidationOutcome.Reject(ValidationReason.NotDuisRequest, status, header, webService);
        }

        if (status != DuisReadStatus.Ok)
        {
            // The reader reads every field past a bad one, so this says whether a DUIS response can be addressed.
            var reason = header.HasRequestId && header.HasServiceReferenceVariant ? ValidationReason.InvalidHeader : ValidationReason.UnaddressableHeader;
            return ValidationOutcome.Reject(reason, status, header, webService);
        }

        if (!ServiceCatalogue.TryGet(header.ServiceReferenceVariant, out var service))
        {
            return ValidationOutcome.Reject(ValidationReason.UnknownServiceReferenceVariant, status, header, webService);
        }

        if (header.ServiceReference != service.ServiceReference)
        {
            return ValidationOutcome.Reject(ValidationReason.ServiceReferenceMismatch, status, header, webService, service: service);
        }

        if (schemaInterval > 0 && Interlocked.Increment(ref schemaTicket) % schemaInterval == 0 && !IsSchemaValid(request))
        {
            return ValidationOutcome.Reject(ValidationReason.SchemaInvalid, status, header, webService, service: service);
        }

        // (b) The web service: the command variant's service must be the URL's, and the variant must use that service.
        var commandVariant = header.CommandVariant;
        if (DuisWebServices.ForCommandVariant(commandVariant) != webService || !service.UsesWebService(webService))
        {
            return ValidationOutcome.Reject(ValidationReason.WrongWebService, status, header, webService, service: service);
        }

        // (c) The command variant must be one the variant may use.
        if (!service.IsAllowed(commandVariant))
        {
            return ValidationOutcome.Reject(ValidationReason.CommandVariantNotAllowed, status, header, webService, service: service);
        }

        // (c2) A future-dated command must still be able to run at its execution time (the cancellation convention,
        // 3000-12-31, is far in the future and passes).
        if (header.HasExecutionDateTime && header.ExecutionDateTime < wallClock.GetUtcNow() - executionTolerance)
        {
            return ValidationOutcome.Reject(ValidationReason.ExecutionDateTimeInPast, status, header, webService, service: service);
        }

        // (d) The user: known, with a role, eligible, active.
        var requestId = header.RequestId;
        if (!users.TryFind(requestId.Originator, out var user))
        {
            return ValidationOutcome.Reject(ValidationReason.UnknownUser, status, header, webService, service: service);
        }

        if (user.Roles == UserRoles.None)
        {
            return ValidationOutcome.Reject(ValidationReason.UserHasNoRole, status, header, webService, user, service);
        }

        if (!user.MaySend(service))
        {
            return ValidationOutcome.Reject(ValidationReason.RoleNotEligible, status, header, webService, user, service);
        }

        if (user.Status != UserStatus.Active)
        {
            return ValidationOutcome.Reject(ValidationReason.UserSuspended, status, header, webService, user, service);
        }

        // (e) and (f) The target: the DCC for non-device requests, else a device of a compatible type and status.
        DeviceRecord device = default;
        var hasDevice = false;
        var target = requestId.Target;
        if (service.NonDevice)
        {
            if (target != dccEui)
            {
                var reason = devices.TryFind(target, out device) ? ValidationReason.DeviceTypeNotCompatible : ValidationReason.UnknownDevice;
                return ValidationOutcome.Reject(reason, header, webService, user, service, device, reason == ValidationReason.DeviceTypeNotCompatible);
            }
        }
        else
        {
            if (target == dccEui)
            {
                return ValidationOutcome.Reject(ValidationReason.DeviceTypeNotCompatible, status, header, webService, user, service);
            }

            if (!devices.TryFind(target, out device))
            {
                return ValidationOutcome.Reject(ValidationReason.UnknownDevice, status, header, webService, user, service);
            }

            hasDevice = true;
            if (!ServiceDeviceTypes.IsCompatible(service.Variant, device.Type))
            {
                return ValidationOutcome.Reject(ValidationReason.DeviceTypeNotCompatible, header, webService, user, service, device, hasDevice);
            }

            if (device.Status is DeviceStatus.Suspended or DeviceStatus.Decommissioned)
            {
                return ValidationOutcome.Reject(ValidationReason.DeviceStatusIncompatible, header, webService, user, service, device, hasDevice);
            }
        }

        // (g) The signature: present, by one of the originator's certificates, and valid.
        if (verifySignatures)
        {
            var reason = CheckSignature(request, header, user);
            if (reason != ValidationReason.Accepted)
            {
                return ValidationOutcome.Reject(reason, header, webService, user, service, device, hasDevice);
            }
        }

        // (h) Replay: the counter must exceed the highest accepted from this originator. Last, so that only accepted
        // requests advance it.
        if (!TryAdvanceCounter(user.Index, requestId.Counter))
        {
            return ValidationOutcome.Reject(ValidationReason.ReplayedCounter, header, webService, user, service, device, hasDevice);
        }

        return ValidationOutcome.Accept(header, webService, user, service, device, hasDevice);
    }

    private ValidationReason CheckSignature(ReadOnlySpan<byte> request, in DuisHeader header, DuisUser user)
    {
        if (!header.HasSignature)
        {
            return ValidationReason.MissingSignature;
        }

        if (!SignerCertificates.TryReadKeyInfo(request, out var issuer, out var serial))
        {
            return ValidationReason.SignatureInvalid;
        }

        if (!signers!.Belongs(user.Index, issuer, serial))
        {
            return ValidationReason.SignerNotOriginator;
        }

        return verifiers!.Value!.VerifyOrFallBack(request) == SignatureVerificationResult.Valid
            ? ValidationReason.Accepted
            : ValidationReason.SignatureInvalid;
    }

    private bool TryAdvanceCounter(int userIndex, ulong counter)
    {
        if (windowWords > 0)
        {
            return TryAcceptInWindow(userIndex, counter);
        }

        ref var slot = ref highestCounters[userIndex];
        while (true)
        {
            var current = Volatile.Read(ref slot);
            if (counter <= (ulong)current)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref slot, (long)counter, current) == current)
            {
                return true;
            }
        }
    }

    // The anti-replay window (as IPsec keeps one): bit i of the user's words says whether highest − 1 − i was
    // accepted. A counter above the highest slides the window up; one inside it is accepted once; one below it, or
    // seen before, is a replay. One small lock per user: the sliding touches several words at once.
    private bool TryAcceptInWindow(int userIndex, ulong counter)
    {
        var words = seenBelowHighest.AsSpan(userIndex * windowWords, windowWords);
        lock (counterGates[userIndex])
        {
            var highest = (ulong)highestCounters[userIndex];
            if (counter > highest)
            {
                var shift = counter - highest;
                ShiftWindow(words, shift, highest != 0);
                Volatile.Write(ref highestCounters[userIndex], (long)counter);
                return true;
            }

            var distance = highest - counter;
            if (distance == 0 || distance > (ulong)(windowWords * 64))
            {
                return false;
            }

            var bit = (int)(distance - 1);
            ref var word = ref words[bit >> 6];
            var mask = 1UL << (bit & 63);
            if ((word & mask) != 0)
            {
                return false;
            }

            word |= mask;
            return true;
        }
    }

    // Moves the window up by shift: the old highest becomes "seen" at distance shift (when there was one).
    private static void ShiftWindow(Span<ulong> words, ulong shift, bool markOldHighest)
    {
        var capacity = (ulong)(words.Length * 64);
        if (shift > capacity)
        {
            words.Clear();
            return;
        }

        var bits = (int)shift;
        var wordShift = bits >> 6;
        var bitShift = bits & 63;
        for (var i = words.Length - 1; i >= 0; i--)
        {
            var source = i - wordShift;
            var value = source >= 0 ? words[source] << bitShift : 0;
            if (bitShift != 0 && source - 1 >= 0)
            {
                value |= words[source - 1] >> (64 - bitShift);
            }

            words[i] = value;
        }

        if (markOldHighest)
        {
            var bit = bits - 1;
            words[bit >> 6] |= 1UL << (bit & 63);
        }
    }

    private bool IsSchemaValid(ReadOnlySpan<byte> request)
    {
        foreach (var finding in schema!.Validate(request))
        {
            if (finding.Severity == System.Xml.Schema.XmlSeverityType.Error)
            {
                return false;
            }
        }

        return true;
    }
}
