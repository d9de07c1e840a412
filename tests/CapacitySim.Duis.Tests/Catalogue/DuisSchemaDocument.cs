using System.Xml.Linq;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Duis.Tests.Catalogue;

/// <summary>The shared DUIS schema read as plain XML, to compare the generated tables with it.</summary>
internal static class DuisSchemaDocument
{
    public static readonly XNamespace Xs = "http://www.w3.org/2001/XMLSchema";

    private static readonly Lazy<XDocument> Document = new(
        () => XDocument.Load(Path.Combine(SharedDuis.Directory, "schema", DuisMaterial.SchemaFileName)));

    public static XDocument Schema => Document.Value;

    public static XElement SimpleType(string name)
        => Schema.Root!.Elements(Xs + "simpleType").Single(e => (string?)e.Attribute("name") == name);

    public static List<string> Enumeration(XElement owner)
        => owner.Descendants(Xs + "enumeration").Select(e => (string)e.Attribute("value")!).ToList();
}
