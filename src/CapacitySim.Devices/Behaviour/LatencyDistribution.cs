namespace CapacitySim.Devices.Behaviour;

/// <summary>
/// A device response latency distribution: log-normal from its median and 95th percentile, or a table of percentiles
/// interpolated linearly. Sampled by inverse transform from one uniform draw, so a counter-based draw gives the same
/// latency on every run.
/// </summary>
public sealed class LatencyDistribution
{
    /// <summary>The standard normal quantile of 0.95.</summary>
    internal const double Z95 = 1.6448536269514722;

    private readonly double mu;
    private readonly double sigma;
    private readonly double[]? percentiles;
    private readonly double[]? seconds;

    private LatencyDistribution(double mu, double sigma, double[]? percentiles, double[]? seconds)
    {
        this.mu = mu;
        this.sigma = sigma;
        this.percentiles = percentiles;
        this.seconds = seconds;
    }

    /// <summary>True for a log-normal distribution, false for a percentile table.</summary>
    public bool IsLogNormal => percentiles is null;

    /// <summary>
    /// A log-normal distribution with the given median and 95th percentile (p95 ≥ median &gt; 0; equal values give a
    /// fixed latency).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The median is not positive or the p95 is below it.</exception>
    public static LatencyDistribution LogNormal(TimeSpan median, TimeSpan p95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(median, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(p95, median);
        var m = Math.Log(median.TotalSeconds);
        return new LatencyDistribution(m, (Math.Log(p95.TotalSeconds) - m) / Z95, null, null);
    }

    /// <summary>
    /// A distribution given by latencies at percentiles (0 to 100, strictly increasing, starting at 0 and ending at 100;
    /// latencies non-decreasing and not negative), interpolated linearly between them.
    /// </summary>
    /// <exception cref="ArgumentException">The table breaks one of the rules above.</exception>
    public static LatencyDistribution FromPercentiles(IReadOnlyList<(double Percentile, TimeSpan Latency)> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var error = CheckTable(table);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(table));
        }

        var p = new double[table.Count];
        var s = new double[table.Count];
        for (var i = 0; i < table.Count; i++)
        {
            p[i] = table[i].Percentile / 100.0;
            s[i] = table[i].Latency.TotalSeconds;
        }

        return new LatencyDistribution(0, 0, p, s);
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0 ≤ q &lt; 1).</summary>
    public TimeSpan Quantile(double q) => TimeSpan.FromSeconds(QuantileSeconds(q));

    /// <summary>Why a percentile table is invalid, or null when it is valid.</summary>
    internal static string? CheckTable(IReadOnlyList<(double Percentile, TimeSpan Latency)> table)
    {
        if (table.Count < 2 || table[0].Percentile != 0 || table[^1].Percentile != 100)
        {
            return "a percentile table needs at least two rows, the first at percentile 0 and the last at 100";
        }

        for (var i = 1; i < table.Count; i++)
        {
            if (!(table[i].Percentile > table[i - 1].Percentile))
            {
                return "percentiles must increase strictly";
            }

            if (table[i].Latency < table[i - 1].Latency)
            {
                return "latencies must not decrease as the percentile rises";
            }
        }

        return table[0].Latency < TimeSpan.Zero ? "latencies must not be negative" : null;
    }

    internal double QuantileSeconds(double q)
    {
        if (percentiles is null)
        {
            return sigma == 0 ? Math.Exp(mu) : Math.Exp(mu + (sigma * NormalQuantile(q)));
        }

        var p = percentiles;
        var s = seconds!;
        var i = 1;
        while (i < p.Length - 1 && q > p[i])
        {
            i++;
        }

        var f = (q - p[i - 1]) / (p[i] - p[i - 1]);
        return s[i - 1] + (f * (s[i] - s[i - 1]));
    }

    /// <summary>
    /// The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9), clamped away from
    /// 0 and 1 so the result stays finite.
    /// </summary>
    internal static double NormalQuantile(double p)
    {
        p = Math.Clamp(p, 1e-300, 1 - 1e-16);
        const double pLow = 0.02425;
        if (p < pLow)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
        }

        if (p > 1 - pLow)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
        }

        {
            var q = p - 0.5;
            var r = q * q;
            return (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
        }
    }
}
