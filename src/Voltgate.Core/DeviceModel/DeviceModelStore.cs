using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Stations;

namespace Voltgate.Core.DeviceModel;

/// <summary>How a reported variable meets the one already stored.</summary>
public enum DeviceModelMerge
{
    /// <summary>A report (NotifyReport, GetConfiguration) describes the variable whole: attributes and characteristics are replaced.</summary>
    WholeVariable,

    /// <summary>A value read or written (GetVariables, SetVariables, ChangeConfiguration): only the named attributes change.</summary>
    AttributeValues,
}

/// <summary>
/// The device model per station: what NotifyReport, GetVariables and SetVariables (2.0.1) and GetConfiguration and
/// ChangeConfiguration (1.6) told us. A secret's value is dropped here, in the one place every path goes through.
/// </summary>
public sealed class DeviceModelStore(VoltgateDbContext db, TimeProvider time, StationRecordLimits limits)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Stores the entries in one commit. <paramref name="replaceComponent"/>: rows of that component not named are removed (a full 1.6 key list).</summary>
    /// <returns>How many new variables were left out because the station's model is at its cap.</returns>
    public async Task<int> MergeAsync(StationRef station, IReadOnlyList<DeviceModelEntry> entries, string source, DeviceModelMerge merge, CancellationToken ct, string? replaceComponent = null)
    {
        var now = time.GetUtcNow();
        var stored = await db.DeviceModelVariables.Where(v => v.StationId == station.StationId).ToDictionaryAsync(v => v.Key, StringComparer.Ordinal, ct);
        var count = stored.Count;
        var dropped = 0;
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var key = entry.Key;
            named.Add(key);
            if (stored.TryGetValue(key, out var row))
            {
                var before = merge == DeviceModelMerge.WholeVariable ? [] : Read(row.AttributesJson);
                row.AttributesJson = Write(Combine(before, entry.Attributes, entry.VariableName));
                if (merge == DeviceModelMerge.WholeVariable)
                {
                    Apply(row, entry.Characteristics);
                }

                row.Source = source;
                row.ReportedAt = now;
                continue;
            }

            if (count >= limits.MaxDeviceModelVariables)
            {
                dropped++;
                continue;
            }

            row = new DeviceModelVariable
            {
                TenantId = station.TenantId,
                StationId = station.StationId,
                Key = key,
                ComponentName = TextCleaner.Clean(entry.Component.Name),
                ComponentInstance = entry.Component.Instance is { } i ? TextCleaner.Clean(i) : null,
                EvseId = entry.Component.EvseId,
                ConnectorId = entry.Component.ConnectorId,
                VariableName = TextCleaner.Clean(entry.VariableName),
                VariableInstance = entry.VariableInstance is { } vi ? TextCleaner.Clean(vi) : null,
                AttributesJson = Write(Combine([], entry.Attributes, entry.VariableName)),
                Source = source,
                ReportedAt = now,
            };
            Apply(row, entry.Characteristics);
            db.DeviceModelVariables.Add(row);
            stored[key] = row;
            count++;
        }

        if (replaceComponent is not null)
        {
            db.DeviceModelVariables.RemoveRange(stored.Values.Where(v => v.ComponentName == replaceComponent && !named.Contains(v.Key)));
        }

        await db.SaveChangesAsync(ct);
        return dropped;
    }

    public async Task<(IReadOnlyList<DeviceModelView> Items, int Total)> ListAsync(Guid stationId, int skip, int take, CancellationToken ct)
    {
        var query = db.DeviceModelVariables.AsNoTracking().Where(v => v.StationId == stationId);
        var total = await query.CountAsync(ct);
        var rows = await query
            .OrderBy(v => v.ComponentName).ThenBy(v => v.ComponentInstance).ThenBy(v => v.EvseId).ThenBy(v => v.ConnectorId)
            .ThenBy(v => v.VariableName).ThenBy(v => v.VariableInstance)
            .Skip(skip).Take(take).ToListAsync(ct);
        return (rows.Select(View).ToList(), total);
    }

    private static DeviceModelView View(DeviceModelVariable v) => new(
        new DeviceModelComponent(v.ComponentName, v.ComponentInstance, v.EvseId, v.ConnectorId),
        v.VariableName,
        v.VariableInstance,
        Read(v.AttributesJson),
        v.DataType is null ? null : new DeviceModelCharacteristics(v.DataType, v.Unit, v.MinLimit, v.MaxLimit, v.ValuesList, v.SupportsMonitoring ?? false),
        v.Source,
        v.ReportedAt);

    /// <summary>The attributes after the incoming ones replaced those of the same type; a secret keeps no value.</summary>
    private static List<DeviceModelAttribute> Combine(List<DeviceModelAttribute> before, IReadOnlyList<DeviceModelAttribute> incoming, string variableName)
    {
        var result = before;
        foreach (var attribute in incoming)
        {
            var old = result.FindIndex(a => a.Type == attribute.Type);
            var mutability = attribute.Mutability ?? (old >= 0 ? result[old].Mutability : null);
            var secret = DeviceModelNames.IsSecret(variableName, mutability) || result.Any(a => a.Mutability == "WriteOnly");
            var value = secret || attribute.Value is null ? null : TextCleaner.Clean(attribute.Value);
            var kept = attribute with { Value = value, Mutability = mutability, Persistent = attribute.Persistent ?? (old >= 0 ? result[old].Persistent : null), Constant = attribute.Constant ?? (old >= 0 ? result[old].Constant : null) };
            if (old >= 0)
            {
                result[old] = kept;
            }
            else
            {
                result.Add(kept);
            }
        }

        // A variable that became WriteOnly loses any value an earlier message left.
        return result.Any(a => a.Mutability == "WriteOnly") || DeviceModelNames.IsSecret(variableName)
            ? result.Select(a => a with { Value = null }).ToList()
            : result;
    }

    private static void Apply(DeviceModelVariable row, DeviceModelCharacteristics? c)
    {
        row.DataType = c?.DataType;
        row.Unit = c?.Unit;
        row.MinLimit = c?.MinLimit;
        row.MaxLimit = c?.MaxLimit;
        row.ValuesList = c?.ValuesList is { } list ? TextCleaner.Clean(list) : null;
        row.SupportsMonitoring = c?.SupportsMonitoring;
    }

    private static List<DeviceModelAttribute> Read(string json) => JsonSerializer.Deserialize<List<DeviceModelAttribute>>(json, Json) ?? [];

    private static string Write(List<DeviceModelAttribute> attributes) => JsonSerializer.Serialize(attributes, Json);
}

/// <summary>One stored variable as pages and the API show it.</summary>
public sealed record DeviceModelView(
    DeviceModelComponent Component,
    string VariableName,
    string? VariableInstance,
    IReadOnlyList<DeviceModelAttribute> Attributes,
    DeviceModelCharacteristics? Characteristics,
    string Source,
    DateTimeOffset ReportedAt);
