using Voltgate.Core.OcppSecurity;

namespace Voltgate.Core.Tenancy;

public enum UnknownStationPolicy
{
    Reject,
    AdmitAsPending,
    AdmitAsAccepted,
}

/// <summary>Per-tenant behaviour of the station front door (product.md §3, §6 "settings").</summary>
public sealed class TenantSettings : ITenantOwned
{
    public Guid TenantId { get; init; }
    public HexMatching HexMatching { get; set; } = HexMatching.Lenient;
    public UnknownStationPolicy UnknownStationPolicy { get; set; } = UnknownStationPolicy.Reject;
    public bool AssumeOcpp16WhenNoSubprotocol { get; set; } = true;
    public int HeartbeatIntervalSeconds { get; set; } = 300;
    public bool EnforceHardwareProfiles { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
