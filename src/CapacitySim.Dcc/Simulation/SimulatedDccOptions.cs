using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Capacity;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis;

namespace CapacitySim.Dcc.Simulation;

/// <summary>Everything a simulated DCC is made of. Defaults give DCC Boxed's reference premises and users.</summary>
public sealed class SimulatedDccOptions
{
    /// <summary>The estate (default: <see cref="Population.Default"/>, which holds the DCC Boxed reference premises).</summary>
    public Population? Estate { get; init; }

    /// <summary>Device behaviour (default: <c>scenarios/behaviour/default.yaml</c> found beside the binaries or the repository).</summary>
    public BehaviourConfig? Behaviour { get; init; }

    /// <summary>Users file (default: <c>scenarios/users/default.yaml</c>).</summary>
    public string? UsersFile { get; init; }

    /// <summary>When set, every user's responses and alerts go to this one endpoint (DCC Boxed's "receive response service address").</summary>
    public Uri? ResponseUrl { get; init; }

    /// <summary>DUIS material (schema and DCC Boxed test keys); null uses CapacitySim's test PKI.</summary>
    public DuisMaterial? Material { get; init; }

    /// <summary>Folder of the generated test PKI (null: the default cache folder).</summary>
    public string? PkiDirectory { get; init; }

    /// <summary>
    /// The keys already chosen for the run (shared with the users who sign); when set, <see cref="Material"/>'s keys
    /// and schema and <see cref="PkiDirectory"/> are not read again.
    /// </summary>
    public DuisKeyMaterial? KeyMaterial { get; init; }

    /// <summary>Check each request's signature (off for raw-throughput runs).</summary>
    public bool VerifySignatures { get; init; } = true;

    /// <summary>Sign responses and alerts with the DCC's key (and SMETS1 inner responses with the S1SP key).</summary>
    public bool SignMessages { get; init; } = true;

    /// <summary>Validate one request in this many against the full schema (0: never; needs <see cref="Material"/> with a schema).</summary>
    public int SchemaSampleInterval { get; init; }

    /// <summary>The run clock (scenario time; compressed or fake). Default: real time.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Seed for device behaviour.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Lanes, deadlines and overload codes.</summary>
    public DccCapacityOptions Capacity { get; init; } = DccCapacityOptions.WithDefaultLanes();

    /// <summary>Alert storm protection.</summary>
    public AlertStormOptions AlertStorm { get; init; } = new();

    /// <summary>Delivery to users' endpoints.</summary>
    public DeliveryOptions Delivery { get; init; } = new();

    /// <summary>Generate background alerts and scheduled events from the behaviour configuration.</summary>
    public bool GenerateAlerts { get; init; } = true;

    /// <summary>How often (real time) due alerts and events are collected.</summary>
    public TimeSpan AlertPollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The replay check's reorder window (see <see cref="Validation.RequestValidatorOptions.ReplayWindow"/>); 0 is strict.</summary>
    public int ReplayWindow { get; init; }

    /// <summary>The DCC's users, given directly (a load run derives them from its scenario); when set, <see cref="UsersFile"/> is not read.</summary>
    public IReadOnlyList<Users.DuisUser>? Users { get; init; }
}
