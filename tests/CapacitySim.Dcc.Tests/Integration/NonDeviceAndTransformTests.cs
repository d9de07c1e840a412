using System.Text;
using CapacitySim.Dcc.Tests.Validation;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Signing;
using static CapacitySim.Dcc.Tests.Integration.Integration;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>Requests the DCC answers itself (non-device), and the critical flow through Transform and the signed pre-command.</summary>
public class NonDeviceAndTransformTests
{
    private static readonly Eui64 Supplier = ValidationFixture.Supplier;
    private static readonly ServiceReferenceVariant ReadInventory = ServiceReferenceVariant.Parse("8.2");

    [Fact]
    public async Task Read_inventory_lists_the_devices_of_the_premises_of_the_named_device()
    {
        await using var endpoint = await UserEndpoint.StartAsync();
        var estate = Estate();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address, estate: estate), endpoint);
        var smets1Esme = Find(estate, DeviceGeneration.Smets1, DeviceType.ElectricityMeter);

        // The reference premises, as DCC Boxed users know it.
        var reference = await rig.PostAsync(DuisWebService.NonDevice, InventoryRequest(ReferencePremises.ElectricityMeter, 1));
        var listed = InventoryIds(reference);
        Assert.Equal(ReferencePremises.Devices.Select(d => d.Eui).Order(), listed.Order());

        // A SMETS1 premises of the generated estate: its devices, and the SMETS1 region with the provider's name.
        var smets1 = await rig.PostAsync(DuisWebService.NonDevice, InventoryRequest(smets1Esme.Eui, 2));
        var expected = new List<Eui64>();
        var (offset, length) = estate.PremisesDevices(smets1Esme.Premises).GetOffsetAndLength(estate.Count);
        for (var i = offset; i < offset + length; i++)
        {
            expected.Add(estate.Get(i).Eui);
        }

        Assert.Equal(expected.Order(), InventoryIds(smets1).Order());
        var text = Text(smets1.Body);
        Assert.Contains(estate.Smets1ServiceProviders[smets1Esme.Smets1ServiceProvider].Name, text, StringComparison.Ordinal);

        // A device the DCC does not know.
        var unknown = await rig.PostAsync(DuisWebService.NonDevice, InventoryRequest(Eui64.Parse("00-DB-12-34-56-78-90-FF"), 3));
        Assert.Equal(ResponseCodes.DeviceDoesNotExist, unknown.Header.ResponseCode);

        // Any other non-device request: done, no data (I99).
        var other = ValidationFixture.Sign(
            RequestBodies.BuildRequest(ServiceReferenceVariant.Parse("12.1"), new RequestId(Supplier, RequestBodies.DccTarget, 4)), Supplier);
        var answer = await rig.PostAsync(DuisWebService.NonDevice, other);
        Assert.Equal(ResponseCodes.Acknowledged, answer.Header.ResponseCode);
        AssertSignedByDcc(answer.Body);

        var snapshot = await rig.DrainAsync();
        Assert.Equal(4, snapshot.AnsweredSynchronously);
        Assert.Equal(0, snapshot.AcceptedForDevice);
        Assert.Empty(endpoint.Received);
        Assert.True(snapshot.IsBalanced, snapshot.ToString());
    }

    [Theory]
    [InlineData("6.15.1")]
    [InlineData("1.1.1")]
    public async Task Transform_returns_a_pre_command_and_the_signed_pre_command_completes_at_the_device(string variant)
    {
        var srv = ServiceReferenceVariant.Parse(variant);
        await using var endpoint = await UserEndpoint.StartAsync();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address), endpoint);
        var transformId = new RequestId(Supplier, ReferencePremises.ElectricityMeter, 100);

        // Command variant 4 on the Transform service.
        var transform = await rig.PostAsync(
            DuisWebService.Transform,
            ValidationFixture.Sign(RequestBodies.BuildRequest(srv, transformId, CommandVariant.CriticalTransform), Supplier));
        Assert.Equal(200, transform.Status);
        Assert.Equal(ResponseCodes.Success, transform.Header.ResponseCode);
        Assert.Equal(transformId, transform.Header.RequestId);
        AssertSignedByDcc(transform.Body);
        var doc = DuisSignatureVerifier.LoadDocument(transform.Body);
        var preCommand = doc.GetElementsByTagName("PreCommand", DuisNamespaces.ServiceUserGateway);
        Assert.Equal(1, preCommand.Count);
        var payload = doc.GetElementsByTagName("GBCSPayload", DuisNamespaces.ServiceUserGateway)[0]!.InnerText;
        Assert.NotEmpty(Convert.FromBase64String(payload));
        Assert.Empty(endpoint.Received);

        // The user signs the pre-command and sends it as command variant 5 on the Send Command service.
        var sendId = new RequestId(Supplier, ReferencePremises.ElectricityMeter, 101);
        var send = await rig.PostAsync(DuisWebService.SendCommand, ValidationFixture.Sign(ThrottlingAndControlsTests.SignedPreCommand(srv, sendId, payload), Supplier));
        Assert.Equal(200, send.Status);
        Assert.True(ResponseCodes.Acknowledged == send.Header.ResponseCode, Text(send.Body));
        Assert.Equal(sendId, send.Header.RequestId);

        await endpoint.WaitForAsync(r => For(r, sendId).Length > 0);
        var snapshot = await rig.DrainAsync();
        var response = Assert.Single(For(endpoint.Received, sendId));
        Assert.Equal(ResponseCodes.Success, response.Header.ResponseCode);
        Assert.Equal(srv, response.Header.ServiceReferenceVariant);
        AssertSignedByDcc(response.Body);
        Assert.Single(endpoint.Received);
        Assert.Equal(1, snapshot.AnsweredSynchronously);
        Assert.Equal(1, snapshot.AcceptedForDevice);
        Assert.Equal(1, snapshot.Responses);
        Assert.True(snapshot.IsBalanced, snapshot.ToString());
    }

    /// <summary>A Read Inventory request (built-in body) naming <paramref name="device"/>, signed by the supplier.</summary>
    private static byte[] InventoryRequest(Eui64 device, ulong counter)
    {
        var body = RequestBodies.Get(ReadInventory).BodyXml;
        var id = new RequestId(Supplier, RequestBodies.DccTarget, counter);
        var unsigned = Encoding.UTF8.GetString(RequestBodies.BuildRequest(ReadInventory, id));
        var named = unsigned.Replace(DeviceIdIn(body), device.ToString(), StringComparison.Ordinal);
        return ValidationFixture.Sign(Encoding.UTF8.GetBytes(named), Supplier);
    }

    private static string DeviceIdIn(string body)
    {
        var start = body.IndexOf("<sr:DeviceID>", StringComparison.Ordinal) + "<sr:DeviceID>".Length;
        return body[start..body.IndexOf("</sr:DeviceID>", start, StringComparison.Ordinal)];
    }

    private static Eui64[] InventoryIds(SyncAnswer answer)
    {
        Assert.Equal(200, answer.Status);
        Assert.True(answer.Header.ResponseCode == ResponseCodes.Success, Text(answer.Body));
        AssertSignedByDcc(answer.Body);
        var doc = DuisSignatureVerifier.LoadDocument(answer.Body);
        var inventory = doc.GetElementsByTagName("DSPInventory", DuisNamespaces.ServiceUserGateway);
        Assert.Equal(1, inventory.Count);
        return doc.GetElementsByTagName("DeviceID", DuisNamespaces.ServiceUserGateway)
            .Cast<System.Xml.XmlNode>()
            .Select(n => Eui64.Parse(n.InnerText))
            .ToArray();
    }
}
