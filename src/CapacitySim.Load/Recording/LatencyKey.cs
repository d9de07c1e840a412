using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Load.Recording;

/// <summary>
/// A performance category as the recorder knows it: a small id (0–255) that the scenario maps onto its performance
/// levels (Transform, Non-Device, On-Demand ESME/CHF, Device Alert…). Names and TRTs live with the scenario, not here.
/// </summary>
/// <param name="Id">The category's id.</param>
public readonly record struct LatencyCategory(byte Id);

/// <summary>
/// What one latency is recorded against: performance category, Service Reference Variant, CSP region and device model
/// combination. Alerts use the alert's category and a default <see cref="Srv"/>.
/// </summary>
/// <param name="Category">Performance category.</param>
/// <param name="Srv">Service Reference Variant of the request (default for alerts).</param>
/// <param name="Region">CSP region of the target device (0 when unknown).</param>
/// <param name="Dmc">Device model combination id of the target device.</param>
public readonly record struct LatencyKey(LatencyCategory Category, ServiceReferenceVariant Srv, CspRegion Region, ushort Dmc)
{
    // Bit 63 marks a packed key as present so that a packed zero can mean "empty slot".
    private const ulong PresentBit = 1UL << 63;

    /// <summary>The key in one 64-bit word (category 8 bits, SRV 24, region 8, DMC 16), never zero.</summary>
    internal ulong Pack() => PresentBit
        | ((ulong)Category.Id << 48)
        | ((ulong)(uint)Srv.Key << 24)
        | ((ulong)(byte)Region << 16)
        | Dmc;

    /// <summary>Inverse of <see cref="Pack"/>.</summary>
    internal static LatencyKey Unpack(ulong packed) => new(
        new LatencyCategory((byte)(packed >> 48)),
        new ServiceReferenceVariant((byte)(packed >> 40), (byte)(packed >> 32), (byte)(packed >> 24)),
        (CspRegion)(byte)(packed >> 16),
        (ushort)packed);
}
