using System.Globalization;
using CapacitySim.Devices.Configuration;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Signing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Dcc.Users;

/// <summary>
/// Reads the DCC's users from YAML:
/// <code>
/// users:
///   - name: DCC Boxed supplier
///     eui: 90-B3-D5-1F-30-01-00-00
///     roles: [IS, ES, GS]              # DUIS user role codes: IS, ES, GS, ED, GT, OU, RSA
///     status: active                   # or suspended (requests get E3); default active
///     responseEndpoint: http://localhost:8080/receive-response
///     certificate: xml-sign-90B3D51F30010000-ds   # optional key-store stem; default: every certificate of the EUI
///     additionalServices: ["8.5", "8.6"]          # optional SRVs beyond the roles' eligibility
/// </code>
/// Every problem is reported at once, each with file, line and column.
/// </summary>
public static class UsersFile
{
    /// <summary>The default users file, relative to the repository root.</summary>
    public const string DefaultRelativePath = "scenarios/users/default.yaml";

    private static readonly HashSet<string> UserKeys =
        ["name", "eui", "roles", "status", "responseEndpoint", "certificate", "additionalServices"];

    /// <summary>Reads a users file.</summary>
    /// <param name="path">The YAML file.</param>
    /// <param name="keys">When given, certificate stems are checked against it.</param>
    /// <exception cref="ConfigException">The file has errors (all of them are listed).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static UserDirectory Load(string path, DuisKeyStore? keys = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Users file not found: '{path}'.", path);
        }

        using var reader = new StreamReader(path);
        return Parse(reader, path, keys);
    }

    /// <summary>The shipped default users, <c>scenarios/users/default.yaml</c> (built into this assembly).</summary>
    public static UserDirectory Default(DuisKeyStore? keys = null)
    {
        const string resource = "CapacitySim.Dcc.Users.default.yaml";
        using var stream = typeof(UsersFile).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The default users file ({resource}) is not embedded in {typeof(UsersFile).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader, DefaultRelativePath, keys);
    }

    /// <summary>Reads users from YAML text; <paramref name="name"/> names it in error messages.</summary>
    /// <exception cref="ConfigException">The text has errors (all of them are listed).</exception>
    public static UserDirectory Parse(TextReader yaml, string name, DuisKeyStore? keys = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(name);
        return new Reader(name, keys).Read(yaml.ReadToEnd());
    }

    /// <summary>Reads one users file on the positioned YAML layer, so its mistakes are reported like every other file's.</summary>
    private sealed class Reader(string name, DuisKeyStore? keys) : YamlFileReader(name)
    {
        public UserDirectory Read(string text)
        {
            if (LoadStream(text) is not { } stream)
            {
                throw Failure();
            }

            var users = new List<DuisUser>();
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                Error(new SourcePosition(1, 1), "Expected a mapping with a 'users' list.");
                throw Failure();
            }

            YamlSequenceNode? list = null;
            foreach (var (keyNode, value) in root.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value;
                if (key == "users" && value is YamlSequenceNode seq)
                {
                    list = seq;
                }
                else if (key == "users")
                {
                    Error(value, "'users' must be a list.");
                }
                else
                {
                    Error(keyNode, $"Unknown key '{key}' (expected 'users').");
                }
            }

            if (list is null)
            {
                if (Errors.Count == 0)
                {
                    Error(root, "Missing 'users' list.");
                }

                throw Failure();
            }

            var seen = new Dictionary<ulong, long>();
            foreach (var item in list.Children)
            {
                if (item is not YamlMappingNode map)
                {
                    Error(item, "Each user must be a mapping (name, eui, roles, responseEndpoint…).");
                    continue;
                }

                // Duplicates are found even among users with other errors, so that one pass reports everything.
                var duplicate = false;
                if (ScalarOf(map, "eui") is { Value: { } euiText } euiNode && Eui64.TryParse(euiText.Trim().AsSpan(), out var eui))
                {
                    if (seen.TryGetValue(eui.Value, out var firstLine))
                    {
                        Error(euiNode, $"EUI {eui} is already used by the user at line {firstLine}.");
                        duplicate = true;
                    }
                    else
                    {
                        seen.Add(eui.Value, map.Start.Line);
                    }
                }

                var user = ReadUser(map);
                if (user is not null && !duplicate)
                {
                    users.Add(user);
                }
            }

            if (Errors.Count > 0)
            {
                throw Failure();
            }

            return new UserDirectory(users);
        }

        private DuisUser? ReadUser(YamlMappingNode map)
        {
            var before = Errors.Count;
            string? userName = null;
            Eui64? eui = null;
            var roles = UserRoles.None;
            var rolesSeen = false;
            var status = UserStatus.Active;
            Uri? endpoint = null;
            string? stem = null;
            var extra = new List<ServiceReferenceVariant>();

            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                if (!UserKeys.Contains(key))
                {
                    Error(keyNode, $"Unknown key '{key}' (expected one of {string.Join(", ", UserKeys)}).");
                    continue;
                }

                if (key == "roles")
                {
                    rolesSeen = true;
                    roles = ReadRoles(value);
                    continue;
                }

                if (key == "additionalServices")
                {
                    ReadServices(value, extra);
                    continue;
                }

                if (value is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
                {
                    Error(value, $"'{key}' must be a non-empty value.");
                    continue;
                }

                var text = scalar.Value.Trim();
                switch (key)
                {
                    case "name":
                        userName = text;
                        break;
                    case "eui":
                        if (Eui64.TryParse(text.AsSpan(), out var parsed))
                        {
                            eui = parsed;
                        }
                        else
                        {
                            Error(value, $"'{text}' is not an EUI-64 (expected eight hex pairs such as 90-B3-D5-1F-30-01-00-00).");
                        }

                        break;
                    case "status":
                        if (string.Equals(text, "active", StringComparison.OrdinalIgnoreCase))
                        {
                            status = UserStatus.Active;
                        }
                        else if (string.Equals(text, "suspended", StringComparison.OrdinalIgnoreCase))
                        {
                            status = UserStatus.Suspended;
                        }
                        else
                        {
                            Error(value, $"Status '{text}' is not 'active' or 'suspended'.");
                        }

                        break;
                    case "responseEndpoint":
                        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                        {
                            endpoint = uri;
                        }
                        else
                        {
                            Error(value, $"Response endpoint '{text}' is not an absolute http or https URL.");
                        }

                        break;
                    default: // certificate
                        if (keys is not null && !keys.TryFindByStem(text, out _))
                        {
                            Error(value, $"Certificate '{text}' is not in the key store '{keys.Directory}'.");
                        }

                        stem = text;
                        break;
                }
            }

            if (userName is null)
            {
                Error(map, "Missing 'name'.");
            }

            if (eui is null && !HasKey(map, "eui"))
            {
                Error(map, "Missing 'eui'.");
            }

            if (!rolesSeen)
            {
                Error(map, "Missing 'roles' (one or more of IS, ES, GS, ED, GT, OU, RSA).");
            }

            if (endpoint is null && !HasKey(map, "responseEndpoint"))
            {
                Error(map, "Missing 'responseEndpoint'.");
            }

            return Errors.Count > before
                ? null
                : new DuisUser(userName!, eui!.Value, roles, status, endpoint!, stem, extra);
        }

        private UserRoles ReadRoles(YamlNode value)
        {
            if (value is not YamlSequenceNode seq || seq.Children.Count == 0)
            {
                Error(value, "'roles' must be a non-empty list of role codes (IS, ES, GS, ED, GT, OU, RSA).");
                return UserRoles.None;
            }

            var roles = UserRoles.None;
            foreach (var node in seq.Children)
            {
                var code = (node as YamlScalarNode)?.Value?.Trim();
                if (code is not null && UserRoleCodes.TryParse(code.AsSpan(), out var role))
                {
                    roles |= role;
                }
                else
                {
                    Error(node, $"'{code}' is not a DUIS user role (IS, ES, GS, ED, GT, OU, RSA).");
                }
            }

            return roles;
        }

        private void ReadServices(YamlNode value, List<ServiceReferenceVariant> into)
        {
            if (value is not YamlSequenceNode seq)
            {
                Error(value, "'additionalServices' must be a list of Service Reference Variants such as \"8.5\".");
                return;
            }

            foreach (var node in seq.Children)
            {
                var text = (node as YamlScalarNode)?.Value?.Trim();
                if (text is not null && ServiceReferenceVariant.TryParse(text.AsSpan(), out var srv) && ServiceCatalogue.Contains(srv))
                {
                    into.Add(srv);
                }
                else
                {
                    Error(node, string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a Service Reference Variant of the DUIS catalogue."));
                }
            }
        }

        private static YamlScalarNode? ScalarOf(YamlMappingNode map, string key)
        {
            foreach (var (k, v) in map.Children)
            {
                if (k is YamlScalarNode s && s.Value == key)
                {
                    return v as YamlScalarNode;
                }
            }

            return null;
        }

        private static bool HasKey(YamlMappingNode map, string key)
        {
            foreach (var (k, _) in map.Children)
            {
                if (k is YamlScalarNode s && s.Value == key)
                {
                    return true;
                }
            }

            return false;
        }

        protected override string SyntaxError(YamlException error) => error?.Message ?? string.Empty;
    }
}
