namespace Voltgate.Core.OcppHandlers.V201;

/// <summary>The 2.0.1 handlers, keyed by action; an action of the catalog without one here answers NotImplemented.</summary>
internal static class V201HandlerRegistration
{
    public static void Add(HandlerRegistrar<IV201Handler, IV201PayloadHandler> handlers) => handlers
        // The frequent messages, as for 1.6: singletons without a DI scope.
        .PayloadReader<HeartbeatHandler>("Heartbeat")
        .Unscoped<StatusNotificationHandler>("StatusNotification")
        .Unscoped<MeterValuesHandler>("MeterValues")
        .Unscoped<TransactionEventHandler>("TransactionEvent")
        .Unscoped<DataTransferHandler>("DataTransfer")
        .Scoped<BootNotificationHandler>("BootNotification")
        .Scoped<AuthorizeHandler>("Authorize")
        .Scoped<SecurityEventNotificationHandler>("SecurityEventNotification")
        .Scoped<FirmwareStatusNotificationHandler>("FirmwareStatusNotification")
        .Scoped<LogStatusNotificationHandler>("LogStatusNotification")
        .Scoped<NotifyEventHandler>("NotifyEvent")
        .Scoped<NotifyReportHandler>("NotifyReport");
}
