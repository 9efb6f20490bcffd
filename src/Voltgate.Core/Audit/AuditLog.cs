using System.Text.Json;
using Voltgate.Core.Access;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Audit;

/// <summary>Appends audit events to the current unit of work; they commit with the change they describe.</summary>
public sealed class AuditLog(VoltgateDbContext db, IActorContext actor, ITenantContext tenant, TimeProvider time)
{
    public void Add(string action, string? target, object? details = null, Guid? tenantId = null)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            TenantId = tenantId ?? tenant.TenantId ?? throw new InvalidOperationException("Audit event without a tenant."),
            At = time.GetUtcNow(),
            Actor = actor.Actor,
            ActorId = actor.ActorId,
            SourceAddress = actor.SourceAddress,
            Action = action,
            Target = target,
            Details = details is null ? null : JsonSerializer.Serialize(details, AuditJson.Options),
        });
    }
}

internal static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
