using System.Text;
using CapacitySim.Duis.Catalogue;

namespace CapacitySim.Duis.Requests;

/// <summary>
/// A built-in example request body for one Service Reference Variant: the body element in exclusive canonical
/// form (prefix <c>sr</c>, no namespace declarations: the enclosing <c>sr:Request</c> declares it), the device the
/// request is normally addressed to and the command variant it is normally sent with.
/// </summary>
public sealed class RequestBodyInfo
{
    internal RequestBodyInfo(ServiceReferenceVariant variant, DeviceType targetDeviceType, CommandVariant defaultCommandVariant, string bodyXml)
    {
        Variant = variant;
        TargetDeviceType = targetDeviceType;
        DefaultCommandVariant = defaultCommandVariant;
        BodyXml = bodyXml;
        BodyUtf8 = Encoding.UTF8.GetBytes(bodyXml);
        BodyElement = LocalNameOf(bodyXml);
    }

    /// <summary>The Service Reference Variant this body belongs to.</summary>
    public ServiceReferenceVariant Variant { get; }

    /// <summary>Local name of the body element (for example <c>ReadInstantaneousImportRegisters</c> for 4.1.1).</summary>
    public string BodyElement { get; }

    /// <summary>The body element (child of <c>sr:Body</c>) in exclusive canonical form, without namespace declarations.</summary>
    public string BodyXml { get; }

    /// <summary><see cref="BodyXml"/> as UTF-8, ready to copy into a message.</summary>
    public ReadOnlyMemory<byte> BodyUtf8 { get; }

    /// <summary>The device a request of this variant is normally addressed to (<see cref="DeviceType.Dcc"/> for non-device requests).</summary>
    public DeviceType TargetDeviceType { get; }

    /// <summary>
    /// The command variant the request is normally sent with: 1 (send to the device) for non-critical device requests,
    /// 4 (Transform) for critical ones, 8 for non-device requests.
    /// </summary>
    public CommandVariant DefaultCommandVariant { get; }

    /// <summary>True for requests answered by the DCC itself (command variant 8).</summary>
    public bool IsNonDevice => DefaultCommandVariant == CommandVariant.NonDevice;

    /// <summary>True for critical requests (transformed into a Pre-Command the user signs).</summary>
    public bool IsCritical => DefaultCommandVariant == CommandVariant.CriticalTransform;

    /// <inheritdoc/>
    public override string ToString() => $"{Variant} {BodyElement} ({TargetDeviceType}, CV {(byte)DefaultCommandVariant})";

    private static string LocalNameOf(string bodyXml)
    {
        // Bodies start with "<sr:Name" followed by '>' or an attribute.
        const int Start = 4;
        var end = bodyXml.AsSpan(Start).IndexOfAny('>', ' ');
        return bodyXml.Substring(Start, end);
    }
}
