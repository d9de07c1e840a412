using CapacitySim.Dcc.Validation;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Templates;
using CapacitySim.Duis.Tests.Support;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Validation;

/// <summary>Every DCC reference sample request is accepted by the default users and the reference premises.</summary>
public class SampleAcceptanceTests
{
    /// <summary>
    /// Originators whose samples cannot be signed with the shared ZAZ1 material, and why. Their samples are checked
    /// with signature checking off instead, and with it on they are refused for want of a certificate.
    /// </summary>
    private static readonly Dictionary<Eui64, string> Unsignable = new()
    {
        [Eui64.Parse("90-B3-D5-1F-30-01-00-08")] = "the ZAZ1 keys hold no certificate for the load controller of ECS47e (7.16)",
    };

    /// <summary>
    /// Samples whose ExecutionDateTime has passed, which the DCC refuses (a future-dated command it can no longer carry
    /// out); moved ahead, each is accepted.
    /// </summary>
    private static readonly Dictionary<string, string> PastExecution = new()
    {
        ["CS02bACBByACB_8.5_SUCCESS_REQUEST_DUIS.XML"] = "its ExecutionDateTime is 2015-01-15",
    };

    public static TheoryData<string> SignedSampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(SharedDuis.SignedSamples).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    public static TheoryData<string> RequestSampleNames() => SharedDuis.RequestSampleNames();

    [Theory]
    [MemberData(nameof(SignedSampleNames))]
    public void Signed_sample_is_accepted_with_signature_checking_on(string fileName)
    {
        var bytes = File.ReadAllBytes(Path.Combine(SharedDuis.SignedSamples, fileName));
        using var validator = Validator();

        var outcome = validator.Validate(ServiceFor(bytes), bytes);

        Assert.True(outcome.IsAccepted, $"{fileName}: {outcome}");
        Assert.Equal(ResponseCodes.Acknowledged, outcome.ResponseCode);
        Assert.Equal(Supplier, outcome.User!.Eui);
        Assert.Equal(outcome.Header.ServiceReferenceVariant, outcome.Service!.Variant);
        Assert.Equal(!outcome.Service.NonDevice, outcome.HasDevice);
        Assert.Equal(1, validator.Counters.Accepted);
    }

    [Theory]
    [MemberData(nameof(RequestSampleNames))]
    public void Unsigned_sample_signed_with_its_originators_key_is_accepted(string fileName)
    {
        var canonical = RenderSample(fileName);
        var template = RequestTemplate.Compile(canonical, fileName);
        var originator = template.OriginalRequestId.Originator;
        var service = DuisWebServices.ForCommandVariant(template.CommandVariant);

        if (Unsignable.ContainsKey(originator))
        {
            using var lenient = Validator(verifySignatures: false);
            var accepted = lenient.Validate(service, canonical);
            Assert.True(accepted.IsAccepted, $"{fileName}: {accepted}");

            using var checking = Validator();
            Assert.Equal(ValidationReason.MissingSignature, checking.Validate(service, canonical).Reason);
            return;
        }

        using var validator = Validator();
        if (PastExecution.ContainsKey(fileName))
        {
            Assert.Equal(ValidationReason.ExecutionDateTimeInPast, validator.Validate(service, Sign(canonical, originator)).Reason);
            var ahead = new System.Buffers.ArrayBufferWriter<byte>();
            template.Render(template.OriginalSlots with { ExecutionDateTime = DateTimeOffset.UtcNow.AddDays(30) }, ahead);
            canonical = ahead.WrittenSpan.ToArray();
        }

        var signed = Sign(canonical, originator);

        var outcome = validator.Validate(service, signed);

        Assert.True(outcome.IsAccepted, $"{fileName}: {outcome}");
        Assert.Equal(originator, outcome.User!.Eui);
        if (outcome.HasDevice)
        {
            Assert.Equal(template.OriginalRequestId.Target, outcome.Device.Eui);
        }
    }

    [Fact]
    public void Every_sample_originator_is_a_default_user()
    {
        var users = DefaultUsers();
        foreach (var name in Directory.GetFiles(SharedDuis.RequestSamples))
        {
            var template = RequestTemplate.CompileFile(name);
            Assert.True(users.TryFind(template.OriginalRequestId.Originator, out _), $"{Path.GetFileName(name)}: {template.OriginalRequestId.Originator}");
        }
    }

    [Fact]
    public void Only_the_listed_originators_lack_a_signing_key()
    {
        foreach (var user in DefaultUsers().All)
        {
            var hasKey = Keys.ForEui(user.Eui).Any(c => c.KeyPath is not null);
            Assert.Equal(!Unsignable.ContainsKey(user.Eui), hasKey);
        }
    }

    private static DuisWebService ServiceFor(byte[] request)
    {
        Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(request, out var header));
        return DuisWebServices.ForCommandVariant(header.CommandVariant);
    }
}
