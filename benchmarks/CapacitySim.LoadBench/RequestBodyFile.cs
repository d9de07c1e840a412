using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;

namespace CapacitySim.LoadBench;

/// <summary>The unsigned DUIS request the load engine sends for an SRV (the same built-in body), as a file for wrk and the .NET client.</summary>
internal static class RequestBodyFile
{
    public static int Write(string srv, string path)
    {
        var variant = ServiceReferenceVariant.Parse(srv);
        var info = RequestBodies.Get(variant);
        var target = RequestBodies.ExampleDeviceId(info.TargetDeviceType);

        // A 16-digit counter, as the engine's (microseconds since 1970) has.
        var id = new RequestId(Eui64.Parse("90-B3-D5-1F-30-01-00-00"), target, 1_760_000_000_000_000);
        File.WriteAllBytes(path, RequestBodies.BuildRequest(variant, id));
        Console.WriteLine($"{path}: SRV {variant}, {new FileInfo(path).Length} bytes");
        return 0;
    }
}
