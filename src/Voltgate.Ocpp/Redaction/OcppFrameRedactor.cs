using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Voltgate.Ocpp.Serialization;

namespace Voltgate.Ocpp.Redaction;

/// <summary>
/// Makes a raw OCPP-J frame safe to log: secrets are replaced by <c>"***"</c>.
/// Blanked: the <c>value</c> of a 1.6 CALL <c>ChangeConfiguration</c> whose <c>key</c> is <c>AuthorizationKey</c>;
/// in a CALLRESULT, <c>configurationKey[*].value</c> where <c>key</c> is <c>AuthorizationKey</c>; the 2.0.1
/// <c>attributeValue</c> (and NotifyReport's <c>variableAttribute[*].value</c>) next to a <c>variable.name</c> of
/// <c>BasicAuthPassword</c>; the <c>value</c> of an object whose <c>mutability</c> is <c>WriteOnly</c>; and any property named
/// <c>basicAuthPassword</c> or <c>authorizationKey</c> (case-insensitive) anywhere. Names compare case-insensitively.
/// A frame that is not UTF-8 JSON is never echoed: it becomes <c>&lt;unparsable frame, N bytes&gt;</c>.
/// Never throws: strings that cannot be read as text (a lone surrogate escape, docs/reliability.md "Odd strings") are
/// copied as their JSON text and are never a secret's name; anything else it cannot rewrite becomes
/// <c>&lt;unreadable frame, N bytes&gt;</c>, so the log cannot end a station's connection and never shows a secret.
/// </summary>
public static class OcppFrameRedactor
{
    public const string Mask = "***";

    private const string AuthorizationKey = "AuthorizationKey";
    private const string BasicAuthPassword = "BasicAuthPassword";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Redact(ReadOnlySpan<byte> utf8Frame)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Frame))
        {
            return Unparsable(utf8Frame.Length);
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Frame, new JsonReaderOptions { MaxDepth = 64 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return Unparsable(utf8Frame.Length);
        }

        using (document)
        {
            var buffer = new ArrayBufferWriter<byte>(utf8Frame.Length + 16);
            bool redacted;
            try
            {
                using var writer = new Utf8JsonWriter(buffer, WriterOptions);
                redacted = WriteFrame(writer, document.RootElement);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or JsonException)
            {
                // The rewrite may have stopped before the secret: keep nothing of it.
                buffer.Clear();
                return string.Create(CultureInfo.InvariantCulture, $"<unreadable frame, {utf8Frame.Length} bytes>");
            }

            // Nothing secret: log the frame exactly as received.
            return Encoding.UTF8.GetString(redacted ? buffer.WrittenSpan : utf8Frame);
        }
    }

    private static string Unparsable(int length) =>
        string.Create(CultureInfo.InvariantCulture, $"<unparsable frame, {length} bytes>");

    /// <summary>Rewrites the frame with secrets masked; true when something was masked.</summary>
    private static bool WriteFrame(Utf8JsonWriter writer, JsonElement root)
    {
        var state = new State();
        if (root.ValueKind == JsonValueKind.Array)
        {
            var items = root.EnumerateArray().ToArray();
            var messageType = items.Length > 0 && items[0].ValueKind == JsonValueKind.Number && items[0].TryGetInt32(out var t) ? t : 0;
            var action = messageType == 2 && items.Length > 2 && JsonStrings.TryGetString(items[2], out var name) ? name : null;
            writer.WriteStartArray();
            for (var i = 0; i < items.Length; i++)
            {
                var payloadKind = (messageType, i) switch
                {
                    (2, 3) when string.Equals(action, "ChangeConfiguration", StringComparison.Ordinal) => PayloadKind.ChangeConfiguration,
                    (3, 2) => PayloadKind.CallResult,
                    _ => PayloadKind.Other,
                };
                WriteValue(writer, items[i], payloadKind, state);
            }

            writer.WriteEndArray();
        }
        else
        {
            WriteValue(writer, root, PayloadKind.Other, state);
        }

        return state.Redacted;
    }

    private enum PayloadKind
    {
        Other,
        ChangeConfiguration,
        CallResult,
        SecretAttribute,
    }

    private sealed class State
    {
        public bool Redacted { get; set; }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement element, PayloadKind kind, State state)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(writer, element, kind, state);
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteValue(writer, item, PayloadKind.Other, state);
                }

                writer.WriteEndArray();
                break;
            default:
                // The value's JSON text as received: WriteTo would unescape a string, and throws on a lone surrogate.
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement element, PayloadKind kind, State state)
    {
        // ChangeConfiguration CALL payload, or a configurationKey entry / 2.0.1 variable entry: blank the paired value.
        var blankValue = kind == PayloadKind.ChangeConfiguration && HasKey(element, AuthorizationKey);
        var blankAttributeValue = HasVariableNamed(element, BasicAuthPassword);
        // A WriteOnly attribute (NotifyReport's variableAttribute) is a secret whatever its variable's name.
        var blankOwnValue = kind == PayloadKind.SecretAttribute || HasStringProperty(element, "mutability", "WriteOnly");

        writer.WriteStartObject();
        foreach (var property in element.EnumerateObject())
        {
            var name = JsonStrings.NameOrNull(property);
            if (name is null)
            {
                // Not text, so not a secret's name either; shown with U+FFFD for what cannot be read.
                writer.WritePropertyName(JsonStrings.GetLossy(JsonMarshal.GetRawUtf8PropertyName(property)));
                state.Redacted = true;
            }
            else
            {
                writer.WritePropertyName(name);
            }

            var secret = (name is not null && IsSecretName(name))
                || (blankValue && name == "value")
                || (blankAttributeValue && name == "attributeValue")
                || (blankOwnValue && name == "value");
            if (secret)
            {
                writer.WriteStringValue(Mask);
                state.Redacted = true;
            }
            else if (blankAttributeValue && name == "variableAttribute" && property.Value.ValueKind == JsonValueKind.Array)
            {
                // NotifyReport: the BasicAuthPassword's attributes carry its value one level down.
                writer.WriteStartArray();
                foreach (var entry in property.Value.EnumerateArray())
                {
                    WriteValue(writer, entry, PayloadKind.SecretAttribute, state);
                }

                writer.WriteEndArray();
            }
            else if (kind == PayloadKind.CallResult && name == "configurationKey" && property.Value.ValueKind == JsonValueKind.Array)
            {
                writer.WriteStartArray();
                foreach (var entry in property.Value.EnumerateArray())
                {
                    if (entry.ValueKind == JsonValueKind.Object && HasKey(entry, AuthorizationKey))
                    {
                        WriteObject(writer, entry, PayloadKind.ChangeConfiguration, state);
                    }
                    else
                    {
                        WriteValue(writer, entry, PayloadKind.Other, state);
                    }
                }

                writer.WriteEndArray();
            }
            else
            {
                WriteValue(writer, property.Value, PayloadKind.Other, state);
            }
        }

        writer.WriteEndObject();
    }

    private static bool IsSecretName(string name) =>
        name.Equals("basicAuthPassword", StringComparison.OrdinalIgnoreCase)
        || name.Equals("authorizationKey", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when any <c>key</c> property (duplicates included) names <paramref name="key"/>.</summary>
    private static bool HasKey(JsonElement element, string key) => HasStringProperty(element, "key", key);

    /// <summary>True when any <c>variable</c> object (duplicates included) has a <c>name</c> of <paramref name="name"/>.</summary>
    private static bool HasVariableNamed(JsonElement element, string name)
    {
        foreach (var candidate in element.EnumerateObject())
        {
            if (JsonStrings.NameOrNull(candidate) == "variable" && candidate.Value.ValueKind == JsonValueKind.Object
                && HasStringProperty(candidate.Value, "name", name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasStringProperty(JsonElement element, string property, string expected)
    {
        foreach (var candidate in element.EnumerateObject())
        {
            if (JsonStrings.NameOrNull(candidate) == property && JsonStrings.TryGetString(candidate.Value, out var value)
                && string.Equals(value, expected, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
