using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Access;

/// <summary>
/// A personal API key. The key is shown once at creation; only its SHA-256 is stored (the key carries 256 random
/// bits, so a fast hash is enough). It authenticates as its user and carries that user's current rights.
/// </summary>
public sealed class ApiKey : ITenantOwned
{
    public const string Prefix = "vgk_";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; init; }
    public Guid UserId { get; init; }
    public required string Name { get; set; }

    /// <summary>The first characters of the key, so a user can tell keys apart. Not enough to use it.</summary>
    public required string Hint { get; init; }

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public required string Hash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
