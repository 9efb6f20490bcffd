using System.Text.Json;
using System.Text.Json.Serialization;

namespace Voltgate.Ocpp.Serialization;

/// <summary>Reads integers, including integral floats such as <c>0.0</c> (digest §6.9); always writes an integer.</summary>
internal sealed class LenientInt32Converter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException("Expected an integer.");
        }

        if (reader.TryGetInt32(out var value))
        {
            return value;
        }

        if (reader.TryGetDecimal(out var number) && decimal.Truncate(number) == number && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }

        throw new JsonException("Expected a 32-bit integer.");
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}
