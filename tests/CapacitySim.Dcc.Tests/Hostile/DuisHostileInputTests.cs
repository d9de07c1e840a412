using System.Net;
using System.Net.Sockets;
using System.Text;
using CapacitySim.Dcc.Tests.Integration;
using CapacitySim.Dcc.Validation;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using static CapacitySim.Dcc.Tests.Integration.Integration;
using static CapacitySim.Dcc.Tests.Validation.ValidationFixture;

namespace CapacitySim.Dcc.Tests.Hostile;

/// <summary>
/// Hostile DUIS bodies posted to a running DCC: each is answered with a 4xx or a DUIS error response, never a 5xx and
/// never a success, and the DCC serves a valid request after each.
/// </summary>
public class DuisHostileInputTests(HostileRig fixture) : IClassFixture<HostileRig>
{
    private DccRig Rig => fixture.Rig;

    /// <summary>Hostile bodies by name; each is built with fresh counters when the case runs.</summary>
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in Corpus.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    private static readonly Dictionary<string, Func<HostileRig, byte[]>> Corpus = new()
    {
        // Malformed and truncated XML.
        ["empty"] = _ => [],
        ["whitespace only"] = _ => Utf8(" \r\n\t "),
        ["json"] = _ => Utf8("{\"RequestID\":\"90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1\"}"),
        ["truncated to 1 byte"] = r => r.ValidRequest()[..1],
        ["truncated at a tenth"] = r => Truncated(r.ValidRequest(), 0.1),
        ["truncated at half"] = r => Truncated(r.ValidRequest(), 0.5),
        ["truncated inside the signature"] = r => Truncated(r.ValidRequest(), 0.9),
        ["last byte missing"] = r => r.ValidRequest()[..^1],
        ["mismatched end tag"] = r => Replace(r.ValidRequest(), "</sr:Header>", "</sr:Head>"),
        ["unclosed attribute quote"] = r => Replace(r.ValidRequest(), "schemaVersion=\"5.4\"", "schemaVersion=\"5.4"),
        ["second root element"] = r => [.. r.ValidRequest(), .. Utf8("<sr:Request/>")],
        ["undefined entity"] = r => Replace(r.ValidRequest(), "<sr:CommandVariant>1<", "<sr:CommandVariant>&one;<"),
        ["invalid UTF-8"] = r => Patch(r.ValidRequest(), "<sr:Body>", [0xC3, 0x28]),
        ["NUL byte"] = r => Patch(r.ValidRequest(), "<sr:Body>", [0]),
        ["UTF-16"] = r => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Text(r.ValidRequest()))).ToArray(),
        ["binary noise"] = _ => Noise(4096),
        ["deep nesting"] = _ => Utf8(string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000))),
        ["deep nesting inside a request"] = r => Replace(r.ValidRequest(), "<sr:Body>", "<sr:Body>" + string.Concat(Enumerable.Repeat("<sr:x>", 5_000)) + string.Concat(Enumerable.Repeat("</sr:x>", 5_000))),
        ["many attributes"] = r => Replace(r.ValidRequest(), "<sr:Body>", "<sr:Body " + string.Join(' ', Enumerable.Range(0, 5_000).Select(i => $"a{i}=\"1\"")) + ">"),
        ["many namespace declarations"] = r => Replace(r.ValidRequest(), "<sr:Body>", "<sr:Body " + string.Join(' ', Enumerable.Range(0, 5_000).Select(i => $"xmlns:p{i}=\"urn:{i}\"")) + ">"),
        ["3 MB of text"] = r => Replace(r.ValidRequest(), "<sr:Body>", "<sr:Body><sr:x>" + new string('A', 3 * 1024 * 1024) + "</sr:x>"),
        ["XML that is not DUIS"] = _ => Utf8("<order><item/></order>"),
        ["a DUIS response instead of a request"] = _ => File.ReadAllBytes(Path.Combine(Duis.Tests.Support.SharedDuis.ResponseSamples, "11.2_READ_FIRMWARE_VERSION_I0_signed.xml")),

        // DTDs and entities: refused before anything is resolved or expanded.
        ["internal DTD"] = r => Prepend(r.ValidRequest(), "<!DOCTYPE sr:Request [<!ELEMENT sr:Request ANY>]>"),
        ["billion laughs"] = r => Prepend(
            Replace(r.ValidRequest(), "<sr:Body>", "<sr:Body><sr:x>&l9;</sr:x>"),
            "<!DOCTYPE sr:Request [<!ENTITY l0 \"ha\">" + string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY l{i} \"{string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))}\">")) + "]>"),
        ["parameter entity"] = r => Prepend(r.ValidRequest(), "<!DOCTYPE sr:Request [<!ENTITY % p \"<!ENTITY e 'x'>\"> %p;]>"),

        // Bad RequestIDs.
        ["RequestID without a counter"] = r => Resigned(r, "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0"),
        ["RequestID counter above 64 bits"] = r => Resigned(r, "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551616"),
        ["RequestID counter negative"] = r => Resigned(r, "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:-5"),
        ["RequestID counter 0"] = r => Resigned(r, "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:0"),
        ["RequestID with a short EUI"] = r => Resigned(r, $"90-B3-D5-1F-30-01-00:00-DB-12-34-56-78-90-A0:{r.NextCounter()}"),
        ["RequestID with four parts"] = r => Resigned(r, $"90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:{r.NextCounter()}:1"),
        ["RequestID with an element inside"] = r => Resigned(r, $"90-B3-D5-1F-30-01-00-00:<sr:x/>00-DB-12-34-56-78-90-A0:{r.NextCounter()}"),
        ["RequestID of 100 kB"] = r => Resigned(r, new string('9', 100_000)),
        ["RequestID naming an unknown user"] = r => Resigned(r, $"90-B3-D5-1F-30-09-00-00:00-DB-12-34-56-78-90-A0:{r.NextCounter()}"),
        ["RequestID naming an unknown device"] = r => Resigned(r, $"90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-FF:{r.NextCounter()}"),
        ["two RequestIDs, the second valid"] = r => Replace(r.ValidRequest(), "<sr:RequestID>", "<sr:RequestID>x</sr:RequestID><sr:RequestID>"),
        ["command variant 0"] = r => ResignedHeader(r, "<sr:CommandVariant>1<", "<sr:CommandVariant>0<"),
        ["command variant 4294967296"] = r => ResignedHeader(r, "<sr:CommandVariant>1<", "<sr:CommandVariant>4294967296<"),
        ["service reference variant unknown"] = r => ResignedHeader(r, ">4.1.1<", ">4.1.99<"),
        ["execution time zone +25:00"] = r => FutureDatedAt(r, "2030-01-15T09:00:00.00+25:00"),
        ["execution time zone -99:99"] = r => FutureDatedAt(r, "2030-01-15T09:00:00.00-99:99"),
        ["execution time already past"] = r => FutureDatedAt(r, "2020-01-15T09:00:00.00Z"),

        // Tampered signatures.
        ["signature removed"] = r => Utf8(Text(r.ValidRequest()) is var t ? t[..t.IndexOf("<ds:Signature", StringComparison.Ordinal)] + "</sr:Request>" : ""),
        ["signature value flipped"] = r => FlipAfter(r.ValidRequest(), "<ds:SignatureValue>"),
        ["digest value flipped"] = r => FlipAfter(r.ValidRequest(), "<ds:DigestValue>"),
        ["signature value not base64"] = r => Patch(r.ValidRequest(), "<ds:SignatureValue>", Utf8("!!!")),
        ["signature value empty"] = r => Regex(r.ValidRequest(), "<ds:SignatureValue>[^<]*</ds:SignatureValue>", "<ds:SignatureValue></ds:SignatureValue>"),
        ["certificate serial changed"] = r => Regex(r.ValidRequest(), "<ds:X509SerialNumber>[0-9]+", "<ds:X509SerialNumber>1"),
        ["signature algorithm changed to RSA"] = r => Replace(r.ValidRequest(), "xmldsig-more#ecdsa-sha256", "xmldsig-more#rsa-sha256"),
        ["digest algorithm changed to SHA-1"] = r => Replace(r.ValidRequest(), "http://www.w3.org/2001/04/xmlenc#sha256", "http://www.w3.org/2000/09/xmldsig#sha1"),
        ["reference to another element"] = r => Replace(r.ValidRequest(), "URI=\"\"", "URI=\"#other\""),
        ["content changed after signing"] = r => Replace(r.ValidRequest(), "<sr:CommandVariant>1<", "<sr:CommandVariant>3<"),
        ["target changed after signing"] = r => Replace(r.ValidRequest(), "00-DB-12-34-56-78-90-A0", "00-DB-12-34-56-78-90-A1"),
        ["signed by another user"] = r => Sign(Build("4.1.1", new RequestId(Supplier, ReferencePremises.ElectricityMeter, r.NextCounter())), NetworkOperator),
        ["two signatures, the second valid"] = r => TwoSignatures(r.ValidRequest()),
        ["signature wrapped in a second body"] = r => Replace(r.ValidRequest(), "</sr:Body>", "</sr:Body><sr:Body><sr:ReadInstantaneousImportRegisters/></sr:Body>"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_body_is_refused_and_the_DCC_keeps_serving(string name)
    {
        var body = Corpus[name](fixture);
        var before = Rig.Dcc.Snapshot();

        var answer = await Rig.PostAsync(DuisWebService.SendCommand, body);

        AssertRefusedSafely(name, answer.Status, answer.Body);
        var after = Rig.Dcc.Snapshot();
        Assert.Equal(before.Faulted, after.Faulted);
        Assert.Equal(before.AcceptedForDevice, after.AcceptedForDevice);
        await fixture.AssertStillServingAsync();
    }

    [Fact]
    public async Task An_external_DTD_or_entity_is_never_fetched()
    {
        using var bait = new TcpListener(IPAddress.Loopback, 0);
        bait.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)bait.LocalEndpoint).Port}/x";
        var secret = Path.GetTempFileName();
        await File.WriteAllTextAsync(secret, "SECRET-7f3a");
        try
        {
            var external = Prepend(fixture.ValidRequest(), $"<!DOCTYPE sr:Request SYSTEM \"{url}.dtd\">");
            var entity = Prepend(
                Replace(fixture.ValidRequest(), "<sr:Body>", "<sr:Body><sr:x>&file;&web;</sr:x>"),
                $"<!DOCTYPE sr:Request [<!ENTITY file SYSTEM \"file://{secret}\"><!ENTITY web SYSTEM \"{url}.xml\">]>");

            foreach (var body in new[] { external, entity })
            {
                var answer = await Rig.PostAsync(DuisWebService.SendCommand, body);

                AssertRefusedSafely("external DTD or entity", answer.Status, answer.Body);
                Assert.DoesNotContain("SECRET-7f3a", Text(answer.Body), StringComparison.Ordinal);
            }

            await Task.Delay(200);
            Assert.False(bait.Pending(), "the DCC connected to a URL a DTD named");
            await fixture.AssertStillServingAsync();
        }
        finally
        {
            bait.Stop();
            File.Delete(secret);
        }
    }

    [Theory]
    [InlineData("whitespace around the RequestID")]
    [InlineData("leading zeros in the counter")]
    [InlineData("another namespace prefix")]
    [InlineData("the default namespace")]
    [InlineData("lower-case EUIs")]
    public async Task A_replay_in_disguise_gets_the_replay_code(string disguise)
    {
        var counter = fixture.NextCounter();
        var id = new RequestId(Supplier, ReferencePremises.ElectricityMeter, counter);
        var original = Text(Build("4.1.1", id));
        var idText = id.ToString();
        var disguised = disguise switch
        {
            "whitespace around the RequestID" => original.Replace($">{idText}<", $">\n  {idText}\t<", StringComparison.Ordinal),
            "leading zeros in the counter" => original.Replace($":{counter}<", $":000{counter}<", StringComparison.Ordinal),
            "another namespace prefix" => original.Replace("sr:", "dcc:", StringComparison.Ordinal).Replace("xmlns:sr", "xmlns:dcc", StringComparison.Ordinal),
            "the default namespace" => original.Replace("sr:", "", StringComparison.Ordinal).Replace("xmlns:sr", "xmlns", StringComparison.Ordinal),
            _ => original.Replace(idText, idText.ToLowerInvariant(), StringComparison.Ordinal),
        };
        Assert.NotEqual(original, disguised);

        var first = await Rig.PostAsync(DuisWebService.SendCommand, Sign(Utf8(original), Supplier));
        var again = await Rig.PostAsync(DuisWebService.SendCommand, Sign(Utf8(disguised), Supplier));

        Assert.Equal(ResponseCodes.Acknowledged, first.Header.ResponseCode);
        AssertRefusedSafely(disguise, again.Status, again.Body);
        if (again.Status == 200)
        {
            Assert.Equal(DccErrorCodes.ReplayedCounter, again.Header.ResponseCode);
        }

        await fixture.AssertStillServingAsync();
    }

    [Theory]
    [InlineData("2030-01-15T09:00:00.00+25:00")]
    [InlineData("2030-01-15T09:00:00.00-99:99")]
    public async Task A_signed_request_with_an_execution_time_zone_beyond_14_hours_gets_E50(string when)
    {
        var answer = await Rig.PostAsync(DuisWebService.Transform, FutureDatedAt(fixture, when));

        Assert.Equal(200, answer.Status);
        Assert.Equal(DccErrorCodes.SchemaInvalid, answer.Header.ResponseCode);
        AssertSignedByDcc(answer.Body);
    }

    [Fact]
    public async Task A_signed_future_dated_request_is_answered_and_one_already_past_gets_E54()
    {
        var ahead = await Rig.PostAsync(DuisWebService.Transform, FutureDatedAt(fixture, DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss.ff'Z'", System.Globalization.CultureInfo.InvariantCulture)));
        var past = await Rig.PostAsync(DuisWebService.Transform, FutureDatedAt(fixture, DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.ff'Z'", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(ResponseCodes.Success, ahead.Header.ResponseCode);
        Assert.Equal(200, past.Status);
        Assert.Equal(DccErrorCodes.ExecutionDateTimeInPast, past.Header.ResponseCode);
        AssertSignedByDcc(past.Body);
    }

    [Fact]
    public async Task A_command_variant_of_0_gets_E50_echoing_the_RequestID_and_variant()
    {
        var id = new RequestId(Supplier, ReferencePremises.ElectricityMeter, fixture.NextCounter());
        var request = Sign(Utf8(Text(Build("4.1.1", id)).Replace("<sr:CommandVariant>1<", "<sr:CommandVariant>0<", StringComparison.Ordinal)), Supplier);

        var answer = await Rig.PostAsync(DuisWebService.SendCommand, request);

        Assert.True(answer.Status == 200, $"HTTP {answer.Status}: {Text(answer.Body)}");
        Assert.Equal(DccErrorCodes.SchemaInvalid, answer.Header.ResponseCode);
        Assert.Equal(id, answer.Header.RequestId);
        Assert.Equal(ServiceReferenceVariant.Parse("4.1.1"), answer.Header.ServiceReferenceVariant);
        AssertSignedByDcc(answer.Body);
    }

    [Fact]
    public async Task An_unreadable_RequestID_gets_HTTP_400_counted_as_not_DUIS()
    {
        var before = Rig.Dcc.Snapshot();

        var answer = await Rig.PostAsync(DuisWebService.SendCommand, Resigned(fixture, "not-a-request-id"));

        Assert.Equal(400, answer.Status);
        Assert.StartsWith("not a DUIS request: UnaddressableHeader (BadRequestId)", Text(answer.Body), StringComparison.Ordinal);
        Assert.Equal(before.NotDuis + 1, Rig.Dcc.Snapshot().NotDuis);
    }

    /// <summary>4xx, or a DUIS error response; never a 5xx, never a success.</summary>
    private static void AssertRefusedSafely(string name, int status, byte[] body)
    {
        if (status is >= 400 and < 500)
        {
            return;
        }

        Assert.True(status == 200, $"{name}: HTTP {status}: {Text(body)}");
        Assert.True(DuisHeaderReader.TryRead(body, out var header) == DuisReadStatus.Ok, $"{name}: 200 without a DUIS response: {Text(body)}");
        Assert.True(header.MessageKind == DuisMessageKind.Response && header.ResponseCode.Kind == ResponseCodeKind.Error, $"{name}: answered {header.ResponseCode}");
    }

    private static byte[] Resigned(HostileRig rig, string requestId)
    {
        var id = new RequestId(Supplier, ReferencePremises.ElectricityMeter, rig.NextCounter()).ToString();
        return Sign(Utf8(Text(Build("4.1.1", RequestId.Parse(id))).Replace(id, requestId, StringComparison.Ordinal)), Supplier);
    }

    private static byte[] ResignedHeader(HostileRig rig, string from, string to)
    {
        var canonical = Text(Build("4.1.1", new RequestId(Supplier, ReferencePremises.ElectricityMeter, rig.NextCounter())));
        Assert.Contains(from, canonical, StringComparison.Ordinal);
        return Sign(Utf8(canonical.Replace(from, to, StringComparison.Ordinal)), Supplier);
    }

    private static byte[] FutureDatedAt(HostileRig rig, string executionDateTime)
        => SignedFutureDated(new RequestId(Supplier, ReferencePremises.ElectricityMeter, rig.NextCounter()), executionDateTime);

    private static byte[] Truncated(byte[] bytes, double share) => bytes[..(int)(bytes.Length * share)];

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var text = Text(bytes);
        Assert.Contains(from, text, StringComparison.Ordinal);
        return Utf8(text.Replace(from, to, StringComparison.Ordinal));
    }

    private static byte[] Regex(byte[] bytes, string pattern, string replacement)
    {
        var text = Text(bytes);
        var changed = System.Text.RegularExpressions.Regex.Replace(text, pattern, replacement);
        Assert.NotEqual(text, changed);
        return Utf8(changed);
    }

    private static byte[] Prepend(byte[] bytes, string text) => [.. Utf8(text), .. bytes];

    /// <summary>Inserts raw bytes right after the first occurrence of <paramref name="after"/>.</summary>
    private static byte[] Patch(byte[] bytes, string after, byte[] inserted)
    {
        var at = bytes.AsSpan().IndexOf(Utf8(after));
        Assert.True(at >= 0, after);
        at += Utf8(after).Length;
        return [.. bytes[..at], .. inserted, .. bytes[at..]];
    }

    private static byte[] FlipAfter(byte[] bytes, string after)
    {
        var copy = (byte[])bytes.Clone();
        var at = copy.AsSpan().IndexOf(Utf8(after)) + Utf8(after).Length;
        copy[at] = copy[at] == (byte)'A' ? (byte)'B' : (byte)'A';
        return copy;
    }

    private static byte[] TwoSignatures(byte[] signed)
    {
        var text = Text(signed);
        var start = text.IndexOf("<ds:Signature", StringComparison.Ordinal);
        var signature = text[start..text.LastIndexOf("</sr:Request>", StringComparison.Ordinal)];
        var forged = System.Text.RegularExpressions.Regex.Replace(signature, "<ds:SignatureValue>[^<]*", "<ds:SignatureValue>AAAA");
        return Utf8(text[..start] + forged + text[start..]);
    }

    private static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        new Random(20261207).NextBytes(bytes);
        return bytes;
    }
}
