using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Dcc.Users;

/// <summary>Whether a DCC user may send service requests.</summary>
public enum UserStatus : byte
{
    /// <summary>The user may send requests.</summary>
    Active = 1,

    /// <summary>The user's access is suspended: every request is refused with E3.</summary>
    Suspended = 2,
}

/// <summary>
/// One DCC user (a SEC party acting in one or more user roles) as the DCC knows it: the EUI-64 its requests carry as
/// BusinessOriginatorID, its roles, status, where the DCC delivers its responses and alerts, and the certificate it
/// signs with. Immutable.
/// </summary>
public sealed class DuisUser
{
    /// <summary>Creates a user.</summary>
    /// <param name="name">A readable name (for logs and reports).</param>
    /// <param name="eui">The user's EUI-64 (BusinessOriginatorID of its requests).</param>
    /// <param name="roles">The user roles it acts in.</param>
    /// <param name="status">Active or suspended.</param>
    /// <param name="responseEndpoint">Where the DCC POSTs the user's responses and alerts.</param>
    /// <param name="certificateStem">
    /// Key-store file stem of the certificate the user signs with (<c>xml-sign-90B3D51F30010000-ds</c>), or null to
    /// accept every certificate of the key store that belongs to <paramref name="eui"/>.
    /// </param>
    /// <param name="additionalServices">
    /// Service Reference Variants the user may send beyond those its roles make it eligible for (the DUIS matrix names no
    /// eligible role for 7.16, 8.5 and 8.6).
    /// </param>
    public DuisUser(
        string name,
        Eui64 eui,
        UserRoles roles,
        UserStatus status,
        Uri responseEndpoint,
        string? certificateStem = null,
        IReadOnlyList<ServiceReferenceVariant>? additionalServices = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(responseEndpoint);
        Name = name;
        Eui = eui;
        Roles = roles;
        Status = status;
        ResponseEndpoint = responseEndpoint;
        CertificateStem = certificateStem;
        var services = additionalServices is null ? [] : new ServiceReferenceVariant[additionalServices.Count];
        for (var i = 0; i < services.Length; i++)
        {
            services[i] = additionalServices![i];
        }

        AdditionalServiceKeys = services;
    }

    /// <summary>A readable name.</summary>
    public string Name { get; }

    /// <summary>The user's EUI-64.</summary>
    public Eui64 Eui { get; }

    /// <summary>The user roles it acts in.</summary>
    public UserRoles Roles { get; }

    /// <summary>Active or suspended.</summary>
    public UserStatus Status { get; }

    /// <summary>Where the DCC delivers the user's responses and alerts.</summary>
    public Uri ResponseEndpoint { get; }

    /// <summary>Key-store stem of the user's signing certificate, or null for "every certificate of its EUI".</summary>
    public string? CertificateStem { get; }

    /// <summary>Service Reference Variants the user may send beyond its roles' eligibility.</summary>
    public IReadOnlyList<ServiceReferenceVariant> AdditionalServices => AdditionalServiceKeys;

    /// <summary>The user's position in its <see cref="UserDirectory"/> (a slot for per-user state such as the replay counter).</summary>
    public int Index { get; internal set; } = -1;

    internal ServiceReferenceVariant[] AdditionalServiceKeys { get; }

    /// <summary>True when the user may send <paramref name="service"/>: one of its roles is eligible, or the variant is listed for it.</summary>
    public bool MaySend(ServiceVariantInfo service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.IsEligible(Roles))
        {
            return true;
        }

        foreach (var extra in AdditionalServiceKeys)
        {
            if (extra == service.Variant)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A copy of this user with another response endpoint.</summary>
    public DuisUser WithResponseEndpoint(Uri responseEndpoint)
        => new(Name, Eui, Roles, Status, responseEndpoint, CertificateStem, AdditionalServiceKeys);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Eui})";
}
