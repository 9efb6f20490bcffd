using System.Text.Json;
using Voltgate.Ocpp.Serialization;

namespace Voltgate.Ocpp.Tests.Serialization;

/// <summary>The direct reads give what the converters give: the same leniencies, the same refusals.</summary>
public sealed class OcppJsonValuesTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Theory]
    [InlineData("7", 7)]
    [InlineData("0.0", 0)]
    [InlineData("1e2", 100)]
    [InlineData("-2147483648", int.MinValue)]
    public void Integers_include_integral_floats(string json, int expected) => Assert.Equal(expected, OcppJsonValues.GetInt32(Json(json)));

    [Theory]
    [InlineData("1.5")]
    [InlineData("2147483648")]
    [InlineData("\"7\"")]
    public void A_fraction_an_overflow_or_a_string_is_not_an_integer(string json) =>
        Assert.Throws<FormatException>(() => OcppJsonValues.GetInt32(Json(json)));

    [Theory]
    [InlineData("\"1500\"", "1500")]
    [InlineData("1234.50", "1234.50")]
    [InlineData("\"caf\\u00e9\"", "café")]
    public void A_value_is_a_string_or_a_numbers_literal_text(string json, string expected) =>
        Assert.Equal(expected, OcppJsonValues.GetStringOrNumber(Json(json)));

    [Theory]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{}")]
    public void Anything_else_is_not_a_value(string json) =>
        Assert.Throws<FormatException>(() => OcppJsonValues.GetStringOrNumber(Json(json)));

    [Theory]
    [InlineData("\"2026-11-24T11:05:00.25+02:00\"", "2026-11-24T09:05:00.2500000+00:00")]
    [InlineData("\"2026-11-24 09:06:00\"", "2026-11-24T09:06:00.0000000+00:00")]
    [InlineData("\"2026-11-24T09:06:00\\u005a\"", "2026-11-24T09:06:00.0000000+00:00")]
    public void Timestamps_are_read_leniently_with_or_without_escapes(string json, string utc)
    {
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), OcppJsonValues.GetTimestamp(Json(json)));
    }

    [Theory]
    [InlineData("\"2026-11-24\"")]
    [InlineData("\"2026-13-24T09:06:00Z\"")]
    [InlineData("1700000000")]
    public void Anything_else_is_not_a_timestamp(string json)
    {
        Assert.False(OcppJsonValues.TryGetTimestamp(Json(json), out _));
        Assert.Throws<FormatException>(() => OcppJsonValues.GetTimestamp(Json(json)));
    }
}
