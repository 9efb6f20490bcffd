using Microsoft.Extensions.DependencyInjection.Extensions;
using Voltgate.Core.Cluster;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Cluster;

internal static class ClusterRegistration
{
    /// <summary>
    /// With a backplane, replaces the single-node implementations (registry, presence, live events, command router,
    /// change notifiers, station directory) by the cluster ones. Without one (null), leaves the single-node ones in place.
    /// </summary>
    public static IServiceCollection AddVoltgateCluster(this IServiceCollection services, ClusterNode? cluster)
    {
        if (cluster is null)
        {
            return services;
        }

        // A factory registration, so the container disposes the multiplexer after everything else has stopped.
        services.AddSingleton(_ => cluster);
        services.AddSingleton<ClusterStationDirectory>();
        services.Replace(ServiceDescriptor.Singleton<IStationDirectory>(sp => sp.GetRequiredService<ClusterStationDirectory>()));
        services.AddSingleton<RedisStationRegistry>();
        services.AddClusterPresence();
        services.AddSingleton<ClusterStatus>();
        services.AddSingleton<RedisStationEvents>();
        services.Replace(ServiceDescriptor.Singleton<IStationEvents>(sp => sp.GetRequiredService<RedisStationEvents>()));
        services.AddHostedService(sp => sp.GetRequiredService<RedisStationEvents>());
        services.AddSingleton<ClusterPresenceService>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterPresenceService>());
        services.AddSingleton<ClusterStationRegistry>();
        services.Replace(ServiceDescriptor.Singleton<IStationRegistry>(sp => sp.GetRequiredService<ClusterStationRegistry>()));
        services.AddSingleton<ClusterStationPresence>();
        services.Replace(ServiceDescriptor.Singleton<IStationPresence>(sp => sp.GetRequiredService<ClusterStationPresence>()));
        services.AddSingleton<RedisStationCommandRouter>();
        services.Replace(ServiceDescriptor.Singleton<IStationCommandRouter>(sp => sp.GetRequiredService<RedisStationCommandRouter>()));
        services.AddSingleton<RedisChangeNotifier>();
        services.Replace(ServiceDescriptor.Singleton<IPoolChangeNotifier>(sp => sp.GetRequiredService<RedisChangeNotifier>()));
        services.Replace(ServiceDescriptor.Singleton<ITenantSettingsChangeNotifier>(sp => sp.GetRequiredService<RedisChangeNotifier>()));
        services.Replace(ServiceDescriptor.Singleton<IStationChangeNotifier>(sp => sp.GetRequiredService<RedisChangeNotifier>()));
        services.AddSingleton<ClusterCacheInvalidator>();
        services.AddHostedService<ClusterService>();
        services.AddExceptionHandler<ClusterUnavailableExceptionHandler>();
        return services;
    }
}
