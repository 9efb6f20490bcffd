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
/// <remarks>
/// Hot path (two frames per call): a frame that cannot hold a secret — no backslash escape and neither name, in any
/// case — is kept as its raw bytes and formatted only when somebody reads the log; only the rare frame that may hold
/// one is redacted (parsed and rewritten) before it is stored. What is read back is the same either way, and a
/// secret is never kept in memory.
/// </remarks>
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
        ring.Add(MayHoldSecret(frame)
            ? new Entry(at, direction, null, OcppFrameRedactor.Redact(frame))
            : new Entry(at, direction, frame.ToArray(), null));
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<LoggedFrame> Get(Guid tenantId, string identity) =>
        _rings.TryGetValue((tenantId, identity), out var ring) ? ring.Snapshot() : [];

    /// <summary>False only when the redactor certainly has nothing to blank (it would also pass the frame through unchanged).</summary>
    internal static bool MayHoldSecret(ReadOnlySpan<byte> frame)
    {
        if (frame.IndexOf((byte)'\\') >= 0)
        {
            return true; // a \u escape can spell a secret's name
        }

        return ContainsIgnoreCase(frame, "authorizationkey"u8) || ContainsIgnoreCase(frame, "basicauthpassword"u8);
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> lowerNeedle)
    {
        var first = lowerNeedle[0];
        var firstUpper = (byte)(first - 32);
        for (var i = haystack.IndexOfAny(first, firstUpper); i >= 0 && i <= haystack.Length - lowerNeedle.Length;)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(haystack.Slice(i, lowerNeedle.Length), lowerNeedle))
            {
                return true;
            }

            var next = haystack[(i + 1)..].IndexOfAny(first, firstUpper);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    private readonly record struct Entry(DateTimeOffset At, MessageDirection Direction, byte[]? Raw, string? Redacted)
    {
        public LoggedFrame ToLogged() => new(At, Direction, Raw is null ? Redacted! : OcppFrameRedactor.Redact(Raw));
    }

    /// <summary>Starts small and grows to its capacity, so a quiet station costs a few entries, not N.</summary>
    private sealed class Ring(int capacity)
    {
        private Entry[] _items = new Entry[Math.Min(capacity, 8)];
        private readonly Lock _gate = new();
        private int _next;
        private int _count;

        public void Add(Entry frame)
        {
            lock (_gate)
            {
                if (_count == _items.Length && _items.Length < capacity)
                {
                    // Full but below capacity: nothing was overwritten yet, so the entries are in order.
                    Array.Resize(ref _items, Math.Min(_items.Length * 2, capacity));
                    _next = _count;
                }

                _items[_next] = frame;
                _next = (_next + 1) % _items.Length;
                _count = Math.Min(_count + 1, _items.Length);
            }
        }

        public List<LoggedFrame> Snapshot()
        {
            Entry[] copy;
            lock (_gate)
            {
                copy = new Entry[_count];
                for (var i = 1; i <= _count; i++)
                {
                    copy[i - 1] = _items[(_next - i + _items.Length) % _items.Length];
                }
            }

            return copy.Select(e => e.ToLogged()).ToList();
        }
    }
}
