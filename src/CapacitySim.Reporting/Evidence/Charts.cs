using System.Globalization;
using CapacitySim.Load.Results;
using static CapacitySim.Reporting.Evidence.ReportText;

namespace CapacitySim.Reporting.Evidence;

/// <summary>One chart of the report: the <c>data-chart</c> id a checker counts, the SVG, and a caption in words.</summary>
internal sealed record Chart(string Id, string Svg, string Caption);

/// <summary>The report's charts, drawn as inline SVG.</summary>
internal static class Charts
{
    public const string Ink = "#1a202c";
    public const string Muted = "#4a5568";
    public const string Grid = "#e2e8f0";
    public const string Navy = "#1f3a5f";
    public const string Blue = "#2b6cb0";
    public const string LightBlue = "#90cdf4";
    public const string Green = "#2f855a";
    public const string Amber = "#c05621";
    public const string Red = "#c53030";
    public const string Grey = "#a0aec0";

    private static readonly string[] PercentileLabels = ["p50", "p90", "p99", "p99.9", "max"];

    /// <summary>Corrected and uncorrected percentiles of one category on a log scale, with its TRT as a line.</summary>
    public static Chart Latency(CategorySummary category, string id)
    {
        const double width = 540, height = 290, left = 72, right = width - 74, top = 44, bottom = height - 46;
        double[] corrected = [category.Corrected.P50, category.Corrected.P90, category.Corrected.P99, category.Corrected.P999, category.Corrected.Max];
        double[] uncorrected = [category.Uncorrected.P50, category.Uncorrected.P90, category.Uncorrected.P99, category.Uncorrected.P999, category.Uncorrected.Max];
        var trt = category.TrtMs is > 0 ? category.TrtMs : null;
        var positive = corrected.Concat(uncorrected).Append(trt ?? 0).Where(v => v > 0).DefaultIfEmpty(1).ToList();
        var ticks = TimeTicks(positive.Min(), positive.Max());
        var low = Math.Log10(ticks[0]);
        var high = Math.Log10(ticks[^1]);

        double Y(double value) => bottom - ((Math.Log10(Math.Max(value, ticks[0])) - low) / (high - low) * (bottom - top));

        double X(int index) => left + 30 + (index * (right - left - 60) / (PercentileLabels.Length - 1));

        var svg = new Svg(width, height, $"Latency percentiles of {category.Name} against its TRT");
        svg.Rect(0, 0, width, height, "#ffffff");
        if (trt is { } t)
        {
            // Everything above the TRT line is outside the target response time.
            svg.Rect(left, top, right - left, Y(t) - top, "#fff5f5");
        }

        foreach (var tick in ticks)
        {
            svg.Line(left, Y(tick), right, Y(tick), Grid);
            svg.Text(left - 8, Y(tick) + 4, Milliseconds(tick), "end", "tick");
        }

        svg.Line(left, top, left, bottom, Muted).Line(left, bottom, right, bottom, Muted);
        for (var i = 0; i < PercentileLabels.Length; i++)
        {
            svg.Text(X(i), bottom + 18, PercentileLabels[i], "middle", "tick");
        }

        svg.Text(16, (top + bottom) / 2, "latency (log scale)", "middle", "axis", rotate: -90);
        if (trt is { } trtMs)
        {
            var y = Y(trtMs);
            svg.Line(left, y, right, y, Red, 2, "6 4", "trt-line", $"data-trt-ms=\"{Number(trtMs)}\"");
            // The label sits right of the plot, where no percentile label can cover it.
            svg.Text(right + 6, y - 2, "TRT", "start", "trt-label", Red).Text(right + 6, y + 12, Milliseconds(trtMs), "start", "trt-label", Red);
        }

        svg.Polyline([.. uncorrected.Select((v, i) => (X(i), Y(v)))], Grey, 2, "4 3", "series-uncorrected");
        for (var i = 0; i < uncorrected.Length; i++)
        {
            svg.Circle(X(i), Y(uncorrected[i]), 3, Grey, $"uncorrected {PercentileLabels[i]}: {Milliseconds(uncorrected[i])}");
        }

        svg.Polyline([.. corrected.Select((v, i) => (X(i), Y(v)))], Navy, 2.5, cssClass: "series-corrected");
        for (var i = 0; i < corrected.Length; i++)
        {
            var over = trt is { } limit && corrected[i] > limit;
            svg.Circle(X(i), Y(corrected[i]), 4.5, over ? Red : Navy, $"corrected {PercentileLabels[i]}: {Milliseconds(corrected[i])}", "#ffffff");
            svg.Text(X(i), Y(corrected[i]) - 10, Milliseconds(corrected[i]), "middle", "value", over ? Red : Navy);
        }

        // Legend.
        svg.Line(left, 16, left + 22, 16, Navy, 2.5).Text(left + 28, 20, "corrected (from intended send)", cssClass: "legend");
        svg.Line(left + 220, 16, left + 242, 16, Grey, 2, "4 3").Text(left + 248, 20, "uncorrected", cssClass: "legend");
        if (trt is not null)
        {
            svg.Line(left + 340, 16, left + 362, 16, Red, 2, "6 4").Text(left + 368, 20, "TRT", cssClass: "legend");
        }

        var within = category.WithinTrt is { } share ? $"{Percent(share)} within TRT" : "no share within TRT";
        var caption = trt is { } tr
            ? $"{category.Name}: p99 {Milliseconds(category.Corrected.P99)} (corrected) against a TRT of {Milliseconds(tr)}; {within}; {Count(category.Count)} latencies."
            : $"{category.Name}: p99 {Milliseconds(category.Corrected.P99)} (corrected); the performance levels give no TRT; {Count(category.Count)} latencies.";
        return new Chart(id, svg.ToString(), caption);
    }

    /// <summary>Share within TRT per category as bars, with the target and minimum service levels marked.</summary>
    public static Chart ServiceLevels(IReadOnlyList<CategorySummary> categories)
    {
        const double rowHeight = 30, left = 230, labelRight = 90;
        var rows = categories.Where(c => c.WithinTrt is not null).ToList();
        var width = 980.0;
        var top = 36.0;
        var height = top + (rows.Count * rowHeight) + 40;
        var lowest = rows.SelectMany(c => new[] { c.WithinTrt, c.ServiceLevelMinimum, c.ServiceLevelTarget }).OfType<double>().DefaultIfEmpty(1).Min();
        var axisLow = Math.Clamp(Math.Floor((Math.Min(lowest, 0.9) - 0.005) * 20) / 20, 0, 0.9);
        var right = width - labelRight;
        double X(double share) => left + ((Math.Clamp(share, axisLow, 1) - axisLow) / (1 - axisLow) * (right - left));

        var svg = new Svg(width, height, "Share of responses within TRT per category against target and minimum service levels");
        svg.Rect(0, 0, width, height, "#ffffff");
        var bottom = top + (rows.Count * rowHeight);
        for (var tick = axisLow; tick <= 1.0001; tick += (1 - axisLow) <= 0.1 ? 0.01 : 0.05)
        {
            svg.Line(X(tick), top - 4, X(tick), bottom, Grid);
            svg.Text(X(tick), bottom + 16, Percent(tick, 0), "middle", "tick");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var c = rows[i];
            var y = top + (i * rowHeight);
            var share = c.WithinTrt!.Value;
            var colour = c.ServiceLevelMinimum is { } min && share < min ? Red
                : c.ServiceLevelTarget is { } target && share < target ? Amber
                : Green;
            svg.Text(left - 10, y + 19, c.Name, "end", "label");
            svg.Rect(left, y + 6, X(share) - left, rowHeight - 12, colour, "bar", $"{c.Name}: {Percent(share)} within TRT", 2);
            svg.Text(right + 8, y + 19, Percent(share), "start", "value", colour);
            if (c.ServiceLevelMinimum is { } minimum)
            {
                svg.Line(X(minimum), y + 2, X(minimum), y + rowHeight - 2, Amber, 2, "3 2", "minimum-line");
            }

            if (c.ServiceLevelTarget is { } targetLevel)
            {
                svg.Line(X(targetLevel), y + 2, X(targetLevel), y + rowHeight - 2, Ink, 2.5, cssClass: "target-line");
            }
        }

        svg.Rect(left, 10, 12, 12, Green).Text(left + 18, 20, "at or above target", cssClass: "legend");
        svg.Rect(left + 150, 10, 12, 12, Amber).Text(left + 168, 20, "below target, at or above minimum", cssClass: "legend");
        svg.Rect(left + 400, 10, 12, 12, Red).Text(left + 418, 20, "below minimum", cssClass: "legend");
        svg.Line(left + 530, 10, left + 530, 22, Ink, 2.5).Text(left + 538, 20, "target", cssClass: "legend");
        svg.Line(left + 600, 10, left + 600, 22, Amber, 2, "3 2").Text(left + 608, 20, "minimum", cssClass: "legend");
        var below = rows.Count(c => c.ServiceLevelTarget is { } t && c.WithinTrt < t);
        return new Chart("service-levels", svg.ToString(), $"Share of corrected latencies within TRT for {rows.Count} categories; {below} below target (axis from {Percent(axisLow, 0)}).");
    }

    /// <summary>Target and achieved rate per phase as grouped bars.</summary>
    public static Chart Phases(IReadOnlyList<PhaseSummary> phases)
    {
        const double width = 980, height = 300, left = 70, right = width - 20, top = 40, bottom = height - 60;
        var highest = phases.SelectMany(p => new[] { p.TargetRate, p.AchievedRate }).DefaultIfEmpty(0).Max();
        var scale = NiceCeiling(highest);
        double Y(double rate) => bottom - (rate / scale * (bottom - top));
        var slot = (right - left) / Math.Max(1, phases.Count);
        var bar = Math.Min(40, slot * 0.32);
        var svg = new Svg(width, height, "Planned against achieved arrival rate per phase");
        svg.Rect(0, 0, width, height, "#ffffff");
        for (var i = 0; i <= 4; i++)
        {
            var rate = scale * i / 4;
            svg.Line(left, Y(rate), right, Y(rate), Grid).Text(left - 8, Y(rate) + 4, Rate(rate), "end", "tick");
        }

        svg.Line(left, bottom, right, bottom, Muted);
        for (var i = 0; i < phases.Count; i++)
        {
            var p = phases[i];
            var centre = left + (slot * (i + 0.5));
            svg.Rect(centre - bar - 2, Y(p.TargetRate), bar, bottom - Y(p.TargetRate), LightBlue, "bar-target", $"{p.Name}: target {Rate(p.TargetRate)}", 2);
            var short_ = p.TargetRate > 0 && p.AchievedRate < p.TargetRate * 0.98;
            svg.Rect(centre + 2, Y(p.AchievedRate), bar, bottom - Y(p.AchievedRate), short_ ? Amber : Navy, "bar-achieved", $"{p.Name}: achieved {Rate(p.AchievedRate)}", 2);
            svg.Text(centre - (bar / 2) - 2, Y(p.TargetRate) - 5, Rate(p.TargetRate), "middle", "value-small", Muted);
            svg.Text(centre + (bar / 2) + 2, Y(p.AchievedRate) - 5, Rate(p.AchievedRate), "middle", "value-small", short_ ? Amber : Navy);
            svg.Text(centre, bottom + 18, Truncate(p.Name, 22), "middle", "label");
            svg.Text(centre, bottom + 34, p.Kind, "middle", "tick");
        }

        svg.Rect(left, 12, 12, 12, LightBlue).Text(left + 18, 22, "target rate", cssClass: "legend");
        svg.Rect(left + 110, 12, 12, 12, Navy).Text(left + 128, 22, "achieved rate", cssClass: "legend");
        svg.Rect(left + 240, 12, 12, 12, Amber).Text(left + 258, 22, "achieved below 98% of target", cssClass: "legend");
        var shortfall = phases.Count(p => p.TargetRate > 0 && p.AchievedRate < p.TargetRate * 0.98);
        return new Chart("phases", svg.ToString(), $"Planned against achieved mean rate (per second of scenario time) for {phases.Count} phases; {shortfall} achieved less than 98% of their target.");
    }

    /// <summary>Success rate per row and SRV as coloured cells, with totals per row and per SRV.</summary>
    public static Chart Heatmap(Heatmap map, string id, string rowTitle, Func<string, string> rowLabel)
    {
        const double cellWidth = 62, cellHeight = 26, left = 220, top = 58;
        var columns = map.Columns.Count + 1;
        var width = Math.Max(560, left + (columns * cellWidth) + 20);
        var height = top + ((map.Rows.Count + 1) * cellHeight) + 70;
        var svg = new Svg(width, height, $"Success rate by {rowTitle} and Service Reference Variant");
        svg.Rect(0, 0, width, height, "#ffffff");
        svg.Text(left - 10, top - 10, rowTitle + " \u2193  SRV \u2192", "end", "axis");
        for (var c = 0; c < map.Columns.Count; c++)
        {
            svg.Text(left + (c * cellWidth) + (cellWidth / 2), top - 10, map.Columns[c], "middle", "label");
        }

        svg.Text(left + (map.Columns.Count * cellWidth) + (cellWidth / 2), top - 10, "all", "middle", "label-strong");
        for (var r = 0; r <= map.Rows.Count; r++)
        {
            var total = r == map.Rows.Count;
            var y = top + (r * cellHeight) + (total ? 4 : 0);
            var row = total ? null : map.Rows[r];
            svg.Text(left - 10, y + 17, total ? "all" : rowLabel(row!), "end", total ? "label-strong" : "label");
            for (var c = 0; c < columns; c++)
            {
                var column = c < map.Columns.Count ? map.Columns[c] : null;
                var cell = (row, column) switch
                {
                    (null, null) => map.Columns.Aggregate(default(HeatmapCell), (sum, col) => sum + map.ColumnTotal(col)),
                    (null, { } col) => map.ColumnTotal(col),
                    ({ } rw, null) => map.RowTotal(rw),
                    ({ } rw, { } col) => map[rw, col],
                };
                var x = left + (c * cellWidth) + (column is null ? 4 : 0);
                var rate = cell.SuccessRate;
                var tooltip = rate is { } v
                    ? $"{(row is null ? "all" : rowLabel(row))} / {column ?? "all"}: {Percent(v)} success ({Count(cell.Successes)} of {Count(cell.Responses)}; {Count(cell.Errors)} errors)"
                    : $"{(row is null ? "all" : rowLabel(row))} / {column ?? "all"}: no responses";
                svg.Rect(x + 1, y + 1, cellWidth - 2, cellHeight - 2, HeatColour(rate), "heat-cell", tooltip, 2);
                svg.Text(x + (cellWidth / 2), y + 17, rate is { } r2 ? Percent(r2, r2 >= 0.9995 || r2 < 0.1 ? 0 : 1) : "\u2013", "middle", "cell", rate is null ? Muted : "#ffffff");
            }
        }

        // Colour scale.
        var legendY = height - 34;
        svg.Text(left, legendY - 6, "success rate", cssClass: "legend");
        for (var i = 0; i <= 20; i++)
        {
            var share = 0.9 + (i * 0.005);
            svg.Rect(left + 90 + (i * 14), legendY - 16, 14, 12, HeatColour(share));
        }

        svg.Text(left + 90, legendY + 10, "\u2264 90%", "start", "tick").Text(left + 90 + (10 * 14) + 7, legendY + 10, "95%", "middle", "tick")
            .Text(left + 90 + (21 * 14), legendY + 10, "100%", "end", "tick");
        svg.Rect(left + 420, legendY - 16, 14, 12, HeatColour(null)).Text(left + 440, legendY - 6, "no responses", cssClass: "legend");
        var worst = map.Rows.Select(r => (Row: r, Rate: map.RowTotal(r).SuccessRate)).Where(x => x.Rate is not null).OrderBy(x => x.Rate).FirstOrDefault();
        var caption = worst.Row is null
            ? $"Success rate by {rowTitle} and SRV."
            : $"Success rate (I-code share of final responses) by {rowTitle} and SRV; lowest {rowTitle}: {rowLabel(worst.Row)} at {Percent(worst.Rate!.Value)}.";
        return new Chart(id, svg.ToString(), caption);
    }

    /// <summary>Counts as horizontal bars, largest first; beyond <paramref name="limit"/> rows the rest is one bar.</summary>
    public static Chart Bars(string id, string title, IReadOnlyDictionary<string, long> counts, string colour, int limit = 15)
    {
        const double width = 470, rowHeight = 24, left = 200, top = 10;
        var ordered = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var rows = ordered.Take(limit).Select(kv => (Label: kv.Key, kv.Value)).ToList();
        if (ordered.Count > limit)
        {
            rows.Add(($"{ordered.Count - limit} others", ordered.Skip(limit).Sum(kv => kv.Value)));
        }

        var height = top + (rows.Count * rowHeight) + 10;
        var highest = Math.Max(1, rows.Select(r => r.Value).DefaultIfEmpty(1).Max());
        var right = width - 70;
        var total = Math.Max(1, counts.Values.Sum());
        var svg = new Svg(width, height, title);
        svg.Rect(0, 0, width, height, "#ffffff");
        for (var i = 0; i < rows.Count; i++)
        {
            var y = top + (i * rowHeight);
            svg.Text(left - 8, y + 16, Truncate(rows[i].Label, 30), "end", "label");
            svg.Rect(left, y + 4, Math.Max(1.5, (right - left) * rows[i].Value / highest), rowHeight - 8, colour, "bar", $"{rows[i].Label}: {Count(rows[i].Value)} ({Percent((double)rows[i].Value / total, 1)})", 2);
            svg.Text(left + ((right - left) * rows[i].Value / highest) + 6, y + 16, Count(rows[i].Value), "start", "value-small", Muted);
        }

        var top3 = string.Join(", ", rows.Take(3).Select(r => $"{r.Label} {Count(r.Value)}"));
        return new Chart(id, svg.ToString(), $"{title}: {Count(counts.Values.Sum())} in {counts.Count} groups; largest {top3}.");
    }

    /// <summary>Requests sent against the terms that account for them, as two bars.</summary>
    public static Chart Accounting(AccountingIdentity identity)
    {
        const double width = 980, height = 150, left = 130, right = width - 30;
        var scale = Math.Max(1, Math.Max(identity.Sent, identity.Accounted));
        double W(long value) => (right - left) * value / scale;
        var svg = new Svg(width, height, "Accounting identity: requests sent against responses, errors, time-outs and requests in flight");
        svg.Rect(0, 0, width, height, "#ffffff");
        svg.Text(left - 10, 34, "sent", "end", "label-strong");
        svg.Rect(left, 18, W(identity.Sent), 24, Navy, "bar", $"sent: {Count(identity.Sent)}", 2);
        svg.Text(left - 10, 76, "accounted", "end", "label-strong");
        var x = left;
        (string Name, long Value, string Colour)[] terms =
            [("responded (no E code)", identity.Answered, Green), ("errors", identity.Errors, Red), ("timed out", identity.TimedOut, Amber), ("in flight at end", identity.InFlight, LightBlue)];
        foreach (var (name, value, colour) in terms)
        {
            svg.Rect(x, 60, W(value), 24, colour, "bar", $"{name}: {Count(value)}");
            x += W(value);
        }

        var legendX = left;
        foreach (var (name, value, colour) in terms)
        {
            svg.Rect(legendX, 108, 12, 12, colour).Text(legendX + 18, 118, $"{name} {Count(value)}", cssClass: "legend");
            legendX += 200;
        }

        var state = identity.Balances ? "balances" : $"does not balance (difference {Count(identity.Difference)})";
        return new Chart("accounting", svg.ToString(), $"Sent {Count(identity.Sent)} = {Count(identity.Answered)} + {Count(identity.Errors)} + {Count(identity.TimedOut)} + {Count(identity.InFlight)}: the identity {state}.");
    }

    /// <summary>The fill of a heatmap cell: red at 90% success or less, through amber, to green at 100%; grey without responses.</summary>
    public static string HeatColour(double? rate)
    {
        if (rate is not { } r)
        {
            return "#edf2f7";
        }

        var t = Math.Clamp((r - 0.9) / 0.1, 0, 1);
        var hue = 4 + (t * 126);
        var lightness = 44 - (t * 12);
        return string.Create(CultureInfo.InvariantCulture, $"hsl({hue:0},62%,{lightness:0}%)");
    }

    /// <summary>
    /// Log-scale ticks that read as durations (100 ms, 1 s, 30 s, 1 min, 5 min) from the largest one at or below
    /// <paramref name="lowest"/> to the smallest one above <paramref name="highest"/>; at most about eight.
    /// </summary>
    internal static double[] TimeTicks(double lowest, double highest)
    {
        var ladder = new List<double>();
        for (var decade = 0.01; decade < 1000; decade *= 10)
        {
            ladder.AddRange([decade, 2 * decade, 5 * decade]);
        }

        ladder.AddRange([1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000]);
        var from = ladder.FindLastIndex(v => v <= lowest * 1.0001);
        var to = ladder.FindIndex(v => v >= highest * 1.08);
        from = from < 0 ? 0 : from;
        to = to < 0 ? ladder.Count - 1 : Math.Max(to, from + 1);
        var ticks = ladder.GetRange(from, to - from + 1);
        if (ticks.Count <= 8)
        {
            return [.. ticks];
        }

        // Too many to read: keep the powers of ten and the whole minutes and hours, and both ends.
        double[] major = [0.01, 0.1, 1, 10, 100, 1_000, 10_000, 60_000, 600_000, 3_600_000, 86_400_000];
        return [.. ticks.Where((v, i) => i == 0 || i == ticks.Count - 1 || major.Contains(v))];
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "\u2026");

    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2.0, 2.5, 5.0, 10.0 })
        {
            if (step * magnitude >= value * 1.05)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }
}
