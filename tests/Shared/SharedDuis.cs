namespace CapacitySim.Duis.Tests.Support;

/// <summary>Finds the shared DUIS material: <c>../shared/duis</c> relative to the repository root.</summary>
public static class SharedDuis
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root (the folder holding CapacitySim.sln).</summary>
    public static string RepositoryRoot => Path.GetDirectoryName(RootPath.Value)!;

    /// <summary><c>../shared/duis</c> beside the repository.</summary>
    public static string Directory => Path.Combine(Path.GetDirectoryName(RepositoryRoot)!, "shared", "duis");

    /// <summary>The shared material as a <see cref="DuisMaterial"/>.</summary>
    public static DuisMaterial Material => DuisMaterial.Open(Directory);

    /// <summary>Sample requests folder.</summary>
    public static string RequestSamples => Path.Combine(Directory, "samples", "requests");

    /// <summary>Signed sample requests folder.</summary>
    public static string SignedSamples => Path.Combine(Directory, "samples", "signed");

    /// <summary>Sample responses folder.</summary>
    public static string ResponseSamples => Path.Combine(Directory, "samples", "responses");

    /// <summary>Keys folder.</summary>
    public static string Keys => Path.Combine(Directory, "keys");

    /// <summary>Every sample request file, sorted, as xUnit member data.</summary>
    public static TheoryData<string> RequestSampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in System.IO.Directory.GetFiles(RequestSamples).OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var sln = Path.Combine(dir.FullName, "CapacitySim.sln");
            if (File.Exists(sln))
            {
                return sln;
            }

            dir = dir.Parent;
        }

        throw new InvalidOperationException($"CapacitySim.sln not found above {AppContext.BaseDirectory}.");
    }
}
