using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.IdTags;

public enum IdTagAuthorizationStatus
{
    Accepted,
    Blocked,
    Expired,
    Invalid,
    ConcurrentTx,
}

/// <summary>Whether an idTag may charge, with what the station may cache about it.</summary>
public readonly record struct IdTagAuthorization(IdTagAuthorizationStatus Status, DateTimeOffset? ExpiryDate = null, string? ParentIdTag = null);

/// <summary>Whether an idTag is in an unfinished transaction: asked by the authoriser, answered by the transactions.</summary>
public interface IOpenTransactions
{
    /// <summary>True when a transaction of <paramref name="sent"/> or <paramref name="stored"/> has not stopped, other than <paramref name="except"/>.</summary>
    Task<bool> AnyForAsync(string sent, string stored, int? except, CancellationToken ct);
}

/// <summary>
/// Decides on an idTag from the tenant's ID tags. An accepted tag already in an unfinished transaction is
/// ConcurrentTx. With the tenant setting IdTagSuffixSeparator (KEBA x-series slave units send <c>CARD_serial</c>), an
/// idTag unknown as sent is looked up again without its suffix.
/// </summary>
public sealed class IdTagAuthorizer(VoltgateDbContext db, TimeProvider time, ITenantContext tenant, TenantDirectory tenants, IOpenTransactions openTransactions)
{
    /// <param name="idTag">The idTag as the station sent it.</param>
    /// <param name="exceptTransactionId">A transaction the tag may be in without that being concurrent (its own).</param>
    /// <param name="ct">Cancels the lookup.</param>
    public async Task<IdTagAuthorization> AuthorizeAsync(string idTag, int? exceptTransactionId, CancellationToken ct)
    {
        var tag = await db.IdTags.AsNoTracking().FirstOrDefaultAsync(t => t.Value == idTag, ct);
        if (tag is null && await StripSuffixAsync(idTag, ct) is { } stripped)
        {
            tag = await db.IdTags.AsNoTracking().FirstOrDefaultAsync(t => t.Value == stripped, ct);
        }

        if (tag is null)
        {
            return new IdTagAuthorization(IdTagAuthorizationStatus.Invalid);
        }

        var status = tag.Status switch
        {
            IdTagStatus.Accepted when tag.ExpiryDate is { } expiry && expiry <= time.GetUtcNow() => IdTagAuthorizationStatus.Expired,
            IdTagStatus.Accepted => IdTagAuthorizationStatus.Accepted,
            IdTagStatus.Blocked => IdTagAuthorizationStatus.Blocked,
            IdTagStatus.Expired => IdTagAuthorizationStatus.Expired,
            _ => IdTagAuthorizationStatus.Invalid,
        };
        if (status == IdTagAuthorizationStatus.Accepted
            && await openTransactions.AnyForAsync(idTag, tag.Value, exceptTransactionId, ct))
        {
            status = IdTagAuthorizationStatus.ConcurrentTx;
        }

        return new IdTagAuthorization(status, tag.ExpiryDate, tag.ParentIdTag);
    }

    private async Task<string?> StripSuffixAsync(string idTag, CancellationToken ct)
    {
        if (tenant.TenantId is not { } tenantId || (await tenants.FindAsync(tenantId, ct))?.Settings.IdTagSuffixSeparator is not { Length: > 0 } separator)
        {
            return null;
        }

        return IdTagSuffix.Strip(idTag, separator);
    }
}
