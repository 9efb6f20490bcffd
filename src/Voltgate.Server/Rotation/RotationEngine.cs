using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Voltgate.Core.Audit;
using Voltgate.Core.Data;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.OcppSecurity.Rotation;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;

namespace Voltgate.Server.Rotation;

/// <summary>Engine timing; the defaults suit production, tests shorten them.</summary>
internal sealed class RotationEngineOptions
{
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Runs the rotations: pushes the target to Waiting stations (offline ones stay Waiting until they connect), records
/// each answer, and follows Accepted stations until their next successful handshake names the new entry (Done) or
/// the rotation's time runs out (Lost). Every state lives in the database, so a restart resumes where it stopped;
/// a row lease makes one node of a cluster the engine.
/// </summary>
internal sealed partial class RotationEngine(
    IServiceScopeFactory scopes,
    IEnumerable<ICredentialSender> senders,
    IEnumerable<ISecurityProfileSender> profileSenders,
    IStationPresence presence,
    IOptions<RotationEngineOptions> options,
    TimeProvider time,
    ILogger<RotationEngine> logger) : BackgroundService
{
    private const string LeaseName = "password-rotation";
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private bool _holding;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TickInterval, time);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A database hiccup must not end the engine; the next tick tries again.
                LogTickFailed(logger, ex.GetType().Name);
                _holding = false;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Hands the lease back on a clean stop, so another node (or this one restarted) takes over at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_holding)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            var past = time.GetUtcNow().AddDays(-1);
            await db.EngineLeases.Where(l => l.Name == LeaseName && l.Holder == _holder)
                .ExecuteUpdateAsync(u => u.SetProperty(l => l.ExpiresAt, past), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease then simply expires.
            LogTickFailed(logger, ex.GetType().Name);
        }
    }

    internal async Task TickAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var wasHolding = _holding;
        _holding = await HoldLeaseAsync(db, ct);
        if (!_holding)
        {
            return;
        }

        if (!wasHolding)
        {
            await ResumeInterruptedAsync(db, ct);
        }

        await WatchAcceptedAsync(ct);
        await SendWaitingAsync(ct);
        await CompleteFinishedAsync(ct);
    }

    /// <summary>Takes or renews the engine lease; false when another node holds it.</summary>
    private async Task<bool> HoldLeaseAsync(VoltgateDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var until = now + options.Value.LeaseTime;
        if (!await db.EngineLeases.AnyAsync(l => l.Name == LeaseName, ct))
        {
            db.EngineLeases.Add(new EngineLease { Name = LeaseName, Holder = _holder, ExpiresAt = until });
            try
            {
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
            }
        }

        var taken = await db.EngineLeases.Where(l => l.Name == LeaseName && (l.Holder == _holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Holder, _holder).SetProperty(l => l.ExpiresAt, until), ct);
        return taken == 1;
    }

    /// <summary>
    /// A push whose answer never got recorded (the node stopped, or the lease moved) is sent again: setting the
    /// same AuthorizationKey twice is harmless, and the station's old password is still admitted until it accepts.
    /// </summary>
    private async Task ResumeInterruptedAsync(VoltgateDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await db.RotationStations.IgnoreQueryFilters().Where(s => s.State == RotationStationState.Sent)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, RotationStationState.Waiting)
                .SetProperty(s => s.Reason, "The answer to the push was not recorded (restart); sending again.")
                .SetProperty(s => s.UpdatedAt, now), ct);
    }

    private async Task WatchAcceptedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var rows = await db.RotationStations.IgnoreQueryFilters().Where(s => s.State == RotationStationState.Accepted).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return;
        }

        var rotationIds = rows.Select(r => r.RotationId).Distinct().ToList();
        var rotations = await db.PasswordRotations.IgnoreQueryFilters().AsNoTracking().Where(r => rotationIds.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => new { r.LostAfterSeconds, r.Kind, r.TargetVariant }, ct);
        var pinning = scope.ServiceProvider.GetRequiredService<RotationPinning>();
        var stationIds = rows.Select(r => r.StationId).ToList();
        var stations = await db.Stations.IgnoreQueryFilters().AsNoTracking().Where(s => stationIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => new { s.LastPasswordId, s.LastAuthenticatedAt }, ct);
        var now = time.GetUtcNow();
        var audit = new List<AuditEvent>();
        foreach (var row in rows)
        {
            var rotation = rotations.GetValueOrDefault(row.RotationId);
            if (rotation?.Kind == RotationKind.SecurityProfile)
            {
                await WatchProfileAsync(db, pinning, row, rotation.TargetVariant!, rotation.LostAfterSeconds, now, audit, ct);
                continue;
            }

            var station = stations.GetValueOrDefault(row.StationId);
            // After SentAt, not AcceptedAt: the station cannot have the new password before it was sent, and its
            // reconnect may be recorded before its answer reaches the engine (forwarded from another node).
            if (station is { } s && s.LastPasswordId == row.TargetPasswordId && s.LastAuthenticatedAt > (row.SentAt ?? row.AcceptedAt))
            {
                row.State = RotationStationState.Done;
                row.Reason = $"Reconnected with the new password at {s.LastAuthenticatedAt:HH:mm:ss} UTC.";
                row.UpdatedAt = now;
                audit.Add(Event(row, "OcppSecurity.RotationStationDone", now));
            }
            else if (row.AcceptedAt + TimeSpan.FromSeconds(rotation?.LostAfterSeconds ?? 1800) < now)
            {
                row.State = RotationStationState.Lost;
                row.Reason = await LostReasonAsync(db, row, ct);
                row.UpdatedAt = now;
                audit.Add(Event(row, "OcppSecurity.RotationStationLost", now));
            }
        }

        db.AuditEvents.AddRange(audit);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Done when an admitted handshake on the target variant follows the acceptance; then, and only then, the station
    /// is admitted on that variant alone (a 2.0.1 station that cannot reach its new profile falls back to the old one,
    /// A05, and must still get in meanwhile). Lost when the time runs out; it then keeps its lower variant.
    /// </summary>
    private static async Task WatchProfileAsync(VoltgateDbContext db, RotationPinning pinning, RotationStation row, string target, int lostAfterSeconds,
        DateTimeOffset now, List<AuditEvent> audit, CancellationToken ct)
    {
        var accepted = row.AcceptedAt!.Value;
        var since = row.SentAt ?? accepted;
        var attempts = await db.ConnectionAttempts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.TenantId == row.TenantId && a.Identity == row.Identity && a.At > since && a.Result == ConnectionResult.Accepted)
            .Select(a => new { a.Id, a.At, a.Variant }).ToListAsync(ct);
        var onTarget = attempts.Where(a => a.Variant == target).OrderBy(a => a.Id).FirstOrDefault();
        if (onTarget is not null)
        {
            await pinning.AllowVariantsAsync(row.StationId, row.Identity, [target], ct);
            row.State = RotationStationState.Done;
            row.Reason = $"Connected on {target} at {onTarget.At:HH:mm:ss} UTC; it is no longer admitted on {string.Join(", ", row.PreviousVariants.Where(v => v != target))}.";
            row.UpdatedAt = now;
            audit.Add(Event(row, "OcppSecurity.RotationStationDone", now));
        }
        else if (accepted + TimeSpan.FromSeconds(lostAfterSeconds) < now)
        {
            var lower = attempts.OrderByDescending(a => a.Id).FirstOrDefault();
            row.State = RotationStationState.Lost;
            row.Reason = lower is null
                ? $"Has not connected since it accepted the new security profile at {accepted:HH:mm} UTC. It is still admitted on its previous variants."
                : $"Came back on {lower.Variant} at {lower.At:HH:mm} UTC, not on {target} — this station accepted the new security profile at {accepted:HH:mm} UTC. It is still admitted on its previous variants; check its TLS setup (CSMS certificate, URL).";
            row.UpdatedAt = now;
            audit.Add(Event(row, "OcppSecurity.RotationStationLost", now));
        }
    }

    /// <summary>
    /// What the connection diagnostics show for a Lost station: its handshakes since it accepted the change. The
    /// front door refuses a pinned station's old password as a plain mismatch, so a refused attempt after the
    /// change is, in practice, the pre-rotation password.
    /// </summary>
    internal static async Task<string> LostReasonAsync(VoltgateDbContext db, RotationStation row, CancellationToken ct)
    {
        var accepted = row.AcceptedAt!.Value;
        var attempts = await db.ConnectionAttempts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.TenantId == row.TenantId && a.Identity == row.Identity && a.At > accepted)
            .OrderByDescending(a => a.At).Take(20).ToListAsync(ct);
        var refused = attempts.FirstOrDefault(a => a.Result == ConnectionResult.Refused && a.Reason == RefusalReason.PasswordMismatch);
        if (refused is not null)
        {
            return $"Tried the pre-rotation password at {refused.At:HH:mm} UTC (refused) — this station accepted the change at {accepted:HH:mm} UTC. "
                + "Set the new password at the station, or admit the previous password again for it.";
        }

        if (attempts.FirstOrDefault(a => a.Result == ConnectionResult.Refused) is { } other)
        {
            return $"Its last handshake at {other.At:HH:mm} UTC was refused ({other.Reason}) — this station accepted the change at {accepted:HH:mm} UTC.";
        }

        return $"Has not connected since it accepted the change at {accepted:HH:mm} UTC.";
    }

    private async Task SendWaitingAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var rotations = await db.PasswordRotations.IgnoreQueryFilters().AsNoTracking().Where(r => r.State == RotationState.Running).ToListAsync(ct);
        var now = time.GetUtcNow();
        foreach (var rotation in rotations.Where(r => r.NotBefore is null || r.NotBefore <= now))
        {
            var inFlight = await db.RotationStations.IgnoreQueryFilters().CountAsync(s => s.RotationId == rotation.Id && s.State == RotationStationState.Sent, ct);
            var room = rotation.Concurrency - inFlight;
            if (room <= 0)
            {
                continue;
            }

            var waiting = await db.RotationStations.IgnoreQueryFilters().AsNoTracking()
                .Where(s => s.RotationId == rotation.Id && s.State == RotationStationState.Waiting)
                .OrderBy(s => s.UpdatedAt).Select(s => new { s.Id, s.Identity, s.Reason }).Take(MaxWaitingPerTick).ToListAsync(ct);
            if (waiting.Count == 0)
            {
                continue;
            }

            // Only online stations are marked Sent: an offline one stays Waiting without a write per tick, and is
            // pushed on the first tick after it connects (on whichever node).
            var keys = waiting.Select(w => (rotation.TenantId, w.Identity)).ToList();
            var elsewhere = await presence.ElsewhereAsync(keys, ct);
            var protocols = new Dictionary<Guid, string?>();
            foreach (var w in waiting)
            {
                var live = presence.OnThisNode(rotation.TenantId, w.Identity) ?? elsewhere.GetValueOrDefault((rotation.TenantId, w.Identity));
                if (live is not null && protocols.Count < room)
                {
                    protocols[w.Id] = live.Protocol;
                }
            }

            var offline = waiting.Where(w => !protocols.ContainsKey(w.Id) && w.Reason != OfflineReason).Select(w => w.Id).ToList();
            if (offline.Count > 0)
            {
                await db.RotationStations.IgnoreQueryFilters().Where(s => offline.Contains(s.Id) && s.State == RotationStationState.Waiting)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.Reason, OfflineReason), ct);
            }

            if (protocols.Count > 0)
            {
                await SendBatchAsync(rotation, protocols, ct);
            }
        }
    }

    private const int MaxWaitingPerTick = 2000;
    private const string OfflineReason = "Offline: pushed when it next connects.";

    private async Task SendBatchAsync(PasswordRotation rotation, Dictionary<Guid, string?> rowProtocols, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(rotation.TenantId);
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var rowIds = rowProtocols.Keys.ToList();
        var rows = await db.RotationStations.Where(s => rowIds.Contains(s.Id) && s.State == RotationStationState.Waiting).ToListAsync(ct);
        var targetIds = rows.Select(r => r.TargetPasswordId).Distinct().ToList();
        var secrets = await db.BasicAuthPasswords.AsNoTracking().Where(p => targetIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.ProtectedSecret, ct);
        var now = time.GetUtcNow();
        foreach (var row in rows)
        {
            row.State = RotationStationState.Sent;
            row.SentAt = now;
            row.UpdatedAt = now;
            row.Reason = "Sent; waiting for the station's answer.";
        }

        await db.SaveChangesAsync(ct);

        var pushes = rows.Select(async (row, i) =>
        {
            var outcome = await PushOneAsync(row, i);
            // Each station's own answer time: a batch ends when its slowest station answers, and a fast one may
            // already be back by then.
            return (Outcome: outcome, At: time.GetUtcNow());
        }).ToList();

        async Task<PushOutcome> PushOneAsync(RotationStation row, int i)
        {
            // Pacing staggers the pushes of a batch, so stations do not all reconnect in the same second.
            if (rotation.PacingMilliseconds > 0 && i > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(rotation.PacingMilliseconds * i), time, ct);
            }

            var protocol = rowProtocols.GetValueOrDefault(row.Id) ?? RotationService.DefaultProtocol;
            if (rotation.Kind == RotationKind.SecurityProfile)
            {
                return await PushProfileAsync(rotation, row, protocol, ct);
            }

            var sender = senders.FirstOrDefault(s => s.Protocol == protocol);
            if (sender is null)
            {
                return new PushOutcome(PushResult.Failed, $"Rotation over {protocol} is not available yet; the station keeps its password.");
            }

            if (!secrets.TryGetValue(row.TargetPasswordId, out var protectedSecret))
            {
                return new PushOutcome(PushResult.Failed, "The target pool entry was deleted; the station keeps its password.");
            }

            var secret = protector.Unprotect(protectedSecret);
            if (sender.Problem(secret) is { } problem)
            {
                return new PushOutcome(PushResult.Failed, problem);
            }

            try
            {
                return await sender.PushAsync(row.TenantId, row.Identity, secret, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return new PushOutcome(PushResult.Failed, $"The push could not be delivered ({ex.GetType().Name}); the station keeps its password.");
            }
        }

        var outcomes = await Task.WhenAll(pushes);

        var pinning = scope.ServiceProvider.GetRequiredService<RotationPinning>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var (outcome, answeredAt) = outcomes[i];
            await db.Entry(row).ReloadAsync(ct);
            var cancelled = row.State == RotationStationState.Cancelled;
            row.UpdatedAt = time.GetUtcNow();
            switch (outcome.Result)
            {
                case PushResult.Offline when !cancelled:
                    // It went away between the presence check and the push.
                    row.State = RotationStationState.Waiting;
                    row.Reason = OfflineReason;
                    continue;
                case PushResult.Offline:
                    continue;
                case PushResult.Accepted:
                    // A01.FR.03: from now on only the new entry admits this station (even when cancelled meanwhile:
                    // the station did change).
                    row.State = RotationStationState.Accepted;
                    row.AcceptedAt = answeredAt;
                    row.Attempts++;
                    row.Reason = outcome.Detail;
                    if (rotation.Kind == RotationKind.Password)
                    {
                        await pinning.PinAsync(row.StationId, row.Identity, [row.TargetPasswordId], ct);
                    }

                    break;
                case var _ when cancelled:
                    row.Attempts++;
                    row.Reason = $"Cancelled; {outcome.Detail}";
                    break;
                default:
                    row.Attempts++;
                    row.State = outcome.Result switch
                    {
                        PushResult.Rejected => RotationStationState.Rejected,
                        PushResult.NotSupported => RotationStationState.NotSupported,
                        _ => RotationStationState.Failed,
                    };
                    row.Reason = outcome.Detail;
                    break;
            }

            audit.Add("OcppSecurity.RotationStationAnswered", rotation.Id.ToString(), new { station = row.Identity, state = row.State.ToString(), outcome = outcome.Result.ToString() });
        }

        await db.SaveChangesAsync(ct);
    }

    private async Task<PushOutcome> PushProfileAsync(PasswordRotation rotation, RotationStation row, string protocol, CancellationToken ct)
    {
        var sender = profileSenders.FirstOrDefault(s => s.Protocol == protocol);
        if (sender is null)
        {
            return new PushOutcome(PushResult.Failed, $"The security-profile upgrade is not available over {protocol}; the station stays on its current profile.");
        }

        if (sender.Problem(rotation.TargetVariant!, rotation.CsmsUrl) is { } problem)
        {
            return new PushOutcome(PushResult.Failed, problem);
        }

        try
        {
            return await sender.PushAsync(row.TenantId, row.Identity, rotation.TargetVariant!, rotation.CsmsUrl, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new PushOutcome(PushResult.Failed, $"The push could not be delivered ({ex.GetType().Name}); the station stays on its current profile.");
        }
    }

    private async Task CompleteFinishedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var now = time.GetUtcNow();
        var finished = await db.PasswordRotations.IgnoreQueryFilters()
            .Where(r => r.State == RotationState.Running && !db.RotationStations.IgnoreQueryFilters().Any(s => s.RotationId == r.Id
                && (s.State == RotationStationState.Waiting || s.State == RotationStationState.Sent || s.State == RotationStationState.Accepted)))
            .ToListAsync(ct);
        foreach (var rotation in finished)
        {
            rotation.State = RotationState.Completed;
            rotation.UpdatedAt = now;
            db.AuditEvents.Add(new AuditEvent { TenantId = rotation.TenantId, At = now, Actor = "system", Action = "OcppSecurity.RotationCompleted", Target = rotation.Id.ToString() });
        }

        await db.SaveChangesAsync(ct);
    }

    private static AuditEvent Event(RotationStation row, string action, DateTimeOffset at) => new()
    {
        TenantId = row.TenantId,
        At = at,
        Actor = "system",
        Action = action,
        Target = row.RotationId.ToString(),
        Details = System.Text.Json.JsonSerializer.Serialize(new { station = row.Identity, reason = row.Reason }),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rotation engine tick failed ({ExceptionType}); retrying on the next tick")]
    private static partial void LogTickFailed(ILogger logger, string exceptionType);
}
