using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.OcppHandlers.V16;

namespace Voltgate.Core.OcppHandlers;

public static class OcppHandlerRegistration
{
    public static IServiceCollection AddOcppHandlers(this IServiceCollection services)
    {
        services.AddScoped<IOcppDispatcher, V16Dispatcher>();
        services.AddScoped<IdTagAuthorizer>();
        services.AddScoped<MeterSampleWriter>();
        services.AddKeyedScoped<IV16Handler, BootNotificationHandler>("BootNotification");
        services.AddKeyedScoped<IV16Handler, HeartbeatHandler>("Heartbeat");
        services.AddKeyedScoped<IV16Handler, StatusNotificationHandler>("StatusNotification");
        services.AddKeyedScoped<IV16Handler, AuthorizeHandler>("Authorize");
        services.AddKeyedScoped<IV16Handler, StartTransactionHandler>("StartTransaction");
        services.AddKeyedScoped<IV16Handler, StopTransactionHandler>("StopTransaction");
        services.AddKeyedScoped<IV16Handler, MeterValuesHandler>("MeterValues");
        services.AddKeyedScoped<IV16Handler, DataTransferHandler>("DataTransfer");
        services.AddKeyedScoped<IV16Handler, DiagnosticsStatusNotificationHandler>("DiagnosticsStatusNotification");
        services.AddKeyedScoped<IV16Handler, FirmwareStatusNotificationHandler>("FirmwareStatusNotification");
        services.AddKeyedScoped<IV16Handler, SecurityEventNotificationHandler>("SecurityEventNotification");
        services.AddKeyedScoped<IV16Handler, LogStatusNotificationHandler>("LogStatusNotification");
        services.AddKeyedScoped<IV16Handler, SignedFirmwareStatusNotificationHandler>("SignedFirmwareStatusNotification");
        services.AddKeyedScoped<IV16Handler, SignCertificateHandler>("SignCertificate");
        return services;
    }
}
