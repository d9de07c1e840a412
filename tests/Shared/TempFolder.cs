namespace CapacitySim.Duis.Tests.Support;

/// <summary>A folder of a test's own under the system temp folder, deleted with what it holds when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates a folder named capacitysim-tests-…; the form xUnit class fixtures need.</summary>
    public TempFolder()
        : this("capacitysim-tests")
    {
    }

    /// <summary>Creates the folder, its name starting with <paramref name="prefix"/>.</summary>
    /// <remarks>Internal (the file is compiled into each test assembly): an xUnit class fixture may have one public constructor only.</remarks>
    internal TempFolder(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
