using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Persistence;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Tests.Domain;

public sealed class GroupCommitWriterTests : IAsyncLifetime
{
    private readonly TenantRows _kind = new();
    private DomainDatabase _db = null!;

    public async Task InitializeAsync() => _db = await DomainDatabase.CreateAsync(startWriter: false);

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    private Task WriteAsync(string slug, CancellationToken ct = default) => _db.Writer.WriteAsync(new TenantRows.Write(_kind, slug), ct);

    private Task<List<string>> SlugsAsync() => _db.QueryAsync(db => db.Tenants.AsNoTracking().Where(t => t.Slug != Tenant.DefaultSlug).OrderBy(t => t.Slug).Select(t => t.Slug).ToListAsync());

    [Fact]
    public async Task Writes_queued_together_are_committed_in_one_batch()
    {
        var writes = Enumerable.Range(0, 5).Select(i => WriteAsync("t" + i)).ToList();
        await _db.StartWriterAsync();

        await Task.WhenAll(writes);

        Assert.Equal([5], _kind.BatchSizes);
        Assert.Equal((1L, 5L), _db.Writer.Totals);
        Assert.Equal(["t0", "t1", "t2", "t3", "t4"], await SlugsAsync());
        Assert.Equal(1, _kind.Commits);
    }

    [Fact]
    public async Task A_write_completes_only_after_its_batch_has_committed()
    {
        using var gate = new ManualResetEventSlim(false);
        _kind.Gate = gate;
        await _db.StartWriterAsync();

        var write = WriteAsync("held");
        Assert.True(_kind.Entered.Wait(TimeSpan.FromSeconds(10)));
        await Task.Delay(100);

        Assert.False(write.IsCompleted);
        Assert.Empty(await SlugsAsync());
        gate.Set();
        await write;
        Assert.Equal(["held"], await SlugsAsync());
    }

    [Fact]
    public async Task A_failing_write_fails_alone_after_its_batch_is_retried_write_by_write()
    {
        var writes = new[] { WriteAsync("a"), WriteAsync(Tenant.DefaultSlug), WriteAsync("b") };
        await _db.StartWriterAsync();

        await writes[0];
        await writes[2];
        await Assert.ThrowsAsync<DbUpdateException>(() => writes[1]);

        Assert.Equal([3, 1, 1, 1], _kind.BatchSizes);
        Assert.Equal(["a", "b"], await SlugsAsync());
    }

    [Fact]
    public async Task A_full_queue_makes_the_next_write_wait_for_room()
    {
        _kind.NoRows = true;
        var queued = Enumerable.Range(0, GroupCommitWriter.Capacity).Select(i => WriteAsync("q" + i)).ToList();
        using var cts = new CancellationTokenSource();

        var waiting = WriteAsync("one-too-many", cts.Token);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();

        // Cancelling only works while the write waits for room: a queued write waits for its commit, whatever the token.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await _db.StartWriterAsync();
        await Task.WhenAll(queued);
        Assert.Equal(GroupCommitWriter.Capacity, _kind.BatchSizes.Sum());
        Assert.All(_kind.BatchSizes, size => Assert.True(size <= GroupCommitWriter.MaxBatch));
    }

    [Fact]
    public async Task Stopping_commits_what_is_queued_and_refuses_later_writes()
    {
        using var gate = new ManualResetEventSlim(false);
        _kind.Gate = gate;
        await _db.StartWriterAsync();
        var first = WriteAsync("first");
        Assert.True(_kind.Entered.Wait(TimeSpan.FromSeconds(10)));
        var queued = Enumerable.Range(0, 3).Select(i => WriteAsync("s" + i)).ToList();

        // Stopping while the writer is busy: what is queued by then is still committed.
        var stopping = _db.StopWriterAsync();
        gate.Set();
        await stopping;

        await first;
        await Task.WhenAll(queued);
        Assert.Equal([1, 3], _kind.BatchSizes);
        Assert.Equal(["first", "s0", "s1", "s2"], await SlugsAsync());
        await Assert.ThrowsAsync<ChannelClosedException>(() => WriteAsync("late"));
    }

    /// <summary>A kind that inserts a tenant per write and records what the writer asked of it.</summary>
    private sealed class TenantRows : IBatchWriteKind
    {
        private readonly List<Write> _writes = [];

        public List<int> BatchSizes { get; } = [];
        public int Commits { get; private set; }
        public bool NoRows { get; set; }
        public ManualResetEventSlim? Gate { get; set; }
        public ManualResetEventSlim Entered { get; } = new(false);

        public void Add(BatchedWrite write) => _writes.Add((Write)write);

        public void Prepare(VoltgateDbContext db)
        {
            BatchSizes.Add(_writes.Count);
            if (!NoRows)
            {
                foreach (var write in _writes)
                {
                    db.Tenants.Add(new Tenant { Slug = write.Slug, Name = write.Slug });
                }
            }
        }

        public void WriteUntracked(VoltgateDbContext db)
        {
            Entered.Set();
            Gate?.Wait();
        }

        public void Committed() => Commits++;

        public void Clear() => _writes.Clear();

        public sealed class Write(TenantRows kind, string slug) : BatchedWrite
        {
            public override IBatchWriteKind Kind => kind;
            public string Slug => slug;
        }
    }
}
