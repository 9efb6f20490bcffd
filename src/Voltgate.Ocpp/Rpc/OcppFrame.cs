using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Voltgate.Ocpp.Serialization;

namespace Voltgate.Ocpp.Rpc;

internal enum OcppMessageType
{
    Call = 2,
    CallResult = 3,
    CallError = 4,
}

public enum FrameKind
{
    Call,
    CallResult,
    CallError,

    /// <summary>Unreadable or not an OCPP-J frame; answer with <see cref="InvalidFrame.ErrorCode"/> when a message id was readable.</summary>
    Invalid,

    /// <summary>Nothing to do (an empty frame, which some vendors send as a keep-alive).</summary>
    Ignore,
}

/// <summary>A parsed OCPP-J frame. <see cref="Payload"/> is detached from the receive buffer.</summary>
public sealed record OcppFrame(
    FrameKind Kind,
    string? MessageId,
    string? Action = null,
    JsonElement Payload = default,
    string? ErrorCode = null,
    string? ErrorDescription = null);

internal static class InvalidFrame
{
    public const int MaxMessageIdLength = 36;
}

/// <summary>Reads and writes the OCPP-J RPC envelope (OCPP-J 1.6 §4): [2,id,action,{}], [3,id,{}], [4,id,code,desc,{}].</summary>
public static class OcppFrameCodec
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    private const string UnreadableAnswer = "The station's answer holds a string that is not readable text (an unpaired UTF-16 surrogate escape).";

    /// <summary>Parses one frame; the frame's bytes are only read during the call (the payload is copied out).</summary>
    public static OcppFrame Parse(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.IsEmpty || utf8.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new OcppFrame(FrameKind.Ignore, null);
        }

        JsonDocument document;
        try
        {
            // Parse (not ParseValue) reads the caller's bytes in place with pooled bookkeeping: the payload's Clone is
            // then the only copy. ParseValue copied the whole frame first. Parse also refuses anything after the array.
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException)
        {
            return Invalid(null, OcppErrorCodes.GenericError, "The frame is not valid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() < 3)
            {
                return Invalid(null, OcppErrorCodes.GenericError, "The frame is not an OCPP-J array.");
            }

            var typeElement = root[0];
            var idElement = root[1];
            // An id, action or code that cannot be read as text (a lone surrogate escape) is treated as missing.
            JsonStrings.TryGetString(idElement, out var id);
            if (id is null || id.Length == 0 || id.Length > InvalidFrame.MaxMessageIdLength)
            {
                return Invalid(null, OcppErrorCodes.GenericError, "The message id must be a string of 1 to 36 characters.");
            }

            if (typeElement.ValueKind != JsonValueKind.Number || !typeElement.TryGetInt32(out var type))
            {
                return Invalid(id, OcppErrorCodes.FormationViolation, "The message type id must be a number.");
            }

            var length = root.GetArrayLength();
            switch ((OcppMessageType)type)
            {
                case OcppMessageType.Call:
                    if (length != 4 || root[2].ValueKind != JsonValueKind.String)
                    {
                        return Invalid(id, OcppErrorCodes.FormationViolation, "A CALL is [2, messageId, action, payload].");
                    }

                    if (!JsonStrings.TryGetString(root[2], out var action))
                    {
                        return Invalid(id, OcppErrorCodes.FormationViolation, "The action is not readable text.");
                    }

                    return new OcppFrame(FrameKind.Call, id, action, root[3].Clone());
                case OcppMessageType.CallResult:
                    if (length != 3)
                    {
                        return Invalid(id, OcppErrorCodes.FormationViolation, "A CALLRESULT is [3, messageId, payload].");
                    }

                    // An answer nobody could read or pass on (the API, the cluster backplane) fails the call it answers.
                    if (JsonStrings.ContainsUnreadable(root[2]))
                    {
                        return new OcppFrame(FrameKind.CallError, id, ErrorCode: OcppErrorCodes.FormationViolation, ErrorDescription: UnreadableAnswer);
                    }

                    return new OcppFrame(FrameKind.CallResult, id, Payload: root[2].Clone());
                case OcppMessageType.CallError:
                    if (length != 5 || root[2].ValueKind != JsonValueKind.String || root[3].ValueKind != JsonValueKind.String)
                    {
                        return Invalid(id, OcppErrorCodes.FormationViolation, "A CALLERROR is [4, messageId, errorCode, errorDescription, errorDetails].");
                    }

                    // The call it answers still fails: an unreadable code reads as GenericError, a description as far as it can.
                    return new OcppFrame(
                        FrameKind.CallError,
                        id,
                        Payload: JsonStrings.ContainsUnreadable(root[4]) ? default : root[4].Clone(),
                        ErrorCode: JsonStrings.TryGetString(root[2], out var code) ? code : OcppErrorCodes.GenericError,
                        ErrorDescription: JsonStrings.TryGetString(root[3], out var description)
                            ? description
                            : JsonStrings.GetLossy(JsonMarshal.GetRawUtf8Value(root[3])[1..^1]));
                default:
                    // OCPP-J 1.6 §4.1.3: a message type the receiver does not know is ignored; it is still counted as a bad frame.
                    return Invalid(id, OcppErrorCodes.ProtocolError, $"Unknown message type id {type}.");
            }
        }
    }

    public static byte[] WriteCall(string messageId, string action, ReadOnlySpan<byte> payloadJson)
    {
        var (w, buffer) = StartFrame();
        w.WriteStartArray();
        w.WriteNumberValue((int)OcppMessageType.Call);
        w.WriteStringValue(messageId);
        w.WriteStringValue(action);
        w.WriteRawValue(payloadJson, skipInputValidation: true);
        w.WriteEndArray();
        return Finish(w, buffer);
    }

    public static byte[] WriteCallResult(string messageId, ReadOnlySpan<byte> payloadJson)
    {
        var (w, buffer) = StartFrame();
        w.WriteStartArray();
        w.WriteNumberValue((int)OcppMessageType.CallResult);
        w.WriteStringValue(messageId);
        w.WriteRawValue(payloadJson, skipInputValidation: true);
        w.WriteEndArray();
        return Finish(w, buffer);
    }

    public static byte[] WriteCallError(string messageId, string errorCode, string description)
    {
        var (w, buffer) = StartFrame();
        w.WriteStartArray();
        w.WriteNumberValue((int)OcppMessageType.CallError);
        w.WriteStringValue(messageId);
        w.WriteStringValue(errorCode);
        w.WriteStringValue(description.Length > 255 ? description[..255] : description);
        w.WriteStartObject();
        w.WriteEndObject();
        w.WriteEndArray();
        return Finish(w, buffer);
    }

    // One writer and buffer per thread, reused for every frame (two calls per message): a frame is written without
    // an await in between, so no other frame can interleave. Only the finished frame is allocated.
    [ThreadStatic]
    private static (Utf8JsonWriter Writer, ArrayBufferWriter<byte> Buffer)? t_frameWriter;

    private const int KeptBufferBytes = 64 * 1024;

    private static (Utf8JsonWriter, ArrayBufferWriter<byte>) StartFrame()
    {
        if (t_frameWriter is not { } cached)
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            cached = (new Utf8JsonWriter(buffer), buffer);
            t_frameWriter = cached;
        }

        cached.Writer.Reset(cached.Buffer);
        return cached;
    }

    private static byte[] Finish(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer)
    {
        writer.Flush();
        var frame = buffer.WrittenSpan.ToArray();
        buffer.Clear(); // zeroes what was written: a frame may carry a secret (ChangeConfiguration's AuthorizationKey)
        if (buffer.Capacity > KeptBufferBytes)
        {
            t_frameWriter = null; // a rare big frame (a long local list) does not pin its buffer to the thread
        }

        return frame;
    }

    private static OcppFrame Invalid(string? id, string code, string description) =>
        new(FrameKind.Invalid, id, ErrorCode: code, ErrorDescription: description);
}
