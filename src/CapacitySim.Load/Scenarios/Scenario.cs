using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;

namespace CapacitySim.Load.Scenarios;

/// <summary>
/// A scenario: the estate, the users and their traffic, the load profile, the time compression, the performance
/// levels and the checks that decide pass or fail. <see cref="ScenarioLoader.Load"/> reads one from YAML; a scenario
/// that loads is valid (every mistake is reported at load, with its position).
/// </summary>
public sealed class Scenario
{
    /// <summary>Default time compression: a scenario's minute runs in 0.6 s.</summary>
    public const double DefaultTimeCompression = 100;

    internal Scenario()
    {
    }

    /// <summary>The scenario file.</summary>
    public string Source { get; internal init; } = string.Empty;

    /// <summary>Name (defaults to the file name without extension).</summary>
    public string Name { get; internal init; } = string.Empty;

    /// <summary>What the scenario is for.</summary>
    public string? Description { get; internal init; }

    /// <summary>Seed of every random choice of the run (traffic mix, target devices): the same seed, the same run.</summary>
    public ulong Seed { get; internal init; }

    /// <summary>The devices the users address.</summary>
    public ScenarioEstate Estate { get; internal init; } = null!;

    /// <summary>The service users and their traffic.</summary>
    public IReadOnlyList<ScenarioUser> Users { get; internal init; } = [];

    /// <summary>The load profile, in order.</summary>
    public IReadOnlyList<LoadPhase> Phases { get; internal init; } = [];

    /// <summary>How many times faster than scenario time the run goes (1 is real time).</summary>
    public double TimeCompression { get; internal set; } = DefaultTimeCompression;

    /// <summary>
    /// True when the file names its <c>timeCompression</c> (or a command line set it). A scenario that names none runs
    /// at <see cref="DefaultTimeCompression"/> against the embedded DCC and in real time against an external one.
    /// </summary>
    public bool TimeCompressionGiven { get; internal set; }

    /// <summary>The response time-outs the scenario sets (<c>responseTimeouts:</c>), in file order; the rest are derived.</summary>
    public IReadOnlyList<ResponseTimeoutSetting> ResponseTimeouts { get; internal init; } = [];

    /// <summary>How long, in real time, the run waits at the end for requests in flight (<c>drain:</c>); null derives it.</summary>
    public TimeSpan? Drain { get; internal init; }

    /// <summary>Scenario time at the start whose measurements are discarded.</summary>
    public TimeSpan WarmUp { get; internal init; }

    /// <summary>Scenario time of the whole profile (the sum of the phases).</summary>
    public TimeSpan Duration { get; internal init; }

    /// <summary>The performance levels the run is judged against.</summary>
    public PerformanceLevels PerformanceLevels { get; internal init; } = null!;

    /// <summary>The checks, in file order.</summary>
    public IReadOnlyList<ScenarioCheck> Checks { get; internal init; } = [];

    /// <summary>Regression tolerances for <c>capacitysim gate</c>, when the scenario gives any.</summary>
    public Results.GateTolerances? Gate { get; internal init; }

    /// <summary>Options of the embedded DCC, when the scenario gives any.</summary>
    public DccOptions? Dcc { get; internal init; }

    /// <summary>The external DUIS endpoint, when the scenario names one (else the embedded DCC is used).</summary>
    public TargetOptions? Target { get; internal init; }

    /// <summary>
    /// Position of every value read, by its path in the file (<c>users[0].mix[1].srv</c>, <c>phases[2].ramping.to</c>),
    /// so that later stages (the run, reports) can point at the line a figure came from.
    /// </summary>
    public IReadOnlyDictionary<string, SourcePosition> Positions { get; internal init; } = new Dictionary<string, SourcePosition>();

    /// <summary>The same scenario run at another time compression (a command-line override).</summary>
    public Scenario WithTimeCompression(double compression)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(compression);
        var copy = (Scenario)MemberwiseClone();
        copy.TimeCompression = compression;
        copy.TimeCompressionGiven = true;
        return copy;
    }

    /// <summary>The position of the value at <paramref name="path"/>, or the start of the file when it was not given.</summary>
    public SourcePosition PositionOf(string path) => Positions.TryGetValue(path, out var p) ? p : new SourcePosition(1, 1);
}

/// <summary>Where a scenario's estate comes from.</summary>
public enum EstateSourceKind : byte
{
    /// <summary>A population spec file.</summary>
    SpecFile = 0,

    /// <summary>A population spec written inside the scenario.</summary>
    Inline,

    /// <summary>A CSV of the devices an external DCC holds.</summary>
    DevicesCsv,
}

/// <summary>The estate of a scenario: a population spec (to build), or the device list of an external DCC.</summary>
public sealed class ScenarioEstate
{
    internal ScenarioEstate()
    {
    }

    /// <summary>Where it comes from.</summary>
    public EstateSourceKind Kind { get; internal init; }

    /// <summary>The spec or CSV file (full path), or null for an inline spec.</summary>
    public string? Path { get; internal init; }

    /// <summary>The population spec (with the scenario's premises and seed overrides), or null for a CSV.</summary>
    public PopulationSpec? Spec { get; internal init; }

    /// <summary>The devices of a CSV estate, or null for a spec.</summary>
    public IReadOnlyList<EstateDevice>? Devices { get; internal init; }

    /// <summary>The DMC names the estate knows (declared in the spec, or present in the CSV).</summary>
    public IReadOnlySet<string> DmcNames { get; internal init; } = new HashSet<string>();
}

/// <summary>One device of an external DCC's estate (a row of the devices CSV).</summary>
/// <param name="Eui">Device EUI-64.</param>
/// <param name="Type">Device type.</param>
/// <param name="Generation">SMETS generation.</param>
/// <param name="Dmc">Device model combination name.</param>
/// <param name="Region">CSP region.</param>
/// <param name="Line">Line of the row in the CSV.</param>
public readonly record struct EstateDevice(Eui64 Eui, DeviceType Type, DeviceGeneration Generation, string Dmc, CspRegion Region, int Line);

/// <summary>A service user: who it is, how it signs, and the traffic it sends.</summary>
public sealed class ScenarioUser
{
    internal ScenarioUser()
    {
    }

    /// <summary>Name shown in progress and reports.</summary>
    public string Name { get; internal init; } = string.Empty;

    /// <summary>The user's roles.</summary>
    public UserRoles Roles { get; internal init; }

    /// <summary>The user's EUI-64 (BusinessOriginatorID).</summary>
    public Eui64 Eui { get; internal init; }

    /// <summary>Signing key: a full path when <see cref="KeyIsPath"/>, else a stem looked up in the DUIS keys folder; null to use the key the key store holds for <see cref="Eui"/>.</summary>
    public string? Key { get; internal init; }

    /// <summary>True when <see cref="Key"/> is a file path.</summary>
    public bool KeyIsPath { get; internal init; }

    /// <summary>What the user sends, with weights.</summary>
    public IReadOnlyList<TrafficMixEntry> Mix { get; internal init; } = [];

    /// <summary>Which devices the user's requests address.</summary>
    public DeviceSelector Targets { get; internal init; } = DeviceSelector.Any;

    /// <summary>Variants the user may send though the DUIS matrix names no role of the user for them (as the DCC's users file allows).</summary>
    public IReadOnlyList<ServiceReferenceVariant> AdditionalServices { get; internal init; } = [];

    /// <summary>Where the user is in the scenario file.</summary>
    public SourcePosition Position { get; internal init; }
}

/// <summary>One entry of a user's traffic mix.</summary>
/// <param name="Info">The Service Reference Variant, from the DUIS catalogue.</param>
/// <param name="Weight">Relative weight (the share is weight / sum of the user's weights).</param>
/// <param name="CommandVariant">The command variant the request starts with (CV 4 for a critical request, whose CV 5 follows).</param>
/// <param name="Position">Where the entry is in the scenario file.</param>
public sealed record TrafficMixEntry(ServiceVariantInfo Info, double Weight, CommandVariant CommandVariant, SourcePosition Position)
{
    /// <summary>The Service Reference Variant.</summary>
    public ServiceReferenceVariant Srv => Info.Variant;
}

/// <summary>Which devices a user addresses: every list that is not empty must match (an empty list matches anything).</summary>
/// <param name="Dmcs">Device model combination names.</param>
/// <param name="DeviceTypes">Device types.</param>
/// <param name="Regions">CSP regions.</param>
/// <param name="Generations">SMETS generations.</param>
public sealed record DeviceSelector(
    IReadOnlyList<string> Dmcs,
    IReadOnlyList<DeviceType> DeviceTypes,
    IReadOnlyList<CspRegion> Regions,
    IReadOnlyList<DeviceGeneration> Generations)
{
    /// <summary>Matches every device.</summary>
    public static DeviceSelector Any { get; } = new([], [], [], []);

    /// <summary>True when a device with these properties is selected.</summary>
    public bool Matches(string dmc, DeviceType type, CspRegion region, DeviceGeneration generation)
        => (Dmcs.Count == 0 || Dmcs.Contains(dmc, StringComparer.Ordinal))
            && (DeviceTypes.Count == 0 || DeviceTypes.Contains(type))
            && (Regions.Count == 0 || Regions.Contains(region))
            && (Generations.Count == 0 || Generations.Contains(generation));
}

/// <summary>A check of the scenario, parsed.</summary>
/// <param name="Expression">The parsed expression.</param>
/// <param name="Position">Where the check is in the scenario file.</param>
public sealed record ScenarioCheck(CheckExpression Expression, SourcePosition Position)
{
    /// <summary>Severity of the testing issue a failed check raises when the scenario names none: 2, a failure of the exit criteria.</summary>
    public const int DefaultSeverity = 2;

    /// <summary>Severity (1 highest … 5) of the testing issue a failure raises, as SCT grades them.</summary>
    public int Severity { get; init; } = DefaultSeverity;

    /// <summary>The check as written.</summary>
    public string Text => Expression.Text;
}

/// <summary>Options of the embedded DCC.</summary>
/// <param name="BehaviourPath">Device behaviour file (full path), or null for the built-in default.</param>
/// <param name="UsersPath">The DCC's users file (full path), or null to derive the users from the scenario's.</param>
/// <param name="Signing">Whether users sign requests and the DCC verifies them and signs its responses.</param>
public sealed record DccOptions(string? BehaviourPath, string? UsersPath, bool Signing);

/// <summary>An external DUIS endpoint to run against.</summary>
/// <param name="Url">Base address of the DCC's web services.</param>
/// <param name="Listen">Where the users' receiver listens for responses and alerts, or null for the run's default.</param>
/// <param name="Signing">Whether users sign requests.</param>
public sealed record TargetOptions(Uri Url, Uri? Listen, bool Signing)
{
    /// <summary>TLS both ways (the scenario's <c>target.tls</c>), or null: the run's options alone.</summary>
    public TargetTlsOptions? Tls { get; init; }
}

/// <summary>
/// TLS with the target, both ways, as a scenario gives it (<c>target.tls</c>): the users' client certificate and the
/// CA the target's certificate must chain to, and the receiver's server certificate and whether it requires the DCC's
/// client certificate. Paths are full paths, resolved against the scenario's folder and checked to exist. The same
/// command-line options override each one. Turning certificate checks off is not a scenario setting: only the
/// command line's <c>--insecure</c> does that, so that a scenario file cannot quietly weaken a run against a real DCC.
/// </summary>
public sealed record TargetTlsOptions
{
    /// <summary>The users' client certificate: PKCS#12, or PEM with its key in it or in <see cref="ClientKey"/>.</summary>
    public string? ClientCert { get; init; }

    /// <summary>PEM private key of a PEM <see cref="ClientCert"/>.</summary>
    public string? ClientKey { get; init; }

    /// <summary>Password of a PKCS#12 <see cref="ClientCert"/>.</summary>
    public string? ClientCertPassword { get; init; }

    /// <summary>Password of an encrypted PEM <see cref="ClientKey"/>.</summary>
    public string? ClientKeyPassword { get; init; }

    /// <summary>CA bundle (PEM) the target's certificate must chain to, instead of the machine's trust store.</summary>
    public string? CaCert { get; init; }

    /// <summary>The receiver's server certificate, for an https listen address: PKCS#12 or PEM.</summary>
    public string? ListenCert { get; init; }

    /// <summary>PEM private key of a PEM <see cref="ListenCert"/>.</summary>
    public string? ListenKey { get; init; }

    /// <summary>Password of a PKCS#12 <see cref="ListenCert"/>.</summary>
    public string? ListenCertPassword { get; init; }

    /// <summary>Password of an encrypted PEM <see cref="ListenKey"/>.</summary>
    public string? ListenKeyPassword { get; init; }

    /// <summary>Whether the receiver requires the DCC's client certificate.</summary>
    public bool ListenMutualTls { get; init; }

    /// <summary>CA bundle (PEM) the DCC's client certificate must chain to; default <see cref="CaCert"/>.</summary>
    public string? ListenCa { get; init; }
}
