namespace Voltgate.Core.OcppHandlers.V16;

/// <summary>The 1.6 handlers, keyed by action; an action of the catalog without one here answers NotImplemented.</summary>
internal static class V16HandlerRegistration
{
    public static void Add(HandlerRegistrar<IV16Handler, IV16PayloadHandler> handlers) => handlers
        .Unscoped<StatusNotificationHandler>("StatusNotification")
        .PayloadReader<HeartbeatHandler>("Heartbeat")
        .PayloadReader<MeterValuesHandler>("MeterValues")
        .Unscoped<DataTransferHandler>("DataTransfer")
        .Unscoped<SignCertificateHandler>("SignCertificate")
        .Scoped<BootNotificationHandler>("BootNotification")
        .Scoped<AuthorizeHandler>("Authorize")
        .Scoped<StartTransactionHandler>("StartTransaction")
        .Scoped<StopTransactionHandler>("StopTransaction")
        .Scoped<DiagnosticsStatusNotificationHandler>("DiagnosticsStatusNotification")
        .Scoped<FirmwareStatusNotificationHandler>("FirmwareStatusNotification")
        .Scoped<SecurityEventNotificationHandler>("SecurityEventNotification")
        .Scoped<LogStatusNotificationHandler>("LogStatusNotification")
        .Scoped<SignedFirmwareStatusNotificationHandler>("SignedFirmwareStatusNotification");
}
