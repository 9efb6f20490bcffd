using Voltgate.Core.Audit;
using Voltgate.Ocpp.V16;

namespace Voltgate.Core.OcppHandlers.V16;

internal sealed class DataTransferHandler : V16Handler<DataTransferRequest, DataTransferResponse>
{
    // No vendor extensions are known yet; the spec's answer for that is UnknownVendorId.
    public override Task<DataTransferResponse> HandleAsync(OcppStationContext station, DataTransferRequest request, CancellationToken ct) =>
        Task.FromResult(new DataTransferResponse { Status = DataTransferStatus.UnknownVendorId });
}

/// <summary>Status notifications are recorded in the audit trail so operators can follow firmware, diagnostics and log uploads.</summary>
internal abstract class AuditedNotificationHandler<TRequest, TResponse>(StationAudit audit) : V16Handler<TRequest, TResponse>
    where TRequest : class
    where TResponse : class, new()
{
    protected abstract string Action { get; }

    protected abstract object Details(TRequest request);

    public override async Task<TResponse> HandleAsync(OcppStationContext station, TRequest request, CancellationToken ct)
    {
        await audit.RecordAsync(station.TenantId, station.Identity, Action, Details(request), ct);
        return new TResponse();
    }
}

internal sealed class DiagnosticsStatusNotificationHandler(StationAudit audit)
    : AuditedNotificationHandler<DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse>(audit)
{
    protected override string Action => "Station.DiagnosticsStatus";

    protected override object Details(DiagnosticsStatusNotificationRequest request) => new { status = SpecNames.Of(request.Status) };
}

internal sealed class FirmwareStatusNotificationHandler(StationAudit audit)
    : AuditedNotificationHandler<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse>(audit)
{
    protected override string Action => "Station.FirmwareStatus";

    protected override object Details(FirmwareStatusNotificationRequest request) => new { status = SpecNames.Of(request.Status) };
}

internal sealed class LogStatusNotificationHandler(StationAudit audit)
    : AuditedNotificationHandler<LogStatusNotificationRequest, LogStatusNotificationResponse>(audit)
{
    protected override string Action => "Station.LogStatus";

    protected override object Details(LogStatusNotificationRequest request) => new { status = SpecNames.Of(request.Status), request.RequestId };
}

internal sealed class SignedFirmwareStatusNotificationHandler(StationAudit audit)
    : AuditedNotificationHandler<SignedFirmwareStatusNotificationRequest, SignedFirmwareStatusNotificationResponse>(audit)
{
    protected override string Action => "Station.SignedFirmwareStatus";

    protected override object Details(SignedFirmwareStatusNotificationRequest request) => new { status = SpecNames.Of(request.Status), request.RequestId };
}

internal sealed class SecurityEventNotificationHandler(StationAudit audit)
    : AuditedNotificationHandler<SecurityEventNotificationRequest, SecurityEventNotificationResponse>(audit)
{
    protected override string Action => "Station.SecurityEvent";

    // Any type string is accepted (the list is open-ended and spelt differently across editions).
    protected override object Details(SecurityEventNotificationRequest request) => new { request.Type, request.Timestamp, request.TechInfo };
}

internal sealed class SignCertificateHandler : V16Handler<SignCertificateRequest, SignCertificateResponse>
{
    // No certificate authority is configured, so the CSR cannot be processed (security whitepaper A02).
    public override Task<SignCertificateResponse> HandleAsync(OcppStationContext station, SignCertificateRequest request, CancellationToken ct) =>
        Task.FromResult(new SignCertificateResponse { Status = GenericStatus.Rejected });
}
