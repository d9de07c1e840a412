namespace CapacitySim.Duis;

/// <summary>The XML namespaces DUIS messages use, as strings and as UTF-8 bytes.</summary>
public static class DuisNamespaces
{
    /// <summary>Service User Gateway: requests, responses, alerts (prefix <c>sr</c> by convention).</summary>
    public const string ServiceUserGateway = "http://www.dccinterface.co.uk/ServiceUserGateway";

    /// <summary>Response and Alert (the MMC schema; prefix <c>ra</c>), used inside SMETS1 responses.</summary>
    public const string ResponseAndAlert = "http://www.dccinterface.co.uk/ResponseAndAlert";

    /// <summary>XML digital signatures (prefix <c>ds</c>).</summary>
    public const string XmlDsig = "http://www.w3.org/2000/09/xmldsig#";

    /// <summary>Service User Gateway namespace as UTF-8.</summary>
    public static ReadOnlySpan<byte> ServiceUserGatewayUtf8 => "http://www.dccinterface.co.uk/ServiceUserGateway"u8;

    /// <summary>Response and Alert namespace as UTF-8.</summary>
    public static ReadOnlySpan<byte> ResponseAndAlertUtf8 => "http://www.dccinterface.co.uk/ResponseAndAlert"u8;

    /// <summary>XMLDSig namespace as UTF-8.</summary>
    public static ReadOnlySpan<byte> XmlDsigUtf8 => "http://www.w3.org/2000/09/xmldsig#"u8;

    /// <summary>The schema version this library writes.</summary>
    public const string SchemaVersion = "5.4";
}
