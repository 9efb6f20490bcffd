using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Stations;

public enum RegistrationStatus
{
    Accepted,
    Pending,
    Rejected,
}

/// <summary>A charging station, identified per tenant by its OCPP identity (the last segment of its URL).</summary>
public sealed class Station : ITenantOwned
{
    public const int MaxIdentityLength = 48;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; init; }
    public required string Identity { get; init; }
    public Guid CompanyId { get; set; }

    /// <summary>Connection variant names this station may use; any other is refused (no silent downgrade).</summary>
    public List<string> AllowedVariants { get; set; } = [];
    public List<Guid> PinnedPasswordIds { get; set; } = [];
    public RegistrationStatus RegistrationStatus { get; set; } = RegistrationStatus.Accepted;
    public bool Active { get; set; } = true;
    public string? Note { get; set; }

    public string? Vendor { get; set; }
    public string? Model { get; set; }
    public string? SerialNumber { get; set; }
    public string? FirmwareVersion { get; set; }
    public DateTimeOffset? LastBootAt { get; set; }

    /// <summary>Pool entry of the last successful Basic Auth handshake (usage tracking).</summary>
    public Guid? LastPasswordId { get; set; }
    public DateTimeOffset? LastAuthenticatedAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>The OCPP version of the last admitted connection (<c>ocpp1.6</c>, <c>ocpp2.0.1</c>); it may change between connections.</summary>
    public string? LastProtocol { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The last reported status of one connector (connector 0 is the station itself).</summary>
public sealed class ConnectorStatus : ITenantOwned
{
    public Guid TenantId { get; init; }
    public Guid StationId { get; init; }
    public int ConnectorId { get; init; }
    public required string Status { get; set; }
    public required string ErrorCode { get; set; }
    public string? Info { get; set; }
    public string? VendorErrorCode { get; set; }
    public DateTimeOffset Timestamp { get; set; }
}
