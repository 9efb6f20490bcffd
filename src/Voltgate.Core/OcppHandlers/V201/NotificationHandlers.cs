using System.Globalization;
using Voltgate.Core.OcppHandlers.V16;
using Voltgate.Core.StationHistory;
using Voltgate.Ocpp.V201;

namespace Voltgate.Core.OcppHandlers.V201;

/// <summary>A security event is kept in the station's history; a critical one is also an audit event (same commit).</summary>
internal sealed class SecurityEventNotificationHandler(StationNoticeLog notices) : V201Handler<SecurityEventNotificationRequest, SecurityEventNotificationResponse>
{
    public override async Task<SecurityEventNotificationResponse> HandleAsync(OcppStationContext station, SecurityEventNotificationRequest request, CancellationToken ct)
    {
        var critical = SecurityEventTypes.IsCritical(request.Type);
        await notices.RecordAsync(station.Station, [new StationNoticeDraft(StationNoticeKind.SecurityEvent, request.Timestamp, request.Type, Detail: request.TechInfo)], ct,
            critical ? "Station.SecurityEvent" : null, new { request.Type, request.Timestamp, request.TechInfo });
        return new SecurityEventNotificationResponse();
    }
}

/// <summary>
/// NotifyEvent: each eventData is one entry of the station's event list. Parts of a split message (<c>tbc</c>) are
/// independent events, so each is stored as it comes.
/// </summary>
internal sealed class NotifyEventHandler(StationNoticeLog notices) : V201Handler<NotifyEventRequest, NotifyEventResponse>
{
    public override async Task<NotifyEventResponse> HandleAsync(OcppStationContext station, NotifyEventRequest request, CancellationToken ct)
    {
        var drafts = request.EventData.Select(e => new StationNoticeDraft(StationNoticeKind.Event, e.Timestamp, SpecNames.Of(e.Trigger), e.EventId,
            Subject(e.Component, e.Variable), Detail(e))).ToList();
        await notices.RecordAsync(station.Station, drafts, ct);
        return new NotifyEventResponse();
    }

    private static string Subject(ComponentType component, VariableType variable)
    {
        var parts = new List<string>();
        if (component.Evse is { } evse)
        {
            parts.Add(evse.ConnectorId is { } c ? $"EVSE {evse.Id.ToString(CultureInfo.InvariantCulture)}/{c.ToString(CultureInfo.InvariantCulture)}" : $"EVSE {evse.Id.ToString(CultureInfo.InvariantCulture)}");
        }

        parts.Add(component.Instance is { } ci ? $"{component.Name}[{ci}]" : component.Name);
        parts.Add(variable.Instance is { } vi ? $"{variable.Name}[{vi}]" : variable.Name);
        return string.Join(" · ", parts);
    }

    private static string Detail(EventDataType e)
    {
        var detail = e.ActualValue;
        if (e.Cleared == true)
        {
            detail += " (cleared)";
        }

        if (e.TechCode is { } code)
        {
            detail += " · " + code;
        }

        if (e.TechInfo is { } info)
        {
            detail += " · " + info;
        }

        return detail;
    }
}

/// <summary>Firmware status: the station's history (and, as before, the audit trail).</summary>
internal sealed class FirmwareStatusNotificationHandler(StationNoticeLog notices) : V201Handler<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse>
{
    public override async Task<FirmwareStatusNotificationResponse> HandleAsync(OcppStationContext station, FirmwareStatusNotificationRequest request, CancellationToken ct)
    {
        var status = SpecNames.Of(request.Status);
        await notices.RecordAsync(station.Station, [new StationNoticeDraft(StationNoticeKind.FirmwareStatus, null, status, request.RequestId)], ct,
            "Station.FirmwareStatus", new { status, request.RequestId });
        return new FirmwareStatusNotificationResponse();
    }
}

/// <summary>Log upload status: the station's history (and, as before, the audit trail).</summary>
internal sealed class LogStatusNotificationHandler(StationNoticeLog notices) : V201Handler<LogStatusNotificationRequest, LogStatusNotificationResponse>
{
    public override async Task<LogStatusNotificationResponse> HandleAsync(OcppStationContext station, LogStatusNotificationRequest request, CancellationToken ct)
    {
        var status = SpecNames.Of(request.Status);
        await notices.RecordAsync(station.Station, [new StationNoticeDraft(StationNoticeKind.LogStatus, null, status, request.RequestId)], ct,
            "Station.LogStatus", new { status, request.RequestId });
        return new LogStatusNotificationResponse();
    }
}
