using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Stations;

public enum ConnectionResult
{
    Accepted,
    Refused,
}

/// <summary>Why a handshake was refused; shown to the operator, never to the station.</summary>
public enum RefusalReason
{
    None,
    NoCredentials,
    MalformedHeader,
    UsernameMismatch,
    UnknownStation,
    VariantNotAllowed,
    PasswordMismatch,
    PasswordMatchesOnlyOtherHexForm,
    PasswordDisabled,
    RateLimited,
    NetworkNotAllowed,
    UnsupportedSubprotocol,
    StationDeactivated,
    ConnectionLimit,
    TenantDeactivated,
}

/// <summary>One handshake at the front door with its outcome. Never holds a password.</summary>
public sealed class ConnectionAttempt : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; init; }
    public required string Identity { get; init; }
    public DateTimeOffset At { get; init; }
    public required string SourceAddress { get; init; }
    public required string Variant { get; init; }
    public required string Endpoint { get; init; }
    public string OfferedSubprotocols { get; init; } = "";
    public string? Protocol { get; init; }
    public ConnectionResult Result { get; init; }
    public RefusalReason Reason { get; init; }

    /// <summary>
    /// The accepted entry; for <see cref="RefusalReason.PasswordMatchesOnlyOtherHexForm"/> and
    /// <see cref="RefusalReason.PasswordDisabled"/> the entry the password belongs to (so the operator can fix it).
    /// </summary>
    public Guid? PasswordId { get; init; }

    /// <summary>The Basic Auth username, recorded only for <see cref="RefusalReason.UsernameMismatch"/> (at most 48 characters).</summary>
    public string? PresentedUsername { get; init; }

    /// <summary>
    /// How many handshakes the row stands for: refused ones from the same source, for the same identity, endpoint and
    /// reason within one time bucket share a row (Voltgate:Limits:RefusedHandshakeBucket), so a flood grows one row
    /// per bucket, not one per attempt. <see cref="At"/> is the first of them; accepted handshakes are 1 each.
    /// </summary>
    public int Count { get; set; } = 1;

    /// <summary>The last handshake the row stands for; null when it stands for one.</summary>
    public DateTimeOffset? LastAt { get; set; }
}
