namespace Voltgate.Core.MessageHistory;

/// <summary>Which way a frame travelled: <c>In</c> from the station to Voltgate, <c>Out</c> from Voltgate to the station.</summary>
public enum MessageDirection
{
    In,
    Out,
}

/// <summary>The OCPP-J message type of a kept frame; <c>Invalid</c> for a frame that is not a readable OCPP-J array.</summary>
public enum OcppMessageType
{
    Invalid,
    Call,
    CallResult,
    CallError,
}

/// <summary>How much of a station's frames the history keeps.</summary>
public enum HistoryRecording
{
    /// <summary>Nothing is kept (the in-memory message log still shows the last frames).</summary>
    Off,

    /// <summary>Time, direction, type, message id, action and size; no payload.</summary>
    Metadata,

    /// <summary>Everything, the payload redacted as in the message log.</summary>
    Full,
}

/// <summary>
/// One OCPP frame kept in the message history (table <c>StationMessages</c>), its payload redacted before it was
/// stored. Keyed by tenant and identity rather than the station's row so that the history of a station outlives a
/// delete-and-recreate and needs no join; the newest rows have the highest <see cref="Id"/>.
/// </summary>
public sealed class StationMessage
{
    public const int MaxMessageIdLength = 64;
    public const int MaxActionLength = 64;

    public long Id { get; init; }
    public Guid TenantId { get; init; }
    public required string Identity { get; init; }
    public DateTimeOffset At { get; init; }
    public MessageDirection Direction { get; init; }
    public OcppMessageType MessageType { get; init; }
    public string? MessageId { get; init; }

    /// <summary>The CALL's action; for a CALLRESULT or CALLERROR the action of the CALL it answers, when known.</summary>
    public string? Action { get; set; }

    /// <summary>The redacted payload as JSON; null when only metadata was recorded.</summary>
    public string? Payload { get; init; }

    /// <summary>The frame's size in bytes as it travelled.</summary>
    public int Length { get; init; }
}

/// <summary>A station an operator records in full (while debugging it) although the default records less.</summary>
public sealed class StationMessageRecording
{
    public Guid TenantId { get; init; }
    public required string Identity { get; init; }
    public HistoryRecording Recording { get; set; }

    /// <summary>When the override ends by itself (null: until it is switched off).</summary>
    public DateTimeOffset? Until { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
