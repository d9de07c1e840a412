using CapacitySim.Dcc.Users;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Reading;

namespace CapacitySim.Dcc.Validation;

/// <summary>
/// The result of validating one request: accepted, with what the DCC needs to route it, or refused, with the DUIS
/// response code (or HTTP 400) and the reason. A struct: returning it allocates nothing.
/// </summary>
public readonly struct ValidationOutcome
{
    private ValidationOutcome(
        ValidationReason reason,
        DuisReadStatus readStatus,
        in DuisHeader header,
        DuisWebService webService,
        DuisUser? user,
        ServiceVariantInfo? service,
        in DeviceRecord device,
        bool hasDevice)
    {
        Reason = reason;
        ReadStatus = readStatus;
        Header = header;
        WebService = webService;
        User = user;
        Service = service;
        Device = device;
        HasDevice = hasDevice;
    }

    /// <summary>Why the request was accepted or refused.</summary>
    public ValidationReason Reason { get; }

    /// <summary>True when the request passed every check.</summary>
    public bool IsAccepted => Reason == ValidationReason.Accepted;

    /// <summary>True when the body is not a DUIS request at all: answer HTTP 400 with no DUIS response.</summary>
    public bool IsHttpBadRequest => DccErrorCodes.IsHttpBadRequest(Reason);

    /// <summary>
    /// The DUIS response code of a refusal (<see cref="DccErrorCodes.For"/>); I99 for an accepted request; default
    /// when <see cref="IsHttpBadRequest"/>.
    /// </summary>
    public ResponseCode ResponseCode => DccErrorCodes.For(Reason);

    /// <summary>The header reader's status (<see cref="DuisReadStatus.Ok"/> once the header was read).</summary>
    public DuisReadStatus ReadStatus { get; }

    /// <summary>The request's header, as far as it was read (its RequestID is what an error response echoes).</summary>
    public DuisHeader Header { get; }

    /// <summary>The web service the request was posted to.</summary>
    public DuisWebService WebService { get; }

    /// <summary>The originator, once found.</summary>
    public DuisUser? User { get; }

    /// <summary>The Service Reference Variant's catalogue entry, once found.</summary>
    public ServiceVariantInfo? Service { get; }

    /// <summary>The target device, when <see cref="HasDevice"/>.</summary>
    public DeviceRecord Device { get; }

    /// <summary>True when the request targets a device of the estate (false for non-device requests and early refusals).</summary>
    public bool HasDevice { get; }

    /// <summary>True for an accepted non-device request (addressed to the DCC itself).</summary>
    public bool IsNonDevice => Service is { NonDevice: true };

    internal static ValidationOutcome Accept(in DuisHeader header, DuisWebService webService, DuisUser user, ServiceVariantInfo service, in DeviceRecord device, bool hasDevice)
        => new(ValidationReason.Accepted, DuisReadStatus.Ok, header, webService, user, service, device, hasDevice);

    internal static ValidationOutcome Reject(
        ValidationReason reason,
        DuisReadStatus readStatus,
        in DuisHeader header,
        DuisWebService webService,
        DuisUser? user = null,
        ServiceVariantInfo? service = null)
        => new(reason, readStatus, header, webService, user, service, default, false);

    internal static ValidationOutcome Reject(
        ValidationReason reason,
        in DuisHeader header,
        DuisWebService webService,
        DuisUser user,
        ServiceVariantInfo service,
        in DeviceRecord device,
        bool hasDevice)
        => new(reason, DuisReadStatus.Ok, header, webService, user, service, device, hasDevice);

    /// <inheritdoc/>
    public override string ToString() => IsAccepted
        ? $"Accepted {Header.RequestId} SRV {Service?.Variant}"
        : IsHttpBadRequest ? $"HTTP 400 ({Reason}, {ReadStatus})" : $"{ResponseCode} ({Reason})";
}
