using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Voltgate.Ocpp.Rpc;

namespace Voltgate.Ocpp.Tests.Rpc;

/// <summary>The per-connection state machine of server-to-station CALLs (OCPP-J §4.1.1: one in flight).</summary>
public sealed class OutboundCallsTests
{
    private readonly ConcurrentQueue<string> _sent = new();
    private readonly FakeTimeProvider _time = new();

    private OutboundCalls Calls(int maxQueued = 4) => new((frame, _) =>
    {
        _sent.Enqueue(Encoding.UTF8.GetString(frame));
        return Task.CompletedTask;
    }, _time, TimeSpan.FromSeconds(30), maxQueued);

    private string SentId(int index) => JsonDocument.Parse(_sent.ElementAt(index)).RootElement[1].GetString()!;

    private static OcppFrame Result(string id, string payload = "{\"status\":\"Accepted\"}") =>
        OcppFrameCodec.Parse(Encoding.UTF8.GetBytes($"[3,\"{id}\",{payload}]"));

    private async Task WaitSentAsync(int count)
    {
        for (var i = 0; i < 200 && _sent.Count < count; i++)
        {
            await Task.Delay(5);
        }

        Assert.Equal(count, _sent.Count);
    }

    [Fact]
    public async Task A_call_completes_with_the_matching_result()
    {
        var calls = Calls();
        var pending = calls.CallAsync("Reset", "{\"type\":\"Soft\"}"u8.ToArray(), CancellationToken.None);
        await WaitSentAsync(1);

        Assert.True(calls.TryComplete(Result(SentId(0))));
        var outcome = await pending;

        Assert.Equal(CallOutcomeKind.Result, outcome.Kind);
        Assert.Equal("Accepted", outcome.Payload.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_one_call_is_in_flight_and_the_next_is_sent_after_the_answer()
    {
        var calls = Calls();
        var first = calls.CallAsync("ClearCache", "{}"u8.ToArray(), CancellationToken.None);
        var second = calls.CallAsync("ClearCache", "{}"u8.ToArray(), CancellationToken.None);
        await WaitSentAsync(1);
        await Task.Delay(50);
        Assert.Single(_sent);

        calls.TryComplete(Result(SentId(0)));
        await first;
        await WaitSentAsync(2);
        calls.TryComplete(Result(SentId(1)));

        Assert.Equal(CallOutcomeKind.Result, (await second).Kind);
    }

    [Fact]
    public async Task A_call_times_out_and_a_late_answer_is_not_matched()
    {
        var calls = Calls();
        var pending = calls.CallAsync("Reset", "{}"u8.ToArray(), CancellationToken.None);
        await WaitSentAsync(1);

        _time.Advance(TimeSpan.FromSeconds(31));
        var outcome = await pending.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(CallOutcomeKind.Timeout, outcome.Kind);
        Assert.False(calls.TryComplete(Result(SentId(0))), "a late answer must be dropped");
    }

    [Fact]
    public async Task An_answer_with_an_unknown_id_is_not_matched()
    {
        var calls = Calls();
        var pending = calls.CallAsync("Reset", "{}"u8.ToArray(), CancellationToken.None);
        await WaitSentAsync(1);

        Assert.False(calls.TryComplete(Result("someone-else")));
        Assert.False(pending.IsCompleted);
        calls.Close();
        Assert.Equal(CallOutcomeKind.ClosedBeforeAnswer, (await pending).Kind);
    }

    [Fact]
    public async Task A_call_error_is_reported_with_its_code()
    {
        var calls = Calls();
        var pending = calls.CallAsync("Reset", "{}"u8.ToArray(), CancellationToken.None);
        await WaitSentAsync(1);

        calls.TryComplete(OcppFrameCodec.Parse(Encoding.UTF8.GetBytes($"[4,\"{SentId(0)}\",\"NotSupported\",\"nope\",{{}}]")));
        var outcome = await pending;

        Assert.Equal((CallOutcomeKind.Error, "NotSupported", "nope"), (outcome.Kind, outcome.ErrorCode, outcome.ErrorDescription));
    }

    [Fact]
    public async Task The_queue_is_bounded()
    {
        var calls = Calls(maxQueued: 1);
        var inFlight = calls.CallAsync("Reset", "{}"u8.ToArray(), CancellationToken.None);
        var queued = calls.CallAsync("Reset", "{}"u8.ToArray(), CancellationToken.None);
        var refused = await calls.CallAsync("Reset", "{}"u8.ToArray(), CancellationToken.None);

        Assert.Equal(CallOutcomeKind.QueueFull, refused.Kind);
        calls.Close();
        Assert.Equal(CallOutcomeKind.ClosedBeforeAnswer, (await inFlight).Kind);
        Assert.Equal(CallOutcomeKind.Closed, (await queued).Kind);
    }

    [Fact]
    public async Task After_close_every_call_ends_as_closed_without_sending()
    {
        var calls = Calls();
        calls.Close();

        Assert.Equal(CallOutcomeKind.Closed, (await calls.CallAsync("Reset", "{}"u8.ToArray(), CancellationToken.None)).Kind);
        Assert.Empty(_sent);
    }
}
