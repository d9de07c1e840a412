namespace CapacitySim.Duis.Catalogue;

/// <summary>The Future Dated Response Pattern of a Service Reference Variant (DUIS Service Request matrix).</summary>
public enum FutureDatedPattern : byte
{
    /// <summary>The variant cannot be future dated.</summary>
    No = 0,

    /// <summary>DSP: the DCC holds the request and sends it at the execution time.</summary>
    Dsp,

    /// <summary>Device: the command goes to the device at once and the device executes it at the execution time.</summary>
    Device,

    /// <summary>DSP &amp; Device: either pattern, depending on the request.</summary>
    DspAndDevice,
}

/// <summary>
/// One Service Reference Variant of the DUIS catalogue: its matrix facts and the command variants it may use. Instances
/// are the shared entries of <see cref="ServiceCatalogue"/>; compare them by <see cref="Variant"/>.
/// </summary>
public sealed class ServiceVariantInfo
{
    internal ServiceVariantInfo(
        ServiceReferenceVariant variant,
        string name,
        bool critical,
        bool onDemand,
        FutureDatedPattern futureDatedPattern,
        bool dccScheduled,
        bool nonDevice,
        UserRoles eligibleRoles,
        CommandVariantSet commandVariants,
        string bodyElement,
        DeviceTypeSet deviceTypes)
    {
        Variant = variant;
        Name = name;
        Critical = critical;
        OnDemand = onDemand;
        FutureDatedPattern = futureDatedPattern;
        DccScheduled = dccScheduled;
        NonDevice = nonDevice;
        EligibleRoles = eligibleRoles;
        CommandVariants = commandVariants;
        BodyElement = bodyElement;
        DeviceTypes = deviceTypes;
    }

    /// <summary>The Service Reference Variant (<c>4.1.1</c>).</summary>
    public ServiceReferenceVariant Variant { get; }

    /// <summary>The Service Reference it belongs to (<c>4.1</c>).</summary>
    public ServiceReference ServiceReference => Variant.ServiceReference;

    /// <summary>The Service Request name (<c>Read Instantaneous Import Registers</c>).</summary>
    public string Name { get; }

    /// <summary>True for critical requests: transformed (CV 4) into a Pre-Command the user signs before it is sent.</summary>
    public bool Critical { get; }

    /// <summary>True when the variant may be sent on demand.</summary>
    public bool OnDemand { get; }

    /// <summary>Whether and how the variant may be future dated.</summary>
    public FutureDatedPattern FutureDatedPattern { get; }

    /// <summary>True when the variant may be DCC scheduled.</summary>
    public bool DccScheduled { get; }

    /// <summary>True for non-device requests, which the DCC answers itself.</summary>
    public bool NonDevice { get; }

    /// <summary>The user roles eligible to send the variant.</summary>
    public UserRoles EligibleRoles { get; }

    /// <summary>The command variants the variant may be sent with.</summary>
    public CommandVariantSet CommandVariants { get; }

    /// <summary>The request body element the DUIS schema gives the variant (<c>ReadInstantaneousImportRegisters</c>).</summary>
    public string BodyElement { get; }

    /// <summary>
    /// The device types a request for the variant may be addressed to (<see cref="Requests.DeviceType.Dcc"/> alone for
    /// non-device requests): the rule behind E11, derived from the schema's body and the matrix's roles by
    /// <c>tools/generate-catalogue.py</c> (its header states the rules).
    /// </summary>
    public DeviceTypeSet DeviceTypes { get; }

    /// <summary>The command variant a request for this variant starts with: 1, 4 (critical) or 8 (non-device).</summary>
    public CommandVariant FirstCommandVariant => CommandVariants.First;

    /// <summary>True when one of the variant's command variants goes to <paramref name="service"/>.</summary>
    public bool UsesWebService(DuisWebService service)
    {
        foreach (var cv in CommandVariants)
        {
            if (DuisWebServices.ForCommandVariant(cv) == service)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the variant may be sent with <paramref name="variant"/>.</summary>
    public bool IsAllowed(CommandVariant variant) => CommandVariants.Contains(variant);

    /// <summary>True when any of <paramref name="roles"/> may send the variant.</summary>
    public bool IsEligible(UserRoles roles) => (EligibleRoles & roles) != 0;

    /// <summary>
    /// The web service a request for this variant with <paramref name="variant"/> goes to, or
    /// <see cref="DuisWebService.None"/> when the variant may not use that command variant.
    /// </summary>
    public DuisWebService WebServiceFor(CommandVariant variant)
        => IsAllowed(variant) ? DuisWebServices.ForCommandVariant(variant) : DuisWebService.None;

    /// <inheritdoc/>
    public override string ToString() => $"{Variant} {Name}";
}
