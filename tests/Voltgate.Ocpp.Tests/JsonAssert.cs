using System.Text.Json;

namespace Voltgate.Ocpp.Tests;

internal static class JsonAssert
{
    /// <summary>Same JSON value: same property sets (any order), same array order, numbers equal as decimals.</summary>
    public static void Equivalent(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        Assert.True(Same(e.RootElement, a.RootElement), $"Expected {expected}{Environment.NewLine}but got  {actual}");
    }

    private static bool Same(JsonElement x, JsonElement y)
    {
        if (x.ValueKind != y.ValueKind)
        {
            return false;
        }

        switch (x.ValueKind)
        {
            case JsonValueKind.Object:
                var xs = x.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var ys = y.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                return xs.Count == ys.Count && xs.All(p => ys.TryGetValue(p.Key, out var other) && Same(p.Value, other));
            case JsonValueKind.Array:
                return x.GetArrayLength() == y.GetArrayLength() && x.EnumerateArray().Zip(y.EnumerateArray()).All(p => Same(p.First, p.Second));
            case JsonValueKind.Number:
                return x.GetDecimal() == y.GetDecimal();
            case JsonValueKind.String:
                return string.Equals(x.GetString(), y.GetString(), StringComparison.Ordinal);
            default:
                return true;
        }
    }
}
