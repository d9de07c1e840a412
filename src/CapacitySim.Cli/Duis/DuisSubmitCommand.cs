using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Xml;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Reading;

namespace CapacitySim.Cli.Duis;

/// <summary>
/// <c>capacitysim duis submit DIR --target URL</c>: posts every DUIS request file of a folder, in name order, to the
/// web service its command variant belongs to, and prints the response code each gets. Requests answered with an
/// information or warning code are accepted; an error code or a non-DUIS answer is a refusal, which fails the command
/// unless the <c>--expect-refused</c> file names that request with that code and a reason. Exit code 0 when every
/// request was accepted or refused as expected, 1 otherwise.
/// </summary>
internal static class DuisSubmitCommand
{
    public static Command Create(CliConsole console)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "A folder of DUIS request files (signed as the target expects)." };
        var target = new Option<string>("--target") { Description = "Base URL of the DUIS endpoint, such as http://127.0.0.1:8079.", Required = true };
        var expected = new Option<FileInfo?>("--expect-refused") { Description = "Requests refused on purpose: lines of 'FILE CODE reason' ('#' starts a comment)." };
        var command = new Command("submit", "Post every DUIS request of a folder to a DUIS endpoint and check each is accepted (or refused as expected).")
        {
            folder, target, expected,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dir = parse.GetValue(folder)!;
            if (!dir.Exists)
            {
                throw new CliException($"{dir.FullName}: no such folder.");
            }

            var text = parse.GetValue(target)!;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var baseAddress) || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliException($"--target {text}: expected an absolute http:// or https:// URL.");
            }

            var refusals = parse.GetValue(expected) is { } file ? ExpectedRefusals.Read(file) : new Dictionary<string, ExpectedRefusal>();
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            return await SubmitAsync(dir, http, refusals, console.Out, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> SubmitAsync(DirectoryInfo dir, HttpClient http, IReadOnlyDictionary<string, ExpectedRefusal> refusals, TextWriter output, CancellationToken cancellationToken)
    {
        var files = dir.GetFiles("*", SearchOption.TopDirectoryOnly)
            .Where(f => f.Extension.Equals(".xml", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var missing = refusals.Keys.Where(name => !files.Any(f => f.Name == name)).ToList();
        int accepted = 0, refusedAsExpected = 0, unexpected = 0;
        foreach (var file in files)
        {
            var message = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
            var code = await SubmitOneAsync(http, message, cancellationToken).ConfigureAwait(false);
            var isAccepted = code.Length > 1 && code[0] is 'I' or 'W';
            refusals.TryGetValue(file.Name, out var expectation);
            string verdict;
            if (expectation is null)
            {
                verdict = isAccepted ? "accepted  " : "UNEXPECTED";
            }
            else
            {
                verdict = !isAccepted && code == expectation.Code ? "refused   " : "UNEXPECTED";
            }

            var note = expectation is null ? string.Empty
                : verdict == "refused   " ? $"  (as expected: {expectation.Reason})"
                : $"  (expected {expectation.Code}: {expectation.Reason})";
            output.WriteLine($"{verdict} {code,-5} {file.Name}{note}");
            if (verdict == "accepted  ")
            {
                accepted++;
            }
            else if (verdict == "refused   ")
            {
                refusedAsExpected++;
            }
            else
            {
                unexpected++;
            }
        }

        foreach (var name in missing)
        {
            output.WriteLine($"UNEXPECTED -     {name}  (listed as refused on purpose, but not in {dir.FullName})");
            unexpected++;
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{files.Count} requests: {accepted} accepted, {refusedAsExpected} refused as expected{(unexpected > 0 ? $", {unexpected} unexpected" : string.Empty)}"));
        return unexpected == 0 ? 0 : 1;
    }

    /// <summary>Posts one request to its web service and returns its ResponseCode, or <c>HTTP nnn</c> / a read failure.</summary>
    private static async Task<string> SubmitOneAsync(HttpClient http, byte[] message, CancellationToken cancellationToken)
    {
        if (DuisHeaderReader.TryRead(message, out var header) != DuisReadStatus.Ok)
        {
            return "not-a-request";
        }

        var service = DuisWebServices.ForCommandVariant(header.CommandVariant);
        if (service == DuisWebService.None)
        {
            return "no-service";
        }

        using var content = new ByteArrayContent(message);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        using var response = await http.PostAsync(new Uri(DuisWebServices.GetPath(service), UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return ResponseCodeOf(body) ?? string.Create(CultureInfo.InvariantCulture, $"HTTP{(int)response.StatusCode}");
    }

    private static string? ResponseCodeOf(byte[] body)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "ResponseCode")
                {
                    return reader.ReadElementContentAsString().Trim();
                }
            }
        }
        catch (XmlException)
        {
            // Not XML: the caller reports the HTTP status.
        }

        return null;
    }
}

/// <summary>A request refused on purpose: the response code it must get and why.</summary>
internal sealed record ExpectedRefusal(string Code, string Reason);

/// <summary>Reads the <c>--expect-refused</c> file: one request a line, <c>FILE CODE reason</c>.</summary>
internal static class ExpectedRefusals
{
    public static Dictionary<string, ExpectedRefusal> Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliException($"--expect-refused {file.FullName}: file not found.");
        }

        var result = new Dictionary<string, ExpectedRefusal>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in File.ReadLines(file.FullName))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || !ResponseCode.TryParse(parts[1], out _))
            {
                throw new CliException($"{file.FullName}:{number}: expected 'FILE CODE reason' with a DUIS response code, got '{line}'.");
            }

            if (!result.TryAdd(parts[0], new ExpectedRefusal(parts[1], parts[2])))
            {
                throw new CliException($"{file.FullName}:{number}: {parts[0]} is listed twice.");
            }
        }

        return result;
    }
}
