using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;

namespace Voltgate.Core.OcppSecurity;

/// <summary>
/// The server-wide key for the pool's keyed hashes (index and duplicate fingerprints). Stored once, encrypted with
/// Data Protection, so every node derives the same fingerprints.
/// </summary>
public sealed class PoolHmacKey
{
    private const string SecretName = "ocpp-security.pool-hmac-key";
    private byte[]? _key;

    public ReadOnlySpan<byte> Key => _key ?? throw new InvalidOperationException("The pool HMAC key is not loaded yet.");

    public async Task LoadOrCreateAsync(VoltgateDbContext db, SecretProtector protector, TimeProvider time, CancellationToken ct)
    {
        var stored = await db.SystemSecrets.AsNoTracking().FirstOrDefaultAsync(s => s.Name == SecretName, ct);
        if (stored is null)
        {
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            db.SystemSecrets.Add(new SystemSecret { Name = SecretName, ProtectedValue = protector.Protect(fresh), CreatedAt = time.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
                stored = new SystemSecret { Name = SecretName, ProtectedValue = protector.Protect(fresh) };
            }
            catch (DbUpdateException)
            {
                // Another node created it first; use theirs.
                db.ChangeTracker.Clear();
                stored = await db.SystemSecrets.AsNoTracking().FirstAsync(s => s.Name == SecretName, ct);
            }
        }

        _key = Convert.FromBase64String(protector.Unprotect(stored.ProtectedValue));
    }

    /// <summary>Fingerprint of a secret for duplicate detection; hex-shaped secrets compare case-insensitively.</summary>
    public string Fingerprint(string secret)
    {
        var normalized = BasicAuthPasswordRules.IsHexShaped(secret) ? secret.ToLowerInvariant() : secret;
        return Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(normalized)));
    }
}
