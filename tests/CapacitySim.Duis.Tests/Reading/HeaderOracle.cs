using System.Text;
using System.Xml;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;

namespace CapacitySim.Duis.Tests.Reading;

/// <summary>
/// An independent reading of the same fields with System.Xml (XmlDocument + XPath with a namespace manager,
/// DTDs prohibited), to check the hand-written reader against.
/// </summary>
internal static class HeaderOracle
{
    private static readonly char[] XmlWhitespace = [' ', '\t', '\r', '\n'];

    /// <summary>Loads the document; throws <see cref="XmlException"/> where System.Xml finds it malformed.</summary>
    public static XmlDocument Load(byte[] bytes)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        doc.Load(reader);
        return doc;
    }

    /// <summary>Asserts that <paramref name="actual"/> holds exactly what System.Xml finds in <paramref name="bytes"/>.</summary>
    public static void AssertAgrees(byte[] bytes, in DuisHeader actual)
    {
        var doc = Load(bytes);
        var ns = new XmlNamespaceManager(doc.NameTable);
        ns.AddNamespace("sr", DuisNamespaces.ServiceUserGateway);
        ns.AddNamespace("ds", DuisNamespaces.XmlDsig);
        var root = doc.DocumentElement!;
        Assert.Equal(DuisNamespaces.ServiceUserGateway, root.NamespaceURI);
        var isRequest = root.LocalName == "Request";
        Assert.Equal(isRequest ? DuisMessageKind.Request : DuisMessageKind.Response, actual.MessageKind);
        var r = isRequest ? "/sr:Request" : "/sr:Response";

        string? Text(string xpath) => doc.SelectSingleNode(xpath, ns)?.InnerText.Trim(XmlWhitespace);

        var body = doc.SelectSingleNode($"{r}/sr:Body/*", ns);
        Assert.NotNull(body);
        var bodyKind = isRequest ? DuisBodyKind.Request : BodyKindOf(body);
        Assert.Equal(bodyKind, actual.BodyKind);
        // The body element whatever its prefix (or none): the first element child, as the reader takes it.
        var bodyPath = $"{r}/sr:Body/*[1]";

        CheckField(Text($"{r}/sr:Header/sr:RequestID"), actual.HasRequestId, actual.RequestId, RequestId.Parse);
        CheckField(Text($"{r}/sr:Header/sr:ResponseID"), actual.HasResponseId, actual.ResponseId, s => ResponseId.TryParse(s.AsSpan(), out var v) ? v : throw new FormatException(s));
        if (isRequest)
        {
            CheckField(Text($"{r}/sr:Header/sr:CommandVariant"), actual.HasCommandVariant, actual.CommandVariant, s => (CommandVariant)int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
            CheckField(Text($"{r}/sr:Header/sr:ServiceReference"), actual.HasServiceReference, actual.ServiceReference, ParseServiceReference);
            CheckField(Text($"{r}/sr:Header/sr:ServiceReferenceVariant"), actual.HasServiceReferenceVariant, actual.ServiceReferenceVariant, ServiceReferenceVariant.Parse);
            CheckField(Text($"{bodyPath}/sr:ExecutionDateTime"), actual.HasExecutionDateTime, actual.ExecutionDateTime, XmlConvert.ToDateTimeOffset);
        }
        else
        {
            Assert.False(actual.HasCommandVariant);
            Assert.False(actual.HasExecutionDateTime);
            CheckField(Text($"{r}/sr:Header/sr:ResponseCode"), actual.HasResponseCode, actual.ResponseCode, ResponseCode.Parse);
            CheckField(Text($"{r}/sr:Header/sr:ResponseDateTime"), actual.HasResponseDateTime, actual.ResponseDateTime, XmlConvert.ToDateTimeOffset);
            var servicePath = bodyKind is DuisBodyKind.ResponseMessage or DuisBodyKind.Smets1ResponseMessage ? bodyPath : "/nothing";
            CheckField(Text($"{servicePath}/sr:ServiceReference"), actual.HasServiceReference, actual.ServiceReference, ParseServiceReference);
            CheckField(Text($"{servicePath}/sr:ServiceReferenceVariant"), actual.HasServiceReferenceVariant, actual.ServiceReferenceVariant, ServiceReferenceVariant.Parse);
            var throttledPath = bodyKind is DuisBodyKind.DeviceAlertMessage or DuisBodyKind.DccAlertMessage or DuisBodyKind.Smets1ResponseMessage ? bodyPath : "/nothing";
            CheckField(Text($"{throttledPath}/sr:ThrottledAlertSequenceId"), actual.HasThrottledAlertSequenceId, actual.ThrottledAlertSequenceId, s => XmlConvert.ToUInt32(s));
            CheckField(Text($"{throttledPath}/sr:ThrottledAlertCount"), actual.HasThrottledAlertCount, actual.ThrottledAlertCount, s => XmlConvert.ToUInt32(s));
            CheckField(Text($"{bodyPath}[self::sr:DeviceAlertMessage]/sr:AlertCode"), actual.HasDeviceAlertCode, actual.DeviceAlertCode, DeviceAlertCode.Parse);
            CheckField(Text($"{bodyPath}[self::sr:DCCAlertMessage]/sr:DCCAlertCode"), actual.HasDccAlertCode, actual.DccAlertCode, DccAlertCode.Parse);
        }

        Assert.Equal(doc.SelectSingleNode($"{r}/ds:Signature", ns) is not null, actual.HasSignature);
        Assert.Equal(-1, actual.ErrorOffset);
    }

    /// <summary>Reads the file's bytes.</summary>
    public static byte[] Bytes(string path) => File.ReadAllBytes(path);

    /// <summary>UTF-8 bytes of a hand-made document.</summary>
    public static byte[] Utf8(string xml) => Encoding.UTF8.GetBytes(xml);

    private static ServiceReference ParseServiceReference(string s)
        => ServiceReference.TryParse(Encoding.ASCII.GetBytes(s), out var v) ? v : throw new FormatException(s);

    private static DuisBodyKind BodyKindOf(XmlNode body)
    {
        if (body.NamespaceURI != DuisNamespaces.ServiceUserGateway)
        {
            return DuisBodyKind.Other;
        }

        return body.LocalName switch
        {
            "ResponseMessage" => DuisBodyKind.ResponseMessage,
            "DeviceAlertMessage" => DuisBodyKind.DeviceAlertMessage,
            "DCCAlertMessage" => DuisBodyKind.DccAlertMessage,
            "SMETS1ResponseMessage" => DuisBodyKind.Smets1ResponseMessage,
            _ => DuisBodyKind.Other,
        };
    }

    private static void CheckField<T>(string? expectedText, bool present, T actual, Func<string, T> parse)
    {
        Assert.Equal(expectedText is not null, present);
        if (expectedText is not null)
        {
            Assert.Equal(parse(expectedText), actual);
        }
    }
}
