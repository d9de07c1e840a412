using System.Collections.Concurrent;
using CapacitySim.Duis;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Validation;

namespace CapacitySim.Dcc.Simulation;

/// <summary>
/// The keys a run signs and checks with, chosen once: the DUIS material's (DCC Boxed's test certificates, and its
/// schema) when it is given, else CapacitySim's own generated test PKI. The simulated DCC and the service users are
/// handed the same instance, so the certificates the DCC checks against are those the users sign with, read once.
/// </summary>
public sealed class DuisKeyMaterial
{
    /// <summary>
    /// The users DCC Boxed's reference requests come from: 90-B3-D5-1F-30-01-00-00 (supplier) and
    /// 90-B3-D5-1F-30-02-00-00 (network operator). The test PKI always holds keys for them.
    /// </summary>
    public static readonly IReadOnlyList<Eui64> DefaultUsers = [new(0x90B3D51F30010000), new(0x90B3D51F30020000)];

    private readonly Lock testPkiLock = new();
    private readonly Lazy<DuisSchema?> schema;
    private readonly Lazy<DuisKeyStore> smets1Keys = new(ShippedTestMaterial.Smets1ServiceProviderKeys);

    // Finding a user's key means reading (and for the test PKI, locking and checking) key files: done once per user,
    // so that a batch of signed messages costs a signature per message, not a key-store read.
    private readonly ConcurrentDictionary<Eui64, SigningIdentity> userIdentities = new();
    private TestPki? testPki;

    /// <summary>Chooses the keys: <paramref name="material"/>'s when it holds keys, else the test PKI in <paramref name="pkiDirectory"/>.</summary>
    /// <param name="material">The user's DUIS material, or null.</param>
    /// <param name="pkiDirectory">The folder of CapacitySim's test PKI (null: the default cache folder).</param>
    public DuisKeyMaterial(DuisMaterial? material, string? pkiDirectory = null)
    {
        Material = material;
        PkiDirectory = pkiDirectory;
        schema = new Lazy<DuisSchema?>(() => material is { HasSchema: true } ? DuisSchema.Load(material) : null);
        MaterialKeys = material is { HasKeys: true } ? DuisKeyStore.Load(material.KeysDirectory) : null;
    }

    /// <summary>The user's DUIS material, or null.</summary>
    public DuisMaterial? Material { get; }

    /// <summary>The folder of CapacitySim's test PKI (null: the default).</summary>
    public string? PkiDirectory { get; }

    /// <summary>The keys of the user's DUIS material, or null when the test PKI is used.</summary>
    public DuisKeyStore? MaterialKeys { get; }

    /// <summary>CapacitySim's own test PKI (created on first use with keys for <see cref="DefaultUsers"/>).</summary>
    public TestPki TestPki => EnsureTestUsers([]);

    /// <summary>The compiled DUIS schema, or null when no DUIS material with a schema was given.</summary>
    public DuisSchema? Schema => schema.Value;

    /// <summary>The certificates requests are checked against: the material's keys, else the test PKI's.</summary>
    public DuisKeyStore Keys => MaterialKeys ?? TestPki.Store;

    /// <summary>
    /// The test PKI holding keys for <paramref name="users"/> as well as every user asked for before; it is read again
    /// only when one of them is new, so the DCC and the users keep sharing one key store.
    /// </summary>
    public TestPki EnsureTestUsers(IEnumerable<Eui64> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        lock (testPkiLock)
        {
            var missing = users.Where(u => testPki is null || !testPki.Store.TryFindByStem(TestPki.StemFor(u), out _)).ToList();
            if (testPki is null || missing.Count > 0)
            {
                // The store is read from the whole folder, so keys made for earlier users stay in it.
                testPki = TestPki.Ensure(PkiDirectory, [.. DefaultUsers, .. missing]);
            }

            return testPki;
        }
    }

    /// <summary>The identity that signs for a user EUI: from the DUIS material's keys when it has them, else the test PKI.</summary>
    /// <exception cref="InvalidOperationException">The material's keys hold none for <paramref name="eui"/>.</exception>
    public SigningIdentity UserIdentity(Eui64 eui) => userIdentities.GetOrAdd(eui, FindUserIdentity);

    /// <summary>The identity of a key named by its stem in the DUIS material's key store, or null when the store has no such key.</summary>
    public SigningIdentity? MaterialIdentity(string stem)
        => MaterialKeys is { } keys && keys.TryFindByStem(stem, out _) ? keys.Identity(stem) : null;

    /// <summary>The DCC's (DSP's) signing identity: DCC Boxed's DSP key from the material, else the test PKI's.</summary>
    public SigningIdentity DccIdentity() => MaterialIdentity(SimulatedDcc.DccBoxedDspKey) ?? TestPki.Dsp;

    /// <summary>
    /// The SMETS1 service provider's identity: no public SMETS1 SP key exists, so this is always the key CapacitySim
    /// ships as test material (testmaterial/smets1-service-provider).
    /// </summary>
    public SigningIdentity Smets1ServiceProviderIdentity() => smets1Keys.Value.Identity(ShippedTestMaterial.Smets1ServiceProviderStem);

    /// <summary>Every certificate a received message may be signed with: the material's and the test PKI's.</summary>
    public IReadOnlyList<DuisKeyStore> VerificationStores()
        => MaterialKeys is null ? [TestPki.Store, smets1Keys.Value] : [MaterialKeys, TestPki.Store, smets1Keys.Value];

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
                throw new InvalidOperationException($"The DUIS material's keys ({MaterialKeys.Directory}) hold no signing key for {eui}: {ex.Message}", ex);
            }
        }

        return EnsureTestUsers([eui]).User(eui);
    }
}
