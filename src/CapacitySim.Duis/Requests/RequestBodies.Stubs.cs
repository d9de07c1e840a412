namespace CapacitySim.Duis.Requests;

public static partial class RequestBodies
{

    private static RequestBodyInfo[] SupplyAndLoadControl() => [];

    private static RequestBodyInfo[] InstallAndMaintain() => [];

    private static RequestBodyInfo[] FirmwareAndOther() => [];
}
