using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.OcppSecurity.Rotation;

public sealed record RotationSource(Guid? PasswordId, IReadOnlyList<string>? StationIdentities, Guid? CompanyId);

public sealed record RotationTarget(Guid? PasswordId, int? GenerateLength, string? GenerateLabel, int? PerStationLength);

public sealed record CreateRotationCommand(RotationSource? Source, RotationTarget? Target, int? LostAfterMinutes, int? Concurrency, int? PacingMilliseconds, int? LostAfterSeconds = null)
{
    /// <summary>Null or "password": move the password; "securityProfile": move the security profile to <see cref="TargetVariant"/>.</summary>
    public string? Kind { get; init; }
    public string? TargetVariant { get; init; }
    public string? CsmsUrl { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
}

public sealed record RotationCounts(int Waiting, int Sent, int Accepted, int Done, int Rejected, int NotSupported, int Failed, int Lost, int Cancelled);

public sealed record RotationStationView(string Identity, RotationStationState State, string? Reason, DateTimeOffset UpdatedAt, Guid? TargetPasswordId, bool PreviousAdmitted);

public sealed record RotationView(
    Guid Id,
    RotationState State,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    JsonElement Source,
    RotationTargetView Target,
    int LostAfterMinutes,
    int LostAfterSeconds,
    RotationCounts Counts,
    IReadOnlyList<RotationStationView>? Stations)
{
    /// <summary>"password" or "securityProfile".</summary>
    public string Kind { get; init; } = "password";
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Only in the answer to the creation: things the operator should fix before the stations reconnect.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
}

/// <summary>The target; for a security-profile rotation <see cref="Kind"/> is null and <see cref="Variant"/> names the new variant.</summary>
public sealed record RotationTargetView(RotationTargetKind? Kind, Guid? PasswordId, string? Variant = null);

/// <summary>
/// Creates and steers password rotations. Every target is checked against every station before anything is stored
/// or sent: a refusal changes nothing (no entry generated, no rotation created).
/// </summary>
public sealed class RotationService(
    VoltgateDbContext db,
    ITenantContext tenant,
    PasswordPoolService pool,
    SecretProtector protector,
    RotationPinning pinning,
    AuditLog audit,
    TimeProvider time,
    IStationPresence presence,
    IEnumerable<ICredentialSender> credentialSenders,
    IEnumerable<ISecurityProfileSender> profileSenders)
{
    public const string PasswordKind = "password";
    public const string SecurityProfileKind = "securityProfile";

    /// <summary>The protocol assumed for a station that never connected (its rule is the stricter one for passwords).</summary>
    public const string DefaultProtocol = "ocpp1.6";

    public const int DefaultLostAfterMinutes = 30;

    private static readonly RotationStationState[] Open = [RotationStationState.Waiting, RotationStationState.Sent, RotationStationState.Accepted];
    private static readonly RotationStationState[] Retriable = [RotationStationState.Rejected, RotationStationState.NotSupported, RotationStationState.Failed, RotationStationState.Lost];

    private Guid TenantId => tenant.TenantId ?? throw new InvalidOperationException("No tenant.");

    public async Task<Result<RotationView>> CreateAsync(CreateRotationCommand command, string createdBy, CancellationToken ct)
    {
        // Seconds are for quick trials and tests; operators think in minutes.
        var lostAfter = command.LostAfterSeconds ?? (command.LostAfterMinutes ?? DefaultLostAfterMinutes) * 60;
        if (lostAfter is < 1 or > 7 * 24 * 3600)
        {
            return Error.Validation("lostAfterMinutes", "OutOfRange", "lostAfterMinutes must be between 1 and 10080 (one week).");
        }

        var concurrency = command.Concurrency ?? 10;
        if (concurrency is < 1 or > 500)
        {
            return Error.Validation("concurrency", "OutOfRange", "concurrency must be between 1 and 500.");
        }

        var pacing = command.PacingMilliseconds ?? 0;
        if (pacing is < 0 or > 60_000)
        {
            return Error.Validation("pacingMilliseconds", "OutOfRange", "pacingMilliseconds must be between 0 and 60000.");
        }

        var kind = command.Kind ?? PasswordKind;
        if (kind is not (PasswordKind or SecurityProfileKind))
        {
            return Error.Validation("kind", "InvalidKind", "kind is \"password\" (the default) or \"securityProfile\".");
        }

        if (command.NotBefore is { } notBefore && notBefore > time.GetUtcNow().AddDays(366))
        {
            return Error.Validation("notBefore", "OutOfRange", "notBefore may be at most one year ahead.");
        }

        var stations = await ResolveSourceAsync(command.Source, ct);
        if (!stations.IsSuccess)
        {
            return stations.Error!;
        }

        var protocols = await StationProtocolsAsync(stations.Value!, ct);
        if (kind == SecurityProfileKind)
        {
            return await CreateProfileRotationAsync(command, stations.Value!, protocols, lostAfter, concurrency, pacing, createdBy, ct);
        }

        if (command.TargetVariant is not null || command.CsmsUrl is not null)
        {
            return Error.Validation("targetVariant", "NotForPasswords", "targetVariant and csmsUrl belong to a rotation of kind \"securityProfile\".");
        }

        var target = command.Target;
        var kinds = new[] { target?.PasswordId is not null, target?.GenerateLength is not null, target?.PerStationLength is not null }.Count(x => x);
        if (target is null || kinds != 1)
        {
            return Error.Validation("target", "InvalidTarget", "Give exactly one target: {\"passwordId\"}, {\"generate\":{\"length\"}} or {\"perStation\":{\"length\"}}.");
        }

        var generatedLength = target.GenerateLength ?? target.PerStationLength;
        if (generatedLength is { } length && !BasicAuthPasswordGenerator.AllowedHexLengths.Contains(length))
        {
            return Error.Validation("target.length", "InvalidLength", $"A generated password has one of these lengths: {string.Join(", ", BasicAuthPasswordGenerator.AllowedHexLengths)}.");
        }

        // The secret every station gets (null: one per station, generated below — always hex, always fits).
        string? sharedSecret = null;
        BasicAuthPassword? existing = null;
        if (target.PasswordId is { } targetId)
        {
            existing = await db.BasicAuthPasswords.AsNoTracking().FirstOrDefaultAsync(p => p.Id == targetId, ct);
            if (existing is null)
            {
                return Error.Validation("target.passwordId", "UnknownPassword", "No such BasicAuth password in the pool.");
            }

            if (existing.State != PasswordState.Active)
            {
                return Error.Validation("target.passwordId", "PasswordDisabled", $"The target entry '{existing.Label}' is disabled; stations could not connect with it.");
            }

            sharedSecret = protector.Unprotect(existing.ProtectedSecret);
        }
        else if (target.GenerateLength is { } shared)
        {
            sharedSecret = BasicAuthPasswordGenerator.GenerateHex(shared);
        }

        var problems = await StationProblemsAsync(stations.Value!, protocols, sharedSecret, existing?.Id, ct);
        if (problems.Count > 0)
        {
            return Refused(problems);
        }

        // Only now, with every check passed, may new pool entries appear.
        var rotation = new PasswordRotation
        {
            TenantId = TenantId,
            CreatedAt = time.GetUtcNow(),
            UpdatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
            SourceJson = JsonSerializer.Serialize(command.Source ?? new RotationSource(null, null, null), AuditJsonOptions),
            TargetKind = existing is not null ? RotationTargetKind.ExistingEntry : sharedSecret is not null ? RotationTargetKind.GeneratedEntry : RotationTargetKind.PerStation,
            LostAfterSeconds = lostAfter,
            Concurrency = concurrency,
            PacingMilliseconds = pacing,
            NotBefore = command.NotBefore,
        };
        Guid? sharedId = existing?.Id;
        if (existing is null && sharedSecret is not null)
        {
            var label = string.IsNullOrWhiteSpace(target.GenerateLabel) ? $"Rotation {rotation.CreatedAt:yyyy-MM-dd HH:mm}" : target.GenerateLabel;
            var added = await pool.AddAsync(new AddPasswordCommand(label, $"Generated for rotation {rotation.Id}.", sharedSecret, false, null), createdBy, ct);
            if (!added.IsSuccess)
            {
                return added.Error!;
            }

            sharedId = added.Value!.Entry.Id;
        }

        rotation.TargetPasswordId = sharedId;

        foreach (var station in stations.Value!)
        {
            var stationTarget = sharedId;
            if (stationTarget is null)
            {
                var added = await pool.AddAsync(
                    new AddPasswordCommand($"{station.Identity} (rotation {rotation.CreatedAt:yyyy-MM-dd})", $"Generated for station {station.Identity} by rotation {rotation.Id}.",
                        BasicAuthPasswordGenerator.GenerateHex(target.PerStationLength!.Value), false, null),
                    createdBy, ct);
                if (!added.IsSuccess)
                {
                    return added.Error!;
                }

                stationTarget = added.Value!.Entry.Id;
            }

            rotation.Stations.Add(Waiting(rotation, station, stationTarget.Value));
        }

        db.PasswordRotations.Add(rotation);
        audit.Add("OcppSecurity.RotationCreated", rotation.Id.ToString(), new
        {
            kind = PasswordKind,
            target = rotation.TargetKind.ToString(),
            targetPasswordId = rotation.TargetPasswordId,
            stations = rotation.Stations.Select(s => s.Identity).ToList(),
            lostAfterSeconds = lostAfter,
            notBefore = rotation.NotBefore,
        });
        await db.SaveChangesAsync(ct);
        return ToView(rotation, rotation.Stations) with { Warnings = await HexWarningsAsync(stations.Value!, protocols, sharedSecret, ct) };
    }

    /// <summary>A station's row in a new rotation: what it had before (to undo or admit it again), nothing sent yet.</summary>
    private RotationStation Waiting(PasswordRotation rotation, Station station, Guid targetPasswordId, List<string>? previousVariants = null) => new()
    {
        TenantId = TenantId,
        RotationId = rotation.Id,
        StationId = station.Id,
        Identity = station.Identity,
        TargetPasswordId = targetPasswordId,
        PreviousPasswordId = station.LastPasswordId,
        PreviousPins = [.. station.PinnedPasswordIds],
        PreviousVariants = previousVariants ?? [],
        UpdatedAt = rotation.CreatedAt,
        Reason = WaitingReason(rotation),
    };

    private static string WaitingReason(PasswordRotation rotation) => rotation.NotBefore is { } at
        ? $"Scheduled: nothing is sent before {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC."
        : "Waiting to be sent.";

    /// <summary>
    /// The security-profile upgrade (privateauth → public) through the same states: Accepted when the station took the
    /// new profile, Done when it connected on the target variant — only then is the lower variant refused, because a
    /// 2.0.1 station that cannot reach its new profile falls back to the old one (A05) and must still get in.
    /// </summary>
    private async Task<Result<RotationView>> CreateProfileRotationAsync(CreateRotationCommand command, List<Station> stations, Dictionary<Guid, string> protocols,
        int lostAfter, int concurrency, int pacing, string createdBy, CancellationToken ct)
    {
        if (command.Target is not null)
        {
            return Error.Validation("target", "NotForSecurityProfile", "A security-profile rotation keeps each station's password: give targetVariant, not target.");
        }

        if (command.TargetVariant != ConnectionVariants.Public)
        {
            return Error.Validation("targetVariant", "InvalidVariant", $"targetVariant must be \"{ConnectionVariants.Public}\": the upgrade moves stations from {ConnectionVariants.PrivateAuth} (security profile 1) to {ConnectionVariants.Public} (profile 2).");
        }

        var target = command.TargetVariant;
        var problems = await BusyProblemsAsync(stations, ct);
        foreach (var station in stations)
        {
            if (!station.AllowedVariants.Contains(target, StringComparer.Ordinal))
            {
                problems.Add(new(station.Identity, $"Station {station.Identity} is not allowed on {target}: allow {target} for it first, or it could not connect after the move."));
            }
            else if (station.AllowedVariants.All(v => v == target))
            {
                problems.Add(new(station.Identity, $"Station {station.Identity} is already admitted on {target} only."));
            }

            var protocol = protocols[station.Id];
            var sender = profileSenders.FirstOrDefault(p => p.Protocol == protocol);
            if (sender is null)
            {
                problems.Add(new(station.Identity, $"Station {station.Identity} speaks {protocol}; the security-profile upgrade is not available over it."));
            }
            else if (sender.Problem(target, command.CsmsUrl) is { } problem)
            {
                problems.Add(new(station.Identity, $"Station {station.Identity} ({protocol}): {problem}"));
            }
        }

        if (problems.Count > 0)
        {
            return Refused(problems);
        }

        var rotation = new PasswordRotation
        {
            TenantId = TenantId,
            Kind = RotationKind.SecurityProfile,
            CreatedAt = time.GetUtcNow(),
            UpdatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
            SourceJson = JsonSerializer.Serialize(command.Source!, AuditJsonOptions),
            TargetVariant = target,
            CsmsUrl = command.CsmsUrl,
            LostAfterSeconds = lostAfter,
            Concurrency = concurrency,
            PacingMilliseconds = pacing,
            NotBefore = command.NotBefore,
        };
        foreach (var station in stations)
        {
            rotation.Stations.Add(Waiting(rotation, station, Guid.Empty, previousVariants: [.. station.AllowedVariants]));
        }

        db.PasswordRotations.Add(rotation);
        audit.Add("OcppSecurity.RotationCreated", rotation.Id.ToString(), new
        {
            kind = SecurityProfileKind,
            targetVariant = target,
            stations = rotation.Stations.Select(s => s.Identity).ToList(),
            lostAfterSeconds = lostAfter,
            notBefore = rotation.NotBefore,
        });
        await db.SaveChangesAsync(ct);
        return ToView(rotation, rotation.Stations);
    }

    private static Error Refused(List<StationProblem> problems) => new(ErrorKind.Validation, "StationsRefused",
        $"The rotation was not created: {problems.Select(p => p.Identity).Distinct(StringComparer.Ordinal).Count()} station(s) cannot take this target. Nothing was sent or changed.",
        problems.GroupBy(p => p.Identity).ToDictionary(g => $"stations.{g.Key}", g => g.Select(p => p.Message).ToArray()));

    /// <summary>
    /// The protocol each station speaks: its live connection (any node), else its last admitted handshake, else 1.6.
    /// The engine checks again at push time with the protocol of the connection it sends on.
    /// </summary>
    private async Task<Dictionary<Guid, string>> StationProtocolsAsync(List<Station> stations, CancellationToken ct)
    {
        var keys = stations.Select(s => (TenantId, s.Identity)).ToList();
        var elsewhere = await presence.ElsewhereAsync(keys, ct);
        var identities = stations.Select(s => s.Identity).ToList();
        var lastIds = await db.ConnectionAttempts.AsNoTracking()
            .Where(a => identities.Contains(a.Identity) && a.Result == ConnectionResult.Accepted && a.Protocol != null)
            .GroupBy(a => a.Identity).Select(g => g.Max(a => a.Id)).ToListAsync(ct);
        var last = await db.ConnectionAttempts.AsNoTracking().Where(a => lastIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Identity, a => a.Protocol!, StringComparer.Ordinal, ct);
        return stations.ToDictionary(s => s.Id, s =>
            (presence.OnThisNode(TenantId, s.Identity) ?? elsewhere.GetValueOrDefault((TenantId, s.Identity)))?.Protocol
            ?? last.GetValueOrDefault(s.Identity) ?? DefaultProtocol);
    }

    /// <summary>
    /// A 32–40-hex target reaches a 1.6 station as it is: a conformant one then sends the decoded bytes, a KEBA the
    /// text. Only Lenient hex matching admits both; under Strict one of them is refused as "matches only the other hex form".
    /// </summary>
    private async Task<IReadOnlyList<string>?> HexWarningsAsync(List<Station> stations, Dictionary<Guid, string> protocols, string? sharedSecret, CancellationToken ct)
    {
        var hexShaped = sharedSecret is null || (sharedSecret.Length is >= 32 and <= 40 && BasicAuthPasswordRules.IsHexShaped(sharedSecret));
        var v16 = stations.Count(s => protocols[s.Id] == DefaultProtocol);
        if (!hexShaped || v16 == 0)
        {
            return null;
        }

        var settings = await db.TenantSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        return settings?.HexMatching == HexMatching.Strict
            ? [$"Hex matching is Strict: the target is sent to {v16} OCPP 1.6 station(s) as a hex AuthorizationKey; a conformant station sends the decoded bytes and a KEBA x-series the hex text, and Strict admits only one of those forms. Set hex matching to Lenient (OCPP Security Settings) before the stations reconnect, or some will be refused."]
            : null;
    }

    public async Task<(IReadOnlyList<RotationView> Items, int Total)> ListAsync(int skip, int take, CancellationToken ct)
    {
        var total = await db.PasswordRotations.CountAsync(ct);
        var rows = await db.PasswordRotations.AsNoTracking().OrderByDescending(r => r.CreatedAt).Skip(skip).Take(take).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var stations = await db.RotationStations.AsNoTracking().Where(s => ids.Contains(s.RotationId)).ToListAsync(ct);
        return (rows.Select(r => ToView(r, stations.Where(s => s.RotationId == r.Id).ToList(), withStations: false)).ToList(), total);
    }

    public async Task<Result<RotationView>> GetAsync(Guid id, CancellationToken ct)
    {
        var rotation = await db.PasswordRotations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rotation is null)
        {
            return Error.NotFound("Rotation");
        }

        var stations = await db.RotationStations.AsNoTracking().Where(s => s.RotationId == id).OrderBy(s => s.Identity).ToListAsync(ct);
        return ToView(rotation, stations);
    }

    public Task<Result<RotationView>> PauseAsync(Guid id, CancellationToken ct) =>
        ChangeStateAsync(id, RotationState.Paused, [RotationState.Running], "OcppSecurity.RotationPaused", ct);

    public Task<Result<RotationView>> ResumeAsync(Guid id, CancellationToken ct) =>
        ChangeStateAsync(id, RotationState.Running, [RotationState.Paused], "OcppSecurity.RotationResumed", ct);

    /// <summary>
    /// Cancels the stations not sent yet (and those whose answer is outstanding). Stations that already accepted keep
    /// being watched: they did change their password, and the pinning must follow them.
    /// </summary>
    public async Task<Result<RotationView>> CancelAsync(Guid id, CancellationToken ct)
    {
        var result = await ChangeStateAsync(id, RotationState.Cancelled, [RotationState.Running, RotationState.Paused], "OcppSecurity.RotationCancelled", ct, async rotation =>
        {
            var now = time.GetUtcNow();
            await foreach (var row in db.RotationStations.Where(s => s.RotationId == rotation.Id
                && (s.State == RotationStationState.Waiting || s.State == RotationStationState.Sent)).AsAsyncEnumerable().WithCancellation(ct))
            {
                row.Reason = row.State == RotationStationState.Sent
                    ? "Cancelled while the change was with the station; if it accepts anyway, it is still followed and pinned."
                    : "Cancelled before it was sent; the station keeps its password.";
                row.State = RotationStationState.Cancelled;
                row.UpdatedAt = now;
            }
        });
        return result;
    }

    public async Task<Result<RotationView>> RetryAsync(Guid id, string identity, CancellationToken ct)
    {
        var rotation = await db.PasswordRotations.FirstOrDefaultAsync(r => r.Id == id, ct);
        var row = rotation is null ? null : await db.RotationStations.FirstOrDefaultAsync(s => s.RotationId == id && s.Identity == identity, ct);
        if (rotation is null || row is null)
        {
            return Error.NotFound(rotation is null ? "Rotation" : "Station in this rotation");
        }

        if (rotation.State == RotationState.Cancelled)
        {
            return new Error(ErrorKind.Conflict, "RotationCancelled", "The rotation was cancelled; start a new one for this station.");
        }

        if (!Retriable.Contains(row.State))
        {
            return new Error(ErrorKind.Conflict, "NotRetriable", $"Station {identity} is {row.State}; only Rejected, NotSupported, Failed or Lost stations can be retried.");
        }

        row.State = RotationStationState.Waiting;
        row.Reason = "Retry requested; waiting to be sent.";
        // An acceptance of the retry pins the station to the new entry again, so "previous password admitted" no
        // longer holds then; and should it be Lost once more, admitting the previous password must be offered again.
        row.PreviousAdmitted = false;
        row.UpdatedAt = time.GetUtcNow();
        if (rotation.State == RotationState.Completed)
        {
            rotation.State = RotationState.Running;
        }

        rotation.UpdatedAt = row.UpdatedAt;
        audit.Add("OcppSecurity.RotationRetry", rotation.Id.ToString(), new { station = identity });
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct)).Value!;
    }

    /// <summary>
    /// Undoes the pinning for one station: it may connect with its pre-rotation password again (and with the new one).
    /// For stations that accepted the change and came back with the old password, or not at all.
    /// </summary>
    public async Task<Result<RotationView>> AdmitPreviousAsync(Guid id, string identity, CancellationToken ct)
    {
        var row = await db.RotationStations.FirstOrDefaultAsync(s => s.RotationId == id && s.Identity == identity, ct);
        if (row is null)
        {
            return Error.NotFound(await db.PasswordRotations.AnyAsync(r => r.Id == id, ct) ? "Station in this rotation" : "Rotation");
        }

        if (row.State is not (RotationStationState.Lost or RotationStationState.Accepted or RotationStationState.Done))
        {
            return new Error(ErrorKind.Conflict, "NothingToAdmit", $"Station {identity} is {row.State}: it was never pinned to the new password, so its previous password is still admitted.");
        }

        if (row.PreviousAdmitted)
        {
            return new Error(ErrorKind.Conflict, "AlreadyAdmitted", $"The previous password of station {identity} is already admitted again.");
        }

        if (row.TargetPasswordId == Guid.Empty)
        {
            return await AdmitPreviousVariantsAsync(id, row, ct);
        }

        // Before the rotation the station was either unpinned (every pool entry) or pinned to some entries; both come
        // back, with the new entry added when it had pins, so whichever password it uses now gets it in.
        var pins = row.PreviousPins.Count == 0 ? new List<Guid>() : [.. row.PreviousPins, row.TargetPasswordId];
        if (!await pinning.PinAsync(row.StationId, identity, pins, ct))
        {
            return Error.NotFound("Station");
        }

        row.PreviousAdmitted = true;
        row.UpdatedAt = time.GetUtcNow();
        row.Reason = $"{row.Reason} The previous password is admitted again for this station.".Trim();
        audit.Add("OcppSecurity.RotationAdmitPrevious", id.ToString(), new { station = identity, previousPasswordId = row.PreviousPasswordId, pinnedPasswordIds = pins });
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct)).Value!;
    }

    /// <summary>Security-profile rotation: only Done stations lost their lower variant; they get their old variants back.</summary>
    private async Task<Result<RotationView>> AdmitPreviousVariantsAsync(Guid id, RotationStation row, CancellationToken ct)
    {
        if (row.State != RotationStationState.Done)
        {
            return new Error(ErrorKind.Conflict, "NothingToAdmit", $"Station {row.Identity} is {row.State}: its lower variant is only refused after it connected on the new one, so it is still admitted there.");
        }

        if (!await pinning.AllowVariantsAsync(row.StationId, row.Identity, [.. row.PreviousVariants], ct))
        {
            return Error.NotFound("Station");
        }

        row.PreviousAdmitted = true;
        row.UpdatedAt = time.GetUtcNow();
        row.Reason = $"{row.Reason} Its previous variants ({string.Join(", ", row.PreviousVariants)}) are admitted again.".Trim();
        audit.Add("OcppSecurity.RotationAdmitPrevious", id.ToString(), new { station = row.Identity, allowedVariants = row.PreviousVariants });
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct)).Value!;
    }

    private async Task<Result<RotationView>> ChangeStateAsync(Guid id, RotationState to, RotationState[] from, string auditAction, CancellationToken ct, Func<PasswordRotation, Task>? also = null)
    {
        var rotation = await db.PasswordRotations.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rotation is null)
        {
            return Error.NotFound("Rotation");
        }

        if (!from.Contains(rotation.State))
        {
            return new Error(ErrorKind.Conflict, "InvalidRotationState", $"The rotation is {rotation.State}; it can be {to.ToString().ToLowerInvariant()} only when it is {string.Join(" or ", from)}.");
        }

        rotation.State = to;
        rotation.UpdatedAt = time.GetUtcNow();
        if (also is not null)
        {
            await also(rotation);
        }

        audit.Add(auditAction, rotation.Id.ToString());
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct)).Value!;
    }

    private async Task<Result<List<Station>>> ResolveSourceAsync(RotationSource? source, CancellationToken ct)
    {
        var given = new[] { source?.PasswordId is not null, source?.StationIdentities is not null, source?.CompanyId is not null }.Count(x => x);
        if (source is null || given != 1)
        {
            return Error.Validation("source", "InvalidSource", "Give exactly one source: {\"passwordId\"} (the stations using a pool entry), {\"companyId\"} or {\"stationIdentities\":[…]}.");
        }

        // The data scope applies through the query filters: stations of a company the caller cannot see do not exist here.
        List<Station> stations;
        if (source.PasswordId is { } passwordId)
        {
            if (!await db.BasicAuthPasswords.AnyAsync(p => p.Id == passwordId, ct))
            {
                return Error.Validation("source.passwordId", "UnknownPassword", "No such BasicAuth password in the pool.");
            }

            stations = await db.Stations.AsNoTracking().Where(s => s.LastPasswordId == passwordId).ToListAsync(ct);
        }
        else if (source.CompanyId is { } companyId)
        {
            if (!await db.Companies.AnyAsync(c => c.Id == companyId, ct))
            {
                return Error.Validation("source.companyId", "UnknownCompany", "No such company (or outside your data scope).");
            }

            stations = await db.Stations.AsNoTracking().Where(s => s.CompanyId == companyId).ToListAsync(ct);
        }
        else
        {
            var identities = source.StationIdentities!.Distinct(StringComparer.Ordinal).ToList();
            stations = await db.Stations.AsNoTracking().Where(s => identities.Contains(s.Identity)).ToListAsync(ct);
            var unknown = identities.Except(stations.Select(s => s.Identity), StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                return Error.Validation("source.stationIdentities", "UnknownStation", $"Unknown station(s) (or outside your data scope): {string.Join(", ", unknown)}.");
            }
        }

        if (stations.Count == 0)
        {
            return Error.Validation("source", "NoStations", "The source names no station.");
        }

        return stations;
    }

    private sealed record StationProblem(string Identity, string Message);

    private async Task<List<StationProblem>> BusyProblemsAsync(List<Station> stations, CancellationToken ct)
    {
        var ids = stations.Select(s => s.Id).ToList();
        var busy = await db.RotationStations.AsNoTracking()
            .Where(r => ids.Contains(r.StationId) && Open.Contains(r.State))
            .Join(db.PasswordRotations.Where(p => p.State == RotationState.Running || p.State == RotationState.Paused), r => r.RotationId, p => p.Id, (r, p) => new { r.StationId, p.Id, p.CreatedAt })
            .ToListAsync(ct);
        return [.. stations.Select(s => busy.FirstOrDefault(b => b.StationId == s.Id) is { } other
                ? new StationProblem(s.Identity, $"Station {s.Identity} is already in rotation {other.Id} (created {other.CreatedAt:yyyy-MM-dd HH:mm} UTC); finish or cancel that one first.")
                : null)
            .OfType<StationProblem>()];
    }

    private async Task<List<StationProblem>> StationProblemsAsync(List<Station> stations, Dictionary<Guid, string> protocols, string? secret, Guid? targetId, CancellationToken ct)
    {
        var problems = await BusyProblemsAsync(stations, ct);
        if (secret is null)
        {
            // One generated hex password per station: always fits every protocol and hardware profile.
            return problems;
        }

        foreach (var station in stations)
        {
            if (targetId is not null && station.LastPasswordId == targetId)
            {
                problems.Add(new(station.Identity, $"Station {station.Identity} already uses the target password."));
            }

            // The rule of the station's protocol: 1.6 AuthorizationKey (16–20 bytes as hex), 2.0.1 BasicAuthPassword (16–64 characters).
            var protocol = protocols[station.Id];
            var sender = credentialSenders.FirstOrDefault(c => c.Protocol == protocol);
            if (sender is null)
            {
                problems.Add(new(station.Identity, $"Station {station.Identity} speaks {protocol}; password rotation is not available over it."));
            }
            else if (sender.Problem(secret) is { } problem)
            {
                problems.Add(new(station.Identity, problem));
            }

            foreach (var profile in HardwareProfiles.All.Where(p => p.AppliesTo(station.Vendor, station.Model, station.FirmwareVersion) && !p.Fits(secret)))
            {
                problems.Add(new(station.Identity, $"Station {station.Identity} is {profile.Name}: it needs {profile.MinSecretLength}–{profile.MaxSecretLength} {(profile.RequiresHex ? "hex " : "")}characters; the target does not fit."));
            }
        }

        return problems;
    }

    private static readonly JsonSerializerOptions AuditJsonOptions = new(JsonSerializerDefaults.Web);

    internal static RotationView ToView(PasswordRotation r, IReadOnlyCollection<RotationStation> stations, bool withStations = true)
    {
        int Count(RotationStationState s) => stations.Count(x => x.State == s);
        var counts = new RotationCounts(Count(RotationStationState.Waiting), Count(RotationStationState.Sent), Count(RotationStationState.Accepted),
            Count(RotationStationState.Done), Count(RotationStationState.Rejected), Count(RotationStationState.NotSupported), Count(RotationStationState.Failed),
            Count(RotationStationState.Lost), Count(RotationStationState.Cancelled));
        using var source = JsonDocument.Parse(r.SourceJson);
        var profile = r.Kind == RotationKind.SecurityProfile;
        var target = profile ? new RotationTargetView(null, null, r.TargetVariant) : new RotationTargetView(r.TargetKind, r.TargetPasswordId);
        return new RotationView(r.Id, r.State, r.CreatedAt, r.CreatedBy, source.RootElement.Clone(), target, r.LostAfterSeconds / 60, r.LostAfterSeconds, counts,
            withStations ? stations.OrderBy(s => s.Identity, StringComparer.Ordinal)
                .Select(s => new RotationStationView(s.Identity, s.State, s.Reason, s.UpdatedAt, profile ? null : s.TargetPasswordId, s.PreviousAdmitted)).ToList() : null)
        {
            Kind = profile ? SecurityProfileKind : PasswordKind,
            NotBefore = r.NotBefore,
        };
    }
}
