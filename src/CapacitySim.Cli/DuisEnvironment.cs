using CapacitySim.Dcc.Simulation;
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
    private DuisEnvironment(DuisMaterial? material, string? pkiDirectory)
    {
        Keys = new DuisKeyMaterial(material, pkiDirectory);
    }

    /// <summary>The keys chosen once for the command, handed as they are to the simulated DCC and the users.</summary>
    public DuisKeyMaterial Keys { get; }

    /// <summary>The user's DUIS material, or null.</summary>
    public DuisMaterial? Material => Keys.Material;

    /// <summary>The folder of CapacitySim's test PKI (null: the default).</summary>
    public string? PkiDirectory => Keys.PkiDirectory;

    /// <summary>The keys of the user's DUIS material, or null.</summary>
    public DuisKeyStore? MaterialKeys => Keys.MaterialKeys;

    /// <summary>CapacitySim's own test PKI (created on first use).</summary>
    public TestPki TestPki => Keys.TestPki;

    /// <summary>The compiled DUIS schema, or null when no DUIS material with a schema was given.</summary>
    public DuisSchema? Schema => Keys.Schema;

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
    public SigningIdentity UserIdentity(Eui64 eui)
    {
        try
        {
            return Keys.UserIdentity(eui);
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException(ex.Message, ex);
        }
    }

    /// <summary>The DCC's (DSP's) signing identity: DCC Boxed's DSP key from the material, else the test PKI's.</summary>
    public SigningIdentity DccIdentity() => Keys.DccIdentity();

    /// <summary>The SMETS1 service provider's identity (the key CapacitySim ships as test material).</summary>
    public SigningIdentity Smets1ServiceProviderIdentity() => Keys.Smets1ServiceProviderIdentity();

    /// <summary>Every certificate a received message may be signed with: the material's and the test PKI's.</summary>
    public IReadOnlyList<DuisKeyStore> VerificationStores() => Keys.VerificationStores();

    /// <summary>DCC Boxed's reference users, for which the test PKI always holds keys.</summary>
    public static readonly Eui64[] DefaultUsers = [.. DuisKeyMaterial.DefaultUsers];

    /// <summary>DCC Boxed's supplier, 90-B3-D5-1F-30-01-00-00.</summary>
    public static Eui64 Supplier => DefaultUsers[0];

    /// <summary>DCC Boxed's network operator, 90-B3-D5-1F-30-02-00-00.</summary>
    public static Eui64 NetworkOperator => DefaultUsers[1];
}
