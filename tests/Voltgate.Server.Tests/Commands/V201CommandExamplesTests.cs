using System.Text.Json;
using Voltgate.Ocpp.V201;
using Voltgate.Server.Commands;

namespace Voltgate.Server.Tests.Commands;

/// <summary>The command panel offers 2.0.1 stations their own commands, each starting from a body their schema accepts.</summary>
public sealed class V201CommandExamplesTests
{
    /// <summary>The commands issue 16 asks the panel to offer with a valid example, and the other simple ones.</summary>
    public static TheoryData<string> Examples =>
    [
        "Reset", "GetVariables", "SetVariables", "GetBaseReport", "ClearCache", "SendLocalList", "GetLocalListVersion", "RequestStartTransaction",
        "RequestStopTransaction", "UnlockConnector", "TriggerMessage", "ChangeAvailability", "GetLog", "UpdateFirmware", "DataTransfer",
        "GetReport", "GetTransactionStatus", "ReserveNow", "CancelReservation", "GetCompositeSchedule", "ClearDisplayMessage", "GetDisplayMessages",
        "GetMonitoringReport", "SetMonitoringBase", "SetMonitoringLevel", "ClearVariableMonitoring", "CustomerInformation", "GetChargingProfiles",
        "ClearChargingProfile", "GetInstalledCertificateIds", "CostUpdated",
    ];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_201_example_body_is_a_valid_request_of_its_command(string action)
    {
        using var body = JsonDocument.Parse(CommandExamples.ForV201(action, DateTimeOffset.UtcNow));

        Assert.Contains(action, RemoteCommands.V201Actions);
        Assert.True(V201Catalog.TryGet(action, out var descriptor), $"{action} is not an OCPP 2.0.1 action");
        Assert.Null(descriptor.ValidateRequest(body.RootElement));
    }

    [Fact]
    public void A_201_station_is_offered_201_commands_only()
    {
        Assert.Contains("Immediate", CommandExamples.ForV201("Reset", DateTimeOffset.UtcNow), StringComparison.Ordinal);
        Assert.Contains("RequestStartTransaction", RemoteCommands.V201Actions);
        Assert.DoesNotContain("RemoteStartTransaction", RemoteCommands.V201Actions);
        Assert.DoesNotContain("GetConfiguration", RemoteCommands.V201Actions);
    }
}
