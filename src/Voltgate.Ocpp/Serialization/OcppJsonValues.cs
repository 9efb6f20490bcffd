using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Voltgate.Ocpp.Serialization;

/// <summary>
/// Reads values straight from a payload's JSON with the leniencies <see cref="V16.V16JsonContext"/>'s converters
/// apply (digest §6.8/§6.9), for the hot paths that skip deserialisation into request objects.
/// </summary>
public static class OcppJsonValues
{
    /// <summary>An integer, including an integral float such as <c>0.0</c>.</summary>
    public static int GetInt32(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            throw new FormatException("Expected an integer.");
        }

        if (element.TryGetInt32(out var value))
        {
            return value;
        }

        return element.TryGetDecimal(out var number) && decimal.Truncate(number) == number && number is >= int.MinValue and <= int.MaxValue
            ? (int)number
            : throw new FormatException("Expected a 32-bit integer.");
    }

    /// <summary>A string, or a JSON number as its literal text.</summary>
    public static string GetStringOrNumber(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        _ => throw new FormatException("Expected a string or a number."),
    };

    /// <summary>A timestamp read by <see cref="OcppTimestamp.TryParse"/>, without materialising the string when it has no escapes.</summary>
    public static bool TryGetTimestamp(JsonElement element, out DateTimeOffset value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var raw = JsonMarshal.GetRawUtf8Value(element)[1..^1];
        if (raw.Length > 64 || raw.Contains((byte)'\\'))
        {
            return JsonStrings.TryGetString(element, out var escaped) && OcppTimestamp.TryParse(escaped, out value);
        }

        Span<char> text = stackalloc char[64];
        return Encoding.UTF8.TryGetChars(raw, text, out var length) && OcppTimestamp.TryParse(text[..length], out value);
    }

    public static DateTimeOffset GetTimestamp(JsonElement element) =>
        TryGetTimestamp(element, out var value) ? value : throw new FormatException("Expected an ISO 8601 date-time.");
}
