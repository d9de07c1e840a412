using CapacitySim.Load.Results;

namespace CapacitySim.Load.Engine;

/// <summary>What a finished run produced.</summary>
/// <param name="Summary">Every figure of the run (also written as summary.json when an output folder was given).</param>
/// <param name="Files">The files written.</param>
public sealed record LoadRunResult(RunSummary Summary, IReadOnlyList<string> Files)
{
    /// <summary>True when every check of the scenario held.</summary>
    public bool Passed
    {
        get
        {
            foreach (var check in Summary.Checks)
            {
                if (!check.Passed)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
