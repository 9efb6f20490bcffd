using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Access;

public sealed record ApiKeyView(Guid Id, string Name, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedApiKey(ApiKeyView ApiKey, string Key);

/// <summary>The caller's personal API keys: created (shown once), listed without secrets, revoked.</summary>
public sealed class ApiKeyService(VoltgateDbContext db, ITenantContext tenant, AuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(Guid userId, CancellationToken ct) =>
        (await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId).ToListAsync(ct))
            .OrderByDescending(k => k.CreatedAt).Select(ToView).ToList();

    public async Task<Result<CreatedApiKey>> CreateAsync(Guid userId, string? name, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            return Error.Validation("name", "Required", "A name of 1 to 100 characters is required.");
        }

        var now = time.GetUtcNow();
        if (expiresAt is { } e && e <= now)
        {
            return Error.Validation("expiresAt", "InThePast", "The expiry must be in the future.");
        }

        var key = ApiKey.Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var entity = new ApiKey
        {
            TenantId = tenant.TenantId ?? throw new InvalidOperationException("No tenant."),
            UserId = userId,
            Name = name,
            Hint = key[..10],
            Hash = Hash(key),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.ApiKeys.Add(entity);
        audit.Add("ApiKey.Created", name, new { entity.Id, entity.Hint, entity.ExpiresAt });
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(ToView(entity), key);
    }

    public async Task<Result<ApiKeyView>> RevokeAsync(Guid userId, Guid id, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.UserId == userId, ct);
        if (key is null)
        {
            return Error.NotFound("The API key");
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            audit.Add("ApiKey.Revoked", key.Name, new { key.Id, key.Hint });
            await db.SaveChangesAsync(ct);
        }

        return ToView(key);
    }

    /// <summary>
    /// Finds the live key for a presented secret, across tenants (the key itself says whose it is; a reviewed
    /// IgnoreQueryFilters). Returns null for unknown, revoked or expired keys. Never logs the key.
    /// </summary>
    public async Task<ApiKey?> AuthenticateAsync(string presented, CancellationToken ct)
    {
        if (!presented.StartsWith(ApiKey.Prefix, StringComparison.Ordinal) || presented.Length > 100)
        {
            return null;
        }

        var hash = Hash(presented);
        var key = await db.ApiKeys.IgnoreQueryFilters().FirstOrDefaultAsync(k => k.Hash == hash, ct);
        var now = time.GetUtcNow();
        if (key is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key.Hash), Encoding.ASCII.GetBytes(hash))
            || key.RevokedAt is not null
            || key.ExpiresAt is { } expiry && expiry <= now)
        {
            return null;
        }

        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(5))
        {
            // Usage is kept coarse (at most one write per five minutes per key).
            key.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }

        return key;
    }

    internal static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiKeyView ToView(ApiKey k) => new(k.Id, k.Name, k.Hint, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt);
}
