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
/// Two gaps of the .NET XSD engine against DUIS are worked around here, and only these two:
/// <list type="bullet">
/// <item><c>ds:X509SerialNumber</c> is <c>xs:integer</c>, which .NET limits to the decimal range (about 29 digits);
/// real certificate serials are 128-bit (39 digits). It becomes a pattern of an optional sign and digits.</item>
/// <item><c>xs:date</c> in .NET rejects years above 9999, but DUIS schedules use year 65535 as "no end"
/// (<c>65535-04-29Z</c>). The <c>StartDate</c>/<c>EndDate</c> of <c>ScheduleDatesAndTimeWithoutWildcards</c>
/// (DUIS and MMC) become a date pattern with a 4 or 5 digit year.</item>
/// </list>
/// Everything else stays as the schema says. The XMLDSig schema is the one file read with DTD processing on
/// (it names the W3C XMLSchema DTD, mapped to the local copy); messages are always read with DTDs prohibited.
/// </remarks>
public sealed class DuisSchema
{
    private const string XsNamespace = "http://www.w3.org/2001/XMLSchema";
    private const string DatePattern = "-?[0-9]{4,5}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+\\-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?";

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
        BindImports(mmc, dsig, mmc);

        var duis = ReadSchema(Path.Combine(dir, DuisMaterial.SchemaFileName), resolver, DtdProcessing.Prohibit);
        PatchScheduleDates(duis);
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

    private static XmlSchemaSimpleType PatternType(string pattern)
    {
        var restriction = new XmlSchemaSimpleTypeRestriction { BaseTypeName = new XmlQualifiedName("token", XsNamespace) };
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
