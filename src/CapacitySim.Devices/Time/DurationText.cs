using System.Globalization;
using System.Text;

namespace CapacitySim.Devices.Time;

/// <summary>
/// Durations as scenario and behaviour files write them: a number and a unit, <c>250ms</c>, <c>30s</c>, <c>5m</c>,
/// <c>1h</c> (and <c>9d</c> where days are allowed), or several joined (<c>1h30m</c>, <c>2m30s</c>); decimals are
/// allowed (<c>1.5s</c>). A bare number has no unit and is refused, because "30" could mean seconds or minutes and a
/// wrong guess silently changes a test by 60×.
/// </summary>
public static class DurationText
{
    /// <summary>Parses a duration; false when <paramref name="text"/> is not one (negative durations never are).</summary>
    /// <param name="text">The duration as written.</param>
    /// <param name="value">The duration; zero when false is returned.</param>
    /// <param name="allowDays">Whether the unit <c>d</c> (days) is allowed: in behaviour files (firmware cycles, outages
    /// over days), not in scenario files, whose runs last minutes.</param>
    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan value, bool allowDays = false)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        var totalTicks = 0.0;
        while (!text.IsEmpty)
        {
            var n = 0;
            while (n < text.Length && (char.IsAsciiDigit(text[n]) || text[n] == '.'))
            {
                n++;
            }

            if (n == 0 || !double.TryParse(text[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            text = text[n..];
            var u = 0;
            while (u < text.Length && char.IsAsciiLetterLower(text[u]))
            {
                u++;
            }

            long unitTicks = text[..u] switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" when allowDays => TimeSpan.TicksPerDay,
                _ => 0,
            };
            if (unitTicks == 0)
            {
                return false;
            }

            totalTicks += number * unitTicks;
            text = text[u..];
        }

        if (!(totalTicks <= TimeSpan.MaxValue.Ticks))
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(totalTicks));
        return true;
    }

    /// <summary>Writes a duration the way scenario files do: <c>1h30m</c>, <c>45s</c>, <c>250ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var b = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            b.Append('-');
            value = value.Duration();
        }

        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            b.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (value.Minutes > 0)
        {
            b.Append(value.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        var subMinute = value - TimeSpan.FromTicks(value.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute);
        if (subMinute >= TimeSpan.FromSeconds(1) || (b.Length == 0 && subMinute.Ticks % TimeSpan.TicksPerMillisecond != 0))
        {
            b.Append(subMinute.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        }
        else if (subMinute > TimeSpan.Zero)
        {
            b.Append(subMinute.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)).Append("ms");
        }

        return b.ToString();
    }
}
