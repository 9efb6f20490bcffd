using System.Text.Json;
using Voltgate.Core.DeviceModel;
using Voltgate.Core.Stations;
using Voltgate.Ocpp.Rpc;

namespace Voltgate.Core.OcppHandlers;

/// <summary>
/// What the device model learns from a station's answer to one of our commands: GetVariables / SetVariables (2.0.1),
/// GetConfiguration / ChangeConfiguration (1.6). Called only with a request and an answer that passed their schemas;
/// an answer that did not is never given here, so nothing of it is stored.
/// </summary>
public sealed class CommandAnswers(DeviceModelStore store)
{
    public async Task RecordAsync(StationRef station, string protocol, string action, JsonElement request, JsonElement answer, CancellationToken ct)
    {
        switch ((protocol, action))
        {
            case (OcppProtocols.Ocpp201, "GetVariables"):
                await MergeAsync(station, GetVariables(answer), action, ct);
                break;
            case (OcppProtocols.Ocpp201, "SetVariables"):
                await MergeAsync(station, SetVariables(request, answer), action, ct);
                break;
            case (OcppProtocols.Ocpp16, "GetConfiguration"):
                // Asked for every key (no or an empty key list): the answer is the whole list, keys not in it are gone.
                var all = !request.TryGetProperty("key", out var keys) || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() == 0;
                await store.MergeAsync(station, Configuration(answer), action, DeviceModelMerge.WholeVariable, ct, all ? DeviceModelNames.Ocpp16Configuration : null);
                break;
            case (OcppProtocols.Ocpp16, "ChangeConfiguration"):
                if (answer.GetProperty("status").GetString() is "Accepted" or "RebootRequired")
                {
                    var key = request.GetProperty("key").GetString()!;
                    await MergeAsync(station, [new DeviceModelEntry(new DeviceModelComponent(DeviceModelNames.Ocpp16Configuration), key, null,
                        [new DeviceModelAttribute(DeviceModelNames.Actual, request.GetProperty("value").GetString(), null)])], action, ct);
                }

                break;
        }
    }

    private async Task MergeAsync(StationRef station, List<DeviceModelEntry> entries, string source, CancellationToken ct)
    {
        if (entries.Count > 0)
        {
            await store.MergeAsync(station, entries, source, DeviceModelMerge.AttributeValues, ct);
        }
    }

    private static List<DeviceModelEntry> GetVariables(JsonElement answer) =>
        answer.GetProperty("getVariableResult").EnumerateArray()
            .Where(r => r.GetProperty("attributeStatus").GetString() == "Accepted" && r.TryGetProperty("attributeValue", out _))
            .Select(r => Entry(r, r.GetProperty("attributeValue").GetString()))
            .ToList();

    private static List<DeviceModelEntry> SetVariables(JsonElement request, JsonElement answer)
    {
        var asked = request.GetProperty("setVariableData").EnumerateArray().ToList();
        var entries = new List<DeviceModelEntry>();
        foreach (var result in answer.GetProperty("setVariableResult").EnumerateArray())
        {
            if (result.GetProperty("attributeStatus").GetString() is not ("Accepted" or "RebootRequired"))
            {
                continue;
            }

            var written = asked.FirstOrDefault(d => SameTarget(d, result));
            if (written.ValueKind == JsonValueKind.Object)
            {
                entries.Add(Entry(result, written.GetProperty("attributeValue").GetString()));
            }
        }

        return entries;
    }

    private static List<DeviceModelEntry> Configuration(JsonElement answer) =>
        !answer.TryGetProperty("configurationKey", out var keys) ? [] : keys.EnumerateArray().Select(k => new DeviceModelEntry(
            new DeviceModelComponent(DeviceModelNames.Ocpp16Configuration), k.GetProperty("key").GetString()!, null,
            [new DeviceModelAttribute(DeviceModelNames.Actual, k.TryGetProperty("value", out var v) ? v.GetString() : null,
                k.TryGetProperty("readonly", out var ro) && ro.GetBoolean() ? "ReadOnly" : "ReadWrite")])).ToList();

    private static DeviceModelEntry Entry(JsonElement item, string? value)
    {
        var variable = item.GetProperty("variable");
        return new DeviceModelEntry(Component(item.GetProperty("component")), variable.GetProperty("name").GetString()!, Text(variable, "instance"),
            [new DeviceModelAttribute(Text(item, "attributeType") ?? DeviceModelNames.Actual, value, null)]);
    }

    private static DeviceModelComponent Component(JsonElement c)
    {
        int? evse = null, connector = null;
        if (c.TryGetProperty("evse", out var e))
        {
            evse = e.GetProperty("id").GetInt32();
            connector = e.TryGetProperty("connectorId", out var cid) ? cid.GetInt32() : null;
        }

        return new DeviceModelComponent(c.GetProperty("name").GetString()!, Text(c, "instance"), evse, connector);
    }

    private static bool SameTarget(JsonElement a, JsonElement b) =>
        Component(a.GetProperty("component")) == Component(b.GetProperty("component"))
        && a.GetProperty("variable").GetProperty("name").GetString() == b.GetProperty("variable").GetProperty("name").GetString()
        && Text(a.GetProperty("variable"), "instance") == Text(b.GetProperty("variable"), "instance")
        && (Text(a, "attributeType") ?? DeviceModelNames.Actual) == (Text(b, "attributeType") ?? DeviceModelNames.Actual);

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
