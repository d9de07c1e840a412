using CapacitySim.Duis.Requests;

namespace CapacitySim.Devices.Estate;

/// <summary>Supply state of a meter's valve or contactor.</summary>
public enum SupplyStatus : byte
{
    /// <summary>Supply on.</summary>
    Enabled = 1,

    /// <summary>Supply off.</summary>
    Disabled = 2,

    /// <summary>Armed: off, and the consumer can turn it back on at the meter.</summary>
    Armed = 3,
}

/// <summary>
/// The state of the estate that responses read and requests change, over the same device indices as the
/// <see cref="Population"/>, again as struct-of-arrays. Registers are not stored as running totals: each meter holds
/// its value at <see cref="Epoch"/> and its premises a consumption rate, so a reading is base + rate × elapsed time,
/// computed when asked, and nothing is updated per tick however large the estate.
/// </summary>
/// <remarks>
/// Meter-only fields (registers, credit, debt, payment mode, supply, tariff) exist for every device to keep indexing
/// direct; for devices without them they hold their defaults. Setters write one aligned value (credit changes use
/// interlocked adds), so concurrent requests to the same device never tear a value.
/// </remarks>
public sealed class DeviceState
{
    private const double HoursPerYear = 8766;

    private readonly DeviceType[] types;
    private readonly int[] devicePremises;
    private readonly ulong exportSeed;

    // Per device.
    private readonly uint[] importBaseWh;
    private readonly int[] creditPence;
    private readonly int[] debtPence;
    private readonly ushort[] tariffs;
    private readonly SupplyStatus[] supply;
    private readonly PaymentMode[] payment;
    private readonly byte[] credentialsGeneration;
    private readonly bool[] hanJoined;

    // Per premises: rates in Wh per hour.
    private readonly ushort[] electricityRate;
    private readonly ushort[] gasRate;
    private readonly ushort[] exportRate;

    internal DeviceState(DeviceType[] types, int[] devicePremises, int premisesCount, DateTimeOffset epoch, ulong seed)
    {
        this.types = types;
        this.devicePremises = devicePremises;
        Epoch = epoch;
        exportSeed = SplitMix64.Mix(seed ^ 0x4558504F5254UL);
        var n = types.Length;
        importBaseWh = new uint[n];
        creditPence = new int[n];
        debtPence = new int[n];
        tariffs = new ushort[n];
        supply = new SupplyStatus[n];
        payment = new PaymentMode[n];
        credentialsGeneration = new byte[n];
        hanJoined = new bool[n];
        electricityRate = new ushort[premisesCount];
        gasRate = new ushort[premisesCount];
        exportRate = new ushort[premisesCount];
    }

    /// <summary>The moment the opening register values hold for.</summary>
    public DateTimeOffset Epoch { get; }

    /// <summary>Bytes held by the state's own arrays.</summary>
    public long Bytes =>
        Population.SizeOf(importBaseWh) + Population.SizeOf(creditPence) + Population.SizeOf(debtPence) + Population.SizeOf(tariffs)
        + Population.SizeOf(supply) + Population.SizeOf(payment) + Population.SizeOf(credentialsGeneration) + Population.SizeOf(hanJoined)
        + Population.SizeOf(electricityRate) + Population.SizeOf(gasRate) + Population.SizeOf(exportRate);

    /// <summary>Whether a device has energy registers: electricity meters, gas meters and gas proxies (which hold the gas meter's readings).</summary>
    public bool HasRegisters(int index) => types[index] is DeviceType.ElectricityMeter or DeviceType.GasMeter or DeviceType.GasProxy;

    /// <summary>
    /// The import energy register at <paramref name="at"/>, in Wh (gas in kWh-equivalent Wh; convert to m³ where a
    /// response needs volume). Electricity meters read the premises' electricity rate, gas meters and gas proxies its
    /// gas rate; other devices read 0. Times before <see cref="Epoch"/> read the opening value.
    /// </summary>
    public long ReadImportRegisterWh(int index, DateTimeOffset at)
    {
        var rate = types[index] switch
        {
            DeviceType.ElectricityMeter => electricityRate[devicePremises[index]],
            DeviceType.GasMeter or DeviceType.GasProxy => gasRate[devicePremises[index]],
            _ => 0,
        };
        return importBaseWh[index] + Advance(rate, at);
    }

    /// <summary>
    /// The export register of an electricity meter at <paramref name="at"/>, in Wh; 0 for premises that do not export
    /// and for other devices. The opening value is derived from the device index and seed, not stored.
    /// </summary>
    public long ReadExportRegisterWh(int index, DateTimeOffset at)
    {
        if (types[index] != DeviceType.ElectricityMeter)
        {
            return 0;
        }

        var rate = exportRate[devicePremises[index]];
        if (rate == 0)
        {
            return 0;
        }

        // Up to about three years of export before the epoch, fixed by index and seed.
        var opening = (long)(SplitMix64.Mix(exportSeed ^ (ulong)index) % (ulong)(rate * 26_000L));
        return opening + Advance(rate, at);
    }

    /// <summary>The premises' electricity import rate, Wh per hour.</summary>
    public int ElectricityRateWhPerHour(int premises) => electricityRate[premises];

    /// <summary>The premises' gas rate, Wh per hour (0 for electricity-only premises).</summary>
    public int GasRateWhPerHour(int premises) => gasRate[premises];

    /// <summary>The premises' export rate, Wh per hour (0 when it does not export).</summary>
    public int ExportRateWhPerHour(int premises) => exportRate[premises];

    /// <summary>Payment mode of a meter.</summary>
    public PaymentMode GetPaymentMode(int index) => payment[index];

    /// <summary>Changes a meter's payment mode (SRV 1.6).</summary>
    public void SetPaymentMode(int index, PaymentMode mode) => payment[index] = mode;

    /// <summary>Credit balance of a meter in pence (prepayment meters; negative when in emergency credit).</summary>
    public int GetCreditBalancePence(int index) => Volatile.Read(ref creditPence[index]);

    /// <summary>Sets a meter's credit balance (SRV 1.5, update meter balance).</summary>
    public void SetCreditBalancePence(int index, int pence) => Volatile.Write(ref creditPence[index], pence);

    /// <summary>Adds credit (a top-up; negative to take it away) and returns the new balance. Safe under concurrent top-ups.</summary>
    public int AddCreditPence(int index, int pence) => Interlocked.Add(ref creditPence[index], pence);

    /// <summary>Debt held on a meter, in pence.</summary>
    public int GetDebtPence(int index) => Volatile.Read(ref debtPence[index]);

    /// <summary>Sets the debt held on a meter (SRV 2.x debt adjustments).</summary>
    public void SetDebtPence(int index, int pence) => Volatile.Write(ref debtPence[index], pence);

    /// <summary>Supply state of a meter (other devices read <see cref="SupplyStatus.Enabled"/>).</summary>
    public SupplyStatus GetSupplyStatus(int index) => supply[index];

    /// <summary>Changes a meter's supply state (SRV 7.x: enable, disable, arm).</summary>
    public void SetSupplyStatus(int index, SupplyStatus status) => supply[index] = status;

    /// <summary>Id of the tariff a meter holds (0 for devices without one).</summary>
    public ushort GetTariff(int index) => tariffs[index];

    /// <summary>Records a new tariff on a meter (SRV 1.1, 1.2).</summary>
    public void SetTariff(int index, ushort tariffId) => tariffs[index] = tariffId;

    /// <summary>How many times a device's security credentials have been replaced (wraps at 256).</summary>
    public byte GetCredentialsGeneration(int index) => credentialsGeneration[index];

    /// <summary>Records a credentials (certificate) replacement on a device and returns the new generation.</summary>
    public byte ReplaceCredentials(int index) => unchecked(++credentialsGeneration[index]);

    /// <summary>Whether a device is on its premises' HAN.</summary>
    public bool IsJoinedToHan(int index) => hanJoined[index];

    /// <summary>Records a device joining (true) or leaving (false) its premises' HAN (joins, unjoins, a hub reboot).</summary>
    public void SetJoinedToHan(int index, bool joined) => hanJoined[index] = joined;

    internal void InitialiseDevice(int index, uint importBase, int credit, int debt, ushort tariff, SupplyStatus supplyStatus, PaymentMode mode, bool joined)
    {
        importBaseWh[index] = importBase;
        creditPence[index] = credit;
        debtPence[index] = debt;
        tariffs[index] = tariff;
        supply[index] = supplyStatus;
        payment[index] = mode;
        hanJoined[index] = joined;
    }

    internal void InitialisePremises(int premises, ushort electricity, ushort gas, ushort export)
    {
        electricityRate[premises] = electricity;
        gasRate[premises] = gas;
        exportRate[premises] = export;
    }

    internal static ushort RateFromAnnualKwh(double kwhPerYear)
    {
        var whPerHour = Math.Round(kwhPerYear * 1000 / HoursPerYear);
        return whPerHour >= ushort.MaxValue ? ushort.MaxValue : (ushort)whPerHour;
    }

    internal ulong Digest(ulong h)
    {
        h = Population.Digest(h, importBaseWh);
        h = Population.Digest(h, creditPence);
        h = Population.Digest(h, debtPence);
        h = Population.Digest(h, tariffs);
        h = Population.Digest(h, supply);
        h = Population.Digest(h, payment);
        h = Population.Digest(h, credentialsGeneration);
        h = Population.Digest(h, hanJoined);
        h = Population.Digest(h, electricityRate);
        h = Population.Digest(h, gasRate);
        return Population.Digest(h, exportRate);
    }

    private long Advance(int rateWhPerHour, DateTimeOffset at)
    {
        var seconds = (at.UtcTicks - Epoch.UtcTicks) / TimeSpan.TicksPerSecond;
        return seconds <= 0 ? 0 : rateWhPerHour * seconds / 3600;
    }
}
