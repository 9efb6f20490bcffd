using System.Text;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Tests.Sessions;

public sealed class FrameRingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static string Frame(int i, int length)
    {
        var head = $"[2,\"{i}\",\"Heartbeat\",{{\"pad\":\"";
        return head + new string('x', Math.Max(0, length - head.Length - 3)) + "\"}]";
    }

    private static void Add(FrameRing ring, int i, int length) =>
        ring.Add(T0.AddSeconds(i), i % 2 == 0 ? MessageDirection.In : MessageDirection.Out, Encoding.UTF8.GetBytes(Frame(i, length)), redacted: false);

    [Fact]
    public void Frames_come_back_newest_first_with_time_and_direction()
    {
        var ring = new FrameRing(maxFrames: 10, maxBytes: 4096);
        for (var i = 0; i < 3; i++)
        {
            Add(ring, i, 40);
        }

        var frames = ring.Snapshot();

        Assert.Equal([Frame(2, 40), Frame(1, 40), Frame(0, 40)], frames.Select(f => f.Frame));
        Assert.Equal([T0.AddSeconds(2), T0.AddSeconds(1), T0], frames.Select(f => f.At));
        Assert.Equal([MessageDirection.In, MessageDirection.Out, MessageDirection.In], frames.Select(f => f.Direction));
    }

    [Fact]
    public void The_frame_bound_keeps_the_newest_frames()
    {
        var ring = new FrameRing(maxFrames: 5, maxBytes: 65536);
        for (var i = 0; i < 23; i++)
        {
            Add(ring, i, 30 + i);
        }

        Assert.Equal(Enumerable.Range(18, 5).Reverse().Select(i => Frame(i, 30 + i)), ring.Snapshot().Select(f => f.Frame));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(333)]
    [InlineData(1000)]
    public void The_byte_bound_keeps_the_newest_frames_that_fit_whatever_their_sizes(int maxLength)
    {
        const int maxBytes = 2048;
        var ring = new FrameRing(maxFrames: 1000, maxBytes);
        var lengths = new List<int>();
        var random = new Random(7);
        for (var i = 0; i < 400; i++)
        {
            var length = random.Next(30, maxLength);
            lengths.Add(length);
            Add(ring, i, length);

            // Every frame kept is intact and in order; nothing newer than a missing frame is missing.
            var kept = ring.Snapshot();
            Assert.Equal(Enumerable.Range(i - kept.Count + 1, kept.Count).Reverse().Select(n => Frame(n, lengths[n])), kept.Select(f => f.Frame));
            Assert.True(kept.Sum(f => f.Frame.Length) <= maxBytes);
            Assert.NotEmpty(kept);
        }

        // The arena is used: at least half of it holds frames once it has been filled.
        Assert.True(ring.Snapshot().Sum(f => f.Frame.Length) >= (maxBytes / 2) - maxLength);
    }

    [Fact]
    public void A_frame_over_the_byte_bound_is_replaced_by_a_note()
    {
        var ring = new FrameRing(maxFrames: 10, maxBytes: 1024);
        Add(ring, 0, 50);
        Add(ring, 1, 5000);

        var frames = ring.Snapshot();

        Assert.Equal(2, frames.Count);
        Assert.StartsWith("[frame longer than the message log's per-station byte limit", frames[0].Frame, StringComparison.Ordinal);
        Assert.Equal(Frame(0, 50), frames[1].Frame);
    }

    [Fact]
    public void A_frame_stored_raw_is_redacted_when_read()
    {
        var ring = new FrameRing(maxFrames: 10, maxBytes: 1024);
        var frame = """[2,"c1","DataTransfer",{"vendorId":"x","authorizationKey":"0011223344556677"}]""";
        ring.Add(T0, MessageDirection.In, Encoding.UTF8.GetBytes(frame), redacted: false);

        Assert.DoesNotContain("0011223344556677", ring.Snapshot()[0].Frame, StringComparison.Ordinal);
    }
}
