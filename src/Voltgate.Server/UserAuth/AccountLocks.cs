namespace Voltgate.Server.UserAuth;

/// <summary>
/// One async lock per (tenant, login name) in this process. Login attempts for one account run one after the
/// other, so each attempt's lockout check sees the failures counted by the attempts before it: without it, parallel
/// attempts all passed the check before any failure was stored, and far more passwords were tried than the limit.
/// </summary>
/// <remarks>An entry lives only while an attempt holds or waits for it, so memory is bounded by the attempts in
/// flight, whatever names are tried.</remarks>
internal sealed class AccountLocks
{
    private readonly Dictionary<(Guid Tenant, string Name), Entry> _entries = [];
    private readonly Lock _gate = new();

    /// <summary>Locks in use or waited for (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Waits for the account's lock; dispose the result to release it.</summary>
    public async Task<IDisposable> AcquireAsync(Guid tenantId, string normalizedName, CancellationToken ct)
    {
        var key = (tenantId, normalizedName);
        Entry? entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry))
            {
                entry = new Entry();
                _entries[key] = entry;
            }

            entry.Holders++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(ct);
        }
        catch
        {
            Leave(key, entry);
            throw;
        }

        return new Held(this, key, entry);
    }

    private void Leave((Guid, string) key, Entry entry)
    {
        lock (_gate)
        {
            if (--entry.Holders == 0)
            {
                _entries.Remove(key);
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Attempts holding or waiting for this lock; guarded by the gate.</summary>
        public int Holders { get; set; }
    }

    private sealed class Held(AccountLocks owner, (Guid, string) key, Entry entry) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                entry.Semaphore.Release();
                owner.Leave(key, entry);
            }
        }
    }
}
