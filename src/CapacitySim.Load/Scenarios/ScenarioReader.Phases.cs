using YamlDotNet.RepresentationModel;

namespace CapacitySim.Load.Scenarios;

/// <content>The load phases and their shapes.</content>
internal sealed partial class ScenarioReader
{
    private List<LoadPhase> Phases(YamlNode node)
    {
        List<LoadPhase> phases = [];
        if (Sequence(node, "phases") is not { } list)
        {
            return phases;
        }

        if (list.Children.Count == 0)
        {
            Error(list, "phases is empty: a scenario needs at least one phase.");
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"phases[{i}]";
            if (Mapping(list.Children[i], path) is not { } item)
            {
                continue;
            }

            var keys = Keys(item, path, ScenarioKeys.PhaseShapes);
            if (item.Children.Count != 1)
            {
                Error(item, $"{path} must have exactly one key naming its shape ({string.Join(", ", ScenarioKeys.PhaseShapes)}), "
                    + "for example '- constant: { rate: 10, duration: 30s }'.");
                continue;
            }

            foreach (var (shape, body) in keys)
            {
                if (Phase(shape, body, $"{path}.{shape}") is { } phase)
                {
                    phases.Add(phase);
                }
            }
        }

        return phases;
    }

    private LoadPhase? Phase(string shape, YamlNode node, string path)
    {
        if (Mapping(node, path) is not { } map)
        {
            return null;
        }

        var at = PositionOf(map);
        var allowed = shape switch
        {
            "constant" => ScenarioKeys.Constant,
            "ramping" => ScenarioKeys.Ramping,
            "step" => ScenarioKeys.Step,
            "diurnal" => ScenarioKeys.Diurnal,
            _ => ScenarioKeys.Pause,
        };
        var keys = Keys(map, path, allowed);
        var name = keys.TryGetValue("name", out var n) ? Text(n, path + ".name") : null;
        switch (shape)
        {
            case "constant":
            {
                var rate = Rate(map, keys, "rate", path);
                var duration = PhaseDuration(map, keys, "duration", path);
                return rate is { } r && duration is { } d ? new ConstantPhase(name, r, d, at) : null;
            }

            case "ramping":
            {
                var from = Rate(map, keys, "from", path);
                var to = Rate(map, keys, "to", path);
                var duration = PhaseDuration(map, keys, "duration", path);
                return from is { } f && to is { } t && duration is { } d ? new RampingPhase(name, f, t, d, at) : null;
            }

            case "step":
            {
                List<double> rates = [];
                var ok = true;
                if (Required(map, keys, "rates", path) is { } ratesNode && Sequence(ratesNode, path + ".rates") is { } list)
                {
                    if (list.Children.Count == 0)
                    {
                        Error(list, $"{path}.rates is empty: give at least one rate.");
                        ok = false;
                    }

                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        if (Number(list.Children[i], $"{path}.rates[{i}]", 0) is { } r)
                        {
                            rates.Add(r);
                        }
                        else
                        {
                            ok = false;
                        }
                    }
                }
                else
                {
                    ok = false;
                }

                var step = PhaseDuration(map, keys, "stepDuration", path);
                return ok && step is { } s ? new StepPhase(name, rates, s, at) : null;
            }

            case "diurnal":
            {
                var hourly = Required(map, keys, "hourlyRates", path) is { } h ? HourlyRates(h, path + ".hourlyRates") : null;
                var scale = keys.TryGetValue("scale", out var sc) ? Number(sc, path + ".scale", 0, exclusiveMin: true) : 1;
                var startHour = keys.TryGetValue("startHour", out var sh) ? (int?)Integer(sh, path + ".startHour", 0, 23) : 0;
                var duration = keys.TryGetValue("duration", out var dn) ? Duration(dn, path + ".duration") : TimeSpan.FromHours(24);
                return hourly is not null && scale is { } s && startHour is { } st && duration is { } d
                    ? new DiurnalPhase(name, hourly, s, st, d, at)
                    : null;
            }

            default:
            {
                var duration = PhaseDuration(map, keys, "duration", path);
                return duration is { } d ? new PausePhase(name, d, at) : null;
            }
        }
    }

    private double? Rate(YamlMappingNode map, Dictionary<string, YamlNode> keys, string key, string path)
        => Required(map, keys, key, path) is { } node ? Number(node, $"{path}.{key}", 0) : null;

    private TimeSpan? PhaseDuration(YamlMappingNode map, Dictionary<string, YamlNode> keys, string key, string path)
        => Required(map, keys, key, path) is { } node ? Duration(node, $"{path}.{key}") : null;

    /// <summary>24 hourly rates: a list, or a table of hour (0–23, or "07:00") to rate with every hour present.</summary>
    private List<double>? HourlyRates(YamlNode node, string path)
    {
        Track(path, node);
        var rates = new double?[24];
        var ok = true;
        switch (node)
        {
            case YamlSequenceNode list:
                if (list.Children.Count != 24)
                {
                    Error(list, $"{path} has {list.Children.Count} rates: a day needs 24, one per hour from 00:00.");
                    ok = false;
                }

                for (var i = 0; i < list.Children.Count && i < 24; i++)
                {
                    rates[i] = Number(list.Children[i], $"{path}[{i}]", 0);
                    ok &= rates[i] is not null;
                }

                break;
            case YamlMappingNode table:
                foreach (var (keyNode, valueNode) in table.Children)
                {
                    var text = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                    var hourText = text.EndsWith(":00", StringComparison.Ordinal) ? text[..^3] : text;
                    if (!int.TryParse(hourText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hour) || hour > 23)
                    {
                        Error(keyNode, $"'{text}' in {path} is not an hour of the day (0 to 23, or 00:00 to 23:00).");
                        ok = false;
                        continue;
                    }

                    if (rates[hour] is not null)
                    {
                        Error(keyNode, $"Hour {hour} appears twice in {path}.");
                        ok = false;
                    }

                    rates[hour] = Number(valueNode, $"{path}.{text}", 0);
                    ok &= rates[hour] is not null;
                }

                var missing = new List<int>();
                for (var h = 0; h < 24; h++)
                {
                    if (rates[h] is null && ok)
                    {
                        missing.Add(h);
                    }
                }

                if (missing.Count > 0)
                {
                    Error(table, $"{path} has no rate for hour(s) {string.Join(", ", missing)}: a day needs all 24.");
                    ok = false;
                }

                break;
            default:
                Error(node, $"{path} must be a list of 24 rates, or a table of hour to rate.");
                return null;
        }

        return ok ? [.. Array.ConvertAll(rates, r => r ?? 0)] : null;
    }
}
