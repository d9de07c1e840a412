using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Requests;

/// <summary>
/// Built-in example request bodies, one for every Service Reference Variant of DUIS v5.4, so that any service
/// request can be produced without user-supplied templates. Values are plausible for a domestic dual-fuel
/// installation (see <see cref="ExampleDeviceId"/>); the data is grouped by service reference family in the
/// partial files beside this one.
/// </summary>
public static partial class RequestBodies
{
    /// <summary>
    /// BusinessTargetID of non-device requests (command variant 8): the DCC's own EUI-64
    /// <c>90-B3-D5-1F-30-00-00-02</c>, which DCC reference requests for 5.x, 8.3, 8.6, 8.13, 8.14.x, 11.1 and 12.1
    /// address, and which also signs the DCC's responses.
    /// </summary>
    public static Eui64 DccTarget { get; } = new(0x90B3D51F30000002);

    private static readonly RequestBodyInfo[] Entries = Collect();

    private static readonly FrozenDictionary<int, RequestBodyInfo> ByKey = Entries.ToFrozenDictionary(e => e.Variant.Key);

    /// <summary>Every built-in body, ordered by service reference variant.</summary>
    public static IReadOnlyList<RequestBodyInfo> All => Entries;

    /// <summary>Finds the built-in body of a variant (no allocation).</summary>
    public static bool TryGet(ServiceReferenceVariant variant, [NotNullWhen(true)] out RequestBodyInfo? info)
        => ByKey.TryGetValue(variant.Key, out info);

    /// <summary>The built-in body of a variant, or a <see cref="KeyNotFoundException"/> naming it.</summary>
    public static RequestBodyInfo Get(ServiceReferenceVariant variant)
        => TryGet(variant, out var info) ? info : ThrowUnknown(variant);

    /// <summary>
    /// The EUI-64 the example bodies use for a device of the given type: the devices of DCC Boxed's reference premises
    /// (00-DB-12-34-56-78-90-A0 electricity meter, A1 gas meter, A2 hub, A3 gas proxy, A4 PPMID, A5 HCALCS, and the
    /// IHD 00-DB-12-34-56-78-90-9C), which the simulated DCC's default estate holds, or <see cref="DccTarget"/>
    /// for <see cref="DeviceType.Dcc"/>; <see cref="DeviceType.AnyHanDevice"/> and <see cref="DeviceType.Unknown"/> give
    /// the electricity meter. Useful as the BusinessTargetID of a request built from these bodies.
    /// </summary>
    public static Eui64 ExampleDeviceId(DeviceType type) => type switch
    {
        DeviceType.ElectricityMeter => ExampleEsme,
        DeviceType.GasMeter => ExampleGsme,
        DeviceType.CommunicationsHub => ExampleChf,
        DeviceType.GasProxy => ExampleGpf,
        DeviceType.Ppmid => ExamplePpmid,
        DeviceType.Hcalcs => ExampleHcalcs,
        DeviceType.InHomeDisplay => ExampleIhd,
        DeviceType.Dcc => DccTarget,
        _ => ExampleEsme,
    };

    /// <summary>
    /// The whole unsigned request for a variant, in exclusive canonical form (UTF-8): header with the given
    /// RequestID and command variant, and the built-in body. Not for the hot path: it allocates.
    /// </summary>
    public static byte[] BuildRequest(ServiceReferenceVariant variant, RequestId requestId, CommandVariant commandVariant)
    {
        var info = Get(variant);
        var sb = new StringBuilder(256 + info.BodyXml.Length);
        sb.Append("<sr:Request xmlns:sr=\"").Append(DuisNamespaces.ServiceUserGateway)
            .Append("\" schemaVersion=\"").Append(DuisNamespaces.SchemaVersion).Append("\"><sr:Header><sr:RequestID>")
            .Append(requestId.ToString()).Append("</sr:RequestID><sr:CommandVariant>")
            .Append((byte)commandVariant).Append("</sr:CommandVariant><sr:ServiceReference>")
            .Append(variant.ServiceReference.ToString()).Append("</sr:ServiceReference><sr:ServiceReferenceVariant>")
            .Append(variant.ToString()).Append("</sr:ServiceReferenceVariant></sr:Header><sr:Body>")
            .Append(info.BodyXml).Append("</sr:Body></sr:Request>");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>The whole unsigned request with the variant's default command variant.</summary>
    public static byte[] BuildRequest(ServiceReferenceVariant variant, RequestId requestId)
        => BuildRequest(variant, requestId, Get(variant).DefaultCommandVariant);

    private static readonly Eui64 ExampleEsme = new(0x00DB1234567890A0);
    private static readonly Eui64 ExampleGsme = new(0x00DB1234567890A1);
    private static readonly Eui64 ExampleChf = new(0x00DB1234567890A2);
    private static readonly Eui64 ExampleGpf = new(0x00DB1234567890A3);
    private static readonly Eui64 ExamplePpmid = new(0x00DB1234567890A4);
    private static readonly Eui64 ExampleHcalcs = new(0x00DB1234567890A5);
    private static readonly Eui64 ExampleIhd = new(0x00DB12345678909C);

    private static RequestBodyInfo[] Collect()
    {
        RequestBodyInfo[][] families = [TariffPrepaymentAndDisplay(), Reads(), Schedules(), Configuration(), SupplyAndLoadControl(), InstallAndMaintain(), FirmwareAndOther()];
        var all = families.SelectMany(f => f).OrderBy(e => e.Variant.Key).ToArray();
        for (var i = 1; i < all.Length; i++)
        {
            if (all[i].Variant == all[i - 1].Variant)
            {
                throw new InvalidOperationException($"Two built-in bodies for {all[i].Variant}.");
            }
        }

        return all;
    }

    /// <summary>A non-critical request sent to the device (command variant 1).</summary>
    private static RequestBodyInfo Device(string variant, DeviceType target, string prettyXml)
        => new(ServiceReferenceVariant.Parse(variant), target, CommandVariant.NonCriticalToDevice, Compact(prettyXml));

    /// <summary>A critical request, first sent for transformation (command variant 4).</summary>
    private static RequestBodyInfo Critical(string variant, DeviceType target, string prettyXml)
        => new(ServiceReferenceVariant.Parse(variant), target, CommandVariant.CriticalTransform, Compact(prettyXml));

    /// <summary>A non-device request answered by the DCC (command variant 8).</summary>
    private static RequestBodyInfo NonDevice(string variant, string prettyXml)
        => new(ServiceReferenceVariant.Parse(variant), DeviceType.Dcc, CommandVariant.NonDevice, Compact(prettyXml));

    /// <summary>
    /// The data files keep bodies indented one element per line for reading; the wire form has no whitespace
    /// between elements (no text value spans lines or is whitespace-only), which is its own canonical form.
    /// </summary>
    private static string Compact(string prettyXml)
    {
        var sb = new StringBuilder(prettyXml.Length);
        foreach (var line in prettyXml.Split('\n'))
        {
            sb.Append(line.AsSpan().Trim());
        }

        return sb.ToString();
    }

    [DoesNotReturn]
    private static RequestBodyInfo ThrowUnknown(ServiceReferenceVariant variant)
        => throw new KeyNotFoundException($"No built-in request body for Service Reference Variant {variant}.");
}
