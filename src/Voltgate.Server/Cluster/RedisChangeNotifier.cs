using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using Voltgate.Core.Data;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;

namespace Voltgate.Server.Cluster;

/// <summary>
/// Publishes cache invalidations to every node. The change is already committed when this runs, so a failed publish
/// never fails the operator's request: it is logged, and every node drops all its caches when it reconnects.
/// </summary>
internal sealed partial class RedisChangeNotifier(ClusterNode node, ILogger<RedisChangeNotifier> logger)
    : IPoolChangeNotifier, ITenantSettingsChangeNotifier, IStationChangeNotifier
{
    public Task PoolChangedAsync(Guid tenantId) =>
        PublishAsync(new ClusterMessage(ClusterMessage.PoolChanged, node.NodeId) { Tenant = tenantId });

    public Task SettingsChangedAsync(Guid tenantId) =>
        PublishAsync(new ClusterMessage(ClusterMessage.SettingsChanged, node.NodeId) { Tenant = tenantId });

    public Task StationChangedAsync(Guid tenantId, string identity) =>
        PublishAsync(new ClusterMessage(ClusterMessage.StationChanged, node.NodeId) { Tenant = tenantId, Identity = identity });

    private async Task PublishAsync(ClusterMessage message)
    {
        try
        {
            await node.PublishAsync(node.ChangesChannel, message);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogPublishFailed(logger, message.Type, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other nodes about a {Change} change ({Error}); they drop their caches when the backplane is back")]
    private static partial void LogPublishFailed(ILogger logger, string change, string error);
}

/// <summary>Applies other nodes' invalidations to this node's caches; drops everything after a backplane outage.</summary>
internal sealed class ClusterCacheInvalidator(
    PasswordPoolCache pool,
    TenantDirectory tenants,
    ClusterStationDirectory stations,
    IServiceScopeFactory scopes)
{
    public void Apply(ClusterMessage message)
    {
        if (message.Tenant is not { } tenant)
        {
            return;
        }

        switch (message.Type)
        {
            case ClusterMessage.PoolChanged:
                pool.Invalidate(tenant);
                break;
            case ClusterMessage.SettingsChanged:
                tenants.Invalidate(tenant);
                break;
            case ClusterMessage.StationChanged when message.Identity is { } identity:
                stations.Invalidate(tenant, identity);
                break;
        }
    }

    /// <summary>Messages may have been missed while the backplane was away: forget everything cached.</summary>
    public async Task ResetAllAsync(CancellationToken ct)
    {
        stations.Reset();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var ids = await db.Tenants.IgnoreQueryFilters().Select(t => t.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            pool.Invalidate(id);
            tenants.Invalidate(id);
        }
    }
}

/// <summary>The station directory, with a way to forget everything at once (after a backplane outage).</summary>
internal sealed class ClusterStationDirectory(IServiceScopeFactory scopes) : IStationDirectory
{
    private volatile StationDirectory _inner = new(scopes);

    public ValueTask<StationAuthInfo?> FindAsync(Guid tenantId, string identity, CancellationToken ct) => _inner.FindAsync(tenantId, identity, ct);

    public void Invalidate(Guid tenantId, string identity) => _inner.Invalidate(tenantId, identity);

    public void UpdateRegistrationStatus(StationAuthInfo seen, RegistrationStatus status) => _inner.UpdateRegistrationStatus(seen, status);

    public Task LoadAllAsync(CancellationToken ct) => _inner.LoadAllAsync(ct);

    public void Reset() => _inner = new StationDirectory(scopes);
}
