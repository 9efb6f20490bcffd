using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.IdTags;

namespace Voltgate.Core.Transactions;

/// <summary>The unfinished transactions of the tenant in scope, for the ConcurrentTx decision.</summary>
internal sealed class OpenTransactions(VoltgateDbContext db) : IOpenTransactions
{
    public Task<bool> AnyForAsync(string sent, string stored, int? except, CancellationToken ct) =>
        db.Transactions.AnyAsync(t => (t.IdTag == sent || t.IdTag == stored) && t.StoppedAt == null && t.Id != except, ct);
}
