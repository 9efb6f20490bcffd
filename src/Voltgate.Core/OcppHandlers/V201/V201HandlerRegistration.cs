using Microsoft.Extensions.DependencyInjection;

namespace Voltgate.Core.OcppHandlers.V201;

/// <summary>The 2.0.1 handlers, keyed by action; an action of the catalog without one here answers NotImplemented.</summary>
internal static class V201HandlerRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.AddKeyedScoped<IV201Handler, BootNotificationHandler>("BootNotification");
        services.AddKeyedScoped<IV201Handler, HeartbeatHandler>("Heartbeat");
        services.AddKeyedScoped<IV201Handler, StatusNotificationHandler>("StatusNotification");
        services.AddKeyedScoped<IV201Handler, AuthorizeHandler>("Authorize");
        services.AddKeyedScoped<IV201Handler, MeterValuesHandler>("MeterValues");
        services.AddKeyedScoped<IV201Handler, TransactionEventHandler>("TransactionEvent");
        services.AddKeyedScoped<IV201Handler, DataTransferHandler>("DataTransfer");
        services.AddKeyedScoped<IV201Handler, SecurityEventNotificationHandler>("SecurityEventNotification");
        services.AddKeyedScoped<IV201Handler, FirmwareStatusNotificationHandler>("FirmwareStatusNotification");
        services.AddKeyedScoped<IV201Handler, LogStatusNotificationHandler>("LogStatusNotification");
        services.AddKeyedScoped<IV201Handler, NotifyEventHandler>("NotifyEvent");
        services.AddKeyedScoped<IV201Handler, NotifyReportHandler>("NotifyReport");
    }
}
