using System.Text;
using System.Text.Json;
using Voltgate.Ocpp.Redaction;

namespace Voltgate.Core.MessageHistory;

/// <summary>
/// Turns a raw frame into a history row off the hot path: the frame is redacted exactly as the message log redacts it,
/// then its type, message id, action and (when recorded in full) payload are read from the redacted text, so no secret
/// reaches the row.
/// </summary>
public static class HistoryFrameReader
{
    public static StationMessage Read(Guid tenantId, string identity, MessageDirection direction, ReadOnlySpan<byte> frame, DateTimeOffset at, bool full)
    {
        byte[]? redacted = null;
        if (RedactionPrefilter.MayHoldSecret(frame))
        {
            redacted = Encoding.UTF8.GetBytes(OcppFrameRedactor.Redact(frame));
        }

        var text = redacted is null ? frame : redacted;
        if (!full && ReadHeader(text) is { } header)
        {
            // Metadata only: the first three values are enough, no document is built.
            return new StationMessage
            {
                TenantId = tenantId,
                Identity = identity,
                At = at,
                Direction = direction,
                MessageType = header.Type,
                MessageId = header.MessageId,
                Action = header.Action,
                Length = frame.Length,
            };
        }

        try
        {
            using var document = JsonDocument.Parse(text.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() >= 3
                && root[0].ValueKind == JsonValueKind.Number && root[0].TryGetInt32(out var type) && type is >= 2 and <= 4)
            {
                var messageId = root[1].ValueKind == JsonValueKind.String ? Truncate(root[1].GetString(), StationMessage.MaxMessageIdLength) : null;
                var (kind, action, payload) = type switch
                {
                    2 => (OcppMessageType.Call, root[2].ValueKind == JsonValueKind.String ? Truncate(root[2].GetString(), StationMessage.MaxActionLength) : null,
                        full && root.GetArrayLength() > 3 ? root[3].GetRawText() : null),
                    3 => (OcppMessageType.CallResult, null, full ? root[2].GetRawText() : null),
                    _ => (OcppMessageType.CallError, null, full ? CallErrorPayload(root) : null),
                };
                return new StationMessage
                {
                    TenantId = tenantId,
                    Identity = identity,
                    At = at,
                    Direction = direction,
                    MessageType = kind,
                    MessageId = messageId,
                    Action = action,
                    Payload = payload,
                    Length = frame.Length,
                };
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not OCPP-J: kept as an invalid frame below, never echoed.
        }

        return new StationMessage
        {
            TenantId = tenantId,
            Identity = identity,
            At = at,
            Direction = direction,
            MessageType = OcppMessageType.Invalid,
            // The redactor's own wording for what cannot be shown, as a JSON string.
            Payload = full ? JsonSerializer.Serialize(redacted is null ? OcppFrameRedactor.Redact(frame) : Encoding.UTF8.GetString(redacted)) : null,
            Length = frame.Length,
        };
    }

    /// <summary>Type, message id and (for a CALL) action of an OCPP-J frame, read token by token; null when it is not one.</summary>
    private static (OcppMessageType Type, string? MessageId, string? Action)? ReadHeader(ReadOnlySpan<byte> frame)
    {
        try
        {
            var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray
                || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var type) || type is < 2 or > 4
                || !reader.Read())
            {
                return null;
            }

            var messageId = reader.TokenType == JsonTokenType.String ? Truncate(reader.GetString(), StationMessage.MaxMessageIdLength) : null;
            string? action = null;
            if (type == 2 && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                action = Truncate(reader.GetString(), StationMessage.MaxActionLength);
            }

            var kind = type switch { 2 => OcppMessageType.Call, 3 => OcppMessageType.CallResult, _ => OcppMessageType.CallError };
            return (kind, messageId, action);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string CallErrorPayload(JsonElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("errorCode");
            (root.GetArrayLength() > 2 ? root[2] : default).WriteToOrNull(writer);
            writer.WritePropertyName("errorDescription");
            (root.GetArrayLength() > 3 ? root[3] : default).WriteToOrNull(writer);
            writer.WritePropertyName("errorDetails");
            (root.GetArrayLength() > 4 ? root[4] : default).WriteToOrNull(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteToOrNull(this JsonElement element, Utf8JsonWriter writer)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
        }
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
