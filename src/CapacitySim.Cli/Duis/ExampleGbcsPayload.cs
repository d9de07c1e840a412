using System.Buffers.Binary;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Cli.Duis;

/// <summary>
/// Illustrative GBCS payloads for example messages: shaped like a GBCS General Signing message (tag 0xDD, then the
/// transaction identifier made of the originator counter and both EUIs, the date-time, and the response data) so that
/// their size and content vary as real ones do. They are not cryptographically valid GBCS: DUIS carries the payload as
/// opaque base64, and nothing in the DUIS layer inspects it.
/// </summary>
internal static class ExampleGbcsPayload
{
    public static byte[] Build(ulong counter, Eui64 device, Eui64 user, DateTimeOffset time, long registerValue)
    {
        var payload = new byte[1 + 8 + 8 + 8 + 8 + 8 + 4];
        var span = payload.AsSpan();
        span[0] = 0xDD;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], counter);
        BinaryPrimitives.WriteUInt64BigEndian(span[9..], device.Value);
        BinaryPrimitives.WriteUInt64BigEndian(span[17..], user.Value);
        BinaryPrimitives.WriteInt64BigEndian(span[25..], time.ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(span[33..], registerValue);
        // A simple check value so a corrupted payload is visible when decoded by hand.
        System.Security.Cryptography.SHA256.HashData(span[..41]).AsSpan(0, 4).CopyTo(span[41..]);
        return payload;
    }
}
