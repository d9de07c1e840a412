using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Dcc.Alerts;

/// <summary>
/// One alert code, device (GBCS, four hex digits) or DCC (N-code, AD-code), as a single non-zero 32-bit key so that
/// storm protection can keep both families in one table: a device code is <c>0x0001_xxxx</c>, a DCC code carries its
/// family letter in the top byte (<c>'N'</c> or <c>'A'</c>) and its number in the low 16 bits.
/// </summary>
public readonly record struct AlertCodeKey
{
    private const uint DeviceTag = 0x0001_0000;

    private AlertCodeKey(uint value) => Value = value;

    /// <summary>The key; never zero for a real code.</summary>
    public uint Value { get; }

    /// <summary>True for a GBCS device alert code.</summary>
    public bool IsDeviceAlert => (Value & 0xFFFF_0000) == DeviceTag;

    /// <summary>The key of a GBCS device alert code.</summary>
    public static AlertCodeKey FromDevice(DeviceAlertCode code) => new(DeviceTag | code.Value);

    /// <summary>The key of a DCC alert code.</summary>
    /// <exception cref="ArgumentException">The code is unset.</exception>
    public static AlertCodeKey FromDcc(DccAlertCode code)
        => code.Kind == DccAlertCodeKind.None
            ? throw new ArgumentException("A DCC alert code needs its family (N or AD).", nameof(code))
            : new(((uint)code.Kind << 24) | code.Number);

    /// <summary>The key whose <see cref="Value"/> is <paramref name="value"/> (a value this type made).</summary>
    internal static AlertCodeKey FromValue(uint value) => new(value);

    /// <summary>Parses a device code (<c>8F35</c>) or a DCC code (<c>N24</c>, <c>AD1</c>).</summary>
    /// <exception cref="FormatException">The text is neither.</exception>
    public static AlertCodeKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DeviceAlertCode.TryParse(text.AsSpan(), out var device))
        {
            return FromDevice(device);
        }

        return DccAlertCode.TryParse(text.AsSpan(), out var dcc)
            ? FromDcc(dcc)
            : throw new FormatException($"'{text}' is neither a GBCS device alert code (such as 8F35) nor a DCC alert code (such as N24).");
    }

    /// <summary>The code as DUIS writes it.</summary>
    public override string ToString() => IsDeviceAlert
        ? new DeviceAlertCode((ushort)Value).ToString()
        : new DccAlertCode((DccAlertCodeKind)(Value >> 24), (ushort)Value).ToString();
}
