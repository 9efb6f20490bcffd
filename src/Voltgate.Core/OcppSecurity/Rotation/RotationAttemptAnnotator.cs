using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;

namespace Voltgate.Core.OcppSecurity.Rotation;

/// <summary>
/// Explains a pinned station's refused password in the station's connection diagnostics. The front door names the
/// pool entry a refused password belongs to when the station's pins left it out; when a rotation moved the station
/// away from exactly that entry, the operator reads "tried the pre-rotation password at 14:02 — this station
/// accepted the change at 13:58" instead of a bare mismatch.
/// </summary>
public sealed class RotationAttemptAnnotator(VoltgateDbContext db) : IConnectionAttemptAnnotator
{
    /// <summary>A refused password that is the station's pre-rotation entry. Arguments: at, accepted at, entry label, rotation id.</summary>
    public const string PreviousPasswordCode = "RotationPreviousPassword";

    /// <summary>A refused password that belongs to a pool entry the station is not pinned to. Argument: entry label.</summary>
    public const string PinnedOutCode = "PinnedOut";

    public async Task<IReadOnlyList<ExplainedAttempt>> AnnotateAsync(Station station, IReadOnlyList<ExplainedAttempt> attempts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(station);
        ArgumentNullException.ThrowIfNull(attempts);
        var pinnedOut = attempts.Where(e => IsPinnedOut(e.Attempt)).ToList();
        if (pinnedOut.Count == 0)
        {
            return attempts;
        }

        var changes = await db.RotationStations.AsNoTracking()
            .Where(r => r.StationId == station.Id && r.AcceptedAt != null)
            .Select(r => new { r.RotationId, r.AcceptedAt, r.PreviousPasswordId, r.TargetPasswordId })
            .ToListAsync(ct);
        var entryIds = pinnedOut.Select(e => e.Attempt.PasswordId!.Value).Distinct().ToList();
        var labels = await db.BasicAuthPasswords.AsNoTracking().Where(p => entryIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Label, ct);

        return attempts.Select(e =>
        {
            var a = e.Attempt;
            if (!IsPinnedOut(a))
            {
                return e;
            }

            var label = labels.GetValueOrDefault(a.PasswordId!.Value);
            // The latest change the station accepted before this attempt, away from the entry it tried.
            var change = changes.Where(c => c.AcceptedAt <= a.At && c.PreviousPasswordId == a.PasswordId && c.TargetPasswordId != a.PasswordId)
                .MaxBy(c => c.AcceptedAt);
            return change is null
                ? e with { Explanation = new AttemptExplanation(PinnedOutCode, [label]) }
                : e with { Explanation = new AttemptExplanation(PreviousPasswordCode, [Time(a.At, null), Time(change.AcceptedAt!.Value, a.At), label, change.RotationId.ToString()]) };
        }).ToList();
    }

    private static bool IsPinnedOut(ConnectionAttempt a) =>
        a is { Result: ConnectionResult.Refused, Reason: RefusalReason.PasswordMismatch, PasswordId: not null };

    /// <summary>"14:02 UTC"; with the date when it is not the day of <paramref name="relativeTo"/>.</summary>
    internal static string Time(DateTimeOffset at, DateTimeOffset? relativeTo)
    {
        var utc = at.UtcDateTime;
        var format = relativeTo is { } other && other.UtcDateTime.Date != utc.Date ? "yyyy-MM-dd HH:mm" : "HH:mm";
        return utc.ToString(format, CultureInfo.InvariantCulture) + " UTC";
    }
}
