using CapacitySim.Dcc.Validation;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Tests.Support;
using static CapacitySim.Dcc.Tests.Integration.Integration;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>One DCC on loopback that the validation tests share; counters come from one rising source.</summary>
public class ValidationRig : IAsyncLifetime
{
    private long counter = 5_000_000;

    internal DccRig Rig { get; private set; } = null!;

    internal UserEndpoint Endpoint { get; private set; } = null!;

    internal Population Estate { get; } = Integration.Estate();

    /// <summary>Validate one request in this many against the schema (0: none, as by default).</summary>
    protected virtual int SchemaSampleInterval => 0;

    /// <summary>Serve the DCC's metrics at <c>/metrics</c>.</summary>
    protected virtual bool ExposeMetrics => false;

    public ulong NextCounter() => (ulong)Interlocked.Increment(ref counter);

    public async Task InitializeAsync()
    {
        Endpoint = await UserEndpoint.StartAsync();
        Rig = await DccRig.StartAsync(Options(Endpoint.Address, estate: Estate, schemaSampleInterval: SchemaSampleInterval), Endpoint, ExposeMetrics);
    }

    public async Task DisposeAsync()
    {
        await Rig.DisposeAsync();
        await Endpoint.DisposeAsync();
    }
}

/// <summary>Every validation failure comes back over HTTP with its DUIS code, in a response signed by the DCC.</summary>
public class ValidationOverHttpTests(ValidationRig fixture) : IClassFixture<ValidationRig>
{
    private DccRig Rig => fixture.Rig;

    private RequestId NextId(Eui64 originator, Eui64 target) => new(originator, target, fixture.NextCounter());

    [Fact]
    public async Task Request_on_the_wrong_service_URL_gets_E13()
    {
        var nonDevice = Sign(RenderSample("5.2_READ_SCHEDULE_REQUEST_DUIS.XML", NextId(Supplier, RequestBodies.DccTarget)), Supplier);
        var device = Sign(Build("4.1.1", NextId(Supplier, ReferencePremises.ElectricityMeter), CommandVariant.NonCriticalToDevice), Supplier);

        await AssertRefusedAsync(DuisWebService.Transform, nonDevice, ResponseCodes.RequestTypeNotValidForUrl);
        await AssertRefusedAsync(DuisWebService.NonDevice, device, ResponseCodes.RequestTypeNotValidForUrl);
    }

    [Fact]
    public async Task Critical_request_as_command_variant_1_gets_E12()
        => await AssertRefusedAsync(
            DuisWebService.SendCommand,
            Sign(Build("1.1.1", NextId(Supplier, ReferencePremises.ElectricityMeter), CommandVariant.NonCriticalToDevice), Supplier),
            ResponseCodes.CommandVariantNotApplicable);

    [Fact]
    public async Task Unknown_user_gets_E1()
        => await AssertRefusedAsync(
            DuisWebService.SendCommand,
            Sign(Build("4.1.1", NextId(Eui64.Parse("90-B3-D5-1F-30-09-00-00"), ReferencePremises.ElectricityMeter)), Supplier),
            ResponseCodes.InvalidUserOrRole);

    [Fact]
    public async Task Role_not_eligible_for_the_service_gets_E2()
        => await AssertRefusedAsync(
            DuisWebService.SendCommand,
            Sign(Build("6.12", NextId(NetworkOperator, ReferencePremises.ElectricityMeter)), NetworkOperator),
            ResponseCodes.RoleNotPermittedForServiceReference);

    [Fact]
    public async Task Unknown_device_gets_E19()
        => await AssertRefusedAsync(
            DuisWebService.SendCommand,
            Sign(Build("4.1.1", NextId(Supplier, Eui64.Parse("00-DB-12-34-56-78-90-FF"))), Supplier),
            ResponseCodes.DeviceDoesNotExist);

    [Fact]
    public async Task Service_not_valid_for_the_device_type_gets_E11()
        => await AssertRefusedAsync(
            DuisWebService.SendCommand,
            Sign(Build("4.1.1", NextId(Supplier, ReferencePremises.Ppmid)), Supplier),
            ResponseCodes.ServiceReferenceNotCompatibleWithDeviceType);

    [Fact]
    public async Task Decommissioned_device_gets_E5()
    {
        var estate = fixture.Estate;
        var meter = Find(estate, DeviceGeneration.Smets2, DeviceType.ElectricityMeter);
        var request = Sign(Build("4.1.1", NextId(Supplier, meter.Eui)), Supplier);
        estate.SetStatus(meter.Index, DeviceStatus.Decommissioned);
        try
        {
            await AssertRefusedAsync(DuisWebService.SendCommand, request, ResponseCodes.DeviceStatusIncompatible);
        }
        finally
        {
            estate.SetStatus(meter.Index, DeviceStatus.Commissioned);
        }
    }

    [Fact]
    public async Task Changed_content_or_signature_value_gets_the_signature_code()
    {
        var signed = Text(Sign(Build("4.1.1", NextId(Supplier, ReferencePremises.ElectricityMeter)), Supplier));
        var at = signed.IndexOf("SignatureValue>", StringComparison.Ordinal) + "SignatureValue>".Length;
        var flipped = signed[..at] + (signed[at] == 'A' ? 'B' : 'A') + signed[(at + 1)..];
        var sample = File.ReadAllText(Path.Combine(SharedDuis.SignedSamples, "GCS13a_4.1.1_SUCCESS_RELIABLE_GPF_REQUEST_DUIS-signed.xml"));
        var tampered = sample.Replace("00-DB-12-34-56-78-90-A3", "00-DB-12-34-56-78-90-A1", StringComparison.Ordinal);
        Assert.NotEqual(sample, tampered);

        await AssertRefusedAsync(DuisWebService.SendCommand, Utf8(flipped), DccErrorCodes.SignatureInvalid);
        await AssertRefusedAsync(DuisWebService.SendCommand, Utf8(tampered), DccErrorCodes.SignatureInvalid);
    }

    [Fact]
    public async Task Request_signed_by_another_user_gets_the_signer_code()
        => await AssertRefusedAsync(
            DuisWebService.SendCommand,
            Sign(Build("4.1.1", NextId(Supplier, ReferencePremises.ElectricityMeter)), NetworkOperator),
            DccErrorCodes.SignerNotOriginator);

    [Fact]
    public async Task Replayed_counter_gets_the_replay_code()
    {
        var request = Sign(Build("4.1.1", NextId(Supplier, ReferencePremises.ElectricityMeter)), Supplier);

        var first = await Rig.PostAsync(DuisWebService.SendCommand, request);
        Assert.Equal(ResponseCodes.Acknowledged, first.Header.ResponseCode);

        await AssertRefusedAsync(DuisWebService.SendCommand, request, DccErrorCodes.ReplayedCounter);
    }

    [Fact]
    public async Task Unknown_service_reference_variant_gets_the_schema_code()
    {
        var good = Text(Build("4.1.1", NextId(Supplier, ReferencePremises.ElectricityMeter)));
        var unknown = Sign(Utf8(good.Replace(">4.1.1<", ">4.1.9<", StringComparison.Ordinal)), Supplier);

        await AssertRefusedAsync(DuisWebService.SendCommand, unknown, DccErrorCodes.SchemaInvalid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\"><sr:Header>")]
    [InlineData("<a><b></a>")]
    [InlineData("<order><item/></order>")]
    public async Task Body_that_is_not_a_DUIS_request_gets_HTTP_400(string body)
    {
        var answer = await Rig.PostAsync(DuisWebService.SendCommand, Utf8(body));

        Assert.Equal(400, answer.Status);
        Assert.StartsWith("not a DUIS request", Text(answer.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspended_user_gets_E3()
    {
        var users = Path.Combine(Path.GetTempPath(), $"capacitysim-suspended-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(users, """
            users:
              - name: suspended supplier
                eui: 90-B3-D5-1F-30-01-00-00
                roles: [IS, GS]
                status: suspended
                responseEndpoint: http://localhost:8080/r
            """);
        try
        {
            await using var endpoint = await UserEndpoint.StartAsync();
            await using var rig = await DccRig.StartAsync(Options(endpoint.Address, usersFile: users), endpoint);

            var answer = await rig.PostAsync(DuisWebService.SendCommand, Sign(Build("4.1.1", new RequestId(Supplier, ReferencePremises.ElectricityMeter, 1)), Supplier));

            Assert.Equal(200, answer.Status);
            Assert.Equal(ResponseCodes.UserStatusNotPermitted, answer.Header.ResponseCode);
            AssertSignedByDcc(answer.Body);
        }
        finally
        {
            File.Delete(users);
        }
    }

    private async Task AssertRefusedAsync(DuisWebService service, byte[] request, ResponseCode expected)
    {
        var before = Rig.Dcc.Snapshot().RejectedSynchronously;

        var answer = await Rig.PostAsync(service, request);

        Assert.True(answer.Status == 200, $"HTTP {answer.Status}: {Text(answer.Body)}");
        Assert.True(expected == answer.Header.ResponseCode, $"expected {expected}, got {answer.Header.ResponseCode}: {Text(answer.Body)}");
        Assert.Equal(Duis.Reading.DuisMessageKind.Response, answer.Header.MessageKind);
        AssertSignedByDcc(answer.Body);
        Assert.True(Rig.Dcc.Snapshot().RejectedSynchronously > before);
    }
}
