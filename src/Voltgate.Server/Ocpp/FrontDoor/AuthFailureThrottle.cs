using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>Settings of <see cref="AuthFailureThrottle"/>.</summary>
internal sealed class AuthThrottleOptions
{
    /// <summary>
    /// Failed handshakes of one identity (per tenant) from one source address before that address is blocked for
    /// the identity. Default 5. The identity stays open to every other address.
    /// </summary>
    public int IdentityFailuresBeforeBlock { get; set; } = 5;

    /// <summary>
    /// Failed handshakes from one source address before the address is blocked. Default 50: high, because many
    /// stations can share one address (a NAT, an APN gateway).
    /// </summary>
    public int AddressFailuresBeforeBlock { get; set; } = 50;

    /// <summary>The first block's length; every further failure doubles it. Default 1 second.</summary>
    public TimeSpan InitialBlock { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest block of an identity for one source address. Default 5 minutes.</summary>
    public TimeSpan MaxIdentityBlock { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest block of a source address. Default 1 minute: a legitimate station behind the same NAT as a failing
    /// neighbour is refused for at most this long after the neighbour's last counted failure.
    /// </summary>
    public TimeSpan MaxAddressBlock { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failures are forgotten once a key has had no failure for this long (its count and back-off start again).
    /// Default 10 minutes.
    /// </summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Blocks at least this long are "long" (the caller answers 429 instead of 401). Default 30 seconds.</summary>
    public TimeSpan LongBlockThreshold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most addresses plus (address, identity) pairs tracked at once (memory bound). Default 100,000. When exceeded, expired keys
    /// are dropped first, then the keys that matter least (earliest end of block or last failure).
    /// </summary>
    public int MaxTrackedKeys { get; set; } = 100_000;
}

/// <summary>The throttle's answer for a handshake.</summary>
/// <param name="Blocked">Refuse the handshake without evaluating the credentials.</param>
/// <param name="RetryAfter">Time until the longest applicable block ends (zero when not blocked); round up for a
/// <c>Retry-After</c> header.</param>
/// <param name="IsLongBlock">The applicable block is at least <see cref="AuthThrottleOptions.LongBlockThreshold"/>
/// long (answer 429 rather than 401).</param>
internal readonly record struct ThrottleDecision(bool Blocked, TimeSpan RetryAfter, bool IsLongBlock);

/// <summary>
/// Brute-force back-off for the Basic Auth front door (docs/security.md, the handshake's back-off step): failures are
/// counted per source address and per (source address, tenant, identity); past a threshold each failure blocks the
/// key, doubling the block up to a cap.
/// </summary>
/// <remarks>
/// <para><b>Use.</b> <see cref="Check"/> before evaluating credentials; when blocked, refuse without calling
/// <see cref="RecordFailure"/> (a refused-while-blocked attempt is not counted, so blocks end on time).
/// Otherwise call <see cref="RecordFailure"/> or <see cref="RecordSuccess"/> with the outcome.</para>
/// <para><b>Back-off.</b> The failure that reaches the threshold blocks for <see cref="AuthThrottleOptions.InitialBlock"/>;
/// each further failure doubles the block, up to <see cref="AuthThrottleOptions.MaxIdentityBlock"/> or
/// <see cref="AuthThrottleOptions.MaxAddressBlock"/>. A key with no failure for
/// <see cref="AuthThrottleOptions.FailureWindow"/> starts from zero.</para>
/// <para><b>Per source.</b> An identity is blocked only for the addresses its failures came from: whoever knows a
/// station's identity can slow their own attempts, never the station's from an address without failures (blocking
/// the identity from everywhere let an attacker keep a station off the network with a few wrong passwords a second).
/// Guessing from many addresses is bounded by each address's own threshold.</para>
/// <para><b>Shared addresses.</b> Address blocks are capped low (1 minute by default) on purpose: stations behind
/// one NAT share an address, so an address block also refuses the failing station's neighbours. The cap bounds
/// each such episode; the per-(address, identity) block is the real defence for a single station's password.</para>
/// <para><b>Addresses.</b> IPv4-mapped IPv6 addresses count as their IPv4 address. Other IPv6 addresses count by
/// their /64 prefix, because one subscriber usually holds a whole /64 and could otherwise rotate addresses
/// to escape the block.</para>
/// <para><b>Concurrency and memory.</b> Lock-free dictionaries with a small lock per key; no global lock on
/// <see cref="Check"/>/<see cref="RecordFailure"/>. At most <see cref="AuthThrottleOptions.MaxTrackedKeys"/> keys
/// (plus, briefly, one per concurrent caller); a sweep trims to 90% when the bound is exceeded. A failure recorded
/// on a key while a sweep evicts it may be lost; the throttle is a deterrent, not an audit log.</para>
/// </remarks>
internal sealed class AuthFailureThrottle
{
    private readonly TimeProvider _time;
    private readonly int _identityThreshold;
    private readonly int _addressThreshold;
    private readonly TimeSpan _initialBlock;
    private readonly TimeSpan _maxIdentityBlock;
    private readonly TimeSpan _maxAddressBlock;
    private readonly TimeSpan _window;
    private readonly TimeSpan _longBlock;
    private readonly int _maxKeys;

    private readonly ConcurrentDictionary<IPAddress, KeyState> _addresses = new();
    private readonly ConcurrentDictionary<SourceIdentityKey, KeyState> _identities = new();
    private int _tracked;
    private int _sweeping;

    /// <summary>Creates the throttle; the options are read once, here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public AuthFailureThrottle(TimeProvider time, AuthThrottleOptions options)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.IdentityFailuresBeforeBlock, 1, nameof(options.IdentityFailuresBeforeBlock));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AddressFailuresBeforeBlock, 1, nameof(options.AddressFailuresBeforeBlock));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.InitialBlock, TimeSpan.Zero, nameof(options.InitialBlock));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIdentityBlock, options.InitialBlock, nameof(options.MaxIdentityBlock));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAddressBlock, options.InitialBlock, nameof(options.MaxAddressBlock));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.FailureWindow, TimeSpan.Zero, nameof(options.FailureWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTrackedKeys, 2, nameof(options.MaxTrackedKeys));

        _time = time;
        _identityThreshold = options.IdentityFailuresBeforeBlock;
        _addressThreshold = options.AddressFailuresBeforeBlock;
        _initialBlock = options.InitialBlock;
        _maxIdentityBlock = options.MaxIdentityBlock;
        _maxAddressBlock = options.MaxAddressBlock;
        _window = options.FailureWindow;
        _longBlock = options.LongBlockThreshold;
        _maxKeys = options.MaxTrackedKeys;
    }

    /// <summary>Number of addresses and identities currently tracked (for diagnostics and tests).</summary>
    public int TrackedKeys => Volatile.Read(ref _tracked);

    /// <summary>Whether a handshake from <paramref name="source"/> for the identity must be refused now.</summary>
    public ThrottleDecision Check(IPAddress source, string tenant, string identity)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(identity);

        var now = _time.GetUtcNow();
        var remaining = TimeSpan.Zero;
        var length = TimeSpan.Zero;
        var key = Normalize(source);
        if (_addresses.TryGetValue(key, out var address))
        {
            address.Block(now, ref remaining, ref length);
        }

        if (_identities.TryGetValue(new SourceIdentityKey(key, tenant, identity), out var id))
        {
            id.Block(now, ref remaining, ref length);
        }

        return remaining > TimeSpan.Zero
            ? new ThrottleDecision(true, remaining, length >= _longBlock)
            : new ThrottleDecision(false, TimeSpan.Zero, false);
    }

    /// <summary>Counts a failed handshake against the address and against the identity from that address.</summary>
    public void RecordFailure(IPAddress source, string tenant, string identity)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(identity);

        var now = _time.GetUtcNow();
        var key = Normalize(source);
        GetOrAdd(_addresses, key).RecordFailure(now, _window, _addressThreshold, _initialBlock, _maxAddressBlock);
        GetOrAdd(_identities, new SourceIdentityKey(key, tenant, identity)).RecordFailure(now, _window, _identityThreshold, _initialBlock, _maxIdentityBlock);

        if (Volatile.Read(ref _tracked) > _maxKeys)
        {
            Sweep(now);
        }
    }

    /// <summary>
    /// A successful handshake: forgets the identity's failures and block from this address. The address keeps its state, so a
    /// station that authenticates does not clear the record of a neighbour spraying passwords from the same address.
    /// </summary>
    public void RecordSuccess(IPAddress source, string tenant, string identity)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(identity);

        if (_identities.TryRemove(new SourceIdentityKey(Normalize(source), tenant, identity), out _))
        {
            Interlocked.Decrement(ref _tracked);
        }
    }

    /// <summary>The key an address is tracked under: IPv4 as is (mapped IPv6 unwrapped), IPv6 by its /64.</summary>
    internal static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    private KeyState GetOrAdd<TKey>(ConcurrentDictionary<TKey, KeyState> states, TKey key)
        where TKey : notnull
    {
        if (states.TryGetValue(key, out var state))
        {
            return state;
        }

        var fresh = new KeyState();
        if (states.TryAdd(key, fresh))
        {
            Interlocked.Increment(ref _tracked);
            return fresh;
        }

        return states.TryGetValue(key, out state) ? state : fresh;
    }

    private void Sweep(DateTimeOffset now)
    {
        if (Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
        {
            return; // another caller is sweeping
        }

        try
        {
            RemoveExpired(_addresses, now);
            RemoveExpired(_identities, now);

            var target = _maxKeys - Math.Max(1, _maxKeys / 10);
            var excess = Volatile.Read(ref _tracked) - target;
            if (excess <= 0)
            {
                return;
            }

            // Evict the keys that matter least: those whose block ended (or last failure happened) earliest.
            var candidates = new List<(DateTimeOffset Relevance, object Key, bool IsAddress)>(_addresses.Count + _identities.Count);
            candidates.AddRange(_addresses.Select(p => (p.Value.RelevantUntil, (object)p.Key, true)));
            candidates.AddRange(_identities.Select(p => (p.Value.RelevantUntil, (object)p.Key, false)));
            candidates.Sort((a, b) => a.Relevance.CompareTo(b.Relevance));
            foreach (var (_, key, isAddress) in candidates.Take(excess))
            {
                var removed = isAddress
                    ? _addresses.TryRemove((IPAddress)key, out _)
                    : _identities.TryRemove((SourceIdentityKey)key, out _);
                if (removed)
                {
                    Interlocked.Decrement(ref _tracked);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private void RemoveExpired<TKey>(ConcurrentDictionary<TKey, KeyState> states, DateTimeOffset now)
        where TKey : notnull
    {
        foreach (var (key, state) in states)
        {
            if (state.IsForgotten(now, _window) && states.TryRemove(new KeyValuePair<TKey, KeyState>(key, state)))
            {
                Interlocked.Decrement(ref _tracked);
            }
        }
    }

    private readonly record struct SourceIdentityKey(IPAddress Source, string Tenant, string Identity);

    /// <summary>Failure count and block of one address or identity; guarded by its own lock.</summary>
    private sealed class KeyState
    {
        private readonly Lock _lock = new();
        private int _failures;
        private DateTimeOffset _lastFailure;
        private DateTimeOffset _blockedUntil;
        private TimeSpan _blockLength;

        public DateTimeOffset RelevantUntil
        {
            get
            {
                lock (_lock)
                {
                    return _blockedUntil > _lastFailure ? _blockedUntil : _lastFailure;
                }
            }
        }

        public void RecordFailure(DateTimeOffset now, TimeSpan window, int threshold, TimeSpan initial, TimeSpan max)
        {
            lock (_lock)
            {
                if (_failures > 0 && now - _lastFailure >= window)
                {
                    _failures = 0;
                }

                _failures++;
                _lastFailure = now;
                if (_failures >= threshold)
                {
                    _blockLength = Backoff(_failures - threshold, initial, max);
                    _blockedUntil = now + _blockLength;
                }
            }
        }

        /// <summary>Raises <paramref name="remaining"/> and <paramref name="length"/> to this key's active block, if any.</summary>
        public void Block(DateTimeOffset now, ref TimeSpan remaining, ref TimeSpan length)
        {
            lock (_lock)
            {
                var left = _blockedUntil - now;
                if (left > TimeSpan.Zero)
                {
                    remaining = left > remaining ? left : remaining;
                    length = _blockLength > length ? _blockLength : length;
                }
            }
        }

        public bool IsForgotten(DateTimeOffset now, TimeSpan window)
        {
            lock (_lock)
            {
                return now >= _blockedUntil && now - _lastFailure >= window;
            }
        }

        private static TimeSpan Backoff(int doublings, TimeSpan initial, TimeSpan max)
        {
            // initial * 2^doublings, capped without overflowing.
            if (doublings >= 62 || initial.Ticks > max.Ticks >> doublings)
            {
                return max;
            }

            return TimeSpan.FromTicks(initial.Ticks << doublings);
        }
    }
}
