using System.Globalization;

namespace Voltgate.Ocpp.Serialization;

/// <summary>
/// OCPP timestamps (OCPP 1.6 §3.14, digest §6.8). Reads ISO 8601 / RFC 3339 date-times leniently:
/// <c>T</c>, <c>t</c> or a space between date and time, any number of fractional-second digits (kept to 100 ns),
/// zone <c>Z</c>, <c>z</c>, <c>±hh:mm</c>, <c>±hhmm</c> or <c>±hh</c>; without a zone the value is read as UTC.
/// Writes UTC with <c>Z</c>, with milliseconds only when they are not zero.
/// </summary>
internal static class OcppTimestamp
{
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 19
            || !TryDigits(text, 0, 4, out var year) || text[4] != '-'
            || !TryDigits(text, 5, 2, out var month) || text[7] != '-'
            || !TryDigits(text, 8, 2, out var day) || text[10] is not ('T' or 't' or ' ')
            || !TryDigits(text, 11, 2, out var hour) || text[13] != ':'
            || !TryDigits(text, 14, 2, out var minute) || text[16] != ':'
            || !TryDigits(text, 17, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var position = 19;
        long fractionTicks = 0;
        if (position < text.Length && text[position] == '.')
        {
            position++;
            var start = position;
            long scale = TimeSpan.TicksPerSecond;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                if (scale > 1)
                {
                    scale /= 10;
                    fractionTicks += (text[position] - '0') * scale;
                }

                position++;
            }

            if (position == start)
            {
                return false;
            }
        }

        var offset = TimeSpan.Zero;
        var zone = text[position..];
        if (zone.Length == 1 && zone[0] is 'Z' or 'z')
        {
            offset = TimeSpan.Zero;
        }
        else if (zone.Length > 0)
        {
            if (zone[0] is not ('+' or '-') || !TryDigits(zone, 1, 2, out var offsetHours))
            {
                return false;
            }

            var offsetMinutes = 0;
            var rest = zone[3..];
            if (rest.Length == 3 && rest[0] == ':')
            {
                rest = rest[1..];
            }

            if (rest.Length == 2 && !TryDigits(rest, 0, 2, out offsetMinutes))
            {
                return false;
            }
            else if (rest.Length is not (0 or 2))
            {
                return false;
            }

            if (offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60)
            {
                return false;
            }

            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (zone[0] == '-')
            {
                offset = -offset;
            }
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
        var utc = local - offset.Ticks;
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return utc.Millisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    private static bool TryDigits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = value * 10 + (text[i] - '0');
        }

        return true;
    }
}
