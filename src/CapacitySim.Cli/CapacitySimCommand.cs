using System.CommandLine;

namespace CapacitySim.Cli;

/// <summary>The <c>capacitysim</c> command: one root to which every verb is added.</summary>
internal static class CapacitySimCommand
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("CapacitySim: DUIS service-request simulator and capacity tester for the GB smart metering system.");
        return root.Parse(args).Invoke();
    }
}
