using System.Buffers;
using System.Text;
using CapacitySim.Dcc.Users;
using CapacitySim.Dcc.Validation;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Templates;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Dcc.Tests.Validation;

/// <summary>A small estate: the DCC Boxed reference premises the reference requests address, and a few devices in other states.</summary>
public sealed class TestDevices : IDeviceDirectory
{
    public static readonly Eui64 Esme = Eui64.Parse("00-DB-12-34-56-78-90-A0");
    public static readonly Eui64 Gsme = Eui64.Parse("00-DB-12-34-56-78-90-A1");
    public static readonly Eui64 Chf = Eui64.Parse("00-DB-12-34-56-78-90-A2");
    public static readonly Eui64 Gpf = Eui64.Parse("00-DB-12-34-56-78-90-A3");
    public static readonly Eui64 Ppmid = Eui64.Parse("00-DB-12-34-56-78-90-A4");
    public static readonly Eui64 DecommissionedEsme = Eui64.Parse("00-DB-12-34-56-78-90-B0");
    public static readonly Eui64 SuspendedEsme = Eui64.Parse("00-DB-12-34-56-78-90-B1");
    public static readonly Eui64 Missing = Eui64.Parse("00-DB-12-34-56-78-90-FF");

    private readonly Dictionary<ulong, DeviceRecord> devices = [];

    public TestDevices()
    {
        // The reference premises exactly as the simulated DCC's default estate holds them, so that a sample accepted
        // here is accepted by `capacitysim dcc` too.
        foreach (var (eui, type) in ReferencePremises.Devices)
        {
            Add(eui, type);
        }

        Add(DecommissionedEsme, DeviceType.ElectricityMeter, DeviceStatus.Decommissioned);
        Add(SuspendedEsme, DeviceType.ElectricityMeter, DeviceStatus.Suspended);
    }

    public int Count => devices.Count;

    public bool TryFind(Eui64 eui, out DeviceRecord device) => devices.TryGetValue(eui.Value, out device);

    private void Add(Eui64 eui, DeviceType type, DeviceStatus status = DeviceStatus.Commissioned)
        => devices.Add(eui.Value, new DeviceRecord(devices.Count, eui, type, DeviceGeneration.Smets2, status, CspRegion.Central, 0, 0, 0, 0));
}

/// <summary>The shared DUIS material, the default users file, and helpers to build and sign requests.</summary>
public static class ValidationFixture
{
    public static readonly Eui64 Supplier = Eui64.Parse("90-B3-D5-1F-30-01-00-00");
    public static readonly Eui64 NetworkOperator = Eui64.Parse("90-B3-D5-1F-30-02-00-00");

    private static readonly Lazy<DuisKeyStore> LazyKeys = new(() => DuisKeyStore.Load(SharedDuis.Keys));

    public static DuisKeyStore Keys => LazyKeys.Value;

    public static string DefaultUsersPath => Path.Combine(SharedDuis.RepositoryRoot, "scenarios", "users", "default.yaml");

    /// <summary>A fresh directory of the default users (each validator needs its own: users carry their slot index).</summary>
    public static UserDirectory DefaultUsers() => UsersFile.Load(DefaultUsersPath, Keys);

    public static RequestValidator Validator(bool verifySignatures = true, UserDirectory? users = null)
        => new(users ?? DefaultUsers(), new TestDevices(), new RequestValidatorOptions { VerifySignatures = verifySignatures, Keys = Keys });

    /// <summary>The unsigned canonical form of a sample request with its original slots.</summary>
    public static byte[] RenderSample(string fileName, RequestId? requestId = null)
    {
        var template = RequestTemplate.CompileFile(Path.Combine(SharedDuis.RequestSamples, fileName));
        var slots = requestId is { } id ? template.OriginalSlots with { RequestId = id } : template.OriginalSlots;
        var output = new ArrayBufferWriter<byte>();
        template.Render(slots, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// DCC Boxed's future-dated 1.1.2 (command variant 4, Transform service) from the supplier to the reference
    /// electricity meter, with <paramref name="id"/> and its ExecutionDateTime text replaced by
    /// <paramref name="executionDateTime"/>, signed by the supplier.
    /// </summary>
    public static byte[] SignedFutureDated(RequestId id, string executionDateTime)
    {
        const string SampleExecution = "2030-01-15T09:00:00.00Z";
        var sample = Text(RenderSample("ECS01c_1.1.2_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML", id));
        Assert.Contains(SampleExecution, sample, StringComparison.Ordinal);
        return Sign(Utf8(sample.Replace(SampleExecution, executionDateTime, StringComparison.Ordinal)), Supplier);
    }

    /// <summary>An unsigned canonical request built from the library's example body.</summary>
    public static byte[] Build(string srv, RequestId id, CommandVariant? commandVariant = null)
    {
        var variant = ServiceReferenceVariant.Parse(srv);
        return commandVariant is { } cv ? RequestBodies.BuildRequest(variant, id, cv) : RequestBodies.BuildRequest(variant, id);
    }

    /// <summary>Signs a canonical request with the test key of <paramref name="signer"/>.</summary>
    public static byte[] Sign(byte[] canonical, Eui64 signer)
    {
        using var fast = new FastEnvelopedSigner(Keys.IdentityFor(signer));
        var output = new ArrayBufferWriter<byte>();
        fast.WriteSigned(canonical, output);
        return output.WrittenSpan.ToArray();
    }

    public static RequestId Id(Eui64 originator, Eui64 target, ulong counter) => new(originator, target, counter);

    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
