using System.Numerics;

namespace CapacitySim.Devices.Behaviour;

/// <summary>
/// Counter-based pseudo-random numbers: every draw is a pure function of (seed, stream, a, b), mixed with the
/// SplitMix64 finaliser, so a device's draw for its n-th request is the same whichever thread asks and in whatever order.
/// </summary>
internal static class CounterRandom
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The SplitMix64 output function applied to <paramref name="x"/> plus the golden gamma.</summary>
    public static ulong Mix(ulong x)
    {
        x += Gamma;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>
    /// A 64-bit hash of the inputs. Each input is mixed in turn (not merely xored together), so (device 1, counter 2)
    /// and (device 2, counter 1) give unrelated values.
    /// </summary>
    public static ulong Hash(ulong seed, ulong stream, ulong a, ulong b) => Mix(Mix(Mix(seed ^ Mix(stream)) ^ a) ^ b);

    /// <summary>A uniform double in [0, 1) from the hash of the inputs.</summary>
    public static double Uniform(ulong seed, ulong stream, ulong a, ulong b) => ToUnit(Hash(seed, stream, a, b));

    /// <summary>The top 53 bits of <paramref name="x"/> as a double in [0, 1).</summary>
    public static double ToUnit(ulong x) => (x >> 11) * (1.0 / (1UL << 53));
}

/// <summary>
/// A keyed bijection of [0, n): a balanced Feistel network over the next even power of two with cycle walking. It lets
/// the generator visit every premises (or every device of a group) once in a pseudo-random order, and find where a
/// given one falls in that order, without storing the order.
/// </summary>
internal readonly struct FeistelPermutation
{
    private const int Rounds = 4;
    private readonly ulong key;
    private readonly int halfBits;
    private readonly ulong halfMask;

    public FeistelPermutation(long size, ulong key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        Size = size;
        this.key = key;
        var bits = size <= 4 ? 2 : 64 - BitOperations.LeadingZeroCount((ulong)(size - 1));
        halfBits = (bits + 1) / 2;
        halfMask = (1UL << halfBits) - 1;
    }

    /// <summary>Number of elements permuted.</summary>
    public long Size { get; }

    /// <summary>The element at position <paramref name="position"/> of the order.</summary>
    public long Forward(long position)
    {
        var x = (ulong)position;
        do
        {
            x = Encrypt(x);
        }
        while (x >= (ulong)Size);
        return (long)x;
    }

    /// <summary>The position of <paramref name="element"/> in the order (inverse of <see cref="Forward"/>).</summary>
    public long Inverse(long element)
    {
        var x = (ulong)element;
        do
        {
            x = Decrypt(x);
        }
        while (x >= (ulong)Size);
        return (long)x;
    }

    private ulong Round(ulong half, int round) => CounterRandom.Mix(half ^ (key + (ulong)round * 0xD1B54A32D192ED03UL)) & halfMask;

    private ulong Encrypt(ulong x)
    {
        var left = x >> halfBits;
        var right = x & halfMask;
        for (var r = 0; r < Rounds; r++)
        {
            (left, right) = (right, left ^ Round(right, r));
        }

        return (left << halfBits) | right;
    }

    private ulong Decrypt(ulong x)
    {
        var left = x >> halfBits;
        var right = x & halfMask;
        for (var r = Rounds - 1; r >= 0; r--)
        {
            (left, right) = (right ^ Round(left, r), left);
        }

        return (left << halfBits) | right;
    }
}
