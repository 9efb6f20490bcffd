using Voltgate.Core.Plausibility;

namespace Voltgate.Core.Stations;

/// <summary>A connector's status as the station reports it (connector 0 is the station itself).</summary>
internal readonly record struct ConnectorStatusReport(int ConnectorId, string Status, string ErrorCode, string? Info, string? VendorErrorCode, DateTimeOffset? Timestamp);

/// <summary>
/// Keeps the last reported status of each connector (an upsert in the group commit, answered once committed) and
/// tells the live views. A report without a time is taken as of now.
/// </summary>
internal sealed class ConnectorStatusService(ConnectorStatusBatch batch, IStationEvents events, TimeProvider time, PlausibilityRules rules)
{
    /// <remarks>A connector outside 0..max or a time outside the plausible window is refused; info texts are cleaned.</remarks>
    public async Task ReportAsync(StationRef station, ConnectorStatusReport report, CancellationToken ct)
    {
        rules.Connector(report.ConnectorId, "connectorId");
        if (report.Timestamp is { } at)
        {
            rules.Timestamp(at, "timestamp");
        }

        var status = new ConnectorStatus
        {
            TenantId = station.TenantId,
            StationId = station.StationId,
            ConnectorId = report.ConnectorId,
            Status = report.Status,
            ErrorCode = report.ErrorCode,
            Info = TextCleaner.CleanOrNull(report.Info),
            VendorErrorCode = TextCleaner.CleanOrNull(report.VendorErrorCode),
            Timestamp = report.Timestamp ?? time.GetUtcNow(),
        };
        await batch.WriteAsync(status, ct);
        events.Publish(new StationEvent(station.TenantId, station.Identity, StationEventKind.ConnectorStatus, time.GetUtcNow(), report.ConnectorId, status.Status));
    }
}
