using System.Buffers.Binary;
using System.Security.Cryptography;
using CapacitySim.Duis.Identifiers;

namespace CapacitySim.Duis.Writing;

/// <summary>
/// Illustrative GBCS payloads for simulated responses and alerts: shaped like a GBCS General Signing message (tag 0xDD,
/// then a transaction identifier made of the originator counter and both EUIs, the date-time, and the response data)
/// so that their size and content vary as real ones do. They are not cryptographically valid GBCS: DUIS carries the
/// payload as opaque base64, and nothing in the DUIS layer inspects it.
/// </summary>
public static class IllustrativeGbcsPayload
{
    /// <summary>Bytes in a payload.</summary>
    public const int Length = 45;

    /// <summary>Writes a payload into <paramref name="destination"/> (at least <see cref="Length"/> bytes); allocates nothing.</summary>
    public static int Write(Span<byte> destination, ulong counter, Eui64 device, Eui64 user, DateTimeOffset time, long value)
    {
        var span = destination[..Length];
        span[0] = 0xDD;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], counter);
        BinaryPrimitives.WriteUInt64BigEndian(span[9..], device.Value);
        BinaryPrimitives.WriteUInt64BigEndian(span[17..], user.Value);
        BinaryPrimitives.WriteInt64BigEndian(span[25..], time.ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(span[33..], value);
        // A check value so a corrupted payload is visible when decoded by hand.
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(span[..41], digest);
        digest[..4].CopyTo(span[41..]);
        return Length;
    }

    /// <summary>A new payload array (for tools; the DCC writes into pooled buffers).</summary>
    public static byte[] Build(ulong counter, Eui64 device, Eui64 user, DateTimeOffset time, long value)
    {
        var payload = new byte[Length];
        Write(payload, counter, device, user, time, value);
        return payload;
    }
}
