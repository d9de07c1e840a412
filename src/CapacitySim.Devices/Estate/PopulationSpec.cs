using CapacitySim.Devices.Configuration;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Devices.Estate;

/// <summary>A value with a relative weight in a mix. Weights need not add up to 1 or 100: each share is weight / sum.</summary>
/// <typeparam name="T">The kind of value.</typeparam>
/// <param name="Value">The value.</param>
/// <param name="Weight">Its weight (zero or more).</param>
public readonly record struct Weighted<T>(T Value, double Weight);

/// <summary>A device model combination declared in a spec.</summary>
/// <param name="Name">Name, referred to by the DMC and firmware mixes.</param>
/// <param name="Generation">SMETS generation.</param>
/// <param name="EuiPrefix">First three octets of the model's EUI-64s, as a 24-bit number.</param>
public sealed record DmcSpec(string Name, DeviceGeneration Generation, uint EuiPrefix);

/// <summary>A kind of premises declared in a spec, with its weight in the premises mix.</summary>
/// <param name="Name">Name.</param>
/// <param name="Fuel">Electricity only or dual fuel.</param>
/// <param name="Ppmid">Has a prepayment interface device.</param>
/// <param name="Ihd">Has an in-home display.</param>
/// <param name="Hcalcs">Has a HAN-connected auxiliary load control switch.</param>
/// <param name="Payment">Payment mode of the meters.</param>
/// <param name="Weight">Weight in the premises mix.</param>
public sealed record PremisesKindSpec(string Name, PremisesFuel Fuel, bool Ppmid, bool Ihd, bool Hcalcs, PaymentMode Payment, double Weight);

/// <summary>A SMETS1 service provider declared in a spec, with its weight among SMETS1 premises.</summary>
/// <param name="Name">Name.</param>
/// <param name="Eui">EUI-64 (names its signing key).</param>
/// <param name="Weight">Weight in the SMETS1 premises mix.</param>
public sealed record Smets1ServiceProviderSpec(string Name, Eui64 Eui, double Weight);

/// <summary>
/// How much energy premises use: each premises draws its rates uniformly within ± <see cref="Spread"/> of the typical
/// annual figures (defaults: Ofgem's typical domestic consumption values, 2,700 kWh electricity and 11,500 kWh gas).
/// </summary>
/// <param name="ElectricityKwhPerYear">Typical electricity import per year.</param>
/// <param name="GasKwhPerYear">Typical gas use per year.</param>
/// <param name="Spread">Relative spread (0 to below 1) around the typical figures.</param>
/// <param name="ExportShare">Share of premises that export electricity (solar), 0 to 1.</param>
/// <param name="ExportKwhPerYear">Typical export per year of an exporting premises.</param>
public sealed record ConsumptionSpec(double ElectricityKwhPerYear, double GasKwhPerYear, double Spread, double ExportShare, double ExportKwhPerYear)
{
    /// <summary>Defaults: Ofgem's typical domestic consumption values, ± 50 %, 5 % of premises exporting 1,500 kWh a year.</summary>
    public static ConsumptionSpec Default { get; } = new(2700, 11500, 0.5, 0.05, 1500);
}

/// <summary>Opening state of prepayment meters.</summary>
/// <param name="MeanCreditPence">Mean opening credit balance (drawn uniformly from 0 to twice this).</param>
/// <param name="DebtShare">Share of prepayment meters that carry debt, 0 to 1.</param>
/// <param name="MeanDebtPence">Mean debt of those that do (drawn uniformly from 0 to twice this).</param>
public sealed record PrepaymentSpec(int MeanCreditPence, double DebtShare, int MeanDebtPence)
{
    /// <summary>Defaults: £20 mean credit, 10 % in debt with £150 mean debt.</summary>
    public static PrepaymentSpec Default { get; } = new(2000, 0.1, 15000);
}

/// <summary>
/// What a device population is made of, read from YAML (see <c>scenarios/estates/default.yaml</c> for every key with
/// comments). <see cref="Load"/> checks the whole file and reports every mistake at once, each with file, line and
/// column; a spec that loads is valid, and <see cref="PopulationBuilder.Build"/> turns it into a population.
/// </summary>
public sealed class PopulationSpec
{
    /// <summary>Largest premises count a spec may ask for (the 12 million SMETS1 meters of the design, with room to spare).</summary>
    public const int MaxPremises = 40_000_000;

    internal PopulationSpec()
    {
    }

    /// <summary>Where the spec came from (a file path, or a name given to <see cref="Parse"/>).</summary>
    public string Source { get; internal init; } = string.Empty;

    /// <summary>Seed: the same spec and seed always build the same population.</summary>
    public ulong Seed { get; internal init; }

    /// <summary>Number of generated premises (the reference premises come on top).</summary>
    public int Premises { get; internal init; }

    /// <summary>Whether the estate also holds the DCC Boxed reference premises (<see cref="ReferencePremises"/>).</summary>
    public bool IncludeReferencePremises { get; internal init; }

    /// <summary>The moment the opening register values hold for; registers advance from it.</summary>
    public DateTimeOffset Epoch { get; internal init; }

    /// <summary>Share of SMETS1 and SMETS2 premises.</summary>
    public IReadOnlyList<Weighted<DeviceGeneration>> GenerationMix { get; internal init; } = [];

    /// <summary>Share of premises per CSP region.</summary>
    public IReadOnlyList<Weighted<CspRegion>> RegionMix { get; internal init; } = [];

    /// <summary>Share of devices per DCC status.</summary>
    public IReadOnlyList<Weighted<DeviceStatus>> StatusMix { get; internal init; } = [];

    /// <summary>Kinds of premises and their weights.</summary>
    public IReadOnlyList<PremisesKindSpec> PremisesKinds { get; internal init; } = [];

    /// <summary>Every DMC the mixes may name.</summary>
    public IReadOnlyList<DmcSpec> Dmcs { get; internal init; } = [];

    /// <summary>Per device type, the DMCs used and their weights (a premises uses only the DMCs of its generation).</summary>
    public IReadOnlyDictionary<DeviceType, IReadOnlyList<Weighted<string>>> DmcMix { get; internal init; } = new Dictionary<DeviceType, IReadOnlyList<Weighted<string>>>();

    /// <summary>Per DMC, its firmware versions and their weights.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Weighted<string>>> FirmwareMix { get; internal init; } = new Dictionary<string, IReadOnlyList<Weighted<string>>>();

    /// <summary>SMETS1 service providers and their weights among SMETS1 premises.</summary>
    public IReadOnlyList<Smets1ServiceProviderSpec> Smets1ServiceProviders { get; internal init; } = [];

    /// <summary>Energy use.</summary>
    public ConsumptionSpec Consumption { get; internal init; } = ConsumptionSpec.Default;

    /// <summary>Opening state of prepayment meters.</summary>
    public PrepaymentSpec Prepayment { get; internal init; } = PrepaymentSpec.Default;

    /// <summary>Reads and checks a spec file.</summary>
    /// <exception cref="ConfigException">The file has mistakes: <see cref="ConfigException.Errors"/> lists every one with its position.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static PopulationSpec Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = File.ReadAllText(path);
        return Parse(text, path);
    }

    /// <summary>Reads and checks a spec from YAML text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ConfigException">The text has mistakes.</exception>
    public static PopulationSpec Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(source);
        return new PopulationSpecReader(source).Read(yaml);
    }

    /// <summary>
    /// Reads and checks a spec written as a mapping inside another file (a scenario's inline estate); errors point at
    /// the mapping's lines and columns in <paramref name="source"/>.
    /// </summary>
    /// <exception cref="ConfigException">The mapping has mistakes.</exception>
    public static PopulationSpec Read(YamlNode node, string source)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(source);
        return new PopulationSpecReader(source).Read(node);
    }

    /// <summary>This spec with other premises count and seed (for example to scale a shipped estate in a test).</summary>
    public PopulationSpec With(int? premises = null, ulong? seed = null)
    {
        if (premises is < 0 or > MaxPremises)
        {
            throw new ArgumentOutOfRangeException(nameof(premises), premises, $"Premises must be from 0 to {MaxPremises}.");
        }

        return new PopulationSpec
        {
            Source = Source,
            Seed = seed ?? Seed,
            Premises = premises ?? Premises,
            IncludeReferencePremises = IncludeReferencePremises,
            Epoch = Epoch,
            GenerationMix = GenerationMix,
            RegionMix = RegionMix,
            StatusMix = StatusMix,
            PremisesKinds = PremisesKinds,
            Dmcs = Dmcs,
            DmcMix = DmcMix,
            FirmwareMix = FirmwareMix,
            Smets1ServiceProviders = Smets1ServiceProviders,
            Consumption = Consumption,
            Prepayment = Prepayment,
        };
    }
}
