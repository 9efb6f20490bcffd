using Voltgate.Core.Tenancy;

namespace Voltgate.Core.StationHistory;

/// <summary>The kinds of station notification kept per station (each kind capped separately).</summary>
public enum StationNoticeKind
{
    SecurityEvent,
    Event,
    FirmwareStatus,
    LogStatus,
}

/// <summary>
/// One notification a station sent: a SecurityEventNotification, one eventData of a NotifyEvent, a
/// FirmwareStatusNotification or a LogStatusNotification. Kept per station as a bounded history (the oldest of a kind
/// go when the cap is reached, docs/reliability.md "Bounded growth and plausibility").
/// </summary>
public sealed class StationNotice : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid StationId { get; init; }
    public StationNoticeKind Kind { get; init; }

    /// <summary>When the station says it happened (its timestamp), or when it arrived when the message carries none.</summary>
    public DateTimeOffset At { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Security event type, event trigger, firmware or log status.</summary>
    public required string Code { get; init; }

    /// <summary>The station's request id (firmware and log status) or event id (NotifyEvent).</summary>
    public int? RequestId { get; init; }

    /// <summary>For an event: the component and variable it is about ("EVSE 1 · Connector · AvailabilityState").</summary>
    public string? Subject { get; init; }

    /// <summary>Tech info, or an event's actual value and tech code; cleaned of control characters.</summary>
    public string? Detail { get; init; }
}
