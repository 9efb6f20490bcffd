using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Audit;

/// <summary>Who did what, when, from where. Append-only: no code path updates or deletes a row.</summary>
public sealed class AuditEvent : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public Guid? ActorId { get; init; }
    public string? SourceAddress { get; init; }
    public required string Action { get; init; }
    public string? Target { get; init; }

    /// <summary>JSON with details (before/after values). Never a secret.</summary>
    public string? Details { get; init; }
}
