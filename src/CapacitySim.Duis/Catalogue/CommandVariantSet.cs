using System.Numerics;

namespace CapacitySim.Duis.Catalogue;

/// <summary>
/// A set of <see cref="CommandVariant"/>s held as one bit mask (bit n set = CV n in the set): the command variants a
/// Service Reference Variant may be sent with, or those a web service accepts. Copying, testing and enumerating it
/// allocate nothing.
/// </summary>
public readonly record struct CommandVariantSet
{
    private const ushort ValidBits = 0b1_1111_1110;

    private readonly ushort mask;

    private CommandVariantSet(ushort mask) => this.mask = (ushort)(mask & ValidBits);

    /// <summary>The empty set.</summary>
    public static CommandVariantSet Empty => default;

    /// <summary>The bits of the set: bit n (1 to 8) stands for CV n.</summary>
    public ushort Mask => mask;

    /// <summary>True when no command variant is in the set.</summary>
    public bool IsEmpty => mask == 0;

    /// <summary>How many command variants are in the set.</summary>
    public int Count => BitOperations.PopCount(mask);

    /// <summary>The lowest command variant in the set (the one a request starts with), or <see cref="CommandVariant.None"/>.</summary>
    public CommandVariant First => mask == 0 ? CommandVariant.None : (CommandVariant)BitOperations.TrailingZeroCount(mask);

    /// <summary>A set of the given command variants (<see cref="CommandVariant.None"/> and out-of-range values are ignored).</summary>
    public static CommandVariantSet Of(params ReadOnlySpan<CommandVariant> variants)
    {
        ushort bits = 0;
        foreach (var v in variants)
        {
            if (v is > CommandVariant.None and <= CommandVariant.NonDevice)
            {
                bits |= (ushort)(1 << (int)v);
            }
        }

        return new CommandVariantSet(bits);
    }

    /// <summary>A set from its <see cref="Mask"/> (bits other than 1 to 8 are ignored).</summary>
    public static CommandVariantSet FromMask(ushort mask) => new(mask);

    /// <summary>True when <paramref name="variant"/> is in the set.</summary>
    public bool Contains(CommandVariant variant)
        => variant is > CommandVariant.None and <= CommandVariant.NonDevice && (mask & (1 << (int)variant)) != 0;

    /// <summary>Enumerates the command variants in ascending order without allocating.</summary>
    public Enumerator GetEnumerator() => new(mask);

    /// <summary>The CV numbers, comma separated, as the DUIS schema comments write them (<c>4, 5, 6, 7</c>).</summary>
    public override string ToString()
    {
        Span<char> text = stackalloc char[3 * 8];
        var at = 0;
        foreach (var v in this)
        {
            if (at > 0)
            {
                text[at++] = ',';
                text[at++] = ' ';
            }

            text[at++] = (char)('0' + (int)v);
        }

        return new string(text[..at]);
    }

    /// <summary>Walks the set bit by bit.</summary>
    public struct Enumerator
    {
        private int remaining;

        internal Enumerator(ushort mask)
        {
            remaining = mask;
            Current = CommandVariant.None;
        }

        /// <summary>The current command variant.</summary>
        public CommandVariant Current { get; private set; }

        /// <summary>Moves to the next command variant in ascending order.</summary>
        public bool MoveNext()
        {
            if (remaining == 0)
            {
                return false;
            }

            var bit = BitOperations.TrailingZeroCount(remaining);
            remaining &= remaining - 1;
            Current = (CommandVariant)bit;
            return true;
        }
    }
}
