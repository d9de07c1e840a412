using System.Text.Json;
using System.Text.Json.Serialization;

namespace CapacitySim.Load.Results;

/// <summary>Writes and reads <c>summary.json</c>.</summary>
public static class RunSummaryJson
{
    /// <summary>The summary's file name in a result folder.</summary>
    public const string FileName = "summary.json";

    /// <summary>Writes the summary as indented UTF-8 JSON.</summary>
    public static void Write(RunSummary summary, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(summary);
        JsonSerializer.Serialize(destination, summary, RunSummaryJsonContext.Default.RunSummary);
    }

    /// <summary>Writes <c>summary.json</c> into <paramref name="folder"/> and returns its path.</summary>
    public static string WriteFile(RunSummary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        using var file = File.Create(path);
        Write(summary, file);
        return path;
    }

    /// <summary>Reads a summary back.</summary>
    public static RunSummary Read(Stream source)
        => JsonSerializer.Deserialize(source, RunSummaryJsonContext.Default.RunSummary)
            ?? throw new JsonException("summary.json holds null instead of a run summary.");
}

/// <summary>Source-generated serialisation of the summary: no reflection, and nulls are written so every property is always present.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class RunSummaryJsonContext : JsonSerializerContext;
