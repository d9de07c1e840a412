using CapacitySim.Duis;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Validation;

namespace CapacitySim.Cli;

/// <summary>
/// The DUIS material a command works with: the user's (from <c>--duis-dir</c> or <c>CAPACITYSIM_DUIS_DIR</c>), which
/// brings the schema and the DCC Boxed test certificates, or else CapacitySim's own generated test PKI with no schema.
/// </summary>
internal sealed class DuisEnvironment
{
    private readonly Lazy<TestPki> testPki;
    private readonly Lazy<DuisSchema?> schema;
    private readonly string? pkiDirectory;
    private readonly Lazy<DuisKeyStore> smets1Keys = new(ShippedTestMaterial.Smets1ServiceProviderKeys);

    // Finding a user's key means reading (and for the test PKI, locking and checking) key files: done once per user,
    // so that a batch of signed samples costs a signature per message, not a key-store read.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Eui64, SigningIdentity> userIdentities = new();

    private DuisEnvironment(DuisMaterial? material, string? pkiDirectory)
    {
        Material = material;
        this.pkiDirectory = pkiDirectory;
        testPki = new Lazy<TestPki>(() => TestPki.Ensure(pkiDirectory, DefaultUsers));
        schema = new Lazy<DuisSchema?>(() => material is { HasSchema: true } ? DuisSchema.Load(material) : null);
        MaterialKeys = material is { HasKeys: true } ? DuisKeyStore.Load(material.KeysDirectory) : null;
    }

    /// <summary>The user's DUIS material, or null.</summary>
    public DuisMaterial? Material { get; }

    /// <summary>The folder of CapacitySim's test PKI (null: the default), which the embedded DCC must share with the users.</summary>
    public string? PkiDirectory => pkiDirectory;

    /// <summary>The keys of the user's DUIS material, or null.</summary>
    public DuisKeyStore? MaterialKeys { get; }

    /// <summary>CapacitySim's own test PKI (created on first use).</summary>
    public TestPki TestPki => testPki.Value;

    /// <summary>The compiled DUIS schema, or null when no DUIS material with a schema was given.</summary>
    public DuisSchema? Schema => schema.Value;

    /// <summary>Where the material comes from, for messages.</summary>
    public string Describe() => Material is null
        ? $"no DUIS material given (--duis-dir or {DuisMaterial.EnvironmentVariable}): using CapacitySim's test PKI in {TestPki.Directory}; schema validation is unavailable"
        : $"DUIS material {Material.Root}" + (Material.HasSchema ? string.Empty : " (no schema/: schema validation is unavailable)");

    public static DuisEnvironment Open(string? duisDirectory, string? pkiDirectory = null)
    {
        try
        {
            return new DuisEnvironment(DuisMaterial.Locate(duisDirectory), pkiDirectory);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new CliException(ex.Message, ex);
        }
    }

    /// <summary>The identity that signs for a user EUI: from the DUIS material's keys when it has one, else the test PKI.</summary>
    public SigningIdentity UserIdentity(Eui64 eui) => userIdentities.GetOrAdd(eui, FindUserIdentity);

    private SigningIdentity FindUserIdentity(Eui64 eui)
    {
        if (MaterialKeys is not null)
        {
            try
            {
                return MaterialKeys.IdentityFor(eui);
            }
            catch (Exception ex) when (ex is FileNotFoundException or KeyNotFoundException or InvalidOperationException)
            {
                throw new CliException($"The DUIS material's keys ({MaterialKeys.Directory}) hold no signing key for {eui}: {ex.Message}", ex);
            }
        }

        return TestPki.Ensure(pkiDirectory, [eui]).User(eui);
    }

    /// <summary>The DCC's (DSP's) signing identity: DCC Boxed's DSP key from the material, else the test PKI's.</summary>
    public SigningIdentity DccIdentity()
    {
        if (MaterialKeys is not null && MaterialKeys.TryFindByStem(CapacitySim.Dcc.Simulation.SimulatedDcc.DccBoxedDspKey, out _))
        {
            return MaterialKeys.Identity(CapacitySim.Dcc.Simulation.SimulatedDcc.DccBoxedDspKey);
        }

        return TestPki.Dsp;
    }

    /// <summary>
    /// The SMETS1 service provider's identity: no public SMETS1 SP key exists, so this is always the key CapacitySim
    /// ships as test material (testmaterial/smets1-service-provider).
    /// </summary>
    public SigningIdentity Smets1ServiceProviderIdentity() => smets1Keys.Value.Identity(ShippedTestMaterial.Smets1ServiceProviderStem);

    /// <summary>Every certificate a received message may be signed with: the material's and the test PKI's.</summary>
    public IReadOnlyList<DuisKeyStore> VerificationStores()
        => MaterialKeys is null ? [TestPki.Store, smets1Keys.Value] : [MaterialKeys, TestPki.Store, smets1Keys.Value];

    /// <summary>
    /// The users DCC Boxed's reference requests come from: 90-B3-D5-1F-30-01-00-00 (supplier) and
    /// 90-B3-D5-1F-30-02-00-00 (network operator). The test PKI always holds keys for them.
    /// </summary>
    public static readonly Eui64[] DefaultUsers = [new(0x90B3D51F30010000), new(0x90B3D51F30020000)];

    /// <summary>DCC Boxed's supplier, 90-B3-D5-1F-30-01-00-00.</summary>
    public static Eui64 Supplier => DefaultUsers[0];

    /// <summary>DCC Boxed's network operator, 90-B3-D5-1F-30-02-00-00.</summary>
    public static Eui64 NetworkOperator => DefaultUsers[1];
}
