using CapacitySim.Devices.Configuration;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Load.Scenarios;

/// <summary>
/// Reads the devices CSV of an external DCC's estate: a header naming the columns <c>eui</c>, <c>deviceType</c>,
/// <c>generation</c>, <c>dmc</c> and <c>region</c> (in any order, case ignored), then one device per line. Blank lines
/// and lines starting with <c>#</c> are skipped; fields may be double-quoted. Every bad field is reported with its line
/// and column.
/// </summary>
internal static class DevicesCsvReader
{
    public static readonly string[] Columns = ["eui", "deviceType", "generation", "dmc", "region"];

    public static List<EstateDevice> Read(string path, List<ConfigError> errors)
    {
        var devices = new List<EstateDevice>();
        var seen = new Dictionary<Eui64, int>();
        int[]? map = null;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var fields = Split(line);
            if (map is null)
            {
                map = Header(path, lineNumber, fields, errors);
                if (map is null)
                {
                    return devices;
                }

                continue;
            }

            if (fields.Count != Columns.Length)
            {
                errors.Add(new ConfigError(path, lineNumber, 1, $"Expected {Columns.Length} fields ({string.Join(", ", Columns)}), found {fields.Count}."));
                continue;
            }

            var ok = true;
            var euiField = fields[map[0]];
            if (!Eui64.TryParse(euiField.Text.AsSpan(), out var eui))
            {
                ok = Bad(path, lineNumber, euiField, $"'{euiField.Text}' is not an EUI-64 (for example 00-DB-12-34-56-78-90-A0).", errors);
            }
            else if (seen.TryGetValue(eui, out var firstLine))
            {
                ok = Bad(path, lineNumber, euiField, $"Device {euiField.Text} is listed twice (first on line {firstLine}).", errors);
            }
            else
            {
                seen[eui] = lineNumber;
            }

            var typeField = fields[map[1]];
            var type = EstateTokens.DeviceTypes.ParseIgnoringCase(typeField.Text);
            if (type is null)
            {
                ok = Bad(path, lineNumber, typeField, $"'{typeField.Text}' is not a device type (expected one of {EstateTokens.DeviceTypes.Names}).", errors);
            }

            var generationField = fields[map[2]];
            var generation = EstateTokens.Generations.ParseIgnoringCase(generationField.Text);
            if (generation is null)
            {
                ok = Bad(path, lineNumber, generationField, $"'{generationField.Text}' is not a generation (expected smets1 or smets2).", errors);
            }

            var dmcField = fields[map[3]];
            if (dmcField.Text.Length == 0)
            {
                ok = Bad(path, lineNumber, dmcField, "The DMC is empty.", errors);
            }

            var regionField = fields[map[4]];
            var region = EstateTokens.Regions.ParseIgnoringCase(regionField.Text);
            if (region is null)
            {
                ok = Bad(path, lineNumber, regionField, $"'{regionField.Text}' is not a CSP region (expected north, central or south).", errors);
            }

            if (ok)
            {
                devices.Add(new EstateDevice(eui, type!.Value, generation!.Value, dmcField.Text, region!.Value, lineNumber));
            }
        }

        if (map is null)
        {
            errors.Add(new ConfigError(path, 0, 0, $"The devices CSV is empty: it needs a header ({string.Join(",", Columns)}) and at least one device."));
        }
        else if (devices.Count == 0 && errors.Count == 0)
        {
            errors.Add(new ConfigError(path, 0, 0, "The devices CSV lists no devices."));
        }

        return devices;
    }

    private static int[]? Header(string path, int lineNumber, List<Field> fields, List<ConfigError> errors)
    {
        var map = new int[Columns.Length];
        Array.Fill(map, -1);
        var ok = true;
        for (var i = 0; i < fields.Count; i++)
        {
            var index = Array.FindIndex(Columns, c => string.Equals(c, fields[i].Text, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                var near = YamlFileReader.Suggest(fields[i].Text, Columns);
                ok = Bad(path, lineNumber, fields[i], near is null
                    ? $"Unknown column '{fields[i].Text}' (expected {string.Join(", ", Columns)})."
                    : $"Unknown column '{fields[i].Text}': did you mean '{near}'?", errors);
            }
            else if (map[index] >= 0)
            {
                ok = Bad(path, lineNumber, fields[i], $"Column '{fields[i].Text}' appears twice.", errors);
            }
            else
            {
                map[index] = i;
            }
        }

        for (var c = 0; c < Columns.Length; c++)
        {
            if (map[c] < 0 && ok)
            {
                errors.Add(new ConfigError(path, lineNumber, 1, $"The header has no '{Columns[c]}' column (expected {string.Join(",", Columns)})."));
                ok = false;
            }
        }

        return ok ? map : null;
    }

    private static bool Bad(string path, int line, Field field, string message, List<ConfigError> errors)
    {
        errors.Add(new ConfigError(path, line, field.Column, message));
        return false;
    }

    private readonly record struct Field(string Text, int Column);

    private static List<Field> Split(string line)
    {
        var fields = new List<Field>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            var column = i + 1;
            string text;
            if (i < line.Length && line[i] == '"')
            {
                var b = new System.Text.StringBuilder();
                i++;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            b.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    b.Append(line[i++]);
                }

                text = b.ToString();
                while (i < line.Length && line[i] != ',')
                {
                    i++;
                }
            }
            else
            {
                var start = i;
                while (i < line.Length && line[i] != ',')
                {
                    i++;
                }

                text = line[start..i].TrimEnd();
            }

            fields.Add(new Field(text, column));
            if (i >= line.Length)
            {
                return fields;
            }

            i++;
        }
    }
}
