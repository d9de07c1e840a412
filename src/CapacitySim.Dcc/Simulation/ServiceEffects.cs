using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Simulation;

/// <summary>What carrying out a service request changes in the device's state.</summary>
internal enum ServiceEffect : byte
{
    None = 0,
    EnableSupply,
    DisableSupply,
    ArmSupply,
    TopUp,
    ReplaceCredentials,
    JoinHan,
    LeaveHan,
}

/// <summary>The state change of each Service Reference Variant, decided once from the catalogue.</summary>
internal static class ServiceEffects
{
    public static ServiceEffect Of(ServiceVariantInfo info) => info.Variant.ToString() switch
    {
        "7.1" => ServiceEffect.EnableSupply,
        "7.2" => ServiceEffect.DisableSupply,
        "7.3" => ServiceEffect.ArmSupply,
        "2.2" => ServiceEffect.TopUp,
        "6.15.1" or "6.15.2" => ServiceEffect.ReplaceCredentials,
        "8.7.1" or "8.7.2" => ServiceEffect.JoinHan,
        "8.8.1" or "8.8.2" => ServiceEffect.LeaveHan,
        _ => ServiceEffect.None,
    };
}
