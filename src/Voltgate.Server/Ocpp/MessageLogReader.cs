using System.Text;
using System.Text.Json;
using Voltgate.Core.MessageHistory;
using HistoryDirection = Voltgate.Core.MessageHistory.MessageDirection;

namespace Voltgate.Server.Ocpp;

/// <summary>One kept frame (product design §8): <c>payload</c> is redacted, and null when only metadata was recorded.</summary>
internal sealed record MessageLogItem(DateTimeOffset At, HistoryDirection Direction, OcppMessageType MessageType, string? MessageId, string? Action, JsonElement? Payload, int Length)
{
    public static MessageLogItem Of(StationMessage m) =>
        new(m.At, m.Direction, m.MessageType, m.MessageId, m.Action, m.Payload is null ? null : Json(m.Payload), m.Length);

    private static JsonElement Json(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(payload);
        }
    }
}

/// <summary>
/// What the API and the station page show as a station's message log: the persistent history (every node's frames,
/// kept beyond restarts), or — while the station is not recorded at all — this node's in-memory log, as before the
/// history existed. Both come out in the same shape, newest first.
/// </summary>
internal sealed class MessageLogReader(MessageHistoryStore store, MessageRecordingSettings recording, MessageLog log)
{
    public async Task<(IReadOnlyList<MessageLogItem> Items, int Total)> ReadAsync(Guid tenantId, string identity, MessageHistoryFilter filter, int skip, int take, CancellationToken ct)
    {
        if (recording.StateOf(tenantId, identity).Recording == HistoryRecording.Off)
        {
            var live = log.Get(tenantId, identity)
                .Select(f => MessageLogItem.Of(HistoryFrameReader.Read(tenantId, identity,
                    f.Direction == MessageDirection.In ? HistoryDirection.In : HistoryDirection.Out, Encoding.UTF8.GetBytes(f.Frame), f.At, full: true)))
                .Where(i => Matches(i, filter)).ToList();
            return ([.. live.Skip(skip).Take(take)], live.Count);
        }

        var (items, total) = await store.SearchAsync(tenantId, identity, filter, skip, take, ct);
        return ([.. items.Select(MessageLogItem.Of)], total);
    }

    private static bool Matches(MessageLogItem item, MessageHistoryFilter f) =>
        (f.Action is null || item.Action == f.Action) && (f.Direction is null || item.Direction == f.Direction)
        && (f.MessageId is null || item.MessageId == f.MessageId) && (f.From is null || item.At >= f.From) && (f.To is null || item.At <= f.To);
}
