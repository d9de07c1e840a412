using System.Text;

namespace CapacitySim.Load.Tests.Http;

/// <summary>The request body and the two framings of one I99 answer that the connection tests exchange.</summary>
internal static class ExchangeSamples
{
    /// <summary>A small DUIS request body.</summary>
    public static readonly byte[] RequestBody = Encoding.UTF8.GetBytes(
        "<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\"><sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:88-73-84-57-00-2F-96-1E:1660751141087</sr:RequestID></sr:Header></sr:Request>");

    /// <summary>The answer delimited by Content-Length.</summary>
    public static readonly byte[] ContentLengthResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 31\r\n\r\n<sr:Acknowledgement>I99</sr:Ack");

    /// <summary>The same answer body in two chunks.</summary>
    public static readonly byte[] ChunkedResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n<sr:Acknowledgem\r\n0F\r\nent>I99</sr:Ack\r\n0\r\n\r\n");
}
