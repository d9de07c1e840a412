namespace CapacitySim.Duis.Signing;

/// <summary>
/// Test keys CapacitySim ships because no public equivalent exists: the SMETS1 service provider's signing key
/// (see <c>testmaterial/smets1-service-provider/README.md</c>). Copied beside the binaries at build time.
/// </summary>
public static class ShippedTestMaterial
{
    /// <summary>File stem of the SMETS1 service provider key.</summary>
    public const string Smets1ServiceProviderStem = "s1sp-xml-sign-90B3D51F30000010-ds";

    /// <summary>The folder holding the SMETS1 service provider's certificate and key.</summary>
    public static string Smets1ServiceProviderDirectory => Path.Combine(AppContext.BaseDirectory, "testmaterial", "smets1-service-provider");

    /// <summary>The SMETS1 service provider's keys, in the DUIS keys layout.</summary>
    /// <exception cref="DirectoryNotFoundException">The binaries were copied without the test material.</exception>
    public static DuisKeyStore Smets1ServiceProviderKeys()
    {
        var dir = Smets1ServiceProviderDirectory;
        return Directory.Exists(dir)
            ? DuisKeyStore.Load(dir)
            : throw new DirectoryNotFoundException($"The SMETS1 service provider test key is missing: expected '{dir}' beside the CapacitySim binaries.");
    }
}
