using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Writing;

/// <summary>Which SMETS data a SMETS1 response carries (the <c>ra:SMETSData</c> choice), if any.</summary>
public enum Smets1ResponseDataKind : byte
{
    /// <summary>No <c>ra:SMETSData</c>: the response message is empty (the outcome is the response code alone).</summary>
    None = 0,

    /// <summary>SRV 4.1.1 read instantaneous import registers, electricity meter (<c>ReadInstantaneousImportRegistersRsp/Electricity</c>).</summary>
    ElectricityImportRegisters,

    /// <summary>SRV 4.1.1 read instantaneous import registers, gas meter (<c>ReadInstantaneousImportRegistersRsp/Gas</c>).</summary>
    GasImportRegisters,

    /// <summary>SRV 4.18 read meter balance (<c>ReadMeterBalanceRsp</c>).</summary>
    MeterBalance,
}

/// <summary>The SMETS data of a SMETS1 response: the device's values, supplied by the caller.</summary>
public readonly struct Smets1ResponseData
{
    private Smets1ResponseData(Smets1ResponseDataKind kind, bool? messageSuccess, long primary, long? secondary, long? tertiary, decimal gasConsumption)
    {
        Kind = kind;
        MessageSuccess = messageSuccess;
        Primary = primary;
        Secondary = secondary;
        Tertiary = tertiary;
        GasConsumption = gasConsumption;
    }

    /// <summary>No SMETS data.</summary>
    public static Smets1ResponseData None => default;

    /// <summary>Which data this is.</summary>
    public Smets1ResponseDataKind Kind { get; }

    /// <summary>The <c>MessageSuccess</c> attribute of the response element (omitted when null).</summary>
    public bool? MessageSuccess { get; }

    /// <summary>Active import register in Wh (electricity registers); meter balance (meter balance).</summary>
    internal long Primary { get; }

    /// <summary>Reactive import register in varh (electricity registers); gas prepayment-mode balance (meter balance).</summary>
    internal long? Secondary { get; }

    /// <summary>Secondary active import register in Wh (electricity registers, twin element meters).</summary>
    internal long? Tertiary { get; }

    /// <summary>Gas consumption register in m³ (gas registers).</summary>
    internal decimal GasConsumption { get; }

    /// <summary>SRV 4.1.1 for an electricity meter: the import registers as the meter reports them.</summary>
    /// <param name="activeImportWh">Active import register, Wh (the only unit the schema allows).</param>
    /// <param name="reactiveImportVarh">Reactive import register, varh; omitted when null.</param>
    /// <param name="secondaryActiveImportWh">Secondary element active import register, Wh (twin element meters); omitted when null.</param>
    /// <param name="messageSuccess">The <c>MessageSuccess</c> attribute; omitted when null.</param>
    public static Smets1ResponseData ElectricityImportRegisters(long activeImportWh, long? reactiveImportVarh = null, long? secondaryActiveImportWh = null, bool? messageSuccess = true)
        => new(Smets1ResponseDataKind.ElectricityImportRegisters, messageSuccess, activeImportWh, reactiveImportVarh, secondaryActiveImportWh, 0m);

    /// <summary>SRV 4.1.1 for a gas meter: the consumption register in m³ (the only unit the schema allows).</summary>
    public static Smets1ResponseData GasImportRegisters(decimal consumptionM3, bool? messageSuccess = true)
        => new(Smets1ResponseDataKind.GasImportRegisters, messageSuccess, 0, null, null, consumptionM3);

    /// <summary>SRV 4.18: the meter balance as the meter holds it (currency in the meter's scaled units).</summary>
    /// <param name="meterBalance">The meter balance.</param>
    /// <param name="gasMeterBalancePrepaymentMode">For gas meters, the prepayment-mode balance; the <c>Gas</c> element is omitted when null.</param>
    /// <param name="messageSuccess">The <c>MessageSuccess</c> attribute; omitted when null.</param>
    public static Smets1ResponseData MeterBalance(long meterBalance, long? gasMeterBalancePrepaymentMode = null, bool? messageSuccess = true)
        => new(Smets1ResponseDataKind.MeterBalance, messageSuccess, meterBalance, gasMeterBalancePrepaymentMode, null, 0m);
}

/// <summary>The <c>Timestamp/@ClockStatus</c> of a SMETS1 response header.</summary>
public enum Smets1ClockStatus : byte
{
    /// <summary>Attribute omitted.</summary>
    None = 0,

    /// <summary><c>reliable</c>.</summary>
    Reliable,

    /// <summary><c>invalid</c>.</summary>
    Invalid,

    /// <summary><c>unreliable</c>.</summary>
    Unreliable,
}

/// <summary>
/// The inner SMETS1 response (<c>SMETS1SignedResponse/SMETS1Response</c>): its <c>ra:HeaderType</c> header and the
/// SMETS data of its <c>ResponseMessage</c>. The header's ServiceReference and ServiceReferenceVariant are the outer
/// response's.
/// </summary>
/// <param name="BusinessOriginatorId">The device that answered (the MMC schema: the originator is the device).</param>
/// <param name="BusinessTargetId">The service user (or the DSP for DSP-scheduled requests).</param>
/// <param name="OriginatorCounter">The counter of the request this answers.</param>
/// <param name="Data">The SMETS data.</param>
public readonly record struct Smets1ResponseFields(
    Eui64 BusinessOriginatorId,
    Eui64 BusinessTargetId,
    ulong OriginatorCounter,
    Smets1ResponseData Data)
{
    /// <summary><c>GBCSHexadecimalMessageCode</c>: the GBCS message code of the equivalent SMETS2 command; omitted when null.</summary>
    public ushort? GbcsMessageCode { get; init; }

    /// <summary><c>Timestamp</c>: the device's time of the response; omitted when null.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary><c>Timestamp/@ClockStatus</c> (only written with a <see cref="Timestamp"/>).</summary>
    public Smets1ClockStatus ClockStatus { get; init; }

    /// <summary><c>Timestamp/@isFromGSME</c> (only written with a <see cref="Timestamp"/>); omitted when null.</summary>
    public bool? TimestampFromGsme { get; init; }
}
