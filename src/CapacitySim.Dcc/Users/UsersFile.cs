using System.Globalization;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Signing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CapacitySim.Dcc.Users;

/// <summary>One problem in a users file, with its position.</summary>
/// <param name="File">The file (or the name given for text).</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">What is wrong.</param>
public sealed record UsersFileError(string File, long Line, long Column, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>A users file that cannot be used; <see cref="Errors"/> lists every problem found, not just the first.</summary>
public sealed class UsersFileException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public UsersFileException(IReadOnlyList<UsersFileError> errors)
        : base(Describe(errors)) => Errors = errors;

    /// <summary>Creates an exception with a message only.</summary>
    public UsersFileException()
        : this([])
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public UsersFileException(string message)
        : base(message) => Errors = [];

    /// <summary>Creates an exception with a message and a cause.</summary>
    public UsersFileException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<UsersFileError> Errors { get; }

    private static string Describe(IReadOnlyList<UsersFileError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 0
            ? "Invalid users file."
            : $"Users file has {errors.Count} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}";
    }
}

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
    /// <exception cref="UsersFileException">The file has errors (all of them are listed).</exception>
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
    /// <exception cref="UsersFileException">The text has errors (all of them are listed).</exception>
    public static UserDirectory Parse(TextReader yaml, string name, DuisKeyStore? keys = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(name);
        var errors = new List<UsersFileError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(yaml);
        }
        catch (YamlException ex)
        {
            throw new UsersFileException([new UsersFileError(name, ex.Start.Line, ex.Start.Column, ex.Message)]);
        }

        var users = new List<DuisUser>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new UsersFileError(name, 1, 1, "Expected a mapping with a 'users' list."));
            throw new UsersFileException(errors);
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
                Add(errors, name, value, "'users' must be a list.");
            }
            else
            {
                Add(errors, name, keyNode, $"Unknown key '{key}' (expected 'users').");
            }
        }

        if (list is null)
        {
            if (errors.Count == 0)
            {
                Add(errors, name, root, "Missing 'users' list.");
            }

            throw new UsersFileException(errors);
        }

        var seen = new Dictionary<ulong, long>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode map)
            {
                Add(errors, name, item, "Each user must be a mapping (name, eui, roles, responseEndpoint…).");
                continue;
            }

            // Duplicates are found even among users with other errors, so that one pass reports everything.
            var duplicate = false;
            if (ScalarOf(map, "eui") is { Value: { } euiText } euiNode && Eui64.TryParse(euiText.Trim().AsSpan(), out var eui))
            {
                if (seen.TryGetValue(eui.Value, out var firstLine))
                {
                    Add(errors, name, euiNode, $"EUI {eui} is already used by the user at line {firstLine}.");
                    duplicate = true;
                }
                else
                {
                    seen.Add(eui.Value, map.Start.Line);
                }
            }

            var user = ReadUser(map, name, keys, errors);
            if (user is not null && !duplicate)
            {
                users.Add(user);
            }
        }

        if (errors.Count > 0)
        {
            throw new UsersFileException(errors);
        }

        return new UserDirectory(users);
    }

    private static DuisUser? ReadUser(YamlMappingNode map, string file, DuisKeyStore? keys, List<UsersFileError> errors)
    {
        var before = errors.Count;
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
                Add(errors, file, keyNode, $"Unknown key '{key}' (expected one of {string.Join(", ", UserKeys)}).");
                continue;
            }

            if (key == "roles")
            {
                rolesSeen = true;
                roles = ReadRoles(value, file, errors);
                continue;
            }

            if (key == "additionalServices")
            {
                ReadServices(value, file, errors, extra);
                continue;
            }

            if (value is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
            {
                Add(errors, file, value, $"'{key}' must be a non-empty value.");
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
                        Add(errors, file, value, $"'{text}' is not an EUI-64 (expected eight hex pairs such as 90-B3-D5-1F-30-01-00-00).");
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
                        Add(errors, file, value, $"Status '{text}' is not 'active' or 'suspended'.");
                    }

                    break;
                case "responseEndpoint":
                    if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                    {
                        endpoint = uri;
                    }
                    else
                    {
                        Add(errors, file, value, $"Response endpoint '{text}' is not an absolute http or https URL.");
                    }

                    break;
                default: // certificate
                    if (keys is not null && !keys.TryFindByStem(text, out _))
                    {
                        Add(errors, file, value, $"Certificate '{text}' is not in the key store '{keys.Directory}'.");
                    }

                    stem = text;
                    break;
            }
        }

        if (userName is null)
        {
            Add(errors, file, map, "Missing 'name'.");
        }

        if (eui is null && !HasKey(map, "eui"))
        {
            Add(errors, file, map, "Missing 'eui'.");
        }

        if (!rolesSeen)
        {
            Add(errors, file, map, "Missing 'roles' (one or more of IS, ES, GS, ED, GT, OU, RSA).");
        }

        if (endpoint is null && !HasKey(map, "responseEndpoint"))
        {
            Add(errors, file, map, "Missing 'responseEndpoint'.");
        }

        return errors.Count > before
            ? null
            : new DuisUser(userName!, eui!.Value, roles, status, endpoint!, stem, extra);
    }

    private static UserRoles ReadRoles(YamlNode value, string file, List<UsersFileError> errors)
    {
        if (value is not YamlSequenceNode seq || seq.Children.Count == 0)
        {
            Add(errors, file, value, "'roles' must be a non-empty list of role codes (IS, ES, GS, ED, GT, OU, RSA).");
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
                Add(errors, file, node, $"'{code}' is not a DUIS user role (IS, ES, GS, ED, GT, OU, RSA).");
            }
        }

        return roles;
    }

    private static void ReadServices(YamlNode value, string file, List<UsersFileError> errors, List<ServiceReferenceVariant> into)
    {
        if (value is not YamlSequenceNode seq)
        {
            Add(errors, file, value, "'additionalServices' must be a list of Service Reference Variants such as \"8.5\".");
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
                Add(errors, file, node, string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a Service Reference Variant of the DUIS catalogue."));
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

    private static void Add(List<UsersFileError> errors, string file, YamlNode node, string message)
        => errors.Add(new UsersFileError(file, node.Start.Line, node.Start.Column, message));
}
