namespace CapacitySim.Duis.Requests;

/// <summary>
/// The kind of device (or the DCC itself) a service request is addressed to: the BusinessTargetID of its RequestID.
/// </summary>
public enum DeviceType : byte
{
    /// <summary>Not known.</summary>
    Unknown = 0,

    /// <summary>Electricity Smart Metering Equipment (ESME).</summary>
    ElectricityMeter,

    /// <summary>Gas Smart Metering Equipment (GSME).</summary>
    GasMeter,

    /// <summary>Communications Hub Function (CHF).</summary>
    CommunicationsHub,

    /// <summary>Gas Proxy Function (GPF), which holds the gas meter's readings and logs on the hub.</summary>
    GasProxy,

    /// <summary>Pre-Payment Interface Device (PPMID).</summary>
    Ppmid,

    /// <summary>HAN Connected Auxiliary Load Control Switch (HCALCS).</summary>
    Hcalcs,

    /// <summary>In-Home Display or another Type 2 device (no security credentials; not addressable over the WAN).</summary>
    InHomeDisplay,

    /// <summary>Non-device requests: addressed to the DCC itself (see <see cref="RequestBodies.DccTarget"/>).</summary>
    Dcc,

    /// <summary>Any device on the HAN (the request applies to every device type that supports it).</summary>
    AnyHanDevice,
}
