using System.Collections.Frozen;
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
/// compatible with the device type). Built once from the catalogue; lookups allocate nothing.
/// </summary>
/// <remarks>
/// DUIS defines the applicable device types per Service Request in prose; this table derives them from
/// <see cref="RequestBodyInfo.TargetDeviceType"/> (the device each request is normally addressed to) and these rules:
/// <list type="number">
/// <item>Non-device requests target the DCC only (BusinessTargetID 90-B3-D5-1F-30-00-00-02).</item>
/// <item>"Any HAN device" means ESME, GSME, CHF, GPF, PPMID and HCALCS; not type 2 devices such as IHDs, which
/// hold no credentials and take no commands.</item>
/// <item>Hub requests (6.28-6.32, 8.9, 8.11, 8.12.1) target the CHF only.</item>
/// <item>Fuel: a request normally addressed to the electricity meter that a gas role (GS, GT) may also send applies
/// to the gas meter and its gas proxy function too; one normally addressed to the GSME or the GPF applies to both
/// (gas reads are answered by the GPF or the GSME).</item>
/// <item>Security credential requests (6.15.x, 6.17, 6.21, 6.23, 6.24.x) apply to every device holding credentials:
/// ESME, GSME, CHF, PPMID, HCALCS.</item>
/// <item>Auxiliary load and controller requests (6.14.x, 7.5-7.16) also apply to HCALCS.</item>
/// <item>Join and unjoin (8.7.x, 8.8.x) apply to ESME, GSME, PPMID and HCALCS.</item>
/// </list>
/// </remarks>
public static class ServiceDeviceTypes
{
    /// <summary>The HAN devices a request may address (every type but IHDs and the DCC).</summary>
    public static DeviceTypeSet HanDevices { get; } = DeviceTypeSet.Of(
        DeviceType.ElectricityMeter, DeviceType.GasMeter, DeviceType.CommunicationsHub, DeviceType.GasProxy, DeviceType.Ppmid, DeviceType.Hcalcs);

    private static readonly DeviceTypeSet Gas = DeviceTypeSet.Of(DeviceType.GasMeter, DeviceType.GasProxy);
    private static readonly DeviceTypeSet CredentialHolders = DeviceTypeSet.Of(
        DeviceType.ElectricityMeter, DeviceType.GasMeter, DeviceType.CommunicationsHub, DeviceType.Ppmid, DeviceType.Hcalcs);

    private static readonly DeviceTypeSet Joinable = DeviceTypeSet.Of(
        DeviceType.ElectricityMeter, DeviceType.GasMeter, DeviceType.Ppmid, DeviceType.Hcalcs);

    private static readonly FrozenDictionary<int, DeviceTypeSet> Table = Build();

    /// <summary>The device types <paramref name="variant"/> may be addressed to (empty for a variant not in the catalogue).</summary>
    public static DeviceTypeSet For(ServiceReferenceVariant variant)
        => Table.TryGetValue(variant.Key, out var set) ? set : default;

    /// <summary>True when <paramref name="variant"/> may be addressed to a device of <paramref name="type"/>.</summary>
    public static bool IsCompatible(ServiceReferenceVariant variant, DeviceType type) => For(variant).Contains(type);

    private static FrozenDictionary<int, DeviceTypeSet> Build()
    {
        var table = new Dictionary<int, DeviceTypeSet>();
        foreach (var info in ServiceCatalogue.All)
        {
            table[info.Variant.Key] = Derive(info);
        }

        return table.ToFrozenDictionary();
    }

    private static DeviceTypeSet Derive(ServiceVariantInfo info)
    {
        if (info.NonDevice)
        {
            return DeviceTypeSet.Of(DeviceType.Dcc);
        }

        var target = RequestBodies.TryGet(info.Variant, out var body) ? body.TargetDeviceType : DeviceType.ElectricityMeter;
        var set = target switch
        {
            DeviceType.AnyHanDevice => HanDevices,
            DeviceType.Dcc => DeviceTypeSet.Of(DeviceType.Dcc),
            _ => DeviceTypeSet.Of(target),
        };

        if (target is DeviceType.ElectricityMeter or DeviceType.GasMeter or DeviceType.GasProxy)
        {
            if (info.IsEligible(UserRoles.GasSupplier | UserRoles.GasTransporter) || target != DeviceType.ElectricityMeter)
            {
                set = set.Union(Gas);
            }
        }

        var (major, minor) = (info.Variant.Major, info.Variant.Minor);
        if ((major == 6 && minor is 15 or 17 or 21 or 23 or 24) || (major == 8 && minor is 7 or 8))
        {
            set = set.Union(major == 6 ? CredentialHolders : Joinable);
        }

        if ((major == 6 && minor == 14) || (major == 7 && minor >= 5))
        {
            set = set.Union(DeviceTypeSet.Of(DeviceType.Hcalcs));
        }

        return set;
    }
}
