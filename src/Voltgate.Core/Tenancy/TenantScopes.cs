using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Access;

namespace Voltgate.Core.Tenancy;

public static class TenantScopes
{
    /// <summary>
    /// A DI scope for a unit of work of one tenant that no web request carries (a station's message, a background
    /// job): its DbContext filters and stamps that tenant, and its audit events name <paramref name="actor"/> when given.
    /// </summary>
    public static AsyncServiceScope CreateTenantScope(this IServiceScopeFactory scopes, Guid tenantId, string? actor = null)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
        if (actor is not null)
        {
            scope.ServiceProvider.GetRequiredService<ActorContext>().Actor = actor;
        }

        return scope;
    }
}
