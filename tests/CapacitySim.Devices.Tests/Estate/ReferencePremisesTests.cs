using System.Text.RegularExpressions;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Devices.Tests.Estate;

public sealed partial class ReferencePremisesTests
{
    private static readonly Eui64 Dcc = new(0x90B3D51F30000002);

    [Fact]
    public void Every_sample_request_targets_a_device_of_the_default_estate_whose_type_fits_the_sample()
    {
        var estate = EstateFixture.Default;
        var files = Directory.GetFiles(SharedDuis.RequestSamples);
        Assert.True(files.Length > 100);
        var targets = new HashSet<Eui64>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var xml = File.ReadAllText(file);
            var requestId = RequestId.Parse(RequestIdElement().Match(xml).Groups[1].Value);
            var variant = ServiceReferenceVariant.Parse(VariantElement().Match(xml).Groups[1].Value);
            if (requestId.Target == Dcc)
            {
                continue;
            }

            Assert.True(estate.TryFind(requestId.Target, out var device), $"{name}: target {requestId.Target} is not in the default estate");
            targets.Add(requestId.Target);
            Assert.Equal(0, device.Premises);
            Assert.Equal(DeviceStatus.Commissioned, device.Status);
            Assert.Equal(DeviceGeneration.Smets2, device.Generation);

            var allowed = AllowedTypes(name, variant);
            Assert.True(allowed.Contains(device.Type), $"{name} (SRV {variant}) targets {requestId.Target}, a {device.Type}; the sample implies {string.Join(" or ", allowed)}");
        }

        // A0 to A6 are all addressed by some sample.
        for (var last = 0xA0UL; last <= 0xA6UL; last++)
        {
            Assert.Contains(new Eui64(0x00DB123456789000UL | last), targets);
        }
    }

    [Fact]
    public void The_reference_devices_have_the_types_the_samples_imply()
    {
        var estate = EstateFixture.Default;
        (ulong Eui, DeviceType Type)[] expected =
        [
            (0x00DB1234567890A0, DeviceType.ElectricityMeter),
            (0x00DB1234567890A1, DeviceType.GasMeter),
            (0x00DB1234567890A2, DeviceType.CommunicationsHub),
            (0x00DB1234567890A3, DeviceType.GasProxy),
            (0x00DB1234567890A4, DeviceType.Ppmid),
            (0x00DB1234567890A5, DeviceType.Hcalcs),
            (0x00DB1234567890A6, DeviceType.ElectricityMeter),
            (0x00DB123456789097, DeviceType.Hcalcs),
            (0x00DB12345678909C, DeviceType.InHomeDisplay),
        ];
        foreach (var (eui, type) in expected)
        {
            Assert.True(estate.TryFind(new Eui64(eui), out var device), new Eui64(eui).ToString());
            Assert.Equal(type, device.Type);
            Assert.Equal(ReferencePremises.Region, device.Region);
            Assert.Equal(ReferencePremises.DmcName, estate.Dmcs[device.Dmc].Name);
            Assert.Equal(0, device.Smets1ServiceProvider);
        }

        Assert.Equal(expected.Length, estate.PremisesDevices(0).End.Value);
        Assert.Equal(ReferencePremises.KindName, estate.PremisesKinds[estate.PremisesKindIds[0]].Name);

        // The HCALCS in ECS46c's switch list is written there as an HCALCS.
        var ecs46c = File.ReadAllText(Path.Combine(SharedDuis.RequestSamples, "ECS46c_6.14.2_FUTURE_DATED_ALL_OPTIONALS_SUCCESS_REQUEST_DUIS.XML"));
        Assert.Contains("<sr:HCALCS>00-DB-12-34-56-78-90-97</sr:HCALCS>", ecs46c, StringComparison.Ordinal);
    }

    [Fact]
    public void The_other_user_of_the_dcc_boxed_keys_is_a_signer_not_a_device()
    {
        // xml-sign-00DB123456780004 is an XML signing certificate like the supplier's (role 87 in its subject's OU),
        // so 00-DB-12-34-56-78-00-04 is a party that signs requests, which the estate must not hold as a device.
        var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
            File.ReadAllText(Path.Combine(SharedDuis.Keys, "xml-sign-00DB123456780004-ds.pem")));
        var supplier = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
            File.ReadAllText(Path.Combine(SharedDuis.Keys, "xml-sign-90B3D51F30010000-ds.pem")));
        Assert.Contains("OU=87", certificate.Subject, StringComparison.Ordinal);
        Assert.Contains("OU=87", supplier.Subject, StringComparison.Ordinal);
        certificate.Dispose();
        supplier.Dispose();

        Assert.False(EstateFixture.Default.TryFind(ReferencePremises.OtherUser, out _));
        Assert.False(EstateFixture.Default.TryFind(Dcc, out _));
    }

    [Fact]
    public void Reference_registers_open_at_round_values_and_the_gas_proxy_mirrors_the_gas_meter()
    {
        var estate = EstateFixture.Default;
        var state = estate.State;
        Assert.Equal(12_345_000, state.ReadImportRegisterWh(estate.IndexOf(ReferencePremises.ElectricityMeter), state.Epoch));
        var at = state.Epoch.AddDays(3);
        Assert.Equal(
            state.ReadImportRegisterWh(estate.IndexOf(ReferencePremises.GasMeter), at),
            state.ReadImportRegisterWh(estate.IndexOf(ReferencePremises.GasProxy), at));
    }

    private static DeviceType[] AllowedTypes(string fileName, ServiceReferenceVariant variant)
    {
        // Use case prefixes of the DCC's sample names: ECS electricity, GCS gas, CCS and DBCH the hub, CS common.
        // Some ECS use cases (6.2.4 read identity, 6.13 read logs) are also sent to the hub: the SRV's built-in body
        // says whether the request applies to any HAN device.
        var anyDevice = RequestBodies.TryGet(variant, out var body) && body.TargetDeviceType == DeviceType.AnyHanDevice;
        DeviceType[] all = [DeviceType.ElectricityMeter, DeviceType.GasMeter, DeviceType.CommunicationsHub, DeviceType.GasProxy, DeviceType.Ppmid, DeviceType.Hcalcs];
        if (fileName.StartsWith("ECS", StringComparison.Ordinal))
        {
            return anyDevice ? [DeviceType.ElectricityMeter, DeviceType.CommunicationsHub] : [DeviceType.ElectricityMeter];
        }

        if (fileName.StartsWith("GCS", StringComparison.Ordinal))
        {
            return [DeviceType.GasMeter, DeviceType.GasProxy];
        }

        if (fileName.StartsWith("CCS", StringComparison.Ordinal) || fileName.StartsWith("DBCH", StringComparison.Ordinal))
        {
            return [DeviceType.CommunicationsHub];
        }

        Assert.StartsWith("CS", fileName, StringComparison.Ordinal);
        return all;
    }

    [GeneratedRegex("<sr:RequestID>([^<]+)</sr:RequestID>")]
    private static partial Regex RequestIdElement();

    [GeneratedRegex("<sr:ServiceReferenceVariant>([^<]+)</sr:ServiceReferenceVariant>")]
    private static partial Regex VariantElement();
}
