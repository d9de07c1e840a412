using System.Buffers;
using CapacitySim.Dcc.Users;
using CapacitySim.Dcc.Validation;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Tests.Support;
using CapacitySim.Duis.Validation;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Validation;

/// <summary>Each validation step refuses what it should, with its DUIS code, and counts it.</summary>
public class RejectionTests
{
    private const DuisWebService S = DuisWebService.SendCommand;
    private const DuisWebService D = DuisWebService.NonDevice;
    private const DuisWebService T = DuisWebService.Transform;

    private static readonly Eui64 Dcc = RequestBodies.DccTarget;

    [Fact]
    public void Non_device_request_on_the_transform_service_gets_E13()
    {
        var request = Sign(RenderSample("5.2_READ_SCHEDULE_REQUEST_DUIS.XML"), Supplier);
        using var validator = Validator();

        AssertRefused(validator.Validate(T, request), ValidationReason.WrongWebService, "E13");
        Assert.True(validator.Validate(D, request).IsAccepted);
    }

    [Fact]
    public void Device_request_on_the_non_device_service_gets_E13()
    {
        // CV 1 belongs to serviceS: posted to serviceD it is the wrong request type for the URL.
        var request = Sign(Build("4.1.1", Id(Supplier, TestDevices.Esme, 10), CommandVariant.NonCriticalToDevice), Supplier);
        using var validator = Validator();

        AssertRefused(validator.Validate(D, request), ValidationReason.WrongWebService, "E13");
    }

    [Fact]
    public void Critical_request_sent_as_non_critical_gets_E12()
    {
        // 1.1.1 may use CV 4 to 7 only; CV 1 goes to serviceS, which 1.1.1 uses for CV 5 and 7.
        var request = Sign(Build("1.1.1", Id(Supplier, TestDevices.Esme, 10), CommandVariant.NonCriticalToDevice), Supplier);
        using var validator = Validator();

        AssertRefused(validator.Validate(S, request), ValidationReason.CommandVariantNotAllowed, "E12");
    }

    [Fact]
    public void Unknown_originator_gets_E1()
    {
        var stranger = Eui64.Parse("90-B3-D5-1F-30-09-00-00");
        var request = Sign(Build("4.1.1", Id(stranger, TestDevices.Esme, 10)), Supplier);
        using var validator = Validator();

        AssertRefused(validator.Validate(S, request), ValidationReason.UnknownUser, "E1");
    }

    [Fact]
    public void User_without_a_role_gets_E1()
    {
        var users = new UserDirectory([new DuisUser("roleless", Supplier, UserRoles.None, UserStatus.Active, new Uri("http://localhost/r"))]);
        using var validator = Validator(verifySignatures: false, users);

        AssertRefused(validator.Validate(S, Build("4.1.1", Id(Supplier, TestDevices.Esme, 10))), ValidationReason.UserHasNoRole, "E1");
    }

    [Fact]
    public void Network_operator_sending_a_supplier_only_request_gets_E2()
    {
        // 6.12 Update Device Configuration (Instantaneous Power Threshold) is for import suppliers only.
        var request = Sign(Build("6.12", Id(NetworkOperator, TestDevices.Esme, 10)), NetworkOperator);
        using var validator = Validator();

        AssertRefused(validator.Validate(S, request), ValidationReason.RoleNotEligible, "E2");
    }

    [Fact]
    public void Request_no_role_may_send_is_refused_unless_listed_for_the_user()
    {
        // 8.5 Service Opt Out: the matrix names no eligible role; the default supplier has it listed, the network
        // operator does not.
        using var validator = Validator();
        var fromOperator = Sign(Build("8.5", Id(NetworkOperator, TestDevices.Esme, 10)), NetworkOperator);
        var fromSupplier = Sign(Build("8.5", Id(Supplier, TestDevices.Esme, 10)), Supplier);

        AssertRefused(validator.Validate(S, fromOperator), ValidationReason.RoleNotEligible, "E2");
        Assert.True(validator.Validate(S, fromSupplier).IsAccepted);
    }

    [Fact]
    public void Suspended_user_gets_E3()
    {
        var yaml = """
            users:
              - name: suspended supplier
                eui: 90-B3-D5-1F-30-01-00-00
                roles: [IS, GS]
                status: suspended
                responseEndpoint: http://localhost:8080/r
            """;
        var users = UsersFile.Parse(new StringReader(yaml), "suspended.yaml", Keys);
        using var validator = Validator(users: users);
        var request = Sign(Build("4.1.1", Id(Supplier, TestDevices.Esme, 10)), Supplier);

        AssertRefused(validator.Validate(S, request), ValidationReason.UserSuspended, "E3");
    }

    [Fact]
    public void Unknown_device_gets_E19()
    {
        var request = Sign(Build("4.1.1", Id(Supplier, TestDevices.Missing, 10)), Supplier);
        using var validator = Validator();

        AssertRefused(validator.Validate(S, request), ValidationReason.UnknownDevice, "E19");
    }

    [Fact]
    public void Non_device_request_addressed_to_an_unknown_device_gets_E19()
    {
        var request = Sign(RenderSample("5.2_READ_SCHEDULE_REQUEST_DUIS.XML", Id(Supplier, TestDevices.Missing, 2000)), Supplier);
        using var validator = Validator();

        AssertRefused(validator.Validate(D, request), ValidationReason.UnknownDevice, "E19");
    }

    [Theory]
    [InlineData("6.28", "A0")] // CHF Sub GHz configuration sent to the electricity meter
    [InlineData("4.1.1", "A4")] // a register read sent to the PPMID
    [InlineData("4.1.3", "A1")] // an electricity-only read (IS, ED) sent to the gas meter
    public void Request_for_another_device_type_gets_E11(string srv, string device)
    {
        var target = Eui64.Parse("00-DB-12-34-56-78-90-" + device);
        var request = Sign(Build(srv, Id(Supplier, target, 10)), Supplier);
        using var validator = Validator();

        var outcome = validator.Validate(S, request);

        AssertRefused(outcome, ValidationReason.DeviceTypeNotCompatible, "E11");
        Assert.True(outcome.HasDevice);
        Assert.Equal(target, outcome.Device.Eui);
    }

    [Fact]
    public void Non_device_request_addressed_to_a_device_and_device_request_addressed_to_the_DCC_get_E11()
    {
        using var validator = Validator();
        var nonDevice = Sign(RenderSample("5.2_READ_SCHEDULE_REQUEST_DUIS.XML", Id(Supplier, TestDevices.Esme, 2000)), Supplier);
        var device = Sign(Build("4.1.1", Id(Supplier, Dcc, 2001)), Supplier);

        AssertRefused(validator.Validate(D, nonDevice), ValidationReason.DeviceTypeNotCompatible, "E11");
        AssertRefused(validator.Validate(S, device), ValidationReason.DeviceTypeNotCompatible, "E11");
    }

    [Fact]
    public void Decommissioned_or_suspended_device_gets_E5()
    {
        using var validator = Validator();
        var decommissioned = Sign(Build("4.1.1", Id(Supplier, TestDevices.DecommissionedEsme, 10)), Supplier);
        var suspended = Sign(Build("4.1.1", Id(Supplier, TestDevices.SuspendedEsme, 11)), Supplier);

        AssertRefused(validator.Validate(S, decommissioned), ValidationReason.DeviceStatusIncompatible, "E5");
        AssertRefused(validator.Validate(S, suspended), ValidationReason.DeviceStatusIncompatible, "E5");
    }

    [Fact]
    public void Tampered_signed_sample_fails_signature_verification()
    {
        var signed = File.ReadAllText(Path.Combine(SharedDuis.SignedSamples, "ECS17b_4.1.1_REQUEST_DUIS-signed.xml"));
        var tampered = Utf8(signed.Replace(":1795381714608<", ":1795381714609<", StringComparison.Ordinal));
        Assert.NotEqual(signed, Text(tampered));
        using var validator = Validator();

        AssertRefused(validator.Validate(D, tampered), ValidationReason.SignatureInvalid, DccErrorCodes.SignatureInvalid.ToString());
    }

    [Fact]
    public void Changed_signature_value_fails_signature_verification()
    {
        var signed = Text(Sign(Build("4.1.1", Id(Supplier, TestDevices.Esme, 10)), Supplier));
        var at = signed.IndexOf("SignatureValue>", StringComparison.Ordinal) + "SignatureValue>".Length;
        var flipped = signed[..at] + (signed[at] == 'A' ? 'B' : 'A') + signed[(at + 1)..];
        using var validator = Validator();

        AssertRefused(validator.Validate(S, Utf8(flipped)), ValidationReason.SignatureInvalid, "E51");
    }

    [Fact]
    public void Unsigned_request_is_refused_with_signature_checking_on_and_accepted_with_it_off()
    {
        var unsigned = Build("4.1.1", Id(Supplier, TestDevices.Esme, 10));
        using var checking = Validator();
        using var raw = Validator(verifySignatures: false);

        AssertRefused(checking.Validate(S, unsigned), ValidationReason.MissingSignature, "E51");
        var outcome = raw.Validate(S, unsigned);
        Assert.True(outcome.IsAccepted, outcome.ToString());
        Assert.False(raw.VerifiesSignatures);
    }

    [Fact]
    public void Request_signed_by_another_users_key_is_refused_as_signer_not_originator()
    {
        // A valid signature, but by the network operator's certificate on a request from the supplier.
        var request = Sign(Build("4.1.1", Id(Supplier, TestDevices.Esme, 10)), NetworkOperator);
        using var validator = Validator();

        AssertRefused(validator.Validate(S, request), ValidationReason.SignerNotOriginator, "E52");
    }

    [Fact]
    public void Repeated_or_lower_counter_is_refused_as_a_replay_and_does_not_move_the_counter()
    {
        using var validator = Validator();
        var first = Sign(Build("4.1.1", Id(Supplier, TestDevices.Esme, 500)), Supplier);
        var lower = Sign(Build("4.1.1", Id(Supplier, TestDevices.Esme, 499)), Supplier);
        var higher = Sign(Build("4.1.1", Id(Supplier, TestDevices.Gsme, 501)), Supplier);

        Assert.True(validator.Validate(S, first).IsAccepted);
        AssertRefused(validator.Validate(S, first), ValidationReason.ReplayedCounter, "E53");
        AssertRefused(validator.Validate(S, lower), ValidationReason.ReplayedCounter, "E53");
        Assert.True(validator.Validate(S, higher).IsAccepted);
        Assert.Equal(501UL, validator.HighestCounter(validator.Users[0]));

        // The counter is per originator: the network operator's own sequence is unaffected.
        var other = Sign(Build("4.1.1", Id(NetworkOperator, TestDevices.Esme, 2)), NetworkOperator);
        Assert.True(validator.Validate(S, other).IsAccepted);
    }

    [Fact]
    public void With_a_reorder_window_a_lower_unseen_counter_is_accepted_once_and_one_below_the_window_is_a_replay()
    {
        using var validator = new RequestValidator(DefaultUsers(), new TestDevices(), new RequestValidatorOptions { VerifySignatures = false, ReplayWindow = 100 });
        bool Accepts(ulong counter) => validator.Validate(S, Build("4.1.1", Id(Supplier, TestDevices.Esme, counter))).IsAccepted;

        Assert.True(Accepts(1000));
        Assert.True(Accepts(990));      // overtaken by 1000 on another connection: inside the window, not seen
        Assert.False(Accepts(990));     // the same counter again is a replay
        Assert.False(Accepts(1000));    // as is the highest
        Assert.True(Accepts(1001));
        Assert.True(Accepts(999));
        Assert.False(Accepts(990));     // still remembered after the window slid by one
        Assert.False(Accepts(1001 - 129)); // below the window (rounded up to 128): too old to tell, so refused
        Assert.True(Accepts(1300));     // a jump past the whole window forgets everything below it
        Assert.True(Accepts(1299));
        Assert.False(Accepts(1001));    // now below the window
        Assert.Equal(1300UL, validator.HighestCounter(validator.Users[0]));
    }

    [Fact]
    public void Refused_request_does_not_advance_the_counter()
    {
        using var validator = Validator();
        var unknownDevice = Sign(Build("4.1.1", Id(Supplier, TestDevices.Missing, 900)), Supplier);
        var lower = Sign(Build("4.1.1", Id(Supplier, TestDevices.Esme, 800)), Supplier);

        Assert.Equal(ValidationReason.UnknownDevice, validator.Validate(S, unknownDevice).Reason);
        Assert.True(validator.Validate(S, lower).IsAccepted);
    }

    [Fact]
    public void Concurrent_requests_with_one_counter_are_accepted_exactly_once()
    {
        using var validator = Validator(verifySignatures: false);
        var request = Build("4.1.1", Id(Supplier, TestDevices.Esme, 7000));
        var accepted = 0;

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (validator.Validate(S, request).IsAccepted)
            {
                Interlocked.Increment(ref accepted);
            }
        });

        Assert.Equal(1, accepted);
        Assert.Equal(63, validator.Counters[ValidationReason.ReplayedCounter]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"request\": 1}")]
    [InlineData("<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\"><sr:Header>")]
    [InlineData("<a><b></a>")]
    public void Malformed_XML_gets_HTTP_400(string body)
    {
        using var validator = Validator();

        var outcome = validator.Validate(S, Utf8(body));

        Assert.True(outcome.IsHttpBadRequest);
        Assert.Equal(ValidationReason.MalformedXml, outcome.Reason);
        Assert.Equal(default, outcome.ResponseCode);
    }

    [Fact]
    public void XML_that_is_not_a_DUIS_request_gets_HTTP_400()
    {
        using var validator = Validator();
        var response = File.ReadAllBytes(Path.Combine(SharedDuis.ResponseSamples, "11.2_READ_FIRMWARE_VERSION_I0_signed.xml"));

        var other = validator.Validate(S, Utf8("<order><item/></order>"));
        var aResponse = validator.Validate(S, response);

        Assert.Equal(ValidationReason.NotDuisRequest, other.Reason);
        Assert.True(other.IsHttpBadRequest);
        Assert.Equal(ValidationReason.NotDuisRequest, aResponse.Reason);
    }

    [Fact]
    public void Header_problems_and_unknown_variants_get_the_schema_code()
    {
        using var validator = Validator(verifySignatures: false);
        var good = Text(Build("4.1.1", Id(Supplier, TestDevices.Esme, 10)));

        var noCounter = validator.Validate(S, Utf8(good.Replace(":10<", "<", StringComparison.Ordinal)));
        var unknownVariant = validator.Validate(S, Utf8(good.Replace(">4.1.1<", ">4.1.9<", StringComparison.Ordinal)));
        var mismatch = validator.Validate(S, Utf8(good.Replace(">4.1<", ">4.2<", StringComparison.Ordinal)));

        // Without a counter the RequestID cannot be read: no DUIS response could be addressed, so HTTP 400.
        Assert.Equal(ValidationReason.UnaddressableHeader, noCounter.Reason);
        Assert.True(noCounter.IsHttpBadRequest);
        Assert.Equal(DuisReadStatus.BadRequestId, noCounter.ReadStatus);
        AssertRefused(unknownVariant, ValidationReason.UnknownServiceReferenceVariant, "E50");
        AssertRefused(mismatch, ValidationReason.ServiceReferenceMismatch, "E50");
    }

    [Fact]
    public void Sampled_schema_validation_refuses_a_schema_invalid_body_and_passes_a_valid_one()
    {
        var schema = DuisSchema.Load(SharedDuis.Material);
        using var validator = new RequestValidator(DefaultUsers(), new TestDevices(), new RequestValidatorOptions
        {
            VerifySignatures = false,
            Schema = schema,
            SchemaSampleInterval = 1,
        });
        var good = Text(Build("4.1.1", Id(Supplier, TestDevices.Esme, 10)));
        var bad = good.Replace("<sr:Body>", "<sr:Body><sr:NotAServiceRequest/>", StringComparison.Ordinal);

        Assert.True(validator.Validate(S, Utf8(good)).IsAccepted);
        AssertRefused(validator.Validate(S, Utf8(bad)), ValidationReason.SchemaInvalid, "E50");
    }

    [Fact]
    public void Schema_sampling_checks_one_request_in_N()
    {
        var schema = DuisSchema.Load(SharedDuis.Material);
        using var validator = new RequestValidator(DefaultUsers(), new TestDevices(), new RequestValidatorOptions
        {
            VerifySignatures = false,
            Schema = schema,
            SchemaSampleInterval = 3,
        });
        var bad = Text(Build("4.1.1", Id(Supplier, TestDevices.Esme, 1)))
            .Replace("<sr:Body>", "<sr:Body><sr:NotAServiceRequest/>", StringComparison.Ordinal);

        var reasons = new List<ValidationReason>();
        for (ulong counter = 1; counter <= 6; counter++)
        {
            reasons.Add(validator.Validate(S, Utf8(bad.Replace(":1<", $":{counter}<", StringComparison.Ordinal))).Reason);
        }

        Assert.Equal(
            [ValidationReason.Accepted, ValidationReason.Accepted, ValidationReason.SchemaInvalid, ValidationReason.Accepted, ValidationReason.Accepted, ValidationReason.SchemaInvalid],
            reasons);
    }

    [Fact]
    public void Multi_segment_body_is_validated_like_a_contiguous_one()
    {
        var signed = File.ReadAllBytes(Path.Combine(SharedDuis.SignedSamples, "ECS17b_4.1.1_REQUEST_DUIS-signed.xml"));
        using var validator = Validator();

        var outcome = validator.Validate(D, Segmented(signed, 97));

        Assert.True(outcome.IsAccepted, outcome.ToString());
    }

    [Fact]
    public void Counters_count_each_outcome_by_reason()
    {
        using var validator = Validator();
        validator.Validate(S, Sign(Build("4.1.1", Id(Supplier, TestDevices.Esme, 10)), Supplier));
        validator.Validate(S, Sign(Build("4.1.1", Id(Supplier, TestDevices.Esme, 11)), Supplier));
        validator.Validate(S, Sign(Build("4.1.1", Id(Supplier, TestDevices.Missing, 12)), Supplier));
        validator.Validate(S, Sign(Build("4.1.1", Id(Supplier, TestDevices.Esme, 11)), Supplier));
        validator.Validate(T, Utf8("not xml"));

        var snapshot = validator.Counters.Snapshot();

        Assert.Equal(2, snapshot.Accepted);
        Assert.Equal(3, snapshot.Rejected);
        Assert.Equal(1, snapshot[ValidationReason.UnknownDevice]);
        Assert.Equal(1, snapshot[ValidationReason.ReplayedCounter]);
        Assert.Equal(1, snapshot[ValidationReason.MalformedXml]);
        Assert.Equal(
            [ValidationReason.Accepted, ValidationReason.MalformedXml, ValidationReason.UnknownDevice, ValidationReason.ReplayedCounter],
            snapshot.NonZero().Select(p => p.Key));
        Assert.Equal(validator.Counters.Rejected, snapshot.Rejected);
    }

    [Fact]
    public void Accept_path_allocates_nothing_with_signature_checking_off()
    {
        using var validator = Validator(verifySignatures: false);
        var template = Text(Build("4.1.1", Id(Supplier, TestDevices.Esme, 1)));
        var requests = new byte[2000][];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = Utf8(template.Replace(":1<", $":{i + 1}<", StringComparison.Ordinal));
        }

        // The first thousand warm the code paths up; the second thousand are measured.
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(validator.Validate(S, requests[i]).IsAccepted);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var accepted = 0;
        for (var i = 1000; i < 2000; i++)
        {
            if (validator.Validate(S, requests[i]).IsAccepted)
            {
                accepted++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, accepted);
        Assert.Equal(0, allocated);
    }

    private static void AssertRefused(in ValidationOutcome outcome, ValidationReason reason, string code)
    {
        Assert.False(outcome.IsAccepted);
        Assert.False(outcome.IsHttpBadRequest);
        Assert.Equal(reason, outcome.Reason);
        Assert.Equal(code, outcome.ResponseCode.ToString());
        Assert.True(outcome.ResponseCode.IsDefinedBySchema, $"{outcome.ResponseCode} is not in the DUIS schema's ResponseCode enumeration");
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (var at = 0; at < bytes.Length; at += size)
        {
            var chunk = bytes.AsMemory(at, Math.Min(size, bytes.Length - at));
            last = last is null ? first = new Segment(chunk, 0) : last.Append(chunk);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
