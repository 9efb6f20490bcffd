using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;

namespace Voltgate.Core.OcppSecurity;

/// <summary>
/// Holds each tenant's <see cref="PasswordPoolIndex"/> in memory so a handshake never queries the database for the
/// password check. A change of the pool invalidates the tenant's index; the next handshake rebuilds it.
/// </summary>
public sealed class PasswordPoolCache(IServiceScopeFactory scopes, PoolHmacKey key, SecretProtector protector)
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<PasswordPoolIndex>>> _indexes = new();

    public async ValueTask<PasswordPoolIndex> GetAsync(Guid tenantId)
    {
        var lazy = _indexes.GetOrAdd(tenantId, id => new Lazy<Task<PasswordPoolIndex>>(() => BuildAsync(id)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _indexes.TryRemove(new KeyValuePair<Guid, Lazy<Task<PasswordPoolIndex>>>(tenantId, lazy));
            throw;
        }
    }

    /// <summary>Drops the tenant's index (called after every pool change, locally or from another node).</summary>
    public void Invalidate(Guid tenantId)
    {
        _indexes.TryRemove(tenantId, out _);
    }

    private async Task<PasswordPoolIndex> BuildAsync(Guid tenantId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var rows = await db.BasicAuthPasswords.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.TenantId == tenantId)
            .Select(p => new { p.Id, p.ProtectedSecret, p.IsHex, p.State })
            .ToListAsync();
        var secrets = rows.Select(r => new PoolSecret(r.Id, protector.Unprotect(r.ProtectedSecret), r.IsHex, r.State));
        return new PasswordPoolIndex(key.Key, secrets);
    }
}
