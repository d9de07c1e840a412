using System.Diagnostics.CodeAnalysis;

namespace CapacitySim.Duis.Catalogue;

/// <summary>
/// The DUIS Service Reference Variants (129 in DUIS 5.4), generated once from the DUIS Service Request matrix and the
/// schema (see <c>ServiceCatalogue.Generated.cs</c>). Lookups allocate nothing.
/// </summary>
public static partial class ServiceCatalogue
{
    /// <summary>Every variant, in the order of the DUIS matrix (which is the schema's enumeration order).</summary>
    public static IReadOnlyList<ServiceVariantInfo> All => field ??= Entries.AsReadOnly();

    /// <summary>Number of variants.</summary>
    public static int Count => Entries.Length;

    /// <summary>Finds a variant.</summary>
    public static bool TryGet(ServiceReferenceVariant variant, [NotNullWhen(true)] out ServiceVariantInfo? info)
    {
        var index = IndexOf(variant.Key);
        if (index < 0)
        {
            info = null;
            return false;
        }

        info = Entries[index];
        return true;
    }

    /// <summary>Finds a variant or throws.</summary>
    /// <exception cref="KeyNotFoundException"><paramref name="variant"/> is not in the DUIS catalogue.</exception>
    public static ServiceVariantInfo Get(ServiceReferenceVariant variant)
    {
        var index = IndexOf(variant.Key);
        if (index < 0)
        {
            ThrowNotFound(variant);
        }

        return Entries[index];
    }

    /// <summary>True when <paramref name="variant"/> is in the catalogue.</summary>
    public static bool Contains(ServiceReferenceVariant variant) => IndexOf(variant.Key) >= 0;

    /// <summary>True when <paramref name="variant"/> exists and may be sent with <paramref name="commandVariant"/>.</summary>
    public static bool IsAllowed(ServiceReferenceVariant variant, CommandVariant commandVariant)
    {
        var index = IndexOf(variant.Key);
        return index >= 0 && Entries[index].IsAllowed(commandVariant);
    }

    /// <summary>The web service a request with <paramref name="commandVariant"/> is sent to (the schema's CommandVariant table).</summary>
    public static DuisWebService WebServiceFor(CommandVariant commandVariant) => DuisWebServices.ForCommandVariant(commandVariant);

    [DoesNotReturn]
    private static void ThrowNotFound(ServiceReferenceVariant variant)
        => throw new KeyNotFoundException($"Service Reference Variant {variant} is not in the DUIS 5.4 catalogue.");
}
