using System.Globalization;

namespace CapacitySim.LoadBench;

/// <summary><c>--name value</c> pairs; a missing required one ends the program with a message.</summary>
internal sealed class BenchArguments(string[] args)
{
    public string Text(string name) => Find(name) ?? throw new ArgumentException($"{name} is required.");

    public int Int(string name, int fallback) => Find(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Find(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private string? Find(string name)
    {
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
