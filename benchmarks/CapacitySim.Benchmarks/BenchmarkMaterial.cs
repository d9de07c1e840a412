namespace CapacitySim.Benchmarks;

/// <summary>
/// Finds the shared DUIS material beside the repository: BenchmarkDotNet runs its jobs from folders inside the
/// repository, so walk up from there (or from the binaries) to the folder holding CapacitySim.sln, then ../shared/duis.
/// </summary>
internal static class BenchmarkMaterial
{
    public static string SharedDuis()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CapacitySim.sln")))
                {
                    return Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared", "duis");
                }
            }
        }

        throw new InvalidOperationException($"CapacitySim.sln not found above '{Directory.GetCurrentDirectory()}'; run the benchmarks from inside the repository.");
    }

    public static string Sample(string folder, string name) => Path.Combine(SharedDuis(), "samples", folder, name);
}
