using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Audit;

namespace Voltgate.Core.Access;

public static class AccessRegistration
{
    /// <summary>Users, groups, rights, companies, API keys, data scope and the audit trail reader.</summary>
    public static IServiceCollection AddVoltgateAccess(this IServiceCollection services)
    {
        services.AddScoped<CallerAccess>();
        services.AddScoped<CallerAccessLoader>();
        services.AddScoped<AccessRules>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<GroupService>();
        services.AddScoped<CompanyService>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<AuditQuery>();
        return services;
    }
}
