using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Voltgate.Core.Persistence;

/// <summary>
/// Puts every SQLite connection in write-ahead-log mode with <c>synchronous=NORMAL</c> and a busy timeout, once per
/// physical connection (the pool reuses them).
/// </summary>
/// <remarks>
/// <para>WAL lets readers (handshakes, API) run while the writer commits, and a commit appends to the log instead
/// of rewriting pages. <c>synchronous=NORMAL</c> in WAL mode syncs the log at checkpoints, not at every commit: a
/// committed transaction survives a crash of the Voltgate process, but the last commits before a power loss or an
/// operating-system crash can be lost (the database stays consistent). This is SQLite's recommended setting for
/// WAL; operators who need every commit on the platter set <c>Voltgate:Database:SqliteSynchronous=FULL</c>.</para>
/// <para><c>busy_timeout</c> makes SQLite wait inside the engine for a competing writer instead of failing at once
/// (Microsoft.Data.Sqlite would otherwise retry in steps of 150 ms).</para>
/// </remarks>
internal sealed class SqlitePragmaInterceptor(string synchronous = "NORMAL") : DbConnectionInterceptor
{
    private static readonly ConditionalWeakTable<object, object> Configured = [];
    private readonly string _sql = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={Validate(synchronous)}; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsPragmas(connection, out var sqlite))
        {
            using var command = sqlite.CreateCommand();
            command.CommandText = _sql;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsPragmas(connection, out var sqlite))
        {
            await using var command = sqlite.CreateCommand();
            command.CommandText = _sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool NeedsPragmas(DbConnection connection, out SqliteConnection sqlite)
    {
        sqlite = (connection as SqliteConnection)!;
        if (sqlite?.Handle is not { } handle)
        {
            return false;
        }

        // The native handle outlives the pooled SqliteConnection wrapper: configure it the first time it is seen.
        return Configured.TryAdd(handle, handle);
    }

    private static string Validate(string value) =>
        value.ToUpperInvariant() switch
        {
            "OFF" or "NORMAL" or "FULL" or "EXTRA" => value.ToUpperInvariant(),
            _ => throw new ArgumentException($"SQLite synchronous must be OFF, NORMAL, FULL or EXTRA, not '{value}'.", nameof(value)),
        };
}
