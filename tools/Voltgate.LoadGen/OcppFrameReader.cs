using System.Buffers.Text;
using System.Text.Json;

namespace Voltgate.LoadGen;

/// <summary>What the receive loop needs from one incoming frame; strings are only materialised where rare.</summary>
public readonly record struct IncomingFrame(
    int MessageType,
    long NumericId,
    string? MessageId,
    string? Action,
    string? ErrorCode,
    int PayloadStart,
    int PayloadLength);

public static class OcppFrameReader
{
    /// <summary>
    /// Parses the envelope of a CALL (2), CALLRESULT (3) or CALLERROR (4). NumericId is -1 when the id is not
    /// a plain number (our own ids always are); MessageId is only set for CALLs, which need it echoed back.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out IncomingFrame result)
    {
        result = default;
        try
        {
            var reader = new Utf8JsonReader(frame, isFinalBlock: true, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var type))
            {
                return false;
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            long numericId = -1;
            if (!reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var consumed)
                && consumed == reader.ValueSpan.Length)
            {
                numericId = parsed;
            }

            string? messageId = type == 2 ? reader.GetString() : null;
            string? action = null;
            string? errorCode = null;

            switch (type)
            {
                case 2:
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    action = reader.GetString();
                    break;
                case 3:
                    break;
                case 4:
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    errorCode = reader.GetString();
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var length = (int)reader.BytesConsumed - start;
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                return false;
            }

            result = new IncomingFrame(type, numericId, messageId, action, errorCode, start, length);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A top-level string property of a payload object, or null.</summary>
    public static string? GetString(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(payload);
        return Seek(ref reader, name) && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }

    /// <summary>A top-level integer property of a payload object, or null.</summary>
    public static long? GetInt64(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(payload);
        return Seek(ref reader, name) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var v) ? v : null;
    }

    private static bool Seek(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                if (!reader.Read())
                {
                    return false;
                }

                if (match)
                {
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
