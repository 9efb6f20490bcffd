using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Common;
using Voltgate.Core.Data;

namespace Voltgate.Core.Stations;

/// <summary>A recorded handshake with what the operator reads next to it (worded by the host).</summary>
public sealed record ExplainedAttempt(ConnectionAttempt Attempt, AttemptExplanation Explanation);

/// <summary>
/// Adds what another feature knows about a station's attempts (e.g. that a refused password is the one a rotation
/// moved the station away from). Lets that feature explain attempts without the Stations folder depending on it.
/// </summary>
public interface IConnectionAttemptAnnotator
{
    Task<IReadOnlyList<ExplainedAttempt>> AnnotateAsync(Station station, IReadOnlyList<ExplainedAttempt> attempts, CancellationToken ct);
}

/// <summary>A station's recent handshakes, newest first, each explained; shared by the station page and the REST API.</summary>
public sealed class ConnectionAttemptQuery(StationService stations, VoltgateDbContext db, IEnumerable<IConnectionAttemptAnnotator> annotators)
{
    public async Task<Result<(IReadOnlyList<ExplainedAttempt> Items, int Total)>> ListAsync(string identity, int skip, int take, CancellationToken ct)
    {
        var result = await stations.ConnectionAttemptsAsync(identity, skip, take, ct);
        if (!result.IsSuccess)
        {
            return result.Error!;
        }

        var (items, total) = result.Value;
        var station = await db.Stations.AsNoTracking().FirstOrDefaultAsync(x => x.Identity == identity, ct);
        // Only the labels of the pool entries the attempts name, never their secrets.
        var entryIds = items.Select(a => a.PasswordId).OfType<Guid>().Distinct().ToList();
        var labels = await db.BasicAuthPasswords.AsNoTracking().Where(p => entryIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Label, ct);
        IReadOnlyList<ExplainedAttempt> explained = items.Select(a =>
        {
            var label = a.PasswordId is { } id && labels.TryGetValue(id, out var l) ? l : null;
            return new ExplainedAttempt(a, ConnectionDiagnostics.Explain(a, station?.AllowedVariants, label));
        }).ToList();
        if (station is not null)
        {
            foreach (var annotator in annotators)
            {
                explained = await annotator.AnnotateAsync(station, explained, ct);
            }
        }

        return (explained, total);
    }
}
