namespace CapacitySim.Duis.Catalogue;

/// <summary>Schema membership and meaning of a response code.</summary>
public readonly partial record struct ResponseCode
{
    /// <summary>True for W codes.</summary>
    public bool IsWarning => Kind == ResponseCodeKind.Warning;

    /// <summary>True when the DUIS schema's <c>ResponseCode</c> simple type allows this code.</summary>
    public bool IsDefinedBySchema => ResponseCodes.IndexOf(this) >= 0;

    /// <summary>A short meaning of the code (a cached string: reading it allocates nothing).</summary>
    public string Description => ResponseCodes.Describe(this);
}

/// <summary>
/// The response codes of the DUIS 5.4 schema (generated into <c>SchemaCodes.Generated.cs</c>) with short meanings,
/// and named codes for the conditions the simulator reports.
/// </summary>
public static partial class ResponseCodes
{
    /// <summary>Description of a code the schema does not allow.</summary>
    public const string NotInSchemaDescription = "Not a response code of the DUIS 5.4 schema";

    /// <summary>Every code the schema allows, in schema order (194 in DUIS 5.4, I, E and W codes).</summary>
    public static IReadOnlyList<ResponseCode> All => field ??= SchemaOrder.AsReadOnly();

    /// <summary>I0: success.</summary>
    public static ResponseCode Success => ResponseCode.Success;

    /// <summary>I99: acknowledgement.</summary>
    public static ResponseCode Acknowledged => ResponseCode.Acknowledged;

    /// <summary>E1: invalid User or User Role.</summary>
    public static ResponseCode InvalidUserOrRole => new(ResponseCodeKind.Error, 1);

    /// <summary>E2: the User Role is not permitted to send this Service Reference.</summary>
    public static ResponseCode RoleNotPermittedForServiceReference => new(ResponseCodeKind.Error, 2);

    /// <summary>E3: the User's status does not permit the request.</summary>
    public static ResponseCode UserStatusNotPermitted => new(ResponseCodeKind.Error, 3);

    /// <summary>E4: the User Role is not authorised for this Device at this time.</summary>
    public static ResponseCode RoleNotAuthorisedForDevice => new(ResponseCodeKind.Error, 4);

    /// <summary>E5: the Device's status is incompatible with the Service Reference.</summary>
    public static ResponseCode DeviceStatusIncompatible => new(ResponseCodeKind.Error, 5);

    /// <summary>E11: the Service Reference is not compatible with the device type.</summary>
    public static ResponseCode ServiceReferenceNotCompatibleWithDeviceType => new(ResponseCodeKind.Error, 11);

    /// <summary>E12: the Command Variant is not applicable to the request.</summary>
    public static ResponseCode CommandVariantNotApplicable => new(ResponseCodeKind.Error, 12);

    /// <summary>E13: the request type is not valid for the URL (for example a non-device request sent to Transform).</summary>
    public static ResponseCode RequestTypeNotValidForUrl => new(ResponseCodeKind.Error, 13);

    /// <summary>E17: not available for local delivery for this role or device status.</summary>
    public static ResponseCode NotAvailableForLocalDelivery => new(ResponseCodeKind.Error, 17);

    /// <summary>E19: the device does not exist.</summary>
    public static ResponseCode DeviceDoesNotExist => new(ResponseCodeKind.Error, 19);

    /// <summary>E20: the DCC cannot establish communications with the device.</summary>
    public static ResponseCode CannotCommunicateWithDevice => new(ResponseCodeKind.Error, 20);

    /// <summary>E21: no response received from the device for an On Demand or Future Dated command.</summary>
    public static ResponseCode NoResponseFromDevice => new(ResponseCodeKind.Error, 21);

    /// <summary>E30: a Future Dated command timed out.</summary>
    public static ResponseCode FutureDatedTimeout => new(ResponseCodeKind.Error, 30);

    /// <summary>The position of <paramref name="code"/> among the sorted schema codes, or -1.</summary>
    internal static int IndexOf(ResponseCode code)
        => code.Number >= 1 << 24 ? -1 : CodeSearch.IndexOf(SortedKeys, Key(code.Kind, code.Number));

    internal static string Describe(ResponseCode code)
    {
        var index = IndexOf(code);
        return index < 0 ? NotInSchemaDescription : Descriptions.Sorted[index];
    }

    private static uint Key(ResponseCodeKind kind, uint number) => ((uint)kind << 24) | number;

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
            var code = new ResponseCode((ResponseCodeKind)(keys[i] >> 24), keys[i] & 0xFF_FFFF);
            result[i] = KnownMeaning(code) ?? StructuralMeaning(code);
        }

        return result;
    }

    /// <summary>
    /// Meanings from a public DUIS response code reference (quoted in the shared FACTS.md); the schema itself gives none.
    /// </summary>
    private static string? KnownMeaning(ResponseCode code) => (code.Kind, code.Number) switch
    {
        (ResponseCodeKind.Information, 0) => "Success",
        (ResponseCodeKind.Information, 99) => "Acknowledgement: the request passed access control and was accepted for sending to the device (or a non-device request succeeded with no data to return)",
        (ResponseCodeKind.Error, 1) => "Invalid User or User Role",
        (ResponseCodeKind.Error, 2) => "User Role not permitted to send this Service Reference",
        (ResponseCodeKind.Error, 3) => "User status not permitted",
        (ResponseCodeKind.Error, 4) => "User Role not authorised for this Device at this time",
        (ResponseCodeKind.Error, 5) => "Device status incompatible with the Service Reference",
        (ResponseCodeKind.Error, 11) => "Service Reference not compatible with the device type",
        (ResponseCodeKind.Error, 12) => "Command Variant not applicable to the request",
        (ResponseCodeKind.Error, 13) => "Request type not valid for the URL",
        (ResponseCodeKind.Error, 17) => "Not available for local delivery for this User Role or Device status",
        (ResponseCodeKind.Error, 19) => "Device does not exist",
        (ResponseCodeKind.Error, 20) => "DCC cannot establish communications with the Device",
        (ResponseCodeKind.Error, 21) => "No response received from the Device for an On Demand or Future Dated command",
        (ResponseCodeKind.Error, 30) => "Time-out of a Future Dated command",
        _ => null,
    };

    /// <summary>
    /// Six-digit codes name the Service Reference they belong to (E + major + minor + sequence: E050201 is the first
    /// such error of 5.2); the meaning of each is defined by DUIS.
    /// </summary>
    private static string StructuralMeaning(ResponseCode code)
    {
        var word = code.Kind switch
        {
            ResponseCodeKind.Error => "error",
            ResponseCodeKind.Warning => "warning",
            _ => "information",
        };
        if (code.Number < 10_000)
        {
            return $"DUIS {word} {code} (meaning defined by DUIS)";
        }

        var n = code.Number;
        return $"Service Reference {n / 10_000}.{n / 100 % 100} specific {word} {n % 100:D2} (meaning defined by DUIS)";
    }
}

/// <summary>Binary search over the sorted code keys of the generated tables.</summary>
internal static class CodeSearch
{
    public static int IndexOf(ReadOnlySpan<uint> sorted, uint key)
    {
        var low = 0;
        var high = sorted.Length - 1;
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            var at = sorted[mid];
            if (at == key)
            {
                return mid;
            }

            if (at < key)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return -1;
    }
}
