using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Voltgate.Ocpp.Serialization;

/// <summary>
/// JSON strings that are valid JSON but not text: an escape such as <c>\ud800</c> names half a UTF-16 surrogate pair.
/// The JSON reader accepts it, but <see cref="JsonElement.GetString"/>, <see cref="JsonProperty.Name"/> and the
/// unescaping comparisons throw <see cref="InvalidOperationException"/> on it. Everything that reads a station's
/// strings checks them here first (docs/reliability.md, "Odd strings").
/// </summary>
internal static class JsonStrings
{
    /// <summary>False when the escaped JSON text (no quotes) holds a lone surrogate escape; raw UTF-8 is checked by the reader.</summary>
    public static bool IsReadable(ReadOnlySpan<byte> escaped) => FirstLoneSurrogate(escaped) < 0;

    public static bool IsReadable(JsonElement element) =>
        element.ValueKind != JsonValueKind.String || IsReadable(Unquoted(JsonMarshal.GetRawUtf8Value(element)));

    public static bool IsReadableName(JsonProperty property) => IsReadable(JsonMarshal.GetRawUtf8PropertyName(property));

    /// <summary>True when any string or property name in the value cannot be read; quick when there is no <c>\u</c> escape.</summary>
    public static bool ContainsUnreadable(JsonElement element)
    {
        if (element.ValueKind is JsonValueKind.Undefined || JsonMarshal.GetRawUtf8Value(element).IndexOf("\\u"u8) < 0)
        {
            return false;
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => !IsReadable(element),
            JsonValueKind.Object => element.EnumerateObject().Any(p => !IsReadableName(p) || ContainsUnreadable(p.Value)),
            JsonValueKind.Array => element.EnumerateArray().Any(ContainsUnreadable),
            _ => false,
        };
    }

    /// <summary>The string's text, or false when it is not a string or cannot be read.</summary>
    public static bool TryGetString(JsonElement element, out string? text)
    {
        text = element.ValueKind == JsonValueKind.String && IsReadable(element) ? element.GetString() : null;
        return text is not null;
    }

    /// <summary>The property's name, or null when it cannot be read.</summary>
    public static string? NameOrNull(JsonProperty property) => IsReadableName(property) ? property.Name : null;

    /// <summary>The text with each lone surrogate escape read as U+FFFD, for what is only shown (an error description, a log).</summary>
    public static string GetLossy(ReadOnlySpan<byte> escaped)
    {
        var quoted = ArrayPool<byte>.Shared.Rent(escaped.Length + 2);
        try
        {
            quoted[0] = (byte)'"';
            escaped.CopyTo(quoted.AsSpan(1));
            quoted[escaped.Length + 1] = (byte)'"';
            var text = quoted.AsSpan(1, escaped.Length);

            // "\uFFFD" has the six bytes of the escape it replaces, so the copy keeps its length.
            for (var at = FirstLoneSurrogate(text); at >= 0; at = FirstLoneSurrogate(text))
            {
                "\\uFFFD"u8.CopyTo(text[at..]);
            }

            var reader = new Utf8JsonReader(quoted.AsSpan(0, escaped.Length + 2));
            reader.Read();
            return reader.GetString()!;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(quoted);
        }
    }

    private static ReadOnlySpan<byte> Unquoted(ReadOnlySpan<byte> raw) => raw.Length >= 2 ? raw[1..^1] : raw;

    /// <summary>The offset of the first <c>\uXXXX</c> escape that is a surrogate without its partner, or -1.</summary>
    private static int FirstLoneSurrogate(ReadOnlySpan<byte> escaped)
    {
        var i = escaped.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < escaped.Length)
        {
            if (escaped[i + 1] != (byte)'u')
            {
                i = Next(escaped, i + 2); // \" \\ \/ \b \f \n \r \t
                continue;
            }

            var unit = Hex4(escaped, i + 2);
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                // A high surrogate must be followed at once by an escaped low one.
                var low = i + 7 < escaped.Length && escaped[i + 6] == (byte)'\\' && escaped[i + 7] == (byte)'u' ? Hex4(escaped, i + 8) : -1;
                if (low is < 0xDC00 or > 0xDFFF)
                {
                    return i;
                }

                i = Next(escaped, i + 12);
            }
            else if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return i;
            }
            else
            {
                i = Next(escaped, i + 6);
            }
        }

        return -1;
    }

    private static int Next(ReadOnlySpan<byte> escaped, int from)
    {
        if (from >= escaped.Length)
        {
            return -1;
        }

        var next = escaped[from..].IndexOf((byte)'\\');
        return next < 0 ? -1 : from + next;
    }

    /// <summary>Four hex digits at <paramref name="at"/> (the reader has checked them), or -1 when the text ends early.</summary>
    private static int Hex4(ReadOnlySpan<byte> escaped, int at)
    {
        if (at + 4 > escaped.Length)
        {
            return -1;
        }

        var value = 0;
        for (var k = 0; k < 4; k++)
        {
            var digit = escaped[at + k];
            value = (value << 4) | (digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10);
        }

        return value;
    }
}
