using Voltgate.Core.DeviceModel;
using Voltgate.Core.OcppHandlers.V16;
using Voltgate.Ocpp.V201;

namespace Voltgate.Core.OcppHandlers.V201;

/// <summary>
/// NotifyReport (the answer to GetBaseReport / GetReport, often split with <c>tbc</c>): the parts are assembled and
/// the whole report is stored in one commit once its last part arrived; a missing part stores nothing of it.
/// </summary>
internal sealed class NotifyReportHandler(NotifyReportAssembler assembler, DeviceModelStore store) : V201Handler<NotifyReportRequest, NotifyReportResponse>
{
    public override async Task<NotifyReportResponse> HandleAsync(OcppStationContext station, NotifyReportRequest request, CancellationToken ct)
    {
        var entries = (request.ReportData ?? []).Select(V201DeviceModel.Entry).ToList();
        var whole = assembler.Add(station.StationId, request.RequestId, request.SeqNo, request.Tbc ?? false, entries);
        if (whole is not null)
        {
            try
            {
                await store.MergeAsync(station.Station, whole, "NotifyReport", DeviceModelMerge.WholeVariable, ct);
            }
            catch
            {
                assembler.Forget(station.StationId);
                throw;
            }
        }

        return new NotifyReportResponse();
    }
}

/// <summary>2.0.1 device-model types onto the version-neutral entries.</summary>
internal static class V201DeviceModel
{
    public static DeviceModelEntry Entry(ReportDataType data) => new(
        Component(data.Component),
        data.Variable.Name,
        data.Variable.Instance,
        data.VariableAttribute.Select(a => new DeviceModelAttribute(SpecNames.Of(a.Type) ?? DeviceModelNames.Actual, a.Value, SpecNames.Of(a.Mutability), a.Persistent, a.Constant)).ToList(),
        data.VariableCharacteristics is { } c
            ? new DeviceModelCharacteristics(SpecNames.Of(c.DataType), c.Unit, c.MinLimit, c.MaxLimit, c.ValuesList, c.SupportsMonitoring)
            : null);

    public static DeviceModelComponent Component(ComponentType c) => new(c.Name, c.Instance, c.Evse?.Id, c.Evse?.ConnectorId);
}
