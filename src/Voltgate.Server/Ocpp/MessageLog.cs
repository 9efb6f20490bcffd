using System.Collections.Concurrent;
using System.Text;
using Voltgate.Core.MessageHistory;
using Voltgate.Core.OcppHandlers;
using Voltgate.Ocpp.Redaction;

using HistoryDirection = Voltgate.Core.MessageHistory.MessageDirection;

namespace Voltgate.Server.Ocpp;

internal enum MessageDirection
{
    In,
    Out,
}

internal sealed record LoggedFrame(DateTimeOffset At, MessageDirection Direction, string Frame);

/// <summary>
/// The last frames per station, in memory, with secrets redacted before they are stored (AuthorizationKey,
/// BasicAuthPassword). At most Voltgate:Ocpp:MessageLogFrames frames and Voltgate:Ocpp:MessageLogBytes bytes per
/// station, whichever is reached first; MessageLogFrames = 0 switches the log off.
/// </summary>
/// <remarks>
/// <para>Hot path (two frames per call): a frame that cannot hold a secret — no backslash escape and neither name, in
/// any case — is copied as raw bytes and formatted only when somebody reads the log; only the rare frame that may hold
/// one is redacted (parsed and rewritten) before it is stored. What is read back is the same either way, and a secret
/// is never kept in memory.</para>
/// <para>Each station's frames live in one byte arena that is reused in a circle. A frame kept as its own array
/// lives about as long as the log's window (minutes at one call per second): long enough to be promoted through
/// every GC generation and die in the oldest, so under steady traffic the log alone turned into full collections
/// and second-long pauses. Copying into an arena allocates nothing per frame.</para>
/// </remarks>
internal sealed class MessageLog(StationConnectionOptions options, IMessageRecorder history)
{
    private readonly ConcurrentDictionary<(Guid, string), FrameRing> _rings = new();

    public void Add(OcppStationContext station, MessageDirection direction, ReadOnlySpan<byte> frame, DateTimeOffset at)
    {
        // The persistent history (docs/operations.md, "Message history") gets every frame; it decides what it keeps.
        history.Record(station.TenantId, station.Identity, direction == MessageDirection.In ? HistoryDirection.In : HistoryDirection.Out, frame, at);
        if (options.MessageLogFrames <= 0)
        {
            return;
        }

        var ring = _rings.GetOrAdd((station.TenantId, station.Identity), _ => new FrameRing(options.MessageLogFrames, options.MessageLogBytes));
        if (MayHoldSecret(frame))
        {
            ring.Add(at, direction, Encoding.UTF8.GetBytes(OcppFrameRedactor.Redact(frame)), redacted: true);
        }
        else
        {
            ring.Add(at, direction, frame, redacted: false);
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<LoggedFrame> Get(Guid tenantId, string identity) =>
        _rings.TryGetValue((tenantId, identity), out var ring) ? ring.Snapshot() : [];

    /// <summary>False only when the redactor certainly has nothing to blank (it would also pass the frame through unchanged).</summary>
    internal static bool MayHoldSecret(ReadOnlySpan<byte> frame) => RedactionPrefilter.MayHoldSecret(frame);
}
