using Microsoft.Extensions.DependencyInjection;

namespace Voltgate.Core.OcppHandlers;

public static class OcppHandlerRegistration
{
    public static IServiceCollection AddOcppHandlers(this IServiceCollection services)
    {
        services.AddScoped<IOcppDispatcher, V16Dispatcher>();
        return services;
    }
}
