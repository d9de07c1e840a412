namespace CapacitySim.Duis;

/// <summary>
/// A folder of DUIS material laid out like DCC Boxed's: <c>schema/</c> (the DUIS XSDs) and <c>keys/</c>
/// (test certificates <c>.pem</c> and DER PKCS#8 private keys <c>.key</c>). CapacitySim bundles neither;
/// the user brings theirs with <c>--duis-dir</c> or <c>CAPACITYSIM_DUIS_DIR</c>.
/// </summary>
public sealed class DuisMaterial
{
    /// <summary>The environment variable naming the DUIS material folder.</summary>
    public const string EnvironmentVariable = "CAPACITYSIM_DUIS_DIR";

    /// <summary>File name of the DUIS schema inside <c>schema/</c>.</summary>
    public const string SchemaFileName = "DUIS Schema V5.4.xsd";

    private DuisMaterial(string root) => Root = root;

    /// <summary>The folder itself.</summary>
    public string Root { get; }

    /// <summary>The schema folder.</summary>
    public string SchemaDirectory => Path.Combine(Root, "schema");

    /// <summary>The keys folder.</summary>
    public string KeysDirectory => Path.Combine(Root, "keys");

    /// <summary>True when the DUIS schema is present.</summary>
    public bool HasSchema => File.Exists(Path.Combine(SchemaDirectory, SchemaFileName));

    /// <summary>True when the keys folder is present.</summary>
    public bool HasKeys => Directory.Exists(KeysDirectory);

    /// <summary>
    /// Opens the folder given explicitly, else the one named by <see cref="EnvironmentVariable"/>, else returns null
    /// (the caller then works with its own generated test PKI and without schema validation).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder named does not exist or holds neither schema/ nor keys/.</exception>
    public static DuisMaterial? Locate(string? explicitDirectory)
    {
        var dir = explicitDirectory;
        var source = "--duis-dir";
        if (string.IsNullOrWhiteSpace(dir))
        {
            dir = Environment.GetEnvironmentVariable(EnvironmentVariable);
            source = EnvironmentVariable;
        }

        if (string.IsNullOrWhiteSpace(dir))
        {
            return null;
        }

        return Open(dir, source);
    }

    /// <summary>Opens a DUIS material folder, checking that it has <c>schema/</c> or <c>keys/</c>.</summary>
    public static DuisMaterial Open(string directory, string source = "DUIS material")
    {
        ArgumentNullException.ThrowIfNull(directory);
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"{source}: folder '{full}' does not exist.");
        }

        var material = new DuisMaterial(full);
        if (!material.HasSchema && !material.HasKeys)
        {
            throw new DirectoryNotFoundException(
                $"{source}: folder '{full}' holds neither schema/{SchemaFileName} nor keys/; expected a folder laid out like DCC Boxed's DUIS material.");
        }

        return material;
    }
}
