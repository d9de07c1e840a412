using CapacitySim.Dcc.Tests.Validation;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Templates;
using CapacitySim.Duis.Tests.Support;
using static CapacitySim.Dcc.Tests.Integration.Integration;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>
/// DCC Boxed's sample requests over real HTTP: the synchronous answer their command variant implies, and for device
/// requests the asynchronous response at the user's endpoint, all signed with the DCC's key.
/// </summary>
public class SampleFlowTests
{
    private static readonly Eui64 Supplier = ValidationFixture.Supplier;

    [Fact]
    public async Task Shared_signed_samples_get_their_synchronous_answer_and_device_requests_their_response()
    {
        await using var endpoint = await UserEndpoint.StartAsync();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address), endpoint);

        // The replay check wants each originator's counters to rise: send the samples in counter order.
        var samples = Directory.GetFiles(SharedDuis.SignedSamples)
            .Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f)))
            .Select(s => (s.Name, s.Bytes, Header: ReadHeader(s.Bytes)))
            .OrderBy(s => s.Header.RequestId.Counter)
            .ToArray();
        Assert.Equal(5, samples.Length);

        var toDevice = new List<RequestId>();
        foreach (var (name, bytes, request) in samples)
        {
            var answer = await rig.PostAsync(bytes);

            Assert.True(answer.Status == 200, $"{name}: HTTP {answer.Status} {Text(answer.Body)}");
            AssertSignedByDcc(answer.Body);
            var header = answer.Header;
            Assert.Equal(DuisMessageKind.Response, header.MessageKind);
            Assert.Equal(request.RequestId, header.RequestId);
            Assert.Equal(request.ServiceReferenceVariant, header.ServiceReferenceVariant);
            switch (request.CommandVariant)
            {
                case CommandVariant.NonCriticalToDevice:
                    // To the device: acknowledged now, answered later.
                    Assert.Equal(ResponseCodes.Acknowledged, header.ResponseCode);
                    toDevice.Add(request.RequestId);
                    break;
                case CommandVariant.NonCriticalLocalDelivery:
                    // ECS17b: local delivery, answered at once with the command for the HAN.
                    Assert.Equal(ResponseCodes.Success, header.ResponseCode);
                    Assert.Equal(DuisBodyKind.ResponseMessage, header.BodyKind);
                    break;
                case CommandVariant.CriticalTransform:
                    // ECS01a 1.1.1, CS02b 6.15.1: the Pre-Command for the user to sign.
                    Assert.Equal(ResponseCodes.Success, header.ResponseCode);
                    Assert.Contains("PreCommand", Text(answer.Body), StringComparison.Ordinal);
                    break;
                case CommandVariant.NonDevice:
                    // 8.3 Decommission Device: done by the DCC, no data to return.
                    Assert.Equal(ResponseCodes.Acknowledged, header.ResponseCode);
                    break;
                default:
                    Assert.Fail($"{name}: command variant {request.CommandVariant} not expected among the signed samples");
                    break;
            }
        }

        // GCS13a 4.1.1 to the gas proxy is the one signed sample that goes to its device.
        Assert.Single(toDevice);
        var received = await endpoint.WaitForAsync(r => toDevice.All(id => For(r, id).Length > 0));
        var snapshot = await rig.DrainAsync();
        foreach (var id in toDevice)
        {
            var response = Assert.Single(For(endpoint.Received, id));
            Assert.Equal(ResponseCodes.Success, response.Header.ResponseCode);
            Assert.Equal(DuisBodyKind.ResponseMessage, response.Header.BodyKind);
            Assert.Equal(new ResponseId(id.Target, id.Originator, id.Counter), response.Header.ResponseId);
            AssertSignedByDcc(response.Body);
        }

        Assert.True(snapshot.IsBalanced, snapshot.ToString());
        Assert.Equal(5, snapshot.Received);
        Assert.Equal(1, snapshot.AcceptedForDevice);
        Assert.Equal(1, snapshot.Responses);
        Assert.Equal(4, snapshot.AnsweredSynchronously);
        Assert.Equal(1, snapshot.Delivery.Totals.Delivered);
        Assert.Equal(received.Count, endpoint.Received.Count);
    }

    /// <summary>
    /// A representative set of the unsigned samples, each signed with its originator's DCC Boxed test key: every target
    /// device type of the reference premises, both users, the gas meter and gas proxy, Transform and non-device.
    /// </summary>
    [Fact]
    public async Task Samples_signed_with_the_test_keys_are_answered_for_every_target_device()
    {
        string[] names =
        [
            "ECS17e_4.1.3_SUCCESS_REQUEST_DUIS.XML",                 // ESME read
            "ECS43_7.2_SUCCESS_REQUEST_DUIS.XML",                    // ESME Transform (critical)
            "GCS60_4.18_SUCCESS_REQUEST_DUIS.XML",                   // GSME read (gas)
            "GCS13a_4.1.1_SUCCESS_UNRELIABLE_REQUEST_DUIS.XML",      // GSME read (gas, from the meter)
            "GCS13b_4.1.4_SUCCESS_RELIABLE_GSME_REQUEST_DUIS.XML",   // GPF read (gas)
            "GCS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_REQUEST_DUIS.XML",   // GSME Transform (gas tariff)
            "CCS07_8.9_SUCCESS_REQUEST_DUIS.XML",                    // CHF device log
            "CS04ACNonCritical_8.8.2_SUCCESS_REQUEST_DUIS.XML",      // PPMID unjoin
            "ECS17a_4.2_SUCCESS_REQUEST_DUIS.XML",                   // ESME read by the network operator
            "5.2_READ_SCHEDULE_REQUEST_DUIS.XML",                    // non-device
            "ECS17b_4.1.1_REQUEST_DUIS.XML",                         // local delivery
        ];

        await using var endpoint = await UserEndpoint.StartAsync();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address), endpoint);
        var toDevice = new List<RequestId>();
        ulong counter = 3_000_000_000_000;
        foreach (var name in names)
        {
            var original = RequestTemplate.CompileFile(Path.Combine(SharedDuis.RequestSamples, name));
            var id = original.OriginalRequestId with { Counter = ++counter };
            var signed = ValidationFixture.Sign(ValidationFixture.RenderSample(name, id), id.Originator);

            var answer = await rig.PostAsync(signed);

            Assert.True(answer.Status == 200, $"{name}: HTTP {answer.Status} {Text(answer.Body)}");
            AssertSignedByDcc(answer.Body);
            var header = answer.Header;
            Assert.Equal(id, header.RequestId);
            var expected = original.CommandVariant switch
            {
                CommandVariant.NonCriticalToDevice or CommandVariant.NonDevice => ResponseCodes.Acknowledged,
                _ => ResponseCodes.Success,
            };
            Assert.True(expected == header.ResponseCode, $"{name}: {header.ResponseCode} {Text(answer.Body)}");
            if (original.CommandVariant == CommandVariant.NonCriticalToDevice)
            {
                toDevice.Add(id);
            }
        }

        Assert.Equal(7, toDevice.Count);
        await endpoint.WaitForAsync(r => toDevice.All(id => For(r, id).Length > 0));
        var snapshot = await rig.DrainAsync();
        foreach (var id in toDevice)
        {
            var response = Assert.Single(For(endpoint.Received, id));
            Assert.Equal(ResponseCodes.Success, response.Header.ResponseCode);
            Assert.Equal(id.Originator, response.Header.ResponseId.Recipient);
            AssertSignedByDcc(response.Body);
        }

        Assert.Equal(toDevice.Count, endpoint.Received.Count);
        Assert.True(snapshot.IsBalanced, snapshot.ToString());
        Assert.Equal(names.Length, snapshot.Received);
        Assert.Equal(0, snapshot.RejectedSynchronously);
    }

    /// <summary>
    /// SMETS1 devices of the estate answer through their SMETS1 service provider: the DCC's response carries a
    /// SMETS1SignedResponse signed by the provider's key, inside a message signed by the DCC.
    /// </summary>
    [Fact]
    public async Task Smets1_responses_carry_the_service_providers_signed_response()
    {
        await using var endpoint = await UserEndpoint.StartAsync();
        var estate = Estate();
        await using var rig = await DccRig.StartAsync(Options(endpoint.Address, estate: estate), endpoint);
        var esme = Find(estate, DeviceGeneration.Smets1, DeviceType.ElectricityMeter);
        var gsme = Find(estate, DeviceGeneration.Smets1, DeviceType.GasMeter);
        var ids = new[]
        {
            new RequestId(Supplier, esme.Eui, 10),
            new RequestId(Supplier, gsme.Eui, 11),
            new RequestId(Supplier, esme.Eui, 12),
        };
        var srvs = new[] { "4.1.1", "4.1.1", "4.18" };
        for (var i = 0; i < ids.Length; i++)
        {
            var request = ValidationFixture.Sign(RequestBodies.BuildRequest(ServiceReferenceVariant.Parse(srvs[i]), ids[i], CommandVariant.NonCriticalToDevice), Supplier);
            var answer = await rig.PostAsync(request);
            Assert.True(answer.Status == 200 && answer.Header.ResponseCode == ResponseCodes.Acknowledged, Text(answer.Body));
        }

        await endpoint.WaitForAsync(r => ids.All(id => For(r, id).Length > 0));
        var snapshot = await rig.DrainAsync();
        foreach (var id in ids)
        {
            var response = Assert.Single(For(endpoint.Received, id));
            Assert.Equal(ResponseCodes.Success, response.Header.ResponseCode);
            Assert.Equal(DuisBodyKind.Smets1ResponseMessage, response.Header.BodyKind);
            AssertSignedByDcc(response.Body);
            AssertSmets1InnerSigned(response.Body);
        }

        // One SMS wake-up of the hub per SMETS1 request (the default for these variants).
        Assert.Equal(3, snapshot.SmsWakeUps);
        Assert.Contains("<ra:Gas><ra:ConsumptionRegister>", Text(For(endpoint.Received, ids[1])[0].Body), StringComparison.Ordinal);
        Assert.True(snapshot.IsBalanced, snapshot.ToString());
    }

    private static DuisHeader ReadHeader(byte[] bytes)
    {
        Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(bytes, out var header));
        return header;
    }
}
