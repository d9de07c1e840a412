using System.Xml;
using System.Xml.Schema;

namespace CapacitySim.Duis.Validation;

/// <summary>One schema validation finding, with the position in the message.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Message">What the validator said.</param>
/// <param name="Line">1-based line in the message (0 when unknown).</param>
/// <param name="Column">1-based column in the message (0 when unknown).</param>
public sealed record DuisSchemaFinding(XmlSeverityType Severity, string Message, int Line, int Column)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Line}:{Column}: {Severity.ToString().ToLowerInvariant()}: {Message}";
}

/// <summary>
/// The DUIS v5.4 schema (with the MMC and XMLDSig schemas it imports), loaded from a DUIS material folder and
/// compiled once; validates whole messages. Thread-safe after construction.
/// </summary>
/// <remarks>
/// Three gaps of the .NET XSD engine against DUIS are worked around here, and only these three:
/// <list type="bullet">
/// <item><c>ds:X509SerialNumber</c> is <c>xs:integer</c>, which .NET limits to the decimal range (about 29 digits);
/// real certificate serials are 128-bit (39 digits). It becomes a pattern of an optional sign and digits.</item>
/// <item><c>xs:date</c> in .NET rejects years above 9999, but DUIS schedules use year 65535 as "no end"
/// (<c>65535-04-29Z</c>). The <c>StartDate</c>/<c>EndDate</c> of <c>ScheduleDatesAndTimeWithoutWildcards</c>
/// (DUIS and MMC) become a date pattern with a 4 or 5 digit year.</item>
/// <item>XML Schema bounds a time-zone offset of <c>xs:dateTime</c>, <c>xs:date</c> and <c>xs:time</c> to ±14:00
/// (minutes 00 to 59), but .NET takes any two digits, so <c>ExecutionDateTime</c> <c>2030-01-15T09:00:00+25:00</c>
/// or <c>-99:99</c> passed. Every use of those three types in DUIS and MMC (elements, attributes, derived types)
/// becomes a restriction of the same type with a pattern that bounds the offset, so the value checks of the
/// built-in type still apply.</item>
/// </list>
/// Everything else stays as the schema says. The XMLDSig schema is the one file read with DTD processing on
/// (it names the W3C XMLSchema DTD, mapped to the local copy); messages are always read with DTDs prohibited.
/// </remarks>
public sealed class DuisSchema
{
    private const string XsNamespace = "http://www.w3.org/2001/XMLSchema";
    // An optional time zone: Z, or an offset from -14:00 to +14:00.
    private const string ZonePattern = "(Z|[+\\-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?";
    private const string DatePattern = "-?[0-9]{4,5}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])" + ZonePattern;

    // The built-in types whose offset .NET leaves unbounded, each with the lexical form it keeps (the built-in type
    // still checks the values) and a bounded zone.
    private static readonly (string BuiltIn, string Pattern)[] ZonedTypes =
    [
        ("dateTime", "-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?" + ZonePattern),
        ("date", "-?[0-9]{4,}-[0-9]{2}-[0-9]{2}" + ZonePattern),
        ("time", "[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?" + ZonePattern),
    ];

    private DuisSchema(XmlSchemaSet set) => SchemaSet = set;

    /// <summary>The compiled schema set (DUIS, MMC, XMLDSig).</summary>
    public XmlSchemaSet SchemaSet { get; }

    /// <summary>Loads and compiles the schema from <paramref name="material"/>'s <c>schema/</c> folder.</summary>
    /// <exception cref="FileNotFoundException">The folder lacks one of the schema files.</exception>
    /// <exception cref="XmlSchemaException">The schema does not compile.</exception>
    public static DuisSchema Load(DuisMaterial material)
    {
        ArgumentNullException.ThrowIfNull(material);
        return Load(material.SchemaDirectory);
    }

    /// <summary>Loads and compiles the schema from a folder holding the DUIS, MMC and XMLDSig XSDs.</summary>
    public static DuisSchema Load(string schemaDirectory)
    {
        ArgumentNullException.ThrowIfNull(schemaDirectory);
        var dir = Path.GetFullPath(schemaDirectory);
        var resolver = new LocalSchemaResolver(dir);

        var dsig = ReadSchema(Path.Combine(dir, "xmldsig-core-schema.xsd"), resolver, DtdProcessing.Parse);
        ReplaceElementType(dsig, "X509IssuerSerialType", "X509SerialNumber", PatternType("-?[0-9]+"));

        var mmc = ReadSchema(Path.Combine(dir, "MMC Schema V5.4.xsd"), resolver, DtdProcessing.Prohibit);
        PatchScheduleDates(mmc);
        BoundTimeZones(mmc);
        BindImports(mmc, dsig, mmc);

        var duis = ReadSchema(Path.Combine(dir, DuisMaterial.SchemaFileName), resolver, DtdProcessing.Prohibit);
        PatchScheduleDates(duis);
        BoundTimeZones(duis);
        BindImports(duis, dsig, mmc);

        var errors = new List<string>();
        var set = new XmlSchemaSet { XmlResolver = resolver };
        set.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message}");
        set.Add(duis);
        set.Compile();
        if (errors.Count > 0)
        {
            throw new XmlSchemaException($"DUIS schema in '{dir}' did not compile: {string.Join("; ", errors)}");
        }

        return new DuisSchema(set);
    }

    /// <summary>Validates a whole message; returns every finding (empty when valid). Malformed XML is one finding.</summary>
    public IReadOnlyList<DuisSchemaFinding> Validate(ReadOnlySpan<byte> message)
    {
        using var stream = new MemoryStream(message.ToArray(), writable: false);
        return Validate(stream);
    }

    /// <summary>Validates a whole message read from <paramref name="message"/>.</summary>
    public IReadOnlyList<DuisSchemaFinding> Validate(Stream message)
    {
        var findings = new List<DuisSchemaFinding>();
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = SchemaSet,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
        };
        settings.ValidationEventHandler += (_, e) =>
            findings.Add(new DuisSchemaFinding(e.Severity, e.Message, e.Exception?.LineNumber ?? 0, e.Exception?.LinePosition ?? 0));
        try
        {
            using var reader = XmlReader.Create(message, settings);
            while (reader.Read())
            {
            }
        }
        catch (XmlException ex)
        {
            findings.Add(new DuisSchemaFinding(XmlSeverityType.Error, ex.Message, ex.LineNumber, ex.LinePosition));
        }

        return findings;
    }

    private static XmlSchema ReadSchema(string path, XmlResolver resolver, DtdProcessing dtd)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"DUIS schema file missing: '{path}'.", path);
        }

        var settings = new XmlReaderSettings { DtdProcessing = dtd, XmlResolver = resolver };
        using var reader = XmlReader.Create(path, settings);
        var errors = new List<string>();
        var schema = XmlSchema.Read(reader, (_, e) => errors.Add(e.Message))
            ?? throw new XmlSchemaException($"'{path}' is not an XML schema.");
        if (errors.Count > 0)
        {
            throw new XmlSchemaException($"'{path}': {string.Join("; ", errors)}");
        }

        schema.SourceUri = new Uri(path).AbsoluteUri;
        return schema;
    }

    /// <summary>Points the imports at the already-read (and patched) schemas instead of letting the set reload them.</summary>
    private static void BindImports(XmlSchema schema, XmlSchema dsig, XmlSchema mmc)
    {
        foreach (var external in schema.Includes)
        {
            if (external is XmlSchemaImport import)
            {
                import.Schema = import.Namespace switch
                {
                    DuisNamespaces.XmlDsig => dsig,
                    DuisNamespaces.ResponseAndAlert => mmc,
                    _ => null,
                };
            }
        }
    }

    private static void PatchScheduleDates(XmlSchema schema)
    {
        ReplaceElementType(schema, "ScheduleDatesAndTimeWithoutWildcards", "StartDate", PatternType(DatePattern));
        ReplaceElementType(schema, "ScheduleDatesAndTimeWithoutWildcards", "EndDate", PatternType(DatePattern));
    }

    /// <summary>
    /// Adds to <paramref name="schema"/> one named type per <see cref="ZonedTypes"/> entry and points every reference to
    /// the built-in type at it. Named, because a simple-content extension (MMC extends <c>xs:dateTime</c> with
    /// attributes) can only name its base.
    /// </summary>
    private static void BoundTimeZones(XmlSchema schema)
    {
        var map = new Dictionary<XmlQualifiedName, XmlQualifiedName>();
        var added = new List<XmlSchemaSimpleType>();
        foreach (var (builtIn, pattern) in ZonedTypes)
        {
            var name = $"CapacitySimZoneBounded-{builtIn}";
            foreach (var item in schema.Items)
            {
                if (item is XmlSchemaType { Name: var existing } && existing == name)
                {
                    throw new XmlSchemaException($"Schema '{schema.SourceUri}' already has a type named {name}.");
                }
            }

            var type = PatternType(pattern, builtIn);
            type.Name = name;
            added.Add(type);
            map.Add(new XmlQualifiedName(builtIn, XsNamespace), new XmlQualifiedName(name, schema.TargetNamespace));
        }

        foreach (var item in schema.Items)
        {
            Retype(item, map);
        }

        foreach (var type in added)
        {
            schema.Items.Add(type);
        }
    }

    /// <summary>Points every type reference under <paramref name="item"/> that <paramref name="map"/> names at its replacement.</summary>
    private static void Retype(XmlSchemaObject? item, Dictionary<XmlQualifiedName, XmlQualifiedName> map)
    {
        XmlQualifiedName Map(XmlQualifiedName name) => map.TryGetValue(name, out var to) ? to : name;

        void All(XmlSchemaObjectCollection items)
        {
            foreach (var child in items)
            {
                Retype(child, map);
            }
        }

        switch (item)
        {
            case XmlSchemaElement element:
                element.SchemaTypeName = Map(element.SchemaTypeName);
                Retype(element.SchemaType, map);
                break;
            case XmlSchemaAttribute attribute:
                attribute.SchemaTypeName = Map(attribute.SchemaTypeName);
                Retype(attribute.SchemaType, map);
                break;
            case XmlSchemaComplexType complex:
                Retype(complex.ContentModel, map);
                Retype(complex.Particle, map);
                All(complex.Attributes);
                break;
            case XmlSchemaContentModel model:
                Retype(model.Content, map);
                break;
            case XmlSchemaSimpleContentExtension extension:
                extension.BaseTypeName = Map(extension.BaseTypeName);
                All(extension.Attributes);
                break;
            case XmlSchemaSimpleContentRestriction restriction:
                restriction.BaseTypeName = Map(restriction.BaseTypeName);
                Retype(restriction.BaseType, map);
                All(restriction.Attributes);
                break;
            case XmlSchemaComplexContentExtension extension:
                Retype(extension.Particle, map);
                All(extension.Attributes);
                break;
            case XmlSchemaComplexContentRestriction restriction:
                Retype(restriction.Particle, map);
                All(restriction.Attributes);
                break;
            case XmlSchemaGroupBase group:
                All(group.Items);
                break;
            case XmlSchemaGroup group:
                Retype(group.Particle, map);
                break;
            case XmlSchemaAttributeGroup group:
                All(group.Attributes);
                break;
            case XmlSchemaSimpleType simple:
                Retype(simple.Content, map);
                break;
            case XmlSchemaSimpleTypeRestriction restriction:
                restriction.BaseTypeName = Map(restriction.BaseTypeName);
                Retype(restriction.BaseType, map);
                break;
            case XmlSchemaSimpleTypeList list:
                list.ItemTypeName = Map(list.ItemTypeName);
                Retype(list.ItemType, map);
                break;
            case XmlSchemaSimpleTypeUnion union:
                if (union.MemberTypes is { } members)
                {
                    for (var i = 0; i < members.Length; i++)
                    {
                        members[i] = Map(members[i]);
                    }
                }

                All(union.BaseTypes);
                break;
        }
    }

    private static XmlSchemaSimpleType PatternType(string pattern, string baseType = "token")
    {
        var restriction = new XmlSchemaSimpleTypeRestriction { BaseTypeName = new XmlQualifiedName(baseType, XsNamespace) };
        restriction.Facets.Add(new XmlSchemaPatternFacet { Value = pattern });
        return new XmlSchemaSimpleType { Content = restriction };
    }

    private static void ReplaceElementType(XmlSchema schema, string complexTypeName, string elementName, XmlSchemaSimpleType type)
    {
        foreach (var item in schema.Items)
        {
            if (item is XmlSchemaComplexType complex && complex.Name == complexTypeName
                && complex.Particle is XmlSchemaSequence sequence)
            {
                foreach (var particle in sequence.Items)
                {
                    if (particle is XmlSchemaElement element && element.Name == elementName)
                    {
                        element.SchemaTypeName = XmlQualifiedName.Empty;
                        element.SchemaType = type;
                        return;
                    }
                }
            }
        }

        throw new XmlSchemaException($"Schema '{schema.SourceUri}' has no element {elementName} in type {complexTypeName}; is this the DUIS v5.4 schema?");
    }

    /// <summary>Resolves schema files inside the schema folder and the W3C DTD names to their local copies; nothing else.</summary>
    private sealed class LocalSchemaResolver(string directory) : XmlUrlResolver
    {
        public override Uri ResolveUri(Uri? baseUri, string? relativeUri)
        {
            if (relativeUri is not null && relativeUri.StartsWith("http://www.w3.org/", StringComparison.Ordinal))
            {
                var name = relativeUri[(relativeUri.LastIndexOf('/') + 1)..];
                return new Uri(Path.Combine(directory, name));
            }

            return base.ResolveUri(baseUri, relativeUri);
        }

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            if (!absoluteUri.IsFile || !Path.GetFullPath(absoluteUri.LocalPath).StartsWith(directory, StringComparison.Ordinal))
            {
                throw new XmlException($"DUIS schema loading refused to fetch '{absoluteUri}': only files in '{directory}' are read.");
            }

            return base.GetEntity(absoluteUri, role, ofObjectToReturn);
        }
    }
}
