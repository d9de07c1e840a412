namespace CapacitySim.Duis.Catalogue;

/// <summary>
/// DUIS Command Variants (schema type <c>CommandVariant</c>): how a request is processed and where its answer goes.
/// </summary>
public enum CommandVariant : byte
{
    /// <summary>Not a command variant (unset or unparsed).</summary>
    None = 0,

    /// <summary>1: command sent to the device over the WAN, response returned to the user (Send Command service).</summary>
    NonCriticalToDevice = 1,

    /// <summary>2: command returned to the user for local delivery, not sent over the WAN.</summary>
    NonCriticalLocalDelivery = 2,

    /// <summary>3: command sent over the WAN and returned for local delivery too.</summary>
    NonCriticalToDeviceAndLocalDelivery = 3,

    /// <summary>4: critical request transformed into a Pre-Command for the user to sign (Transform service).</summary>
    CriticalTransform = 4,

    /// <summary>5: signed Pre-Command sent to the device over the WAN.</summary>
    CriticalSignedToDevice = 5,

    /// <summary>6: signed Pre-Command returned for local delivery.</summary>
    CriticalSignedLocalDelivery = 6,

    /// <summary>7: signed Pre-Command sent over the WAN and returned for local delivery.</summary>
    CriticalSignedToDeviceAndLocalDelivery = 7,

    /// <summary>8: non-device request answered by the DCC itself (Non-Device service).</summary>
    NonDevice = 8,
}
