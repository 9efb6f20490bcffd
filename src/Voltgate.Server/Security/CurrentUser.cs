using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Data;

namespace Voltgate.Server.Security;

public static class VoltgateClaims
{
    public const string TenantId = "voltgate:tenant";
    public const string UserId = ClaimTypes.NameIdentifier;
}

/// <summary>
/// The signed-in user of this request, read from the database on every request so that deactivation and
/// rights changes take effect at once (no re-login, no stale token).
/// </summary>
public sealed class CurrentUser(VoltgateDbContext db)
{
    private bool _loaded;

    public VoltgateUser? User { get; private set; }
    public IReadOnlySet<Right> Rights { get; private set; } = new HashSet<Right>();

    public async Task<VoltgateUser?> LoadAsync(Guid userId, CancellationToken ct)
    {
        if (_loaded)
        {
            return User;
        }

        _loaded = true;
        User = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId && u.Active, ct);
        if (User is not null)
        {
            var rights = await db.GroupMembers.Where(m => m.UserId == userId)
                .Join(db.GroupRights, m => m.GroupId, r => r.GroupId, (m, r) => r.Right)
                .Distinct().ToListAsync(ct);
            Rights = rights.ToHashSet();
        }

        return User;
    }

    public bool Has(Right right) => Rights.Contains(right);
}
