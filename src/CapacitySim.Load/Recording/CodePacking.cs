using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Load.Recording;

/// <summary>Response and alert codes packed into non-zero 64-bit keys for <see cref="DenseIdMap"/>, and back.</summary>
internal static class CodePacking
{
    private const ulong PresentBit = 1UL << 63;

    // Device alert codes carry no letter of their own; 'G' (GBCS) keeps them apart from the DCC's N and AD codes.
    private const byte DeviceAlertMarker = (byte)'G';

    public static ulong Pack(ResponseCode code) => PresentBit | ((ulong)(byte)code.Kind << 32) | code.Number;

    public static ulong Pack(DeviceAlertCode code) => PresentBit | ((ulong)DeviceAlertMarker << 32) | code.Value;

    public static ulong Pack(DccAlertCode code) => PresentBit | ((ulong)(byte)code.Kind << 32) | code.Number;

    public static ResponseCode UnpackResponse(ulong packed) => new((ResponseCodeKind)(byte)(packed >> 32), (uint)packed);

    /// <summary>The alert code's wire text (<c>8F35</c>, <c>N24</c>, <c>AD1</c>).</summary>
    public static string AlertText(ulong packed)
    {
        var marker = (byte)(packed >> 32);
        return marker == DeviceAlertMarker
            ? new DeviceAlertCode((ushort)packed).ToString()
            : new DccAlertCode((DccAlertCodeKind)marker, (ushort)packed).ToString();
    }
}
