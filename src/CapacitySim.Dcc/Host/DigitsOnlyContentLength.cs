using System.Text;
using Microsoft.Net.Http.Headers;

namespace CapacitySim.Dcc.Host;

/// <summary>
/// Makes Kestrel refuse a <c>Content-Length</c> that is not digits only, with 400 and a closed connection.
/// </summary>
/// <remarks>
/// <para>RFC 9112 (section 6.3) says a Content-Length that is not a valid number of octets leaves the message length
/// unknown: the server must answer 400 and close the connection, or the bytes after it may be read as a second,
/// smuggled request. Kestrel reads the value with a parser that also takes a sign, so <c>+12</c> is taken as 12 and
/// <c>-0</c> as 0, the request is served and the connection kept. The application never sees the raw value (Kestrel
/// hands it the parsed number), but Kestrel decodes a header with the encoding its
/// <c>RequestHeaderEncodingSelector</c> names before parsing it as an integer: this encoding, chosen for
/// Content-Length alone, turns any byte that is not a digit into a character no integer parser accepts, so Kestrel
/// itself rejects the request as having an invalid Content-Length, before any of it reaches the DCC.</para>
/// <para>Optional whitespace around the value is not part of it (RFC 9110 section 5.5); Kestrel strips it first.
/// Two Content-Length fields, and Content-Length beside Transfer-Encoding, Kestrel already refuses and closes.</para>
/// <para>Decoding works on spans and allocates nothing, so requests pay nothing for it.</para>
/// </remarks>
internal sealed class DigitsOnlyContentLength : Encoding
{
    // Not a digit, sign or whitespace in any culture: an integer parser fails on it.
    private const char NotADigit = '\uFFFD';

    private DigitsOnlyContentLength()
    {
    }

    /// <summary>The encoding.</summary>
    public static DigitsOnlyContentLength Instance { get; } = new();

    /// <summary>
    /// The selector for <c>KestrelServerOptions.RequestHeaderEncodingSelector</c>: this encoding for Content-Length,
    /// Kestrel's default (null) for every other field.
    /// </summary>
    public static Encoding? Select(string headerName)
        => string.Equals(headerName, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) ? Instance : null;

    /// <inheritdoc/>
    public override int GetByteCount(char[] chars, int index, int count) => count;

    /// <inheritdoc/>
    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex)
    {
        ArgumentNullException.ThrowIfNull(chars);
        ArgumentNullException.ThrowIfNull(bytes);
        for (var i = 0; i < charCount; i++)
        {
            var c = chars[charIndex + i];
            bytes[byteIndex + i] = char.IsAsciiDigit(c) ? (byte)c : (byte)'?';
        }

        return charCount;
    }

    /// <inheritdoc/>
    public override int GetCharCount(byte[] bytes, int index, int count) => count;

    /// <inheritdoc/>
    public override int GetCharCount(ReadOnlySpan<byte> bytes) => bytes.Length;

    /// <inheritdoc/>
    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(chars);
        return GetChars(bytes.AsSpan(byteIndex, byteCount), chars.AsSpan(charIndex));
    }

    /// <inheritdoc/>
    public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        // Kestrel decodes into a buffer sized for the longest valid length: a longer value is invalid anyway, and
        // filling the buffer with non-digits makes it so without writing past the end.
        var count = Math.Min(bytes.Length, chars.Length);
        for (var i = 0; i < count; i++)
        {
            var b = bytes[i];
            chars[i] = b - (uint)'0' <= 9 ? (char)b : NotADigit;
        }

        if (count < bytes.Length && count > 0)
        {
            chars[count - 1] = NotADigit;
        }

        return count;
    }

    /// <inheritdoc/>
    public override int GetMaxByteCount(int charCount) => charCount;

    /// <inheritdoc/>
    public override int GetMaxCharCount(int byteCount) => byteCount;
}
