namespace CapacitySim.Duis.Catalogue;

/// <summary>The GBCS device alerts the simulator models by name (meanings as the shared FACTS.md words them).</summary>
public readonly partial record struct DeviceAlertCode
{
    /// <summary>8F01: active power import above the load limit threshold.</summary>
    public static DeviceAlertCode ActivePowerImportAboveLoadLimit => new(0x8F01);

    /// <summary>8F12: CHF device log changed.</summary>
    public static DeviceAlertCode ChfDeviceLogChanged => new(0x8F12);

    /// <summary>8F35: supply outage restored.</summary>
    public static DeviceAlertCode SupplyOutageRestored => new(0x8F35);

    /// <summary>8F36: supply outage restored after an outage of 3 minutes or more.</summary>
    public static DeviceAlertCode SupplyOutageRestoredAfterThreeMinutes => new(0x8F36);

    /// <summary>8F3E: unauthorised communication access attempted.</summary>
    public static DeviceAlertCode UnauthorisedCommunicationAccessAttempted => new(0x8F3E);

    /// <summary>81B8: incorrect polarity.</summary>
    public static DeviceAlertCode IncorrectPolarity => new(0x81B8);

    /// <summary>8014: power factor below threshold.</summary>
    public static DeviceAlertCode PowerFactorBelowThreshold => new(0x8014);

    /// <summary>8015: power factor back within threshold.</summary>
    public static DeviceAlertCode PowerFactorThresholdOk => new(0x8015);

    /// <summary>8F1D: GSME power supply loss.</summary>
    public static DeviceAlertCode GsmePowerSupplyLoss => new(0x8F1D);

    /// <summary>8F84: failure to deliver a remote party message to the ESME.</summary>
    public static DeviceAlertCode FailureToDeliverRemotePartyMessageToEsme => new(0x8F84);

    /// <summary>True for the alerts named in <see cref="DeviceAlertCodes.Named"/>.</summary>
    public bool IsNamed => NamedDescription(Value) is not null;

    /// <summary>
    /// The alert's meaning for named alerts (a constant string); <c>GBCS alert XXXX</c> for the others, which is
    /// formatted on each call.
    /// </summary>
    public string Description => NamedDescription(Value) ?? $"GBCS alert {ToString()}";

    private static string? NamedDescription(ushort value) => value switch
    {
        0x8F01 => "Active power import above load limit threshold",
        0x8F12 => "CHF device log changed",
        0x8F35 => "Supply outage restored",
        0x8F36 => "Supply outage restored, outage ≥ 3 minutes",
        0x8F3E => "Unauthorised communication access attempted",
        0x81B8 => "Incorrect polarity",
        0x8014 => "Power factor threshold below",
        0x8015 => "Power factor threshold OK",
        0x8F1D => "GSME power supply loss",
        0x8F84 => "Failure to deliver remote party message to ESME",
        _ => null,
    };
}

/// <summary>The named GBCS device alerts.</summary>
public static class DeviceAlertCodes
{
    private static readonly DeviceAlertCode[] NamedCodes =
    [
        DeviceAlertCode.ActivePowerImportAboveLoadLimit,
        DeviceAlertCode.ChfDeviceLogChanged,
        DeviceAlertCode.SupplyOutageRestored,
        DeviceAlertCode.SupplyOutageRestoredAfterThreeMinutes,
        DeviceAlertCode.UnauthorisedCommunicationAccessAttempted,
        DeviceAlertCode.IncorrectPolarity,
        DeviceAlertCode.PowerFactorBelowThreshold,
        DeviceAlertCode.PowerFactorThresholdOk,
        DeviceAlertCode.GsmePowerSupplyLoss,
        DeviceAlertCode.FailureToDeliverRemotePartyMessageToEsme,
    ];

    /// <summary>The device alerts the simulator knows by name, in the order of FACTS.md.</summary>
    public static IReadOnlyList<DeviceAlertCode> Named => field ??= NamedCodes.AsReadOnly();
}
