using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;

namespace Voltgate.Core.Tenancy;

/// <summary>A tenant as the front door needs it; <paramref name="Active"/> false: its stations are refused (TenantDeactivated).</summary>
public sealed record TenantInfo(Guid Id, string Slug, TenantSettings Settings, bool Active = true);

/// <summary>Tenants by slug with their front-door settings, cached; a settings change invalidates the entry.</summary>
public sealed class TenantDirectory(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<string, TenantInfo> _bySlug = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, TenantInfo> _byId = new();

    public ValueTask<TenantInfo?> FindAsync(string slug, CancellationToken ct) =>
        _bySlug.TryGetValue(slug, out var info) ? ValueTask.FromResult<TenantInfo?>(info) : LoadAsync(t => t.Slug == slug, ct);

    public ValueTask<TenantInfo?> FindAsync(Guid tenantId, CancellationToken ct) =>
        _byId.TryGetValue(tenantId, out var info) ? ValueTask.FromResult<TenantInfo?>(info) : LoadAsync(t => t.Id == tenantId, ct);

    private async ValueTask<TenantInfo?> LoadAsync(System.Linq.Expressions.Expression<Func<Tenant, bool>> predicate, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(predicate, ct);
        if (tenant is null)
        {
            return null;
        }

        var settings = await db.TenantSettings.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenant.Id, ct)
            ?? new TenantSettings { TenantId = tenant.Id };
        var info = new TenantInfo(tenant.Id, tenant.Slug, settings, tenant.Active);
        _bySlug[tenant.Slug] = info;
        _byId[tenant.Id] = info;
        return info;
    }

    public void Invalidate(Guid tenantId)
    {
        _byId.TryRemove(tenantId, out _);
        foreach (var (slug, info) in _bySlug)
        {
            if (info.Id == tenantId)
            {
                _bySlug.TryRemove(slug, out _);
            }
        }
    }
}
