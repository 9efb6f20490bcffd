using System.Globalization;

namespace Voltgate.Core.DeviceModel;

/// <summary>A component of the device model: name, instance and the EVSE / connector it belongs to.</summary>
public sealed record DeviceModelComponent(string Name, string? Instance = null, int? EvseId = null, int? ConnectorId = null);

/// <summary>One attribute of a variable. <see cref="Value"/> is null when the station sent none or it is a secret.</summary>
public sealed record DeviceModelAttribute(string Type, string? Value, string? Mutability, bool? Persistent = null, bool? Constant = null);

/// <summary>What a station said about a variable's values (dataType, limits, list).</summary>
public sealed record DeviceModelCharacteristics(string DataType, string? Unit, decimal? MinLimit, decimal? MaxLimit, string? ValuesList, bool SupportsMonitoring);

/// <summary>One variable as reported, independent of the protocol version that reported it.</summary>
public sealed record DeviceModelEntry(
    DeviceModelComponent Component,
    string VariableName,
    string? VariableInstance,
    IReadOnlyList<DeviceModelAttribute> Attributes,
    DeviceModelCharacteristics? Characteristics = null)
{
    /// <summary>The row key: every part of the variable's address, separated by a character no OCPP identifier string contains.</summary>
    public string Key => KeyOf(Component, VariableName, VariableInstance);

    public static string KeyOf(DeviceModelComponent component, string variableName, string? variableInstance) =>
        string.Join('\u001f', component.Name, component.Instance ?? "", Number(component.EvseId), Number(component.ConnectorId), variableName, variableInstance ?? "");

    private static string Number(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "";
}

/// <summary>The names the device model store gives meaning to.</summary>
public static class DeviceModelNames
{
    /// <summary>The component under which a 1.6 station's configuration keys are kept and shown (product.md §8).</summary>
    public const string Ocpp16Configuration = "OCPP16Configuration";

    public const string Actual = "Actual";

    /// <summary>
    /// True for a variable whose value is a secret: the 2.0.1 SecurityCtrlr BasicAuthPassword, the 1.6 AuthorizationKey,
    /// or any attribute the station declares WriteOnly. Its value is never stored, shown or logged.
    /// </summary>
    public static bool IsSecret(string variableName, string? mutability = null) =>
        variableName.Equals("BasicAuthPassword", StringComparison.OrdinalIgnoreCase)
        || variableName.Equals("AuthorizationKey", StringComparison.OrdinalIgnoreCase)
        || string.Equals(mutability, "WriteOnly", StringComparison.Ordinal);
}
