namespace CapacitySim.Duis.Catalogue;

/// <summary>
/// The three DUIS web services a request is posted to. The value is the letter that ends the service's path
/// (<c>/api/v1/serviceS</c>), as DCC Boxed names them.
/// </summary>
public enum DuisWebService : byte
{
    /// <summary>No web service (a command variant no request may carry).</summary>
    None = 0,

    /// <summary>Send Command (SC in the schema's CommandVariant table): CV 1, 3, 5, 7, answered later by the Receive Response Service.</summary>
    SendCommand = (byte)'S',

    /// <summary>DCC Only (DO in the schema's table): CV 2, 6 (local delivery) and 8 (non-device), answered synchronously.</summary>
    NonDevice = (byte)'D',

    /// <summary>Transform (T in the schema's table): CV 4, answered synchronously with a Pre-Command.</summary>
    Transform = (byte)'T',
}

/// <summary>Which web service each command variant uses, and the services' paths.</summary>
public static class DuisWebServices
{
    /// <summary>Path of the Send Command service.</summary>
    public const string SendCommandPath = "/api/v1/serviceS";

    /// <summary>Path of the Non-Device (DCC Only) service.</summary>
    public const string NonDevicePath = "/api/v1/serviceD";

    /// <summary>Path of the Transform service.</summary>
    public const string TransformPath = "/api/v1/serviceT";

    // Bit n = CV n, as in CommandVariantSet.Mask.
    private const ushort SendCommandMask = (1 << 1) | (1 << 3) | (1 << 5) | (1 << 7);
    private const ushort NonDeviceMask = (1 << 2) | (1 << 6) | (1 << 8);
    private const ushort TransformMask = 1 << 4;

    /// <summary>
    /// The web service a request with <paramref name="variant"/> is sent to, from the "Req WS" column of the
    /// CommandVariant table in the DUIS schema: SC for 1, 3, 5, 7; DO for 2, 6, 8; T for 4.
    /// </summary>
    public static DuisWebService ForCommandVariant(CommandVariant variant) => variant switch
    {
        CommandVariant.NonCriticalToDevice => DuisWebService.SendCommand,
        CommandVariant.NonCriticalLocalDelivery => DuisWebService.NonDevice,
        CommandVariant.NonCriticalToDeviceAndLocalDelivery => DuisWebService.SendCommand,
        CommandVariant.CriticalTransform => DuisWebService.Transform,
        CommandVariant.CriticalSignedToDevice => DuisWebService.SendCommand,
        CommandVariant.CriticalSignedLocalDelivery => DuisWebService.NonDevice,
        CommandVariant.CriticalSignedToDeviceAndLocalDelivery => DuisWebService.SendCommand,
        CommandVariant.NonDevice => DuisWebService.NonDevice,
        _ => DuisWebService.None,
    };

    /// <summary>The command variants a web service accepts (the inverse of <see cref="ForCommandVariant"/>).</summary>
    public static CommandVariantSet AcceptedCommandVariants(DuisWebService service) => service switch
    {
        DuisWebService.SendCommand => CommandVariantSet.FromMask(SendCommandMask),
        DuisWebService.NonDevice => CommandVariantSet.FromMask(NonDeviceMask),
        DuisWebService.Transform => CommandVariantSet.FromMask(TransformMask),
        _ => CommandVariantSet.Empty,
    };

    /// <summary>The service's path, such as <c>/api/v1/serviceS</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="service"/> is not one of the three services.</exception>
    public static string GetPath(DuisWebService service) => service switch
    {
        DuisWebService.SendCommand => SendCommandPath,
        DuisWebService.NonDevice => NonDevicePath,
        DuisWebService.Transform => TransformPath,
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "Not a DUIS web service."),
    };

    /// <summary>The service's path as UTF-8, or empty for <see cref="DuisWebService.None"/>.</summary>
    public static ReadOnlySpan<byte> GetPathUtf8(DuisWebService service) => service switch
    {
        DuisWebService.SendCommand => "/api/v1/serviceS"u8,
        DuisWebService.NonDevice => "/api/v1/serviceD"u8,
        DuisWebService.Transform => "/api/v1/serviceT"u8,
        _ => default,
    };

    /// <summary>The service whose path is exactly <paramref name="path"/> (case-sensitive), if any.</summary>
    public static bool TryFromPath(ReadOnlySpan<char> path, out DuisWebService service)
    {
        service = path switch
        {
            SendCommandPath => DuisWebService.SendCommand,
            NonDevicePath => DuisWebService.NonDevice,
            TransformPath => DuisWebService.Transform,
            _ => DuisWebService.None,
        };
        return service != DuisWebService.None;
    }
}
