using CapacitySim.Duis.Requests;

namespace CapacitySim.Duis.Catalogue;

/// <summary>A set of <see cref="DeviceType"/>s as one bit mask (bit n = device type n). Copying and testing allocate nothing.</summary>
public readonly record struct DeviceTypeSet
{
    private readonly ushort mask;

    private DeviceTypeSet(ushort mask) => this.mask = mask;

    /// <summary>The bits of the set.</summary>
    public ushort Mask => mask;

    /// <summary>True when no type is in the set.</summary>
    public bool IsEmpty => mask == 0;

    /// <summary>The set of the given types.</summary>
    public static DeviceTypeSet Of(params ReadOnlySpan<DeviceType> types)
    {
        ushort m = 0;
        foreach (var t in types)
        {
            m |= (ushort)(1 << (int)t);
        }

        return new DeviceTypeSet(m);
    }

    /// <summary>True when <paramref name="type"/> is in the set.</summary>
    public bool Contains(DeviceType type) => (uint)type < 16 && (mask & (1 << (int)type)) != 0;

    /// <summary>The union of two sets.</summary>
    public DeviceTypeSet Union(DeviceTypeSet other) => new((ushort)(mask | other.mask));

    /// <inheritdoc/>
    public override string ToString()
    {
        var names = new List<string>();
        for (var t = 0; t < 16; t++)
        {
            if ((mask & (1 << t)) != 0)
            {
                names.Add(((DeviceType)t).ToString());
            }
        }

        return "{" + string.Join(", ", names) + "}";
    }
}

/// <summary>
/// Which device types each Service Reference Variant may be addressed to: the rule behind E11 (Service Reference not
/// compatible with the device type). The sets are <see cref="ServiceVariantInfo.DeviceTypes"/>, generated from the DUIS
/// schema's request body of each variant and the matrix's eligible roles (<c>tools/generate-catalogue.py</c> states the
/// rules); lookups allocate nothing.
/// </summary>
public static class ServiceDeviceTypes
{
    /// <summary>The device types <paramref name="variant"/> may be addressed to (empty for a variant not in the catalogue).</summary>
    public static DeviceTypeSet For(ServiceReferenceVariant variant)
        => ServiceCatalogue.TryGet(variant, out var info) ? info.DeviceTypes : default;

    /// <summary>True when <paramref name="variant"/> may be addressed to a device of <paramref name="type"/>.</summary>
    public static bool IsCompatible(ServiceReferenceVariant variant, DeviceType type) => For(variant).Contains(type);
}
