using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;

namespace Voltgate.Core.Tenancy;

public sealed record TenantInfo(Guid Id, string Slug, TenantSettings Settings);

/// <summary>Tenants by slug with their front-door settings, cached; a settings change invalidates the entry.</summary>
public sealed class TenantDirectory(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<string, TenantInfo> _bySlug = new(StringComparer.Ordinal);

    public async ValueTask<TenantInfo?> FindAsync(string slug, CancellationToken ct)
    {
        if (_bySlug.TryGetValue(slug, out var info))
        {
            return info;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (tenant is null)
        {
            return null;
        }

        var settings = await db.TenantSettings.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenant.Id, ct)
            ?? new TenantSettings { TenantId = tenant.Id };
        info = new TenantInfo(tenant.Id, tenant.Slug, settings);
        _bySlug[slug] = info;
        return info;
    }

    public void Invalidate(Guid tenantId)
    {
        foreach (var (slug, info) in _bySlug)
        {
            if (info.Id == tenantId)
            {
                _bySlug.TryRemove(slug, out _);
            }
        }
    }
}
