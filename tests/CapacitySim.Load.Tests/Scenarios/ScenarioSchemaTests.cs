using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CapacitySim.Load.Scenarios;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static CapacitySim.Load.Tests.Scenarios.ScenarioText;

namespace CapacitySim.Load.Tests.Scenarios;

/// <summary>
/// The JSON Schema editors use must describe what the loader accepts. No JSON Schema package restores here, so the
/// schema is checked two ways: its object properties equal the loader's key lists path by path, and a small validator
/// for the keywords the schema uses validates every example scenario (and is shown to reject bad ones).
/// </summary>
public sealed class ScenarioSchemaTests
{
    private static readonly JsonObject Schema = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(ScenariosFolder, "scenario.schema.json")))!;

    [Fact]
    public void The_schema_is_json_of_draft_2020_12()
        => Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)Schema["$schema"]);

    [Fact]
    public void Every_object_in_the_schema_has_exactly_the_keys_the_loader_accepts()
    {
        var found = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        Walk(Schema, string.Empty, found);

        var inline = found["estate.inline"];
        found.Remove("estate.inline");
        Assert.Equal(ScenarioKeys.ByPath.Keys.Order(StringComparer.Ordinal), found.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, keys) in ScenarioKeys.ByPath)
        {
            Assert.True(keys.ToHashSet().SetEquals(found[path]), $"{path}: loader [{string.Join(", ", keys)}], schema [{string.Join(", ", found[path])}]");
        }

        // An inline estate is a population spec: the schema lists the keys the shipped estate documents.
        var estateKeys = ((YamlMappingNode)LoadYaml(Path.Combine(ScenariosFolder, "estates", "default.yaml"))).Children.Keys
            .Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        Assert.True(estateKeys.SetEquals(inline), $"estate.inline: spec [{string.Join(", ", estateKeys)}], schema [{string.Join(", ", inline)}]");
    }

    [Fact]
    public void Every_property_in_the_schema_has_a_description_for_editors()
    {
        var missing = new List<string>();
        Descriptions(Schema, "#", missing);
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("examples/every-shape.yaml")]
    [InlineData("examples/external-dcc.yaml")]
    public void Every_example_scenario_validates_against_the_schema_and_loads(string file)
    {
        var path = Path.Combine(ScenariosFolder, file);
        var errors = Validate(ToJson(LoadYaml(path)));
        Assert.True(errors.Count == 0, string.Join('\n', errors));
        _ = ScenarioLoader.Load(path);
    }

    [Fact]
    public void Every_yaml_scenario_in_the_scenarios_folder_validates_against_the_schema()
    {
        var files = Directory.GetFiles(ScenariosFolder, "*.yaml", SearchOption.TopDirectoryOnly)
            .Concat(Directory.GetFiles(Path.Combine(ScenariosFolder, "examples"), "*.yaml"))
            .Where(f => Path.GetFileName(f) != "performance-levels.yaml")
            .ToList();
        Assert.NotEmpty(files);
        foreach (var f in files)
        {
            var errors = Validate(ToJson(LoadYaml(f)));
            Assert.True(errors.Count == 0, f + ":\n" + string.Join('\n', errors));
        }
    }

    [Theory]
    [InlineData("seed: 42", "seed: -1", "$.seed: below minimum")]
    [InlineData("warmUp: 10s", "warmUp: 10", "$.warmUp: expected string")]
    [InlineData("warmUp: 10s", "warmUp: 10 s", "$.warmUp: does not match")]
    [InlineData("name: every-shape example", "nmae: x", "$: unknown property 'nmae'")]
    [InlineData("- pause: { duration: 5s }", "- pause: { duration: 5s, rate: 1 }", "$.phases[3]: matches 0 of oneOf")]
    [InlineData("roles: [ED]", "roles: [XX]", "$.users[1].roles: matches 0 of oneOf")]
    [InlineData("{ srv: 4.1.1, weight: 60 }", "{ srv: 4.1.1 }", "$.users[0].mix[0]: missing 'weight'")]
    public void The_validator_rejects_a_scenario_that_breaks_the_schema(string from, string to, string expected)
    {
        var text = File.ReadAllText(Path.Combine(ExamplesFolder, "every-shape.yaml"));
        var broken = Replace(text, from, to);
        var stream = new YamlStream();
        stream.Load(new StringReader(broken));
        var errors = Validate(ToJson(stream.Documents[0].RootNode));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    // ---- schema walk ----

    private static void Walk(JsonNode? node, string path, Dictionary<string, SortedSet<string>> found)
    {
        if (node is not JsonObject schema)
        {
            return;
        }

        if (schema["$ref"] is JsonValue reference)
        {
            Walk(Resolve((string)reference!), path, found);
        }

        if (schema["properties"] is JsonObject properties)
        {
            if (!found.TryGetValue(path, out var keys))
            {
                found[path] = keys = new SortedSet<string>(StringComparer.Ordinal);
            }

            foreach (var (name, child) in properties)
            {
                keys.Add(name);
                Walk(child, path.Length == 0 ? name : $"{path}.{name}", found);
            }
        }

        if (schema["items"] is JsonObject items)
        {
            Walk(items, path + "[]", found);
        }

        foreach (var combiner in (string[])["oneOf", "anyOf", "allOf"])
        {
            if (schema[combiner] is JsonArray alternatives)
            {
                foreach (var alternative in alternatives)
                {
                    Walk(alternative, path, found);
                }
            }
        }
    }

    private static JsonObject Resolve(string reference)
    {
        Assert.StartsWith("#/$defs/", reference, StringComparison.Ordinal);
        return (JsonObject)Schema["$defs"]![reference["#/$defs/".Length..]]!;
    }

    private static void Descriptions(JsonNode? node, string where, List<string> missing)
    {
        if (node is not JsonObject schema)
        {
            return;
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                if (child is JsonObject c && c["description"] is null && c["$ref"] is null)
                {
                    missing.Add($"{where}/properties/{name}");
                }

                Descriptions(child, $"{where}/properties/{name}", missing);
            }
        }

        foreach (var (name, child) in schema)
        {
            if (name != "properties" && child is JsonObject)
            {
                Descriptions(child, $"{where}/{name}", missing);
            }
            else if (child is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Descriptions(array[i], $"{where}/{name}/{i}", missing);
                }
            }
        }
    }

    // ---- YAML to JSON, as editors read it (YAML 1.2 core schema for plain scalars) ----

    private static YamlNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents[0].RootNode;
    }

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    obj[((YamlScalarNode)k).Value!] = ToJson(v);
                }

                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                foreach (var item in seq.Children)
                {
                    array.Add(ToJson(item));
                }

                return array;
            default:
                var scalar = (YamlScalarNode)node;
                var text = scalar.Value ?? string.Empty;
                if (scalar.Style != ScalarStyle.Plain)
                {
                    return JsonValue.Create(text);
                }

                if (text is "" or "~" or "null")
                {
                    return null;
                }

                if (text is "true" or "false")
                {
                    return JsonValue.Create(text == "true");
                }

                if (Regex.IsMatch(text, "^[-+]?[0-9]+$") && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return JsonValue.Create(l);
                }

                if (Regex.IsMatch(text, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"))
                {
                    return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
                }

                return JsonValue.Create(text);
        }
    }

    // ---- a validator for the keywords the schema uses ----

    private static List<string> Validate(JsonNode? instance)
    {
        var errors = new List<string>();
        Validate(instance, Schema, "$", errors);
        return errors;
    }

    private static void Validate(JsonNode? value, JsonObject schema, string at, List<string> errors)
    {
        foreach (var (keyword, argument) in schema)
        {
            switch (keyword)
            {
                case "$ref":
                    Validate(value, Resolve((string)argument!), at, errors);
                    break;
                case "type":
                    var types = argument is JsonArray list ? list.Select(t => (string)t!).ToArray() : [(string)argument!];
                    if (!types.Any(t => IsType(value, t)))
                    {
                        errors.Add($"{at}: expected {string.Join(" or ", types)}");
                        return;
                    }

                    break;
                case "properties":
                    if (value is JsonObject o)
                    {
                        foreach (var (name, child) in o)
                        {
                            if (argument![name] is JsonObject propertySchema)
                            {
                                Validate(child, propertySchema, $"{at}.{name}", errors);
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (value is JsonObject ao)
                    {
                        var declared = schema["properties"] as JsonObject;
                        foreach (var (name, child) in ao)
                        {
                            if (declared?.ContainsKey(name) == true)
                            {
                                continue;
                            }

                            if (argument is JsonValue b && !(bool)b)
                            {
                                errors.Add($"{at}: unknown property '{name}'");
                            }
                            else if (argument is JsonObject additional)
                            {
                                Validate(child, additional, $"{at}.{name}", errors);
                            }
                        }
                    }

                    break;
                case "required":
                    if (value is JsonObject ro)
                    {
                        foreach (var name in argument!.AsArray())
                        {
                            if (!ro.ContainsKey((string)name!))
                            {
                                errors.Add($"{at}: missing '{(string)name!}'");
                            }
                        }
                    }

                    break;
                case "items":
                    if (value is JsonArray items)
                    {
                        for (var i = 0; i < items.Count; i++)
                        {
                            Validate(items[i], (JsonObject)argument!, $"{at}[{i}]", errors);
                        }
                    }

                    break;
                case "oneOf":
                    var matches = 0;
                    foreach (var alternative in argument!.AsArray())
                    {
                        var sub = new List<string>();
                        Validate(value, (JsonObject)alternative!, at, sub);
                        matches += sub.Count == 0 ? 1 : 0;
                    }

                    if (matches != 1)
                    {
                        errors.Add($"{at}: matches {matches} of oneOf");
                    }

                    break;
                case "enum":
                    if (!argument!.AsArray().Any(e => JsonNode.DeepEquals(e, value)))
                    {
                        errors.Add($"{at}: not one of {argument.ToJsonString()}");
                    }

                    break;
                case "pattern":
                    if (value is JsonValue pv && pv.GetValueKind() == JsonValueKind.String && !Regex.IsMatch((string)pv!, (string)argument!))
                    {
                        errors.Add($"{at}: does not match {(string)argument!}");
                    }

                    break;
                case "minimum" or "exclusiveMinimum" or "maximum":
                    if (value is JsonValue nv && nv.GetValueKind() == JsonValueKind.Number)
                    {
                        var n = Number(nv);
                        var limit = Number(argument!);
                        if ((keyword == "minimum" && n < limit) || (keyword == "exclusiveMinimum" && n <= limit))
                        {
                            errors.Add($"{at}: below minimum {limit}");
                        }
                        else if (keyword == "maximum" && n > limit)
                        {
                            errors.Add($"{at}: above maximum {limit}");
                        }
                    }

                    break;
                case "minItems" or "maxItems":
                    if (value is JsonArray sized)
                    {
                        var bound = argument!.GetValue<int>();
                        if ((keyword == "minItems" && sized.Count < bound) || (keyword == "maxItems" && sized.Count > bound))
                        {
                            errors.Add($"{at}: {sized.Count} items breaks {keyword} {bound}");
                        }
                    }

                    break;
                case "minLength":
                    if (value is JsonValue sv && sv.GetValueKind() == JsonValueKind.String && ((string)sv!).Length < argument!.GetValue<int>())
                    {
                        errors.Add($"{at}: shorter than {argument}");
                    }

                    break;
                case "$schema" or "$id" or "title" or "description" or "$defs":
                    break;
                default:
                    throw new InvalidOperationException($"The test validator does not know the keyword '{keyword}' (at {at}); teach it before using it in the schema.");
            }
        }
    }

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static bool IsType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue s && s.GetValueKind() == JsonValueKind.String,
        "boolean" => value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value is JsonValue n && n.GetValueKind() == JsonValueKind.Number,
        "integer" => value is JsonValue i && i.GetValueKind() == JsonValueKind.Number && Math.Floor(Number(i)) == Number(i),
        "null" => value is null,
        _ => throw new InvalidOperationException($"unknown type {type}"),
    };
}
