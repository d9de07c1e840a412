using System.Globalization;
using CapacitySim.Devices.Time;

namespace CapacitySim.Load.Scenarios;

/// <summary>How a check compares the measured value with its threshold.</summary>
public enum CheckOperator : byte
{
    /// <summary><c>&lt;</c></summary>
    Less = 0,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,

    /// <summary><c>==</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,
}

/// <summary>The outcome of a check.</summary>
/// <param name="Passed">True when the measured value met the threshold.</param>
/// <param name="Actual">The measured value (seconds for latencies, 0–1 for shares, a count, or per second), or null when nothing was measured.</param>
/// <param name="Description">One line for reports: <c>p99(on_demand) = 12.4s (needs &lt; 30s): pass</c>.</param>
public readonly record struct CheckResult(bool Passed, double? Actual, string Description);

/// <summary>
/// A parsed check (<see cref="CheckParser"/>): a measured value, an operator and a threshold. A check with nothing to
/// measure (no responses in its categories) fails, because a gate that passes on no traffic proves nothing.
/// </summary>
public abstract class CheckExpression
{
    private protected CheckExpression(string text, CheckOperator op)
    {
        Text = text;
        Operator = op;
    }

    /// <summary>The check as written.</summary>
    public string Text { get; }

    /// <summary>The comparison.</summary>
    public CheckOperator Operator { get; }

    /// <summary>Evaluates the check against what a run measured.</summary>
    public abstract CheckResult Evaluate(ICheckContext context);

    /// <summary>The operator as written.</summary>
    public static string Symbol(CheckOperator op) => op switch
    {
        CheckOperator.Less => "<",
        CheckOperator.LessOrEqual => "<=",
        CheckOperator.Greater => ">",
        CheckOperator.GreaterOrEqual => ">=",
        CheckOperator.Equal => "==",
        _ => "!=",
    };

    private protected static bool Compare(double actual, CheckOperator op, double threshold) => op switch
    {
        CheckOperator.Less => actual < threshold,
        CheckOperator.LessOrEqual => actual <= threshold,
        CheckOperator.Greater => actual > threshold,
        CheckOperator.GreaterOrEqual => actual >= threshold,
        CheckOperator.Equal => actual == threshold,
        _ => actual != threshold,
    };

    private protected CheckResult Result(double? actual, string actualText, string thresholdText)
    {
        if (actual is not { } value)
        {
            return new CheckResult(false, null, $"{Text}: nothing measured (needs {Symbol(Operator)} {thresholdText}): fail");
        }

        var passed = Compare(value, Operator, Threshold);
        return new CheckResult(passed, value, $"{Text}: {actualText} (needs {Symbol(Operator)} {thresholdText}): {(passed ? "pass" : "fail")}");
    }

    /// <summary>The threshold in the unit <see cref="CheckResult.Actual"/> is given in.</summary>
    public abstract double Threshold { get; }

    private protected static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary><c>p99(on_demand) &lt; 30s</c>: a latency percentile of a set of categories.</summary>
public sealed class PercentileCheck : CheckExpression
{
    internal PercentileCheck(string text, PerformanceCategorySet categories, double percentile, CheckOperator op, TimeSpan limit)
        : base(text, op)
    {
        Categories = categories;
        Percentile = percentile;
        Limit = limit;
    }

    /// <summary>The categories measured together.</summary>
    public PerformanceCategorySet Categories { get; }

    /// <summary>The percentile, 0 to 100 (p99.9 is 99.9).</summary>
    public double Percentile { get; }

    /// <summary>The threshold latency.</summary>
    public TimeSpan Limit { get; }

    /// <inheritdoc/>
    public override double Threshold => Limit.TotalSeconds;

    /// <inheritdoc/>
    public override CheckResult Evaluate(ICheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var measured = context.Percentile(Categories, Percentile);
        return Result(measured?.TotalSeconds, measured is { } m ? DurationText.Format(m) : string.Empty, DurationText.Format(Limit));
    }
}

/// <summary><c>within_trt(on_demand) &gt;= 99%</c>: the share of responses within their TRT.</summary>
public sealed class WithinTrtCheck : CheckExpression
{
    internal WithinTrtCheck(string text, PerformanceCategorySet categories, CheckOperator op, double share)
        : base(text, op)
    {
        Categories = categories;
        Share = share;
    }

    /// <summary>The categories measured together.</summary>
    public PerformanceCategorySet Categories { get; }

    /// <summary>The threshold share, 0 to 1.</summary>
    public double Share { get; }

    /// <inheritdoc/>
    public override double Threshold => Share;

    /// <inheritdoc/>
    public override CheckResult Evaluate(ICheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var measured = context.WithinTrt(Categories);
        return Result(measured, measured is { } m ? Number(m * 100) + "%" : string.Empty, Number(Share * 100) + "%");
    }
}

/// <summary><c>errors &lt; 0.1%</c> (a share of the counter's base) or <c>dropped == 0</c> (a count).</summary>
public sealed class CounterCheck : CheckExpression
{
    internal CounterCheck(string text, CheckCounter counter, bool asShare, CheckOperator op, double threshold)
        : base(text, op)
    {
        Counter = counter;
        AsShare = asShare;
        Threshold = threshold;
    }

    /// <summary>The counter.</summary>
    public CheckCounter Counter { get; }

    /// <summary>True when the check compares the counter's share of its base (0 to 1), false for the count itself.</summary>
    public bool AsShare { get; }

    /// <inheritdoc/>
    public override double Threshold { get; }

    /// <inheritdoc/>
    public override CheckResult Evaluate(ICheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var count = context.Count(Counter);
        if (!AsShare)
        {
            return Result(count, Number(count), Number(Threshold));
        }

        var total = context.Count(CheckCounters.BaseOf(Counter)!.Value);
        double? share = total == 0 ? null : (double)count / total;
        return Result(share, share is { } s ? $"{Number(s * 100)}% ({count} of {total})" : string.Empty, Number(Threshold * 100) + "%");
    }
}

/// <summary><c>throughput &gt;= 50/s</c>: responses per second of scenario time.</summary>
public sealed class ThroughputCheck : CheckExpression
{
    internal ThroughputCheck(string text, PerformanceCategorySet categories, CheckOperator op, double perSecond)
        : base(text, op)
    {
        Categories = categories;
        PerSecond = perSecond;
    }

    /// <summary>The categories counted (all unless the check names some).</summary>
    public PerformanceCategorySet Categories { get; }

    /// <summary>The threshold, per second.</summary>
    public double PerSecond { get; }

    /// <inheritdoc/>
    public override double Threshold => PerSecond;

    /// <inheritdoc/>
    public override CheckResult Evaluate(ICheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var measured = context.Throughput(Categories);
        return Result(measured, Number(measured) + "/s", Number(PerSecond) + "/s");
    }
}
