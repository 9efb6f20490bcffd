using Microsoft.Extensions.DependencyInjection;

namespace Voltgate.Core.Cluster;

public static class ClusterPresenceRegistration
{
    /// <summary>The database side of a cluster (connection presence, node heartbeats); a single node needs none of it.</summary>
    public static IServiceCollection AddClusterPresence(this IServiceCollection services)
    {
        services.AddSingleton<PresenceBatch>();
        services.AddSingleton(sp => new ClusterPresenceStore(sp.GetRequiredService<PresenceBatch>(), sp.GetRequiredService<IServiceScopeFactory>()));
        return services;
    }
}
