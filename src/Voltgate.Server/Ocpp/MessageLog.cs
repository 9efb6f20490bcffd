using System.Collections.Concurrent;
using Voltgate.Core.OcppHandlers;
using Voltgate.Ocpp.Redaction;

namespace Voltgate.Server.Ocpp;

public enum MessageDirection
{
    In,
    Out,
}

public sealed record LoggedFrame(DateTimeOffset At, MessageDirection Direction, string Frame);

/// <summary>
/// The last N frames per station, in memory, with secrets redacted before they are stored (AuthorizationKey,
/// BasicAuthPassword). N = Voltgate:Ocpp:MessageLogFrames; 0 switches the log off.
/// </summary>
public sealed class MessageLog(OcppOptions options)
{
    private readonly ConcurrentDictionary<(Guid, string), Ring> _rings = new();

    public void Add(OcppStationContext station, MessageDirection direction, ReadOnlySpan<byte> frame, DateTimeOffset at)
    {
        if (options.MessageLogFrames <= 0)
        {
            return;
        }

        var ring = _rings.GetOrAdd((station.TenantId, station.Identity), _ => new Ring(options.MessageLogFrames));
        ring.Add(new LoggedFrame(at, direction, OcppFrameRedactor.Redact(frame)));
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<LoggedFrame> Get(Guid tenantId, string identity) =>
        _rings.TryGetValue((tenantId, identity), out var ring) ? ring.Snapshot() : [];

    private sealed class Ring(int capacity)
    {
        private readonly LoggedFrame[] _items = new LoggedFrame[capacity];
        private readonly Lock _gate = new();
        private int _next;
        private int _count;

        public void Add(LoggedFrame frame)
        {
            lock (_gate)
            {
                _items[_next] = frame;
                _next = (_next + 1) % _items.Length;
                _count = Math.Min(_count + 1, _items.Length);
            }
        }

        public List<LoggedFrame> Snapshot()
        {
            lock (_gate)
            {
                var result = new List<LoggedFrame>(_count);
                for (var i = 1; i <= _count; i++)
                {
                    result.Add(_items[(_next - i + _items.Length) % _items.Length]);
                }

                return result;
            }
        }
    }
}
