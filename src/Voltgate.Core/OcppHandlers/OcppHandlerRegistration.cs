using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.OcppHandlers.V16;

namespace Voltgate.Core.OcppHandlers;

public static class OcppHandlerRegistration
{
    public static IServiceCollection AddOcppHandlers(this IServiceCollection services)
    {
        // One dispatcher per protocol version; the connection's negotiated protocol picks one.
        services.AddSingleton<V16Dispatcher>();
        services.AddSingleton<V201.V201Dispatcher>();
        services.AddSingleton<IOcppDispatcher, ProtocolDispatcher>();
        V201.V201HandlerRegistration.Add(services);

        // The frequent messages need no DbContext of their own (they go through the group commit writer): their handlers
        // are singletons and are called without a DI scope, which cost about 0.6 KB of garbage per message.
        var unscoped = new V16UnscopedActions();
        AddUnscoped<StatusNotificationHandler>("StatusNotification");
        AddPayloadReader<HeartbeatHandler>("Heartbeat");
        AddPayloadReader<MeterValuesHandler>("MeterValues");
        AddUnscoped<DataTransferHandler>("DataTransfer");
        AddUnscoped<SignCertificateHandler>("SignCertificate");
        services.AddSingleton(unscoped);

        services.AddKeyedScoped<IV16Handler, BootNotificationHandler>("BootNotification");
        services.AddKeyedScoped<IV16Handler, AuthorizeHandler>("Authorize");
        services.AddKeyedScoped<IV16Handler, StartTransactionHandler>("StartTransaction");
        services.AddKeyedScoped<IV16Handler, StopTransactionHandler>("StopTransaction");
        services.AddKeyedScoped<IV16Handler, DiagnosticsStatusNotificationHandler>("DiagnosticsStatusNotification");
        services.AddKeyedScoped<IV16Handler, FirmwareStatusNotificationHandler>("FirmwareStatusNotification");
        services.AddKeyedScoped<IV16Handler, SecurityEventNotificationHandler>("SecurityEventNotification");
        services.AddKeyedScoped<IV16Handler, LogStatusNotificationHandler>("LogStatusNotification");
        services.AddKeyedScoped<IV16Handler, SignedFirmwareStatusNotificationHandler>("SignedFirmwareStatusNotification");
        return services;

        void AddPayloadReader<THandler>(string action)
            where THandler : class, IV16PayloadHandler
        {
            services.AddKeyedSingleton<IV16PayloadHandler, THandler>(action);
            unscoped.AddPayloadReader(action);
        }

        void AddUnscoped<THandler>(string action)
            where THandler : class, IV16Handler
        {
            services.AddKeyedSingleton<IV16Handler, THandler>(action);
            unscoped.Add(action);
        }
    }
}

/// <summary>The actions whose handlers are singletons and run without a DI scope (see <see cref="V16Dispatcher"/>).</summary>
public sealed class V16UnscopedActions
{
    private readonly HashSet<string> _actions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _payloadReaders = new(StringComparer.Ordinal);

    public bool Contains(string action) => _actions.Contains(action);

    /// <summary>The action's handler is an <see cref="IV16PayloadHandler"/>.</summary>
    public bool ReadsPayload(string action) => _payloadReaders.Contains(action);

    internal void Add(string action) => _actions.Add(action);

    internal void AddPayloadReader(string action)
    {
        _actions.Add(action);
        _payloadReaders.Add(action);
    }
}
