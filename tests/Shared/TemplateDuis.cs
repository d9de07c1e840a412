using System.Text.RegularExpressions;

namespace CapacitySim.Duis.Tests.Support;

/// <summary>
/// DUIS read and written as a third-party stub would: regular expressions over DCC Boxed's own sample response, with
/// nothing of CapacitySim's DUIS reading or writing, so that tests of the users' side meet an endpoint it did not write.
/// </summary>
internal static partial class TemplateDuis
{
    /// <summary>The RequestID of a request, as its text says.</summary>
    public static string RequestIdOf(string body) => RequestIdPattern().Match(body).Groups[1].Value;

    /// <summary>The Service Reference Variant of a request, as its text says.</summary>
    public static string SrvOf(string body) => SrvPattern().Match(body).Groups[1].Value;

    /// <summary>
    /// A response made from <paramref name="template"/> (a DCC Boxed sample response) with the RequestID, SRV and code
    /// replaced; the Service Reference is the variant without its third part (4.1.1 → 4.1; 8.2 stays 8.2).
    /// </summary>
    public static string Answer(string template, string requestId, string srv, string code)
    {
        var parts = srv.Split('.');
        var reference = parts.Length > 2 ? $"{parts[0]}.{parts[1]}" : srv;
        var text = SrvOutPattern().Replace(template, $"${{1}}{srv}${{2}}");
        text = ReferencePattern().Replace(text, $"${{1}}{reference}${{2}}");
        text = CodePattern().Replace(text, $"${{1}}{code}${{2}}");
        return RequestIdPattern().Replace(text, $"<sr:RequestID>{requestId}</sr:RequestID>");
    }

    [GeneratedRegex("<sr:RequestID>([^<]+)</sr:RequestID>")]
    private static partial Regex RequestIdPattern();

    [GeneratedRegex("<sr:ServiceReferenceVariant>([^<]+)</sr:ServiceReferenceVariant>")]
    private static partial Regex SrvPattern();

    [GeneratedRegex("(<sr:ServiceReferenceVariant>)[^<]+(</sr:ServiceReferenceVariant>)")]
    private static partial Regex SrvOutPattern();

    [GeneratedRegex("(<sr:ServiceReference>)[^<]+(</sr:ServiceReference>)")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("(<sr:ResponseCode>)[^<]+(</sr:ResponseCode>)")]
    private static partial Regex CodePattern();
}
