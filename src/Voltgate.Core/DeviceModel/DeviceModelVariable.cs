using Voltgate.Core.Tenancy;

namespace Voltgate.Core.DeviceModel;

/// <summary>
/// One variable of a station's device model (OCPP 2.0.1 component × variable, with its attributes and
/// characteristics), or one OCPP 1.6 configuration key under the component <see cref="DeviceModelNames.Ocpp16Configuration"/>.
/// </summary>
/// <remarks>
/// The attributes (at most four: Actual, Target, MinSet, MaxSet) are kept as one JSON text: they are always read and
/// written together with their variable. A secret's value (BasicAuthPassword, AuthorizationKey, any WriteOnly
/// attribute) is never in it.
/// </remarks>
public sealed class DeviceModelVariable : ITenantOwned
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid TenantId { get; init; }
    public Guid StationId { get; init; }

    /// <summary>Component, instance, EVSE, connector, variable and instance in one text: the row's identity within its station.</summary>
    public required string Key { get; init; }

    public required string ComponentName { get; init; }
    public string? ComponentInstance { get; init; }
    public int? EvseId { get; init; }
    public int? ConnectorId { get; init; }
    public required string VariableName { get; init; }
    public string? VariableInstance { get; init; }

    /// <summary>JSON array of <see cref="DeviceModelAttribute"/>.</summary>
    public required string AttributesJson { get; set; }

    public string? DataType { get; set; }
    public string? Unit { get; set; }
    public decimal? MinLimit { get; set; }
    public decimal? MaxLimit { get; set; }
    public string? ValuesList { get; set; }
    public bool? SupportsMonitoring { get; set; }

    /// <summary>Which message last told us about this variable (NotifyReport, GetVariables, SetVariables, GetConfiguration, ChangeConfiguration).</summary>
    public required string Source { get; set; }

    public DateTimeOffset ReportedAt { get; set; }
}
