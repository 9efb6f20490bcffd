using Voltgate.Core.OcppSecurity;

namespace Voltgate.Core.Tenancy;

public enum UnknownStationPolicy
{
    Reject,
    AdmitAsPending,
    AdmitAsAccepted,
}

/// <summary>Per-tenant behaviour of the station front door (docs/configuration.md, API <c>/api/v1/ocpp-security/settings</c>).</summary>
public sealed class TenantSettings : ITenantOwned
{
    public Guid TenantId { get; init; }
    public HexMatching HexMatching { get; set; } = HexMatching.Lenient;
    public UnknownStationPolicy UnknownStationPolicy { get; set; } = UnknownStationPolicy.Reject;
    public bool AssumeOcpp16WhenNoSubprotocol { get; set; } = true;
    public int HeartbeatIntervalSeconds { get; set; } = 300;
    public bool EnforceHardwareProfiles { get; set; }

    /// <summary>
    /// When set (e.g. "_" for KEBA x-series, whose slave units append <c>_&lt;serial&gt;</c>), an idTag that is not
    /// known as sent is looked up again without the part from the last separator on. Null: off.
    /// </summary>
    public string? IdTagSuffixSeparator { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
