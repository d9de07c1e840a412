using System.Buffers;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Writing;

namespace CapacitySim.Dcc.Simulation;

/// <summary>
/// One thread's tools for writing and signing DCC messages: the writers and signers are not thread-safe, so each
/// thread that produces messages (Kestrel's request threads, the capacity model's completion thread, the alert pump)
/// gets its own, reused for every message it writes.
/// </summary>
internal sealed class MessageWorker : IDisposable
{
    public MessageWorker(SigningIdentity? dcc, SigningIdentity? smets1ServiceProvider)
    {
        DccSigner = dcc is null ? null : new FastEnvelopedSigner(dcc);
        Smets1Signer = smets1ServiceProvider is null ? null : new FastEnvelopedSigner(smets1ServiceProvider);
    }

    public DuisResponseWriter Writer { get; } = new();

    public ArrayBufferWriter<byte> Unsigned { get; } = new(4096);

    public ArrayBufferWriter<byte> Signed { get; } = new(8192);

    public FastEnvelopedSigner? DccSigner { get; }

    public FastEnvelopedSigner? Smets1Signer { get; }

    public byte[] Payload { get; } = new byte[IllustrativeGbcsPayload.Length];

    /// <summary>Clears the buffers for the next message.</summary>
    public ArrayBufferWriter<byte> Begin()
    {
        Unsigned.ResetWrittenCount();
        Signed.ResetWrittenCount();
        return Unsigned;
    }

    /// <summary>The finished message: signed by the DCC when signing is on.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        if (DccSigner is null)
        {
            return Unsigned.WrittenSpan;
        }

        DccSigner.WriteSigned(Unsigned.WrittenSpan, Signed);
        return Signed.WrittenSpan;
    }

    public void Dispose()
    {
        DccSigner?.Dispose();
        Smets1Signer?.Dispose();
    }
}
