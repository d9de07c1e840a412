using System.Buffers;
using System.CommandLine;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Requests;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Writing;

namespace CapacitySim.Cli.Duis;

/// <summary><c>capacitysim duis sample</c>: writes a realistic example DUIS request, response or alert.</summary>
internal static class DuisSampleCommand
{
    public static Command Create(MaterialOptions material, CliConsole console)
    {
        var srv = new Option<string>("--srv") { Description = "Service Reference Variant, such as 4.1.1 or 8.2.", Required = true };
        var kind = new Option<string>("--kind") { Description = "request, response or alert.", Required = true };
        kind.AcceptOnlyFromAmong("request", "response", "alert");
        var code = new Option<string>("--code") { Description = "Response code for --kind response: I0 (default), I99 or an E code such as E19.", DefaultValueFactory = _ => "I0" };
        var alert = new Option<string>("--alert") { Description = "Alert code for --kind alert: a GBCS device alert (4 hex digits, default 8F35) or a DCC alert (N or AD code).", DefaultValueFactory = _ => "8F35" };
        var smets1 = new Option<bool>("--smets1") { Description = "Write the SMETS1 form (SMETS1ResponseMessage with the inner SMETS1SignedResponse)." };
        var sign = new Option<bool>("--sign") { Description = "Sign the message: requests with the originator's key, responses and alerts with the DCC's." };
        var originator = new Option<string?>("--originator") { Description = "Originator EUI-64 of the request (default: the supplier 90-B3-D5-1F-30-01-00-00, or the network operator 90-B3-D5-1F-30-02-00-00 when only network roles may send the SRV)." };
        var target = new Option<string?>("--target") { Description = "Target EUI-64 (default: the example device of the type the SRV addresses, or the DCC for non-device requests)." };
        var counter = new Option<ulong?>("--counter") { Description = "Originator counter (default: the current Unix time in milliseconds, as DCC Boxed does); with --count, the first one." };
        var throttled = new Option<uint?>("--throttled-count") { Description = "For alerts: ThrottledAlertCount to carry (with ThrottledAlertSequenceId 1)." };
        var output = new Option<string?>("--out") { Description = "File to write (default: standard output); with --count, a folder (KIND-COUNTER.xml in it) or a file name with {n}, which becomes the counter." };
        var count = new Option<int>("--count") { Description = $"Write this many messages, with counters increasing by one from --counter (1 to {SampleBatch.MaxCount:N0}); more than one needs --out with a folder or {{n}}.", DefaultValueFactory = _ => 1 };

        var command = new Command("sample", "Write a realistic example DUIS message: schema-valid, optionally signed.")
        {
            srv, kind, code, alert, smets1, sign, originator, target, counter, throttled, output, count,
        };
        command.SetAction(parse =>
        {
            var env = material.Open(parse);
            var request = new SampleRequest(
                ParseSrv(parse.GetValue(srv)!),
                parse.GetValue(kind)!,
                ParseCode(parse.GetValue(code)!),
                parse.GetValue(alert)!,
                parse.GetValue(smets1),
                parse.GetValue(sign),
                ParseEui(parse.GetValue(originator), "--originator"),
                ParseEui(parse.GetValue(target), "--target"),
                parse.GetValue(counter) ?? (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                parse.GetValue(throttled));
            if (env.Material is null)
            {
                console.Error.WriteLine($"capacitysim: note: {env.Describe()}");
            }

            var batch = SampleBatch.Plan(parse.GetValue(output), parse.GetValue(count), request.Kind, request.Counter);
            if (batch is not null)
            {
                batch.Write(request, env, console.Error);
                return 0;
            }

            var bytes = Build(request, env, DateTimeOffset.UtcNow);
            var file = parse.GetValue(output);
            if (file is null)
            {
                using var stdout = Console.OpenStandardOutput();
                if (ReferenceEquals(console.Out, Console.Out))
                {
                    stdout.Write(bytes);
                    stdout.Flush();
                }
                else
                {
                    console.Out.Write(System.Text.Encoding.UTF8.GetString(bytes));
                }
            }
            else
            {
                var path = Path.GetFullPath(file);
                File.WriteAllBytes(path, bytes);
                console.Error.WriteLine($"wrote {path} ({bytes.Length} bytes{(request.Sign ? ", signed" : string.Empty)})");
            }

            return 0;
        });
        return command;
    }

    /// <summary>What to write.</summary>
    internal sealed record SampleRequest(
        ServiceReferenceVariant Srv,
        string Kind,
        ResponseCode Code,
        string Alert,
        bool Smets1,
        bool Sign,
        Eui64? Originator,
        Eui64? Target,
        ulong Counter,
        uint? ThrottledCount);

    /// <summary>Builds the example message.</summary>
    internal static byte[] Build(SampleRequest s, DuisEnvironment env, DateTimeOffset now)
    {
        var info = ServiceCatalogue.TryGet(s.Srv, out var found)
            ? found
            : throw new CliException($"--srv {s.Srv}: not a DUIS v5.4 Service Reference Variant.");
        var body = RequestBodies.Get(s.Srv);
        var user = s.Originator ?? DefaultOriginator(info);
        var device = s.Target ?? RequestBodies.ExampleDeviceId(body.TargetDeviceType);
        var requestId = new RequestId(user, device, s.Counter);
        var unsigned = new ArrayBufferWriter<byte>(4096);
        SigningIdentity? signer;
        switch (s.Kind)
        {
            case "request":
                unsigned.Write(RequestBodies.BuildRequest(s.Srv, requestId, body.DefaultCommandVariant));
                signer = s.Sign ? env.UserIdentity(user) : null;
                break;
            case "response":
                WriteResponse(s, env, now, requestId, unsigned);
                signer = s.Sign ? env.DccIdentity() : null;
                break;
            case "alert":
                WriteAlert(s, env, now, device, user, unsigned);
                signer = s.Sign ? env.DccIdentity() : null;
                break;
            default:
                throw new CliException($"--kind {s.Kind}: expected request, response or alert.");
        }

        if (signer is null)
        {
            return unsigned.WrittenSpan.ToArray();
        }

        var signed = new ArrayBufferWriter<byte>(unsigned.WrittenCount + 1024);
        using var fast = new FastEnvelopedSigner(signer);
        fast.WriteSigned(unsigned.WrittenSpan, signed);
        return signed.WrittenSpan.ToArray();
    }

    private static void WriteResponse(SampleRequest s, DuisEnvironment env, DateTimeOffset now, RequestId requestId, ArrayBufferWriter<byte> output)
    {
        var writer = new DuisResponseWriter();
        var header = new ResponseHeaderFields(
            requestId,
            new ResponseId(requestId.Target, requestId.Originator, requestId.Counter),
            s.Code,
            now);
        // A plausible import register: about 4,000 kWh a year on a meter a few years old, in Wh.
        var registerWh = 12_000_000 + (long)(s.Counter % 5_000_000);
        if (s.Smets1 && s.Code == ResponseCode.Success)
        {
            var data = s.Srv.Major == 4 && s.Srv.Minor == 1 && s.Srv.Sub is 2 or 4
                ? Smets1ResponseData.GasImportRegisters(Math.Round(registerWh / 10_000m, 3))
                : Smets1ResponseData.ElectricityImportRegisters(registerWh);
            var inner = new Smets1ResponseFields(requestId.Target, requestId.Originator, requestId.Counter, data)
            {
                Timestamp = now.AddSeconds(-2),
                ClockStatus = Smets1ClockStatus.Reliable,
            };
            using var s1sp = new FastEnvelopedSigner(env.Smets1ServiceProviderIdentity());
            writer.WriteSmets1Response(header, s.Srv, inner, s1sp, output);
        }
        else if (s.Code == ResponseCode.Success)
        {
            writer.WriteResponse(header, s.Srv, IllustrativeGbcsPayload.Build(requestId.Counter, requestId.Target, requestId.Originator, now, registerWh), output);
        }
        else
        {
            writer.WriteResponse(header, s.Srv, default, output);
        }
    }

    private static void WriteAlert(SampleRequest s, DuisEnvironment env, DateTimeOffset now, Eui64 device, Eui64 user, ArrayBufferWriter<byte> output)
    {
        var writer = new DuisResponseWriter();
        var counter = s.Counter;
        uint? sequence = s.ThrottledCount is null ? null : 1u;
        if (DeviceAlertCode.TryParse(s.Alert.AsSpan(), out var deviceAlert))
        {
            var header = new ResponseHeaderFields(null, new ResponseId(device, user, counter), ResponseCode.Success, now);
            writer.WriteDeviceAlert(header, deviceAlert, sequence, s.ThrottledCount, IllustrativeGbcsPayload.Build(counter, device, user, now, deviceAlert.Value), output);
            return;
        }

        if (!DccAlertCode.TryParse(s.Alert.AsSpan(), out var dccAlert) || !dccAlert.IsDefinedBySchema)
        {
            throw new CliException($"--alert {s.Alert}: expected a GBCS device alert code (4 hex digits, such as 8F35) or a DCC alert code the schema defines (such as N24 or AD1).");
        }

        var dcc = new Eui64(0x90B3D51F30000002);
        var dccHeader = new ResponseHeaderFields(null, new ResponseId(dcc, user, counter), ResponseCode.Success, now);
        var body = DccAlertBodyFor(dccAlert, device, user, counter, now);
        using var s1sp = new FastEnvelopedSigner(env.Smets1ServiceProviderIdentity());
        writer.WriteDccAlert(dccHeader, dccAlert, sequence, s.ThrottledCount, body, s1sp, output);
    }

    /// <summary>
    /// The DCC alert body an example carries: AD1 is the power outage alert; the S1SP alert codes carry the SMETS1
    /// service provider's alert; the command failure body stands for the rest.
    /// </summary>
    private static DccAlertBody DccAlertBodyFor(DccAlertCode code, Eui64 device, Eui64 user, ulong counter, DateTimeOffset now)
    {
        if (code.Kind == DccAlertCodeKind.AD)
        {
            return DccAlertBody.PowerOutageEvent(device, now.AddMinutes(-3), 1_012_345_678_901);
        }

        return code.Number switch
        {
            24 => DccAlertBody.QuarantinedRequest(QuarantineBreach.UserThreshold, new RequestId(user, device, counter - 1), counter % 1_000_000),
            >= 55 and <= 60 => DccAlertBody.S1SPAlertDsp("0001"u8.ToArray(), now, new RequestId(user, device, counter - 1), device),
            _ => DccAlertBody.CommandFailure(new RequestId(user, device, counter - 1), device),
        };
    }

    private static Eui64 DefaultOriginator(ServiceVariantInfo info)
        => (info.EligibleRoles & (UserRoles.ImportSupplier | UserRoles.GasSupplier | UserRoles.ExportSupplier)) != 0
            ? DuisEnvironment.Supplier
            : DuisEnvironment.NetworkOperator;

    private static ServiceReferenceVariant ParseSrv(string text)
        => ServiceReferenceVariant.TryParse(text.AsSpan(), out var srv) && ServiceCatalogue.Contains(srv)
            ? srv
            : throw new CliException($"--srv {text}: not a DUIS v5.4 Service Reference Variant (examples: 4.1.1, 8.2, 6.15.1).");

    private static ResponseCode ParseCode(string text)
        => ResponseCode.TryParse(text.AsSpan(), out var code) && code.IsDefinedBySchema
            ? code
            : throw new CliException($"--code {text}: not a response code of the DUIS v5.4 schema (examples: I0, I99, E19).");

    private static Eui64? ParseEui(string? text, string option)
        => text is null ? null
            : Eui64.TryParse(text.AsSpan(), out var eui) ? eui
            : throw new CliException($"{option} {text}: not an EUI-64 (expected eight hex octets joined by '-', such as 90-B3-D5-1F-30-01-00-00).");
}
