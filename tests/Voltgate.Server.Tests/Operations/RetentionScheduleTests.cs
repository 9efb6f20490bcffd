using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Voltgate.Core.Data;
using Voltgate.Core.Retention;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Operations;

/// <summary>
/// Old data goes away on schedule (issue 18 "Done when"): the background worker runs the cleanup a minute after start
/// and then every <c>IntervalMinutes</c>, not before, on a clock the test moves.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RetentionScheduleTests(ServerPool pool)
{
    [Fact]
    public async Task The_worker_deletes_old_rows_a_minute_after_start_and_again_after_each_interval_and_not_before()
    {
        var server = await pool.GetAsync("Sqlite");
        var slug = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(slug);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/settings/retention",
            new { connectionAttemptsDays = 10, meterSamplesDays = 20, auditEventsDays = 200 })).StatusCode);
        var now = DateTimeOffset.UtcNow;
        var first = await RetentionTests.SeedAsync(server, slug, now, oldAge: TimeSpan.FromDays(300), newAge: TimeSpan.FromDays(1));
        var clock = new WatchedClock(now);
        using var worker = new RetentionWorker(server.Services.GetRequiredService<RetentionCleaner>(), new RetentionOptions { IntervalMinutes = 60 },
            clock, NullLogger<RetentionWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        try
        {
            // The worker waits for its first minute: nothing is deleted at start, nor after 59 seconds.
            await clock.NextTimerAsync();
            clock.Advance(TimeSpan.FromSeconds(59));
            Assert.Equal(first.Old, await RetentionTests.CountAsync(server, first.Id, now, old: true));

            clock.Advance(TimeSpan.FromSeconds(1));
            await UntilAsync(async () => await RetentionTests.CountAsync(server, first.Id, now, old: true) == (0, 0, 0) && await RunsAsync(server, first.Id) == 1);
            Assert.Equal(first.New, await RetentionTests.CountAsync(server, first.Id, now, old: false));

            // Rows that grow old now wait for the next run, an interval later.
            await clock.NextTimerAsync();
            var second = await RetentionTests.SeedAsync(server, slug, now, oldAge: TimeSpan.FromDays(300), newAge: TimeSpan.FromDays(1));
            clock.Advance(TimeSpan.FromMinutes(59));
            Assert.Equal(second.Old, await RetentionTests.CountAsync(server, first.Id, now, old: true));

            clock.Advance(TimeSpan.FromMinutes(1));
            await UntilAsync(async () => await RetentionTests.CountAsync(server, first.Id, now, old: true) == (0, 0, 0) && await RunsAsync(server, first.Id) == 2);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>How many cleanup runs deleted something in the tenant (each writes one audit event).</summary>
    private static async Task<int> RunsAsync(VoltgateServer server, Guid tenantId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        return await db.AuditEvents.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenantId && a.Action == "Retention.Deleted");
    }

    /// <summary>A bound on waiting for the worker's run, not a speed requirement.</summary>
    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await done())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the cleanup did not run within 30 s of its due time");
    }

    /// <summary>
    /// A fake clock that says when the worker has set a timer: the worker runs on its own thread, so moving the clock
    /// before its timer exists would move past nothing.
    /// </summary>
    private sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly Channel<bool> _timers = Channel.CreateUnbounded<bool>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Writer.TryWrite(true);
            return timer;
        }

        public async Task NextTimerAsync() => await _timers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
