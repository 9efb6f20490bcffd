using System.Collections.Concurrent;

namespace Voltgate.LoadGen;

/// <summary>Counters and histograms shared by all stations; every member is safe to call concurrently.</summary>
public sealed class RunMetrics
{
    private LatencyHistogram[] _latency = NewHistograms();
    private readonly long[] _results = new long[OcppFrames.ActionCount];
    private readonly long[] _errors = new long[OcppFrames.ActionCount];
    private readonly long[] _timeouts = new long[OcppFrames.ActionCount];
    private long _handshakes;
    private long _connected;
    private long _disconnects;
    private long _malformed;
    private long _transactions;
    private long _bootsNotAccepted;
    private long _lateReplies;

    /// <summary>Forgets the call latencies recorded so far (the warm-up); counters keep counting.</summary>
    public void RestartLatencies() => Volatile.Write(ref _latency, NewHistograms());

    private static LatencyHistogram[] NewHistograms()
    {
        var histograms = new LatencyHistogram[OcppFrames.ActionCount];
        for (var i = 0; i < histograms.Length; i++)
        {
            histograms[i] = new LatencyHistogram();
        }

        return histograms;
    }

    public LatencyHistogram HandshakeLatency { get; } = new();

    public ConcurrentDictionary<string, long> ConnectFailures { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> CallErrors { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> ServerCalls { get; } = new(StringComparer.Ordinal);

    public long Handshakes => Volatile.Read(ref _handshakes);

    public long Connected => Volatile.Read(ref _connected);

    public long Disconnects => Volatile.Read(ref _disconnects);

    public long Malformed => Volatile.Read(ref _malformed);

    public long Transactions => Volatile.Read(ref _transactions);

    public long BootsNotAccepted => Volatile.Read(ref _bootsNotAccepted);

    public long LateReplies => Volatile.Read(ref _lateReplies);

    public long ConnectFailureCount => ConnectFailures.Values.Sum();

    /// <summary>Answers received to our CALLs (CALLRESULT + CALLERROR), all actions.</summary>
    public long Answered
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _results.Length; i++)
            {
                sum += Volatile.Read(ref _results[i]) + Volatile.Read(ref _errors[i]);
            }

            return sum;
        }
    }

    public long Timeouts
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _timeouts.Length; i++)
            {
                sum += Volatile.Read(ref _timeouts[i]);
            }

            return sum;
        }
    }

    public LatencyHistogram Latency(StationAction action) => Volatile.Read(ref _latency)[(int)action];

    public long Results(StationAction action) => Volatile.Read(ref _results[(int)action]);

    public long Errors(StationAction action) => Volatile.Read(ref _errors[(int)action]);

    public long TimeoutsFor(StationAction action) => Volatile.Read(ref _timeouts[(int)action]);

    public void HandshakeSucceeded(long latencyMicros)
    {
        HandshakeLatency.Record(latencyMicros);
        Interlocked.Increment(ref _handshakes);
        Interlocked.Increment(ref _connected);
    }

    public void ConnectFailed(string kind) => ConnectFailures.AddOrUpdate(kind, 1, static (_, n) => n + 1);

    public void Closed(bool unexpected)
    {
        Interlocked.Decrement(ref _connected);
        if (unexpected)
        {
            Interlocked.Increment(ref _disconnects);
        }
    }

    public void Answer(StationAction action, long latencyMicros, string? errorCode)
    {
        Volatile.Read(ref _latency)[(int)action].Record(latencyMicros);
        if (errorCode is null)
        {
            Interlocked.Increment(ref _results[(int)action]);
        }
        else
        {
            Interlocked.Increment(ref _errors[(int)action]);
            CallErrors.AddOrUpdate(errorCode, 1, static (_, n) => n + 1);
        }
    }

    public void Timeout(StationAction action) => Interlocked.Increment(ref _timeouts[(int)action]);

    public void ServerCall(string action) => ServerCalls.AddOrUpdate(action, 1, static (_, n) => n + 1);

    public void MalformedFrame() => Interlocked.Increment(ref _malformed);

    public void LateReply() => Interlocked.Increment(ref _lateReplies);

    public void TransactionCompleted() => Interlocked.Increment(ref _transactions);

    public void BootNotAccepted() => Interlocked.Increment(ref _bootsNotAccepted);
}
