using Voltgate.Core.Data;

namespace Voltgate.Core.Audit;

/// <summary>Records what a station reported in the audit trail, committed before the station is answered.</summary>
internal sealed class StationAudit(VoltgateDbContext db, AuditLog audit)
{
    public async Task RecordAsync(Guid tenantId, string identity, string action, object details, CancellationToken ct)
    {
        audit.Add(action, identity, details, tenantId);
        await db.SaveChangesAsync(ct);
    }
}
