namespace CapacitySim.Dcc.Validation;

/// <summary>
/// Counts of validation outcomes by <see cref="ValidationReason"/>: incremented lock-free from any thread, read as a
/// <see cref="Snapshot"/> for metrics.
/// </summary>
public sealed class ValidationCounters
{
    // One cache line (8 longs) per reason, so that threads counting different reasons do not contend on a line.
    private const int Stride = 8;

    private static readonly int ReasonCount = Enum.GetValues<ValidationReason>().Length;

    private readonly long[] counts = new long[ReasonCount * Stride];

    /// <summary>Number of requests accepted.</summary>
    public long Accepted => Volatile.Read(ref counts[0]);

    /// <summary>Number of requests refused for <paramref name="reason"/> (accepted ones for <see cref="ValidationReason.Accepted"/>).</summary>
    public long this[ValidationReason reason] => Volatile.Read(ref counts[(int)reason * Stride]);

    /// <summary>Number of requests refused for any reason.</summary>
    public long Rejected
    {
        get
        {
            long total = 0;
            for (var r = 1; r < ReasonCount; r++)
            {
                total += Volatile.Read(ref counts[r * Stride]);
            }

            return total;
        }
    }

    /// <summary>Counts one outcome.</summary>
    public void Increment(ValidationReason reason) => Interlocked.Increment(ref counts[(int)reason * Stride]);

    /// <summary>A copy of every count, indexed by <see cref="ValidationReason"/>.</summary>
    public ValidationCountsSnapshot Snapshot()
    {
        var copy = new long[ReasonCount];
        for (var r = 0; r < ReasonCount; r++)
        {
            copy[r] = Volatile.Read(ref counts[r * Stride]);
        }

        return new ValidationCountsSnapshot(copy);
    }
}

/// <summary>Validation counts at one moment.</summary>
public sealed class ValidationCountsSnapshot
{
    private readonly long[] counts;

    internal ValidationCountsSnapshot(long[] counts) => this.counts = counts;

    /// <summary>Requests accepted.</summary>
    public long Accepted => counts[0];

    /// <summary>Requests refused, all reasons.</summary>
    public long Rejected
    {
        get
        {
            long total = 0;
            for (var r = 1; r < counts.Length; r++)
            {
                total += counts[r];
            }

            return total;
        }
    }

    /// <summary>The count for one reason.</summary>
    public long this[ValidationReason reason] => counts[(int)reason];

    /// <summary>Every reason with a non-zero count.</summary>
    public IEnumerable<KeyValuePair<ValidationReason, long>> NonZero()
    {
        for (var r = 0; r < counts.Length; r++)
        {
            if (counts[r] != 0)
            {
                yield return new KeyValuePair<ValidationReason, long>((ValidationReason)r, counts[r]);
            }
        }
    }
}
