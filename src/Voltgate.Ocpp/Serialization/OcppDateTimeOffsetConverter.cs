using System.Text.Json;
using System.Text.Json.Serialization;

namespace Voltgate.Ocpp.Serialization;

/// <summary>Reads timestamps with <see cref="OcppTimestamp.TryParse"/> and writes them with <see cref="OcppTimestamp.Format"/>.</summary>
internal sealed class OcppDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !OcppTimestamp.TryParse(reader.GetString(), out var value))
        {
            throw new JsonException("Expected an ISO 8601 date-time string.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(OcppTimestamp.Format(value));
    }
}
