namespace CapacitySim.Duis.Catalogue;

/// <summary>Schema membership and meaning of a DCC alert code.</summary>
public readonly partial record struct DccAlertCode
{
    /// <summary>True when the schema's <c>DCCAlertMessage/DCCAlertCode</c> enumeration allows this code.</summary>
    public bool IsDefinedBySchema => DccAlertCodes.IndexOf(this) >= 0;

    /// <summary>A short description of the code (a cached string: reading it allocates nothing).</summary>
    public string Description => DccAlertCodes.Describe(this);
}

/// <summary>
/// The DCC alert codes of the DUIS 5.4 schema (AD1, N1 to N65 without N32, N999; generated into
/// <c>SchemaCodes.Generated.cs</c>). The schema names the codes but not their meanings, and each N-code carries one
/// <c>DCCAlert</c> body (PowerOutageEvent, CommandFailure…), so the descriptions name the code only.
/// </summary>
public static partial class DccAlertCodes
{
    /// <summary>Description of a code the schema does not allow.</summary>
    public const string NotInSchemaDescription = "Not a DCC alert code of the DUIS 5.4 schema";

    /// <summary>Every code the schema allows, in schema order.</summary>
    public static IReadOnlyList<DccAlertCode> All => field ??= SchemaOrder.AsReadOnly();

    /// <summary>The position of <paramref name="code"/> among the sorted schema codes, or -1.</summary>
    internal static int IndexOf(DccAlertCode code) => CodeSearch.IndexOf(SortedKeys, ((uint)code.Kind << 16) | code.Number);

    internal static string Describe(DccAlertCode code)
    {
        var index = IndexOf(code);
        return index < 0 ? NotInSchemaDescription : Descriptions.Sorted[index];
    }

    /// <summary>
    /// Descriptions in the order of SortedKeys. A nested holder, so they are built on first use, once every table of
    /// the partial declarations (whose initialisation order C# leaves open) is in place.
    /// </summary>
    private static class Descriptions
    {
        public static readonly string[] Sorted = BuildDescriptions();
    }

    private static string[] BuildDescriptions()
    {
        var keys = SortedKeys;
        var result = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var code = new DccAlertCode((DccAlertCodeKind)(keys[i] >> 16), (ushort)keys[i]);
            result[i] = $"DCC alert {code} (meaning defined by DUIS)";
        }

        return result;
    }
}
