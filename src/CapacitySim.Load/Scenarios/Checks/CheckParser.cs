using System.Globalization;
using CapacitySim.Devices.Configuration;

namespace CapacitySim.Load.Scenarios;

/// <summary>A check that does not parse: what is wrong and where in the check text.</summary>
/// <param name="Column">1-based column in the check text.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public readonly record struct CheckParseError(int Column, string Message);

/// <summary>
/// Parses checks, the expressions that decide whether a run passes.
/// </summary>
/// <remarks>
/// Grammar (spaces are allowed between tokens):
/// <code>
/// check      = metric operator value
/// metric     = percentile "(" selector ")"          p50(transform), p99.9(on_demand)
///            | "within_trt" "(" selector ")"         share of responses within their category's TRT
///            | "throughput" [ "(" selector ")" ]     responses per second of scenario time (all categories by default)
///            | counter                               errors, dropped, late, timeouts, late_device_successes, …
/// percentile = "p" number                            0 &lt; number &lt;= 100
/// selector   = name { ("+" | ",") name }             category or group names, taken together
/// operator   = "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "==" | "!="
/// value      = number [ unit ]
/// unit       = "ms" | "s" | "m" | "h"                percentiles only, and required there
///            | "%"                                   within_trt (or a bare share 0–1); a counter's share of its base
///            | "/s" | "/m" | "/h"                    throughput (a bare number is per second)
/// </code>
/// A counter with a bare number compares the count (<c>dropped == 0</c>); with a percentage it compares the share of
/// its base (<c>errors &lt; 0.1%</c> is errors over responses; see <see cref="CheckCounters.BaseOf"/>).
/// </remarks>
public static class CheckParser
{
    /// <summary>Parses a check or throws a <see cref="FormatException"/> with the column.</summary>
    public static CheckExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var check, out var error)
            ? check
            : throw new FormatException($"Check '{text}', column {error.Column}: {error.Message}");
    }

    /// <summary>Parses a check; on failure <paramref name="error"/> says what is wrong and at which column.</summary>
    public static bool TryParse(string text, out CheckExpression check, out CheckParseError error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        try
        {
            check = parser.Check();
            error = default;
            return true;
        }
        catch (FormatException)
        {
            check = null!;
            error = parser.Failure;
            return false;
        }
    }

    private enum MetricKind
    {
        Percentile,
        WithinTrt,
        Throughput,
        Counter,
    }

    private sealed class Parser(string text)
    {
        private int at;

        public CheckParseError Failure { get; private set; }

        public CheckExpression Check()
        {
            Skip();
            var metricStart = at;
            var name = Word();
            if (name.Length == 0)
            {
                Fail(metricStart, text.Length == 0 || at >= text.Length
                    ? "The check is empty: write a metric, an operator and a value, for example p99(on_demand) < 30s."
                    : $"Expected a metric (p99(…), within_trt(…), throughput or a counter such as errors), found '{text[at]}'.");
            }

            MetricKind kind;
            double percentile = 0;
            var counter = CheckCounter.Errors;
            var categories = PerformanceCategorySet.All;
            if (name.Length > 1 && name[0] == 'p' && char.IsAsciiDigit(name[1]))
            {
                if (!double.TryParse(name.AsSpan(1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out percentile)
                    || percentile is <= 0 or > 100)
                {
                    Fail(metricStart, $"'{name}' is not a percentile: write p followed by a number above 0 and up to 100 (p50, p99, p99.9).");
                }

                kind = MetricKind.Percentile;
                categories = Selector(required: true);
            }
            else if (name == "within_trt")
            {
                kind = MetricKind.WithinTrt;
                categories = Selector(required: true);
            }
            else if (name == "throughput")
            {
                kind = MetricKind.Throughput;
                categories = Selector(required: false);
            }
            else if (CheckCounters.TryParse(name, out counter))
            {
                kind = MetricKind.Counter;
            }
            else
            {
                Fail(metricStart, $"Unknown metric '{name}' (expected p50…p99.9(…), within_trt(…), throughput or one of {string.Join(", ", CheckCounters.All)}).");
                return null!;
            }

            Skip();
            var op = Operator();
            Skip();
            var valueStart = at;
            var value = NumberToken();
            var unitStart = at;
            var unit = Unit();
            Skip();
            if (at < text.Length)
            {
                Fail(at, $"Unexpected '{text[at..]}' after the value.");
            }

            switch (kind)
            {
                case MetricKind.Percentile:
                    if (DurationUnit(unit) is not { } ticks)
                    {
                        Fail(unitStart, unit.Length == 0
                            ? "A latency needs a unit: ms, s, m or h (for example 30s)."
                            : $"'{unit}' is not a unit of time for a latency (expected ms, s, m or h).");
                        return null!;
                    }

                    return new PercentileCheck(text, categories, percentile, op, TimeSpan.FromTicks((long)Math.Round(value * ticks)));
                case MetricKind.WithinTrt:
                    var share = unit switch
                    {
                        "%" => value / 100,
                        "" => value,
                        _ => Fail<double>(unitStart, $"'{unit}' is not a unit for a share: write a percentage (99%) or a share from 0 to 1."),
                    };
                    if (share > 1)
                    {
                        Fail(valueStart, unit == "%" ? "A share cannot be above 100%." : "A bare share is from 0 to 1: write 99% or 0.99.");
                    }

                    return new WithinTrtCheck(text, categories, op, share);
                case MetricKind.Throughput:
                    var perSecond = unit switch
                    {
                        "/s" or "" => value,
                        "/m" => value / 60,
                        "/h" => value / 3600,
                        _ => Fail<double>(unitStart, $"'{unit}' is not a unit for throughput (expected /s, /m or /h)."),
                    };
                    return new ThroughputCheck(text, categories, op, perSecond);
                default:
                    if (unit == "%")
                    {
                        if (CheckCounters.BaseOf(counter) is null)
                        {
                            Fail(unitStart, $"'{name}' is a total, not a share of anything: compare it with a count (for example {name} > 0).");
                        }

                        if (value > 100)
                        {
                            Fail(valueStart, "A share cannot be above 100%.");
                        }

                        return new CounterCheck(text, counter, asShare: true, op, value / 100);
                    }

                    if (unit.Length > 0)
                    {
                        Fail(unitStart, $"'{unit}' is not a unit for a count: write a number (dropped == 0) or a percentage (errors < 0.1%).");
                    }

                    return new CounterCheck(text, counter, asShare: false, op, value);
            }
        }

        private PerformanceCategorySet Selector(bool required)
        {
            Skip();
            if (at >= text.Length || text[at] != '(')
            {
                if (required)
                {
                    Fail(at, "Expected '(' and the categories to measure, for example (on_demand).");
                }

                return PerformanceCategorySet.All;
            }

            at++;
            var set = default(PerformanceCategorySet);
            while (true)
            {
                Skip();
                var start = at;
                var name = Word();
                if (name.Length == 0)
                {
                    Fail(start, "Expected a category or group name.");
                }

                if (!PerformanceCategories.TryParseSet(name, out var one))
                {
                    var all = new List<string>(PerformanceCategories.CategoryNames);
                    all.AddRange(PerformanceCategories.GroupNames);
                    var near = YamlFileReader.Suggest(name, all);
                    Fail(start, near is null
                        ? $"Unknown category '{name}' (expected one of {string.Join(", ", all)})."
                        : $"Unknown category '{name}': did you mean '{near}'?");
                }

                set = set.Union(one);
                Skip();
                if (at < text.Length && text[at] is '+' or ',')
                {
                    at++;
                    continue;
                }

                if (at < text.Length && text[at] == ')')
                {
                    at++;
                    return set;
                }

                Fail(at, "Expected ')' to close the categories, or '+' to add another.");
            }
        }

        private CheckOperator Operator()
        {
            var rest = text.AsSpan(at);
            (CheckOperator op, int length) = rest switch
            {
                _ when rest.StartsWith("<=") => (CheckOperator.LessOrEqual, 2),
                _ when rest.StartsWith(">=") => (CheckOperator.GreaterOrEqual, 2),
                _ when rest.StartsWith("==") => (CheckOperator.Equal, 2),
                _ when rest.StartsWith("!=") => (CheckOperator.NotEqual, 2),
                _ when rest.StartsWith("<") => (CheckOperator.Less, 1),
                _ when rest.StartsWith(">") => (CheckOperator.Greater, 1),
                _ => (CheckOperator.Less, 0),
            };
            if (length == 0)
            {
                Fail(at, at >= text.Length
                    ? "Expected an operator (<, <=, >, >=, == or !=) and a value after the metric."
                    : $"Expected an operator (<, <=, >, >=, == or !=), found '{text[at]}'.");
            }

            at += length;
            return op;
        }

        private double NumberToken()
        {
            var start = at;
            while (at < text.Length && (char.IsAsciiDigit(text[at]) || text[at] == '.'))
            {
                at++;
            }

            if (start == at || !double.TryParse(text.AsSpan(start, at - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                Fail(start, start >= text.Length ? "Expected a value after the operator." : $"Expected a number, found '{text[start..]}'.");
                return 0;
            }

            return value;
        }

        private string Unit()
        {
            var start = at;
            if (at < text.Length && text[at] == '%')
            {
                at++;
            }
            else
            {
                if (at < text.Length && text[at] == '/')
                {
                    at++;
                }

                while (at < text.Length && char.IsAsciiLetter(text[at]))
                {
                    at++;
                }
            }

            return text[start..at];
        }

        private static long? DurationUnit(string unit) => unit switch
        {
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            _ => null,
        };

        private string Word()
        {
            var start = at;
            while (at < text.Length && (char.IsAsciiLetterOrDigit(text[at]) || text[at] is '_' || (text[at] == '.' && at > start && text[start] == 'p')))
            {
                at++;
            }

            return text[start..at];
        }

        private void Skip()
        {
            while (at < text.Length && char.IsWhiteSpace(text[at]))
            {
                at++;
            }
        }

        private void Fail(int index, string message)
        {
            Failure = new CheckParseError(Math.Min(index, text.Length) + 1, message);
            throw new FormatException(message);
        }

        private T Fail<T>(int index, string message)
        {
            Fail(index, message);
            return default!;
        }
    }
}
