using Voltgate.Core.Tenancy;

namespace Voltgate.Core.OcppSecurity;

/// <summary>
/// One entry of a tenant's BasicAuth password pool. The secret is write-once: stations configured with it
/// would lose their connection if it changed, so only label, note and state are mutable
/// (the database refuses an update of <see cref="ProtectedSecret"/> too).
/// </summary>
public sealed class BasicAuthPassword : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; init; }
    public required string Label { get; set; }
    public string? Note { get; set; }

    /// <summary>The secret, encrypted with ASP.NET Core Data Protection. Never leaves the server except through Reveal.</summary>
    public required string ProtectedSecret { get; init; }

    /// <summary>Keyed hash (HMAC) of the secret, for refusing duplicates without decrypting the pool.</summary>
    public required string Fingerprint { get; init; }

    public int Length { get; init; }
    public bool IsHex { get; init; }
    public PasswordState State { get; set; } = PasswordState.Active;
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? DisabledAt { get; set; }

    public override string ToString() => $"BasicAuthPassword {Id} '{Label}'";
}
