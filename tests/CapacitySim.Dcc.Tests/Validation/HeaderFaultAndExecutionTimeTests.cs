using CapacitySim.Dcc.Validation;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Reading;
using Microsoft.Extensions.Time.Testing;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Validation;

/// <summary>
/// Header faults get a DUIS error response when one can be addressed and HTTP 400 when not, and a future-dated request
/// whose execution time has passed is refused.
/// </summary>
public class HeaderFaultAndExecutionTimeTests
{
    private const DuisWebService S = DuisWebService.SendCommand;
    private const DuisWebService T = DuisWebService.Transform;

    private static readonly DateTimeOffset Now = new(2029, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void Every_reason_is_either_HTTP_400_or_a_schema_code()
    {
        foreach (var reason in Enum.GetValues<ValidationReason>())
        {
            var code = DccErrorCodes.For(reason);
            if (DccErrorCodes.IsHttpBadRequest(reason))
            {
                Assert.Equal(default, code);
            }
            else
            {
                Assert.True(code.IsDefinedBySchema, $"{reason}: {code} is not in the DUIS schema's ResponseCode enumeration");
            }
        }
    }

    [Theory]
    [InlineData("<sr:CommandVariant>1<", "<sr:CommandVariant>0<")]
    [InlineData("<sr:CommandVariant>1<", "<sr:CommandVariant>9<")]
    [InlineData("<sr:ServiceReference>4.1<", "<sr:ServiceReference>4.x<")]
    public void A_bad_header_value_behind_a_readable_RequestID_and_variant_gets_E50(string from, string to)
    {
        using var validator = Validator(verifySignatures: false);
        var id = Id(Supplier, TestDevices.Esme, 10);
        var request = Text(Build("4.1.1", id)).Replace(from, to, StringComparison.Ordinal);

        var outcome = validator.Validate(S, Utf8(request));

        Assert.Equal(ValidationReason.InvalidHeader, outcome.Reason);
        Assert.False(outcome.IsHttpBadRequest);
        Assert.Equal(DccErrorCodes.SchemaInvalid, outcome.ResponseCode);
        Assert.Equal(id, outcome.Header.RequestId);
        Assert.Equal(ServiceReferenceVariant.Parse("4.1.1"), outcome.Header.ServiceReferenceVariant);
    }

    [Theory]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:10", "not-a-request-id")]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:10", "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:-1")]
    [InlineData("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:10", "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551616")]
    [InlineData("<sr:ServiceReferenceVariant>4.1.1<", "<sr:ServiceReferenceVariant>4..1<")]
    [InlineData("<sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>", "")]
    public void A_request_no_DUIS_response_can_be_addressed_to_gets_HTTP_400(string from, string to)
    {
        using var validator = Validator(verifySignatures: false);
        var request = Text(Build("4.1.1", Id(Supplier, TestDevices.Esme, 10))).Replace(from, to, StringComparison.Ordinal);

        var outcome = validator.Validate(S, Utf8(request));

        Assert.Equal(ValidationReason.UnaddressableHeader, outcome.Reason);
        Assert.True(outcome.IsHttpBadRequest);
        Assert.Equal(default, outcome.ResponseCode);
        Assert.Equal(1, validator.Counters[ValidationReason.UnaddressableHeader]);
    }

    [Theory]
    [InlineData("2030-01-15T09:00:00.00+25:00")]
    [InlineData("2030-01-15T09:00:00.00-99:99")]
    [InlineData("2030-01-15T09:00:00.00+14:30")]
    public void An_execution_time_zone_beyond_14_hours_gets_E50_without_the_schema(string when)
    {
        using var validator = ValidatorAt(Now);

        var outcome = validator.Validate(T, FutureDatedAt(when, 10));

        Assert.Equal(ValidationReason.InvalidHeader, outcome.Reason);
        Assert.Equal(DuisReadStatus.BadExecutionDateTime, outcome.ReadStatus);
        Assert.Equal(DccErrorCodes.SchemaInvalid, outcome.ResponseCode);
    }

    [Theory]
    [InlineData("2029-06-01T12:00:00.00+14:00")]
    [InlineData("2029-06-02T01:00:00.00-14:00")]
    public void An_execution_time_zone_of_14_hours_is_read_as_the_moment_it_names(string when)
    {
        // 12:00+14:00 is 22:00 the day before (past); 01:00-14:00 the next day is 15:00 (future).
        using var validator = ValidatorAt(Now);

        var outcome = validator.Validate(T, FutureDatedAt(when, 10));

        Assert.Equal(when.EndsWith("+14:00", StringComparison.Ordinal) ? ValidationReason.ExecutionDateTimeInPast : ValidationReason.Accepted, outcome.Reason);
    }

    [Theory]
    [InlineData("2015-01-15T00:00:00.00Z")]
    [InlineData("2029-06-01T11:54:59.00Z")]
    [InlineData("2029-06-01T12:54:59.00+01:00")]
    public void An_execution_time_already_past_gets_the_past_execution_code(string when)
    {
        using var validator = ValidatorAt(Now);

        var outcome = validator.Validate(T, FutureDatedAt(when, 10));

        Assert.Equal(ValidationReason.ExecutionDateTimeInPast, outcome.Reason);
        Assert.Equal(DccErrorCodes.ExecutionDateTimeInPast, outcome.ResponseCode);
        Assert.Equal("E54", outcome.ResponseCode.ToString());
        Assert.Equal(0, validator.Counters.Accepted);
    }

    [Theory]
    [InlineData("2029-06-01T11:55:00.00Z")]
    [InlineData("2029-06-01T12:00:00.00Z")]
    [InlineData("2030-01-15T09:00:00.00Z")]
    [InlineData("3000-12-31T00:00:00.00Z")]
    public void An_execution_time_ahead_or_within_the_tolerance_is_accepted(string when)
    {
        using var validator = ValidatorAt(Now);

        var outcome = validator.Validate(T, FutureDatedAt(when, 10));

        Assert.True(outcome.IsAccepted, $"{when}: {outcome}");
    }

    [Fact]
    public void A_refused_past_execution_time_leaves_the_counter_unused()
    {
        using var validator = ValidatorAt(Now);

        var past = validator.Validate(T, FutureDatedAt("2029-05-01T00:00:00.00Z", 10));
        var retry = validator.Validate(T, FutureDatedAt("2029-07-01T00:00:00.00Z", 10));

        Assert.Equal(ValidationReason.ExecutionDateTimeInPast, past.Reason);
        Assert.True(retry.IsAccepted, retry.ToString());
    }

    private static RequestValidator ValidatorAt(DateTimeOffset now) => new(DefaultUsers(), new TestDevices(), new RequestValidatorOptions
    {
        Keys = Keys,
        WallClock = new FakeTimeProvider(now),
        ExecutionDateTimeTolerance = Tolerance,
    });

    private static byte[] FutureDatedAt(string executionDateTime, ulong counter)
        => SignedFutureDated(Id(Supplier, TestDevices.Esme, counter), executionDateTime);
}
