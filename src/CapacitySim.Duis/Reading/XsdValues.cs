namespace CapacitySim.Duis.Reading;

/// <summary>Parsers for the XML Schema lexical forms DUIS header values use, over trimmed UTF-8, without allocating.</summary>
internal static class XsdValues
{
    /// <summary>xs:unsignedInt: an optional '+', then decimal digits (leading zeros allowed), at most 4294967295.</summary>
    public static bool TryParseUnsignedInt(ReadOnlySpan<byte> utf8, out uint value)
    {
        value = 0;
        if (!utf8.IsEmpty && utf8[0] == (byte)'+')
        {
            utf8 = utf8[1..];
        }

        if (utf8.IsEmpty)
        {
            return false;
        }

        ulong result = 0;
        foreach (var c in utf8)
        {
            var d = c - (uint)'0';
            if (d > 9)
            {
                return false;
            }

            result = (result * 10) + d;
            if (result > uint.MaxValue)
            {
                return false;
            }
        }

        value = (uint)result;
        return true;
    }

    /// <summary>
    /// xs:dateTime <c>YYYY-MM-DDThh:mm:ss[.f+][Z|(+|-)hh:mm]</c> as a <see cref="DateTimeOffset"/>. Fractions of
    /// any length are accepted and rounded to the 100 ns tick at the eighth digit, and <c>24:00:00</c> is refused,
    /// both as System.Xml (which validates DUIS in .NET) does; a value without a zone is taken as UTC, the DCC's
    /// convention. Years outside 1 to 9999 cannot be held by <see cref="DateTimeOffset"/> and fail.
    /// </summary>
    public static bool TryParseDateTime(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        // The shortest form is YYYY-MM-DDThh:mm:ss (19 bytes); five-digit years are beyond DateTimeOffset.
        if (s.Length < 19
            || !TwoDigits(s, 0, out var century) || !TwoDigits(s, 2, out var yy) || s[4] != (byte)'-'
            || !TwoDigits(s, 5, out var month) || s[7] != (byte)'-'
            || !TwoDigits(s, 8, out var day) || s[10] != (byte)'T'
            || !TwoDigits(s, 11, out var hour) || s[13] != (byte)':'
            || !TwoDigits(s, 14, out var minute) || s[16] != (byte)':'
            || !TwoDigits(s, 17, out var second))
        {
            return false;
        }

        var year = (century * 100) + yy;
        if (year == 0 || month is 0 or > 12 || day == 0 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var p = 19;
        long fraction = 0;
        if (p < s.Length && s[p] == (byte)'.')
        {
            p++;
            var digitsStart = p;
            var scale = TimeSpan.TicksPerSecond;
            while (p < s.Length && s[p] - (uint)'0' <= 9)
            {
                var d = s[p] - '0';
                if (scale > 1)
                {
                    scale /= 10;
                    fraction += d * scale;
                }
                else if (p - digitsStart == 7 && d >= 5)
                {
                    // Round half up at the eighth digit, as System.Xml does.
                    fraction++;
                }

                p++;
            }

            if (p == digitsStart)
            {
                return false;
            }
        }

        long offsetMinutes = 0;
        if (p < s.Length)
        {
            if (s[p] == (byte)'Z' && p + 1 == s.Length)
            {
                p++;
            }
            else if ((s[p] == (byte)'+' || s[p] == (byte)'-') && p + 6 == s.Length
                && TwoDigits(s, p + 1, out var offsetHours) && s[p + 3] == (byte)':' && TwoDigits(s, p + 4, out var offsetMins)
                && offsetMins <= 59 && (offsetHours < 14 || (offsetHours == 14 && offsetMins == 0)))
            {
                offsetMinutes = (offsetHours * 60) + offsetMins;
                if (s[p] == (byte)'-')
                {
                    offsetMinutes = -offsetMinutes;
                }
            }
            else
            {
                return false;
            }
        }

        var ticks = new DateTime(year, month, day).Ticks + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute)
            + (second * TimeSpan.TicksPerSecond) + fraction;
        var offsetTicks = offsetMinutes * TimeSpan.TicksPerMinute;
        var utcTicks = ticks - offsetTicks;
        if (ticks > DateTime.MaxValue.Ticks || utcTicks < 0 || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(ticks, TimeSpan.FromTicks(offsetTicks));
        return true;
    }

    private static bool TwoDigits(ReadOnlySpan<byte> s, int at, out int value)
    {
        var hi = s[at] - (uint)'0';
        var lo = s[at + 1] - (uint)'0';
        value = (int)((hi * 10) + lo);
        return hi <= 9 && lo <= 9;
    }
}
