using System.Xml;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Duis.Tests.Reading;

/// <summary>
/// Damaged copies of real messages, each read by the reader and by System.Xml: the reader never throws, never
/// accepts what System.Xml rejects, and when it accepts, agrees with System.Xml on every field.
/// </summary>
public class DuisHeaderReaderDifferentialTests
{
    // Bytes that change the meaning of markup most often, plus a stray UTF-8 lead byte.
    private static readonly byte[] Interesting = "<>/&;\"'=:# !?-[]xX0Aa\t\n"u8.ToArray().Append((byte)0xC3).ToArray();

    // Whole constructs: where they land decides whether the result is still well-formed, and what it means.
    private static readonly string[] Snippets =
    [
        "<!--c-->", "<![CDATA[x]]>", "<![CDATA[ ]]>", "<?p d?>", " xmlns:sr='urn:x'", " xmlns:sr='http://www.dccinterface.co.uk/ServiceUserGateway'",
        " xmlns='http://www.dccinterface.co.uk/ServiceUserGateway'", " xmlns=''", "&amp;", "&#65;", "&#x20;", "<a/>", "</a>", " a='1'",
        "\r\n", "<sr:RequestID>90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:7</sr:RequestID>", "<sr:x>", "</sr:x>",
        "<ds:Signature/>", "<!DOCTYPE x>", "]]>", "--",
    ];

    public static TheoryData<string> Samples() => new()
    {
        Path.Combine(SharedDuis.ResponseSamples, "11.2_READ_FIRMWARE_VERSION_I0_signed.xml"),
        Path.Combine(SharedDuis.ResponseSamples, "11.2_E65_error.xml"),
        Path.Combine(SharedDuis.RequestSamples, "11.1_UPDATE_FIRMWARE_REQUEST_DUIS.XML"),
        Path.Combine(SharedDuis.SignedSamples, "8.3_DECOMMISSION_DEVICE_REQUEST_DUIS-signed.xml"),
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Damaged_messages_are_judged_as_System_Xml_judges_them(string path)
    {
        var original = File.ReadAllBytes(path);
        var random = new Random(20240301);
        var rejectedByBoth = 0;
        var acceptedByBoth = 0;
        for (var round = 0; round < 1500; round++)
        {
            var bytes = Damage(original, random);

            var status = DuisHeaderReader.TryRead(bytes, out var header);

            XmlException? oracleError = null;
            try
            {
                HeaderOracle.Load(bytes);
            }
            catch (XmlException e)
            {
                oracleError = e;
            }

            var context = $"round {round}: reader {status} at {header.ErrorOffset}, System.Xml: {oracleError?.Message ?? "accepted"}\n{System.Text.Encoding.UTF8.GetString(bytes)}";
            if (oracleError is not null)
            {
                Assert.True(status.IsXmlError(), context);
                rejectedByBoth++;
            }
            else if (status == DuisReadStatus.Ok)
            {
                HeaderOracle.AssertAgrees(bytes, header);
                acceptedByBoth++;
            }
            else
            {
                // Well-formed to System.Xml: only a DUIS-level complaint is acceptable.
                Assert.True(status.IsDuisError(), context);
            }
        }

        // The damage must actually exercise both sides.
        Assert.InRange(rejectedByBoth, 100, 1400);
        Assert.InRange(acceptedByBoth, 100, 1400);
    }

    private static byte[] Damage(byte[] original, Random random)
    {
        var bytes = original.ToList();
        // The XML declaration's encoding name is taken at its word by System.Xml and ignored here (DUIS is UTF-8).
        var from = original.AsSpan().IndexOf("?>"u8) + 2;
        var edits = random.Next(1, 3);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(from, bytes.Count);
            switch (random.Next(4))
            {
                case 3:
                    bytes.InsertRange(at, System.Text.Encoding.UTF8.GetBytes(Snippets[random.Next(Snippets.Length)]));
                    break;
                case 0:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
            }
        }

        return [.. bytes];
    }
}
