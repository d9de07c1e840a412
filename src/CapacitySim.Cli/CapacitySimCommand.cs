using System.CommandLine;
using CapacitySim.Cli.Dcc;
using CapacitySim.Cli.Duis;

namespace CapacitySim.Cli;

/// <summary>The <c>capacitysim</c> command: one root to which every verb is added.</summary>
internal static class CapacitySimCommand
{
    public static int Run(string[] args) => Run(args, CliConsole.System);

    public static int Run(string[] args, CliConsole console)
    {
        var root = Build(console);
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                // Commands that run until stopped (dcc) handle Ctrl-C and SIGTERM themselves: they drain before exiting,
                // which takes longer than System.CommandLine's grace period before it forces exit code 130.
                ProcessTerminationTimeout = null,
            });
        }
        catch (CliException ex)
        {
            console.Error.WriteLine($"capacitysim: {ex.Message}");
            return 2;
        }
    }

    public static RootCommand Build(CliConsole console)
    {
        var duisDir = new Option<string?>("--duis-dir")
        {
            Description = "Folder of DUIS material laid out like DCC Boxed's (schema/, keys/); default: $CAPACITYSIM_DUIS_DIR. Without it CapacitySim uses its own test PKI and cannot validate against the schema.",
            Recursive = true,
        };
        var pkiDir = new Option<string?>("--pki-dir")
        {
            Description = "Folder where CapacitySim keeps the test PKI it generates when no DUIS material is given (default: $XDG_CACHE_HOME/capacitysim/pki, else ~/.local/share/capacitysim/pki).",
            Recursive = true,
        };
        var root = new RootCommand("CapacitySim: DUIS service-request simulator and capacity tester for the GB smart metering system.")
        {
            duisDir, pkiDir,
        };
        var material = new MaterialOptions(duisDir, pkiDir);
        var duis = new Command("duis", "DUIS message tools: write example messages, inspect received ones.")
        {
            DuisSampleCommand.Create(material, console),
            DuisInspectCommand.Create(material, console),
            DuisSubmitCommand.Create(console),
        };
        root.Subcommands.Add(duis);
        root.Subcommands.Add(DccCommand.Create(material, console));
        root.Subcommands.Add(global::CapacitySim.Cli.Run.RunCommand.Create(material, console));
        root.Subcommands.Add(Validate.ValidateCommand.Create(console));
        root.Subcommands.Add(Report.ReportCommand.Create(console));
        root.Subcommands.Add(Gate.GateCommand.Create(console));
        root.Subcommands.Add(Capture.CaptureStatsCommand.Create(console));
        root.Subcommands.Add(Capture.ReplayCommand.Create(console));
        return root;
    }
}

/// <summary>The global options that choose the DUIS material and the test PKI folder.</summary>
internal sealed record MaterialOptions(Option<string?> DuisDir, Option<string?> PkiDir)
{
    public DuisEnvironment Open(ParseResult parse) => DuisEnvironment.Open(parse.GetValue(DuisDir), parse.GetValue(PkiDir));
}
