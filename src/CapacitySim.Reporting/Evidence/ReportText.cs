using System.Globalization;
using System.Text;
using System.Xml;

namespace CapacitySim.Reporting.Evidence;

/// <summary>
/// Formatting and escaping shared by the HTML, Markdown and JUnit writers. Every string taken from a summary passes
/// through one of the escapers: a scenario name is user input and must never become markup.
/// </summary>
internal static class ReportText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A count with thousands separators (12,345).</summary>
    public static string Count(long value) => value.ToString("N0", Invariant);

    /// <summary>A share (0…1) as a percentage with up to <paramref name="decimals"/> decimals.</summary>
    public static string Percent(double share, int decimals = 2)
        => (share * 100).ToString(decimals switch { 0 => "0", 1 => "0.#", 2 => "0.##", _ => "0.###" }, Invariant) + "%";

    /// <summary>A share that may be absent.</summary>
    public static string Percent(double? share) => share is { } s ? Percent(s) : "n/a";

    /// <summary>
    /// A check's threshold in the unit its measured value is shown in (30 s, 96%, 45/s, 5,000), read from the form of
    /// <see cref="Load.Results.CheckOutcome.MeasuredText"/>; the bare number when that form is not recognised.
    /// </summary>
    public static string Threshold(Load.Results.CheckOutcome check)
    {
        var text = (check.MeasuredText ?? string.Empty).Trim();
        var value = check.Threshold;
        if (text.EndsWith("/s", StringComparison.Ordinal))
        {
            return Rate(value);
        }

        if (text.EndsWith('%'))
        {
            return Percent(value, 3);
        }

        if (text.EndsWith(" ms", StringComparison.Ordinal) || text.EndsWith(" s", StringComparison.Ordinal) || text.EndsWith(" min", StringComparison.Ordinal) || text.EndsWith(" h", StringComparison.Ordinal))
        {
            return Milliseconds(value);
        }

        return text.Length > 0 && char.IsAsciiDigit(text[^1]) && value == Math.Floor(value) && Math.Abs(value) < long.MaxValue ? Count((long)value) : Number(value);
    }

    /// <summary>A plain number with up to six decimals: exact enough to quote a measured share (0.9573) as recorded.</summary>
    public static string Number(double value) => value.ToString("0.######", Invariant);

    /// <summary>A coordinate in an SVG: one decimal is finer than a pixel.</summary>
    public static string Coordinate(double value) => value.ToString("0.#", Invariant);

    /// <summary>A rate per second.</summary>
    public static string Rate(double perSecond) => perSecond.ToString(perSecond >= 100 ? "0" : "0.##", Invariant) + "/s";

    /// <summary>A duration in milliseconds as a person reads it: 412 ms, 2.35 s, 4.5 min, 2.1 h.</summary>
    public static string Milliseconds(double ms)
    {
        if (double.IsNaN(ms) || double.IsInfinity(ms))
        {
            return "n/a";
        }

        var abs = Math.Abs(ms);
        if (abs < 1000)
        {
            return ms.ToString(abs < 10 ? "0.##" : "0", Invariant) + " ms";
        }

        if (abs < 1000 * 120)
        {
            return (ms / 1000).ToString(abs < 10_000 ? "0.##" : "0.#", Invariant) + " s";
        }

        if (abs < 1000 * 60 * 120)
        {
            return (ms / 60_000).ToString("0.#", Invariant) + " min";
        }

        return (ms / 3_600_000).ToString("0.##", Invariant) + " h";
    }

    /// <summary>A duration that may be absent.</summary>
    public static string Milliseconds(double? ms) => ms is { } v ? Milliseconds(v) : "none";

    /// <summary>A wall-clock span as a person reads it (1h 02m 05s).</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Span(span.Negate());
        }

        return span.TotalHours >= 1
            ? string.Create(Invariant, $"{(int)span.TotalHours}h {span.Minutes:00}m {span.Seconds:00}s")
            : span.TotalMinutes >= 1
                ? string.Create(Invariant, $"{span.Minutes}m {span.Seconds:00}s")
                : string.Create(Invariant, $"{span.TotalSeconds:0.###}s");
    }

    /// <summary>A timestamp in ISO 8601 with offset.</summary>
    public static string Timestamp(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss zzz", Invariant);

    /// <summary>Removes characters XML cannot carry (control characters, lone surrogates), so every writer can emit the text.</summary>
    public static string XmlSafe(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (XmlConvert.IsXmlChar(c))
            {
                clean?.Append(c);
                continue;
            }

            clean ??= new StringBuilder(text.Length).Append(text, 0, i);
            clean.Append('\uFFFD');
        }

        return clean?.ToString() ?? text;
    }

    /// <summary>Text for HTML (and XHTML) content or a quoted attribute value.</summary>
    public static string Html(string? text)
    {
        var safe = XmlSafe(text);
        var builder = new StringBuilder(safe.Length + 16);
        foreach (var c in safe)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Text for a Markdown table cell or paragraph: Markdown punctuation is backslash-escaped, angle brackets and
    /// ampersands become entities (renderers pass raw HTML through), and line breaks become spaces (a row is one line).
    /// </summary>
    public static string Markdown(string? text)
    {
        var safe = XmlSafe(text);
        var builder = new StringBuilder(safe.Length + 16);
        foreach (var c in safe)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '\r' or '\n' or '\t': builder.Append(' '); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '#' or '!' or '{' or '}' or '~':
                    builder.Append('\\').Append(c);
                    break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A lower-case identifier of letters, digits and hyphens (for <c>data-chart</c> and anchors).</summary>
    public static string Slug(string? text)
    {
        var builder = new StringBuilder();
        var hyphen = false;
        foreach (var c in text ?? string.Empty)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                hyphen = false;
            }
            else if (!hyphen && builder.Length > 0)
            {
                builder.Append('-');
                hyphen = true;
            }
        }

        return builder.ToString().TrimEnd('-');
    }

    /// <summary>Orders Service Reference Variants numerically (4.1.1 before 4.10), anything else after them by text.</summary>
    public static int CompareSrv(string? a, string? b)
    {
        var x = (a ?? string.Empty).Split('.');
        var y = (b ?? string.Empty).Split('.');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var xNumber = int.TryParse(x[i], NumberStyles.None, Invariant, out var xi);
            var yNumber = int.TryParse(y[i], NumberStyles.None, Invariant, out var yi);
            var order = xNumber && yNumber ? xi.CompareTo(yi) : xNumber ? -1 : yNumber ? 1 : string.CompareOrdinal(x[i], y[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return x.Length.CompareTo(y.Length);
    }
}
