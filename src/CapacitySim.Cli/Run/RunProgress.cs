using System.Globalization;
using System.Text;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Recording;
using Spectre.Console;

namespace CapacitySim.Cli.Run;

/// <summary>
/// Live progress of a run. On a terminal a Spectre.Console live panel is redrawn once per interval: phase, target and
/// achieved rate, in-flight, p50/p99 and share within TRT per category, responses by code, dropped, alerts. Into a
/// file or pipe, or with <c>--no-progress</c>, one plain line per interval instead, which reads well in a CI log.
/// </summary>
internal abstract class RunProgress : IDisposable
{
    public static RunProgress Create(CliConsole console, bool live)
        => live && ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected
            ? new LiveProgress()
            : new PlainProgress(console.Out);

    /// <summary>Runs <paramref name="run"/>, handing it the callback that shows each status.</summary>
    public abstract Task<T> RunAsync<T>(Func<Action<RunStatus, LatencySnapshot>, Task<T>> run);

    public virtual void Dispose()
    {
    }

    /// <summary>The one-line form of a status (plain output, and the last line a live display leaves).</summary>
    public static string Line(RunStatus s)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[{s.Elapsed.TotalSeconds,6:0.0}s] {Percent(s.ScenarioElapsed, s.ScenarioDuration),3}% ");
        text.Append(s.Draining ? "draining" : s.WarmingUp ? "warm-up " : "phase " + s.PhaseName);
        text.Append(CultureInfo.InvariantCulture, $" | rate {s.AchievedRate:0.#}/{s.TargetRate:0.#}/s | sent {s.Sent:N0} in-flight {s.InFlight:N0} responded {s.Responded:N0} errors {s.Errors:N0} dropped {s.Dropped:N0} late {s.Late:N0} alerts {s.Alerts:N0}");
        foreach (var c in s.Categories)
        {
            text.Append(CultureInfo.InvariantCulture, $" | {c.Name} p50 {Ms(c.P50)} p99 {Ms(c.P99)}");
            if (c.WithinTrt is { } w)
            {
                text.Append(CultureInfo.InvariantCulture, $" in-TRT {w * 100:0.0}%");
            }
        }

        return text.ToString();
    }

    public static string Ms(double milliseconds) => milliseconds >= 10_000
        ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000:0.#}s")
        : string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0}ms");

    private static int Percent(TimeSpan done, TimeSpan total)
        => total <= TimeSpan.Zero ? 100 : (int)Math.Clamp(done / total * 100, 0, 100);

    private sealed class PlainProgress(TextWriter output) : RunProgress
    {
        public override Task<T> RunAsync<T>(Func<Action<RunStatus, LatencySnapshot>, Task<T>> run)
            => run((status, _) =>
            {
                output.WriteLine(Line(status));
                output.Flush();
            });
    }

    private sealed class LiveProgress : RunProgress
    {
        public override async Task<T> RunAsync<T>(Func<Action<RunStatus, LatencySnapshot>, Task<T>> run)
        {
            T result = default!;
            RunStatus? last = null;
            await AnsiConsole.Live(new Markup("[grey]starting…[/]"))
                .AutoClear(true)
                .Overflow(VerticalOverflow.Ellipsis)
                .StartAsync(async context =>
                {
                    result = await run((status, _) =>
                    {
                        last = status;
                        context.UpdateTarget(Render(status));
                        context.Refresh();
                    }).ConfigureAwait(false);
                }).ConfigureAwait(false);
            if (last is not null)
            {
                AnsiConsole.Write(Render(last));
            }

            return result;
        }

        private static Rows Render(RunStatus s)
        {
            var state = s.Draining ? "[yellow]draining[/]" : s.WarmingUp ? "[grey]warm-up[/]" : $"[green]{Markup.Escape(s.PhaseName)}[/]";
            var head = new Grid().AddColumn().AddColumn();
            head.AddRow(new Markup($"[bold]{Markup.Escape(s.Scenario)}[/]  {state}"),
                new Markup(string.Create(CultureInfo.InvariantCulture, $"wall {s.Elapsed.TotalSeconds:0.0}s · scenario {s.ScenarioElapsed:hh\\:mm\\:ss}/{s.ScenarioDuration:hh\\:mm\\:ss} · x{s.Compression:0.###}")));
            var progress = new BreakdownChart().Width(60).HideTags()
                .AddItem("done", Math.Max(0.0001, s.ScenarioElapsed.TotalSeconds), Color.Green)
                .AddItem("to go", Math.Max(0.0001, (s.ScenarioDuration - s.ScenarioElapsed).TotalSeconds), Color.Grey23);

            var counts = new Table().Border(TableBorder.Rounded).Expand()
                .AddColumns("rate (actual/target)", "sent", "in flight", "acknowledged", "responded", "errors", "dropped", "late", "alerts (throttled)");
            counts.AddRow(
                string.Create(CultureInfo.InvariantCulture, $"{s.AchievedRate:0.#} / {s.TargetRate:0.#} /s"),
                N(s.Sent), N(s.InFlight), N(s.Acknowledged), N(s.Responded),
                s.Errors > 0 ? $"[red]{N(s.Errors)}[/]" : "0",
                s.Dropped > 0 ? $"[red]{N(s.Dropped)}[/]" : "0",
                s.Late > 0 ? $"[yellow]{N(s.Late)}[/]" : "0",
                $"{N(s.Alerts)} ({N(s.AlertsThrottled)})");

            var categories = new Table().Border(TableBorder.Rounded).Expand()
                .AddColumns("category", "responses", "p50", "p99", "TRT", "within TRT", "target / minimum");
            foreach (var c in s.Categories)
            {
                var within = c.WithinTrt is { } w ? Colour(w, c.ServiceLevelTarget, c.ServiceLevelMinimum) : "-";
                categories.AddRow(
                    Markup.Escape(c.Name), N(c.Count), Ms(c.P50), Ms(c.P99),
                    c.TrtMs is { } trt ? Ms(trt) : "-", within,
                    c.ServiceLevelTarget is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t * 100:0.#}% / {(c.ServiceLevelMinimum ?? 0) * 100:0.#}%") : "-");
            }

            var codes = string.Join("  ", s.ResponsesByCode.Select(kv => $"{(kv.Key.StartsWith('E') ? "[red]" : "[green]")}{Markup.Escape(kv.Key)}[/] {N(kv.Value)}"));
            var failures = string.Join("  ", s.SendFailures.Select(kv => $"[red]{Markup.Escape(kv.Key)}[/] {N(kv.Value)}"));
            var alerts = string.Join("  ", s.AlertsByCode.Take(8).Select(kv => $"{Markup.Escape(kv.Key)} {N(kv.Value)}"));
            return new Rows(
                head,
                progress,
                counts,
                categories,
                new Markup("responses by code: " + (codes.Length == 0 ? "[grey]none yet[/]" : codes) + (failures.Length == 0 ? string.Empty : "   no answer: " + failures)),
                new Markup("alerts by code: " + (alerts.Length == 0 ? "[grey]none yet[/]" : alerts)));
        }

        private static string Colour(double within, double? target, double? minimum)
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"{within * 100:0.00}%");
            var colour = target is { } t && within >= t ? "green" : minimum is { } m && within >= m ? "yellow" : "red";
            return $"[{colour}]{text}[/]";
        }

        private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
    }
}
