using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>
/// Connection middleware on every OCPP listener: what a socket may hold before it has authenticated. Idle and
/// trickling sockets (an attacker's, or a broken station's) once held a slot until Kestrel's keep-alive timeout
/// (130 s) and filled the connection cap, so every real station got "socket hang up". Now a socket that has not
/// sent its first bytes within <see cref="OcppOptions.FirstBytesTimeoutSeconds"/>, or has not finished its
/// handshake within <see cref="OcppOptions.HandshakeTimeoutSeconds"/>, is aborted; at most
/// <see cref="OcppOptions.MaxPendingPerSource"/> unauthenticated sockets per source address and
/// <see cref="OcppOptions.MaxPendingConnections"/> in all are held; a socket beyond its source's share is closed at
/// once, and when all sources together hold the whole share the oldest unauthenticated socket makes room for the
/// newest (a real station finishes its handshake in milliseconds, so it is never the oldest). The remainder of the
/// connection cap is a reserve only authenticated stations use; they are never evicted.
/// </summary>
internal sealed class ConnectionAdmission
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _perSource = [];
    private readonly LinkedList<PendingAdmission> _oldestFirst = new();
    private readonly ConnectionLimit _limit;
    private readonly TimeProvider _time;
    private readonly TimeSpan _firstBytes;
    private readonly TimeSpan _handshake;
    private readonly int _maxPerSource;
    private int _pending;
    private long _refused;
    private long _timedOut;
    private long _evicted;

    public ConnectionAdmission(OcppOptions options, ConnectionLimit limit, TimeProvider time)
    {
        _limit = limit;
        _time = time;
        _firstBytes = TimeSpan.FromSeconds(Math.Max(1, options.FirstBytesTimeoutSeconds));
        _handshake = TimeSpan.FromSeconds(Math.Max(options.HandshakeTimeoutSeconds, options.FirstBytesTimeoutSeconds));
        _maxPerSource = Math.Max(1, options.MaxPendingPerSource);
        // Never more than half the cap: the other half at least stays reserved for authenticated stations.
        MaxPending = Math.Clamp(options.MaxPendingConnections, 1, Math.Max(1, limit.Max / 2));
    }

    public int MaxPending { get; }
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Sockets closed at once because their source (or all sources together) held too many unauthenticated sockets.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Unauthenticated sockets aborted to make room for a newer one while the pending share was full.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Sockets aborted because they sent nothing, or did not finish the handshake, in time.</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);

    /// <summary>Adds the middleware to an OCPP listener; call before TLS, so a socket that never says hello is caught too.</summary>
    public void Apply(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) =>
        listen.Use(next => connection => OnConnectionAsync(connection, next));

    private async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var source = Normalise((connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None);
        var ticket = new PendingAdmission(this, source, connection);
        if (!TryEnter(ticket, out var evicted))
        {
            Interlocked.Increment(ref _refused);
            connection.Abort(new ConnectionAbortedException("Too many unauthenticated connections."));
            return;
        }

        if (evicted is not null)
        {
            Interlocked.Increment(ref _evicted);
            evicted.Connection.Abort(new ConnectionAbortedException("Made room for a newer connection."));
        }

        var reader = new FirstBytesReader(connection.Transport.Input);
        ticket.Reader = reader;
        connection.Transport = new DuplexPipe(reader, connection.Transport.Output);
        connection.Features.Set<IPendingAdmissionFeature>(ticket);
        var deadline = new Deadline(this, connection, reader, ticket);
        using var timer = _time.CreateTimer(static s => ((Deadline)s!).Fire(), deadline, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        ticket.Timer = timer;
        timer.Change(_firstBytes, Timeout.InfiniteTimeSpan);
        try
        {
            await next(connection);
        }
        finally
        {
            ticket.Authenticated();
        }
    }

    private bool TryEnter(PendingAdmission ticket, out PendingAdmission? evicted)
    {
        evicted = null;
        lock (_gate)
        {
            if (_perSource.GetValueOrDefault(ticket.Source) >= _maxPerSource)
            {
                return false;
            }

            // Only the pending share makes room by eviction. A socket arriving while authenticated stations fill the
            // cap is still let in (within that share), so the front door can answer it 503 with Retry-After
            // instead of a reset that a station reads as a network fault.
            if (_pending >= MaxPending)
            {
                if (_oldestFirst.First is not { } oldest)
                {
                    return false;
                }

                // Leaves the count now, so the newcomer's slot is free even before the abort has run.
                evicted = oldest.Value;
                evicted.LeaveLocked();
            }

            _perSource[ticket.Source] = _perSource.GetValueOrDefault(ticket.Source) + 1;
            _pending++;
            ticket.Node = _oldestFirst.AddLast(ticket);
            return true;
        }
    }

    private void Leave(PendingAdmission ticket)
    {
        lock (_gate)
        {
            ticket.LeaveLocked();
        }
    }

    private void Forget(PendingAdmission ticket)
    {
        var source = ticket.Source;
        if (ticket.Node is { } node)
        {
            _oldestFirst.Remove(node);
            ticket.Node = null;
        }

        var left = _perSource.GetValueOrDefault(source) - 1;
        if (left <= 0)
        {
            _perSource.Remove(source);
        }
        else
        {
            _perSource[source] = left;
        }

        _pending--;
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Fires at the first-bytes deadline, then (if bytes came) re-arms for the rest of the handshake.</summary>
    private sealed class Deadline(ConnectionAdmission owner, ConnectionContext connection, FirstBytesReader reader, PendingAdmission ticket)
    {
        private bool _secondStage;

        public void Fire()
        {
            if (ticket.HasLeft)
            {
                return;
            }

            if (!_secondStage && reader.SawBytes && owner._handshake > owner._firstBytes)
            {
                _secondStage = true;
                ticket.Timer?.Change(owner._handshake - owner._firstBytes, Timeout.InfiniteTimeSpan);
                return;
            }

            Interlocked.Increment(ref owner._timedOut);
            connection.Abort(new ConnectionAbortedException("The OCPP handshake did not complete in time."));
        }
    }

    private sealed class PendingAdmission(ConnectionAdmission owner, IPAddress source, ConnectionContext connection) : IPendingAdmissionFeature
    {
        private volatile bool _left;
        private int _authenticated;

        public IPAddress Source { get; } = source;
        public ConnectionContext Connection { get; } = connection;
        public LinkedListNode<PendingAdmission>? Node { get; set; }
        public ITimer? Timer { get; set; }
        public FirstBytesReader? Reader { get; set; }

        public bool SawBytes => Reader?.SawBytes ?? false;

        /// <summary>Admitted, ended or evicted: no longer held to the deadline.</summary>
        public bool HasLeft => _left;

        public void Authenticated()
        {
            if (Interlocked.Exchange(ref _authenticated, 1) == 0)
            {
                Timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                owner.Leave(this);
            }
        }

        /// <summary>Under the owner's lock: once only, whether admitted, ended or evicted.</summary>
        public void LeaveLocked()
        {
            if (!_left)
            {
                _left = true;
                owner.Forget(this);
            }
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes reads through and notes whether any byte has arrived.</summary>
    private sealed class FirstBytesReader(PipeReader inner) : PipeReader
    {
        private volatile bool _sawBytes;

        public bool SawBytes => _sawBytes;

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);
        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);
        public override void CancelPendingRead() => inner.CancelPendingRead();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            Note(await inner.ReadAsync(cancellationToken));

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            Note(result);
            return true;
        }

        private ReadResult Note(ReadResult result)
        {
            if (!_sawBytes && !result.Buffer.IsEmpty)
            {
                _sawBytes = true;
            }

            return result;
        }
    }
}

/// <summary>Set on each OCPP connection while it has not authenticated; the front door calls it once the station is admitted.</summary>
internal interface IPendingAdmissionFeature
{
    void Authenticated();

    /// <summary>Whether the peer has sent anything yet (a socket that closes silently is no failed handshake).</summary>
    bool SawBytes { get; }
}
