namespace CapacitySim.Duis.Tests.Support;

/// <summary>
/// Allocation measurements for the zero-allocation tests. A measurement is repeated and the fewest bytes taken: a
/// one-off allocation of the runtime on the thread (tiered compilation, a first-time path) must not fail a test,
/// while an allocation of the code under test recurs in every attempt and still does.
/// </summary>
public static class Allocations
{
    /// <summary>The fewest bytes the current thread allocated over <paramref name="attempts"/> runs of <paramref name="measured"/>.</summary>
    public static long Fewest(Action measured, int attempts = 3)
    {
        ArgumentNullException.ThrowIfNull(measured);
        return Fewest(
            () =>
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                measured();
                return GC.GetAllocatedBytesForCurrentThread() - before;
            },
            attempts);
    }

    /// <summary>The fewest of the byte counts that <paramref name="attempt"/> measures itself (for measurements with unmeasured steps inside).</summary>
    public static long Fewest(Func<long> attempt, int attempts = 3)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var fewest = long.MaxValue;
        for (var i = 0; i < attempts; i++)
        {
            fewest = Math.Min(fewest, attempt());
        }

        return fewest;
    }
}
