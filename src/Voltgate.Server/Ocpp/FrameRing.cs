using System.Text;
using Voltgate.Ocpp.Redaction;

namespace Voltgate.Server.Ocpp;

/// <summary>
/// One station's recent frames: their bytes in a circular arena, their metadata in a circular index. The oldest
/// frames make room for new ones once either bound (frames, bytes) is reached. Starts small and grows to its bounds,
/// so a quiet station costs a few hundred bytes.
/// </summary>
internal sealed class FrameRing(int maxFrames, int maxBytes)
{
    private const int InitialBytes = 512; // Boot and StatusNotification with their answers
    private const int InitialFrames = 8;

    private static readonly byte[] TooLongPlaceholder = "[frame longer than the message log's per-station byte limit; not kept]"u8.ToArray();

    private readonly Lock _gate = new();
    private byte[] _arena = new byte[Math.Min(InitialBytes, Math.Max(maxBytes, 1))];
    private Slot[] _slots = new Slot[Math.Min(InitialFrames, maxFrames)];
    private int _oldest;   // index in _slots of the oldest frame
    private int _count;
    private int _writeAt;  // next free byte in _arena

    public void Add(DateTimeOffset at, MessageDirection direction, ReadOnlySpan<byte> frame, bool redacted)
    {
        if (frame.Length > maxBytes)
        {
            frame = TooLongPlaceholder;
            redacted = true;
        }

        lock (_gate)
        {
            if (_count == _slots.Length)
            {
                if (_slots.Length < maxFrames)
                {
                    GrowSlots();
                }
                else
                {
                    DropOldest();
                }
            }

            var offset = Reserve(frame.Length);
            frame.CopyTo(_arena.AsSpan(offset));
            _slots[(_oldest + _count) % _slots.Length] = new Slot(at, direction, redacted, offset, frame.Length);
            _count++;
        }
    }

    /// <summary>Newest first; frames kept raw are redacted (a pass-through for them) and decoded here, off the hot path.</summary>
    public List<LoggedFrame> Snapshot()
    {
        var frames = new List<LoggedFrame>(_count);
        lock (_gate)
        {
            for (var i = _count - 1; i >= 0; i--)
            {
                var slot = _slots[(_oldest + i) % _slots.Length];
                var bytes = _arena.AsSpan(slot.Offset, slot.Length);
                frames.Add(new LoggedFrame(slot.At, slot.Direction, slot.Redacted ? Encoding.UTF8.GetString(bytes) : OcppFrameRedactor.Redact(bytes)));
            }
        }

        return frames;
    }

    /// <summary>Finds room for <paramref name="length"/> contiguous bytes, growing the arena or dropping the oldest frames.</summary>
    private int Reserve(int length)
    {
        while (true)
        {
            if (_count == 0)
            {
                _writeAt = 0;
            }

            var oldestOffset = _count == 0 ? -1 : _slots[_oldest].Offset;
            var wrapped = _count > 0 && oldestOffset >= _writeAt; // live bytes run from the oldest to the end, then from 0
            var limit = wrapped ? oldestOffset : _arena.Length;
            if (_writeAt + length <= limit)
            {
                var offset = _writeAt;
                _writeAt += length;
                return offset;
            }

            if (_arena.Length < maxBytes)
            {
                GrowArena(length);
                continue;
            }

            if (wrapped)
            {
                DropOldest();
            }
            else
            {
                // No room before the end: continue at the start, where the oldest frames are.
                _writeAt = 0;
            }
        }
    }

    private void DropOldest()
    {
        _oldest = (_oldest + 1) % _slots.Length;
        _count--;
    }

    private void GrowSlots()
    {
        var bigger = new Slot[Math.Min(_slots.Length * 2, maxFrames)];
        for (var i = 0; i < _count; i++)
        {
            bigger[i] = _slots[(_oldest + i) % _slots.Length];
        }

        _slots = bigger;
        _oldest = 0;
    }

    /// <summary>Copies the live frames, oldest first, to the start of a bigger arena.</summary>
    private void GrowArena(int needed)
    {
        var live = 0;
        for (var i = 0; i < _count; i++)
        {
            live += _slots[(_oldest + i) % _slots.Length].Length;
        }

        var size = _arena.Length * 2;
        while (size < live + needed)
        {
            size *= 2;
        }

        var bigger = new byte[Math.Min(size, maxBytes)];
        var at = 0;
        for (var i = 0; i < _count; i++)
        {
            ref var slot = ref _slots[(_oldest + i) % _slots.Length];
            _arena.AsSpan(slot.Offset, slot.Length).CopyTo(bigger.AsSpan(at));
            slot = slot with { Offset = at };
            at += slot.Length;
        }

        _arena = bigger;
        _writeAt = at;
    }

    private readonly record struct Slot(DateTimeOffset At, MessageDirection Direction, bool Redacted, int Offset, int Length);
}
