using System.Reflection;
using System.Text.Json;
using Voltgate.Ocpp.V16;

namespace Voltgate.Ocpp.Tests.V16;

public class V16CatalogTests
{
    private static readonly string[] CoreActions =
    [
        "Authorize", "BootNotification", "CancelReservation", "ChangeAvailability", "ChangeConfiguration", "ClearCache",
        "ClearChargingProfile", "DataTransfer", "DiagnosticsStatusNotification", "FirmwareStatusNotification",
        "GetCompositeSchedule", "GetConfiguration", "GetDiagnostics", "GetLocalListVersion", "Heartbeat", "MeterValues",
        "RemoteStartTransaction", "RemoteStopTransaction", "ReserveNow", "Reset", "SendLocalList", "SetChargingProfile",
        "StartTransaction", "StatusNotification", "StopTransaction", "TriggerMessage", "UnlockConnector", "UpdateFirmware",
    ];

    private static readonly string[] SecurityActions =
    [
        "CertificateSigned", "DeleteCertificate", "ExtendedTriggerMessage", "GetInstalledCertificateIds", "GetLog",
        "InstallCertificate", "LogStatusNotification", "SecurityEventNotification", "SignCertificate",
        "SignedFirmwareStatusNotification", "SignedUpdateFirmware",
    ];

    public static TheoryData<string> AllActions => [.. CoreActions, .. SecurityActions];

    [Fact]
    public void Catalog_holds_exactly_the_28_core_and_11_security_actions() =>
        Assert.Equal(CoreActions.Concat(SecurityActions).Order(StringComparer.Ordinal), V16Catalog.Actions.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(AllActions))]
    public void Every_action_has_sealed_request_and_response_records_named_after_it(string action)
    {
        Assert.True(V16Catalog.TryGet(action, out var descriptor));
        Assert.Equal(action, descriptor.Name);
        foreach (var (typeInfo, suffix) in new[] { (descriptor.RequestTypeInfo, "Request"), (descriptor.ResponseTypeInfo, "Response") })
        {
            var type = typeInfo.Type;
            Assert.Equal(action + suffix, type.Name);
            Assert.Equal("Voltgate.Ocpp.V16", type.Namespace);
            Assert.True(type.IsPublic && type.IsSealed, $"{type.Name} must be public and sealed");
            Assert.NotNull(type.GetMethod("<Clone>$")); // a record
            Assert.Same(typeInfo, V16JsonContext.Default.GetTypeInfo(type));
        }
    }

    [Theory]
    [MemberData(nameof(AllActions))]
    public void Every_action_has_request_and_response_validators(string action)
    {
        var descriptor = V16Catalog.Actions[action];
        using var notAnObject = JsonDocument.Parse("[]");
        Assert.Equal("FormationViolation", descriptor.ValidateRequest(notAnObject.RootElement)?.ErrorCode);
        Assert.Equal("FormationViolation", descriptor.ValidateResponse(notAnObject.RootElement)?.ErrorCode);
    }

    [Fact]
    public void Every_public_message_type_in_the_assembly_is_in_the_catalog()
    {
        var inCatalog = V16Catalog.Actions.Values.SelectMany(a => new[] { a.RequestTypeInfo.Type, a.ResponseTypeInfo.Type }).ToHashSet();
        var messageTypes = typeof(V16Catalog).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "Voltgate.Ocpp.V16" && (t.Name.EndsWith("Request", StringComparison.Ordinal) || t.Name.EndsWith("Response", StringComparison.Ordinal)));
        Assert.All(messageTypes, t => Assert.Contains(t, inCatalog));
        Assert.Equal(78, inCatalog.Count);
    }

    [Theory]
    [InlineData("BootNotification", OcppDirection.StationToCsms)]
    [InlineData("StopTransaction", OcppDirection.StationToCsms)]
    [InlineData("SignCertificate", OcppDirection.StationToCsms)]
    [InlineData("Reset", OcppDirection.CsmsToStation)]
    [InlineData("CertificateSigned", OcppDirection.CsmsToStation)]
    [InlineData("DataTransfer", OcppDirection.Both)]
    public void Directions_follow_the_spec(string action, OcppDirection direction) =>
        Assert.Equal(direction, V16Catalog.Actions[action].Direction);

    [Fact]
    public void Only_DataTransfer_goes_both_ways() =>
        Assert.Equal(["DataTransfer"], V16Catalog.Actions.Values.Where(a => a.Direction == OcppDirection.Both).Select(a => a.Name));

    [Theory]
    [InlineData("bootNotification")]
    [InlineData("BOOTNOTIFICATION")]
    [InlineData("BootNotification ")]
    [InlineData("GetInstalledCertificates")]
    public void Action_lookup_is_ordinal_and_case_sensitive(string action) => Assert.False(V16Catalog.TryGet(action, out _));

    [Fact]
    public void Optional_properties_are_nullable_and_required_ones_are_marked_required()
    {
        var boot = typeof(BootNotificationRequest);
        Assert.NotNull(boot.GetProperty(nameof(BootNotificationRequest.ChargePointVendor))!.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>());
        Assert.Null(boot.GetProperty(nameof(BootNotificationRequest.Iccid))!.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>());
        var nullability = new NullabilityInfoContext().Create(boot.GetProperty(nameof(BootNotificationRequest.Iccid))!);
        Assert.Equal(NullabilityState.Nullable, nullability.ReadState);
        Assert.Equal(typeof(int?), typeof(StartTransactionRequest).GetProperty(nameof(StartTransactionRequest.ReservationId))!.PropertyType);
        Assert.Equal(typeof(IReadOnlyList<MeterValue>), typeof(MeterValuesRequest).GetProperty(nameof(MeterValuesRequest.MeterValue))!.PropertyType);
        Assert.Equal(typeof(decimal), typeof(ChargingSchedulePeriod).GetProperty(nameof(ChargingSchedulePeriod.Limit))!.PropertyType);
    }
}
