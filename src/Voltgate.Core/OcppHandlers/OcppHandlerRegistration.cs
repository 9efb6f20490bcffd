using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.OcppHandlers.V16;
using Voltgate.Core.OcppHandlers.V201;

namespace Voltgate.Core.OcppHandlers;

public static class OcppHandlerRegistration
{
    public static IServiceCollection AddOcppHandlers(this IServiceCollection services)
    {
        // One dispatcher per protocol version; the connection's negotiated protocol picks one.
        services.AddSingleton<V16Dispatcher>();
        services.AddSingleton<V201Dispatcher>();
        services.AddSingleton<IOcppDispatcher, ProtocolDispatcher>();
        V16HandlerRegistration.Add(new HandlerRegistrar<IV16Handler, IV16PayloadHandler>(services));
        V201HandlerRegistration.Add(new HandlerRegistrar<IV201Handler, IV201PayloadHandler>(services));
        return services;
    }
}

/// <summary>
/// Registers one version's handlers keyed by action. The frequent messages need no DbContext of their own (they go
/// through the group commit writer): their handlers are singletons called without a DI scope, which costs about
/// 0.6 KB of garbage per message; a payload reader also skips deserialising the request.
/// </summary>
internal sealed class HandlerRegistrar<THandler, TPayloadHandler>
    where THandler : class, IOcppActionHandler
    where TPayloadHandler : class, IOcppPayloadHandler
{
    private readonly IServiceCollection _services;
    private readonly UnscopedActions<THandler> _unscoped = new();

    public HandlerRegistrar(IServiceCollection services)
    {
        _services = services;
        services.AddSingleton(_unscoped);
    }

    public HandlerRegistrar<THandler, TPayloadHandler> Scoped<T>(string action)
        where T : class, THandler
    {
        _services.AddKeyedScoped<THandler, T>(action);
        return this;
    }

    public HandlerRegistrar<THandler, TPayloadHandler> Unscoped<T>(string action)
        where T : class, THandler
    {
        _services.AddKeyedSingleton<THandler, T>(action);
        _unscoped.Add(action);
        return this;
    }

    public HandlerRegistrar<THandler, TPayloadHandler> PayloadReader<T>(string action)
        where T : class, TPayloadHandler
    {
        _services.AddKeyedSingleton<TPayloadHandler, T>(action);
        _unscoped.AddPayloadReader(action);
        return this;
    }
}
