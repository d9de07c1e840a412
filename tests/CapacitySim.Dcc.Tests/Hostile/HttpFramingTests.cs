using System.Text;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Reading;

namespace CapacitySim.Dcc.Tests.Hostile;

/// <summary>
/// Request framing an HTTP client library would never produce, sent on raw sockets: every form whose body length is in
/// doubt is refused with 400 and the connection closed (RFC 9112 sections 6.1 and 6.3), so that no byte after it can
/// be read as a second, smuggled request.
/// </summary>
public class HttpFramingTests(HostileRig fixture) : IClassFixture<HostileRig>
{
    private const string SendCommand = "/api/v1/serviceS";
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    public static TheoryData<string, string> NonDigitContentLengths() => new()
    {
        { "plus sign", "Content-Length: +{0}\r\n" },
        { "minus one", "Content-Length: -1\r\n" },
        { "minus zero", "Content-Length: -0\r\n" },
        { "underscore", "Content-Length: 1_0\r\n" },
        { "hexadecimal", "Content-Length: 0x10\r\n" },
        { "space inside", "Content-Length: 1 0\r\n" },
        { "list", "Content-Length: {0}, {0}\r\n" },
        { "two differing", "Content-Length: {0}\r\nContent-Length: 10\r\n" },
        { "two equal", "Content-Length: {0}\r\nContent-Length: {0}\r\n" },
        { "space before the colon", "Content-Length : {0}\r\n" },
        { "with chunked", "Content-Length: {0}\r\nTransfer-Encoding: chunked\r\n" },
        { "chunked first", "Transfer-Encoding: chunked\r\nContent-Length: {0}\r\n" },
    };

    [Theory]
    [MemberData(nameof(NonDigitContentLengths))]
    public async Task A_body_length_in_doubt_is_refused_with_400_and_the_connection_closed(string form, string lengthFields)
    {
        var body = fixture.ValidRequest();
        var fields = string.Format(System.Globalization.CultureInfo.InvariantCulture, lengthFields, body.Length);
        using var connection = await RawHttpConnection.OpenAsync(fixture.BaseAddress);

        // The valid request carries a body a lenient server would accept, and a second request follows on the same
        // connection: a server that kept reading would answer it.
        await connection.SendAsync(Concat(Head(fields), body, Head($"Content-Length: {body.Length}\r\n"), fixture.ValidRequest()));
        var answer = await connection.ReadResponseAsync();

        AssertStatus(400, answer, form);
        Assert.True(await connection.IsClosedByServerAsync(CloseWait), $"{form}: the connection stayed open after {answer}");
        await fixture.AssertStillServingAsync();
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData("  \t ")]
    public async Task Whitespace_around_a_digits_only_Content_Length_is_not_part_of_it(string whitespace)
    {
        // RFC 9110 section 5.5: optional whitespace before and after a field value is not part of the value.
        var body = fixture.ValidRequest();
        using var connection = await RawHttpConnection.OpenAsync(fixture.BaseAddress);

        await connection.SendAsync(Concat(Head($"Content-Length:{whitespace}{body.Length}{whitespace}\r\n"), body));
        var answer = await connection.ReadResponseAsync();

        AssertStatus(200, answer, "whitespace around the length");
        Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(answer.Body, out var header));
        Assert.Equal(ResponseCodes.Acknowledged, header.ResponseCode);
    }

    [Theory]
    [InlineData("ffffffffffffffffffff")]
    [InlineData("10000000000000000")]
    [InlineData("fffffffffffffff")]
    [InlineData("ffffffff")]
    [InlineData("-1")]
    [InlineData("zz")]
    public async Task A_chunk_size_that_overflows_or_is_not_hex_gets_400_not_500(string chunkSize)
    {
        using var connection = await RawHttpConnection.OpenAsync(fixture.BaseAddress);

        await connection.SendAsync(Head("Transfer-Encoding: chunked\r\n") + $"{chunkSize}\r\n<sr:Request/>\r\n0\r\n\r\n");
        var answer = await connection.ReadResponseAsync();

        AssertStatus(400, answer, $"chunk size {chunkSize}");
        Assert.True(await connection.IsClosedByServerAsync(CloseWait), $"chunk size {chunkSize}: the connection stayed open");
        await fixture.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_chunked_body_that_stops_short_gets_400_and_the_connection_closed()
    {
        using var connection = await RawHttpConnection.OpenAsync(fixture.BaseAddress);

        // Chunk data longer than its size line says: the next line is not a chunk size.
        await connection.SendAsync(Head("Transfer-Encoding: chunked\r\n") + "4\r\n<sr:Request/>\r\n0\r\n\r\n");
        var answer = await connection.ReadResponseAsync();

        AssertStatus(400, answer, "short chunk");
        Assert.True(await connection.IsClosedByServerAsync(CloseWait));
        await fixture.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_valid_chunked_request_is_served_and_the_connection_kept()
    {
        var body = fixture.ValidRequest();
        using var connection = await RawHttpConnection.OpenAsync(fixture.BaseAddress);

        await connection.SendAsync(Concat(Head("Transfer-Encoding: chunked\r\n"), Chunked(body)));
        var first = await connection.ReadResponseAsync();
        await connection.SendAsync(Concat(Head($"Content-Length: {body.Length}\r\n"), fixture.ValidRequest()));
        var second = await connection.ReadResponseAsync();

        AssertStatus(200, first, "chunked request");
        AssertStatus(200, second, "request after it");
        Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(first.Body, out var header));
        Assert.Equal(ResponseCodes.Acknowledged, header.ResponseCode);
    }

    [Fact]
    public async Task A_body_declared_over_the_size_limit_gets_413_before_it_is_read()
    {
        using var connection = await RawHttpConnection.OpenAsync(fixture.BaseAddress);

        // Only the start of the 5 MB body is sent: the declared length alone must be enough to refuse it.
        await connection.SendAsync(Head($"Content-Length: {5 * 1024 * 1024}\r\n") + "<sr:Request");
        var answer = await connection.ReadResponseAsync();

        AssertStatus(413, answer, "5 MB body");
        Assert.True(await connection.IsClosedByServerAsync(CloseWait));
        await fixture.AssertStillServingAsync();
    }

    public static TheoryData<string, string, int> HeaderFloods() => new()
    {
        { "1,000 header fields", string.Concat(Enumerable.Range(0, 1_000).Select(i => $"X-Flood-{i}: {i}\r\n")), 431 },
        { "one 64 KB header field", $"X-Flood: {new string('a', 64 * 1024)}\r\n", 431 },
        { "a field without a colon", "X-Flood\r\n", 400 },
        { "a field name with a space", "X Flood: 1\r\n", 400 },
        { "a bare LF inside a value", "X-Flood: a\nContent-Length: 5\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(HeaderFloods))]
    public async Task Header_floods_and_broken_fields_get_4xx(string form, string fields, int status)
    {
        var body = fixture.ValidRequest();
        using var connection = await RawHttpConnection.OpenAsync(fixture.BaseAddress);

        await connection.SendAsync(Concat(Head(fields + $"Content-Length: {body.Length}\r\n"), body));
        var answer = await connection.ReadResponseAsync();

        AssertStatus(status, answer, form);
        await fixture.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_request_line_of_64_KB_gets_414()
    {
        using var connection = await RawHttpConnection.OpenAsync(fixture.BaseAddress);

        await connection.SendAsync($"POST {SendCommand}?{new string('a', 64 * 1024)} HTTP/1.1\r\nHost: dcc\r\nContent-Length: 0\r\n\r\n");
        var answer = await connection.ReadResponseAsync();

        AssertStatus(414, answer, "long request line");
        await fixture.AssertStillServingAsync();
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Metrics_answer_only_GET_and_HEAD(string method)
    {
        using var connection = await RawHttpConnection.OpenAsync(fixture.BaseAddress);

        await connection.SendAsync($"{method} /metrics HTTP/1.1\r\nHost: dcc\r\nContent-Length: 2\r\n\r\n{{}}");
        var refused = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /metrics HTTP/1.1\r\nHost: dcc\r\n\r\n");
        var get = await connection.ReadResponseAsync();
        await connection.SendAsync("HEAD /metrics HTTP/1.1\r\nHost: dcc\r\n\r\n");
        var head = await connection.ReadResponseAsync(headRequest: true);

        AssertStatus(405, refused, method);
        Assert.Contains("GET", RawHttpConnection.Field(refused.Head, "Allow") ?? "", StringComparison.Ordinal);
        AssertStatus(200, get, "GET");
        Assert.Contains("capacitysim_dcc_requests_received_total", get.BodyText, StringComparison.Ordinal);
        AssertStatus(200, head, "HEAD");
    }

    private static void AssertStatus(int expected, [System.Diagnostics.CodeAnalysis.NotNull] RawResponse? answer, string? context)
    {
        Assert.True(answer is not null, $"{context}: the connection closed without an answer");
        Assert.True(answer.Status == expected, $"{context}: expected {expected}, got {answer}");
    }

    private static string Head(string fields)
        => $"POST {SendCommand} HTTP/1.1\r\nHost: dcc\r\nContent-Type: application/xml\r\n{fields}\r\n";

    private static byte[] Chunked(byte[] body)
    {
        var half = body.Length / 2;
        return Concat($"{half:x}\r\n", body[..half], $"\r\n{body.Length - half:X}\r\n", body[half..], "\r\n0\r\n\r\n");
    }

    private static byte[] Concat(params object[] parts)
    {
        var all = new List<byte>();
        foreach (var part in parts)
        {
            all.AddRange(part is string s ? Encoding.Latin1.GetBytes(s) : (byte[])part);
        }

        return [.. all];
    }
}
