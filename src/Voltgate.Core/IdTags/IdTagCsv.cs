using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.IdTags;

/// <summary>One CSV line's outcome: Created / Updated, or Error with a message.</summary>
public sealed record ImportRowResult(int Line, string? IdTag, string Outcome, string? Error);

public sealed record ImportReport(int Created, int Updated, int Failed, IReadOnlyList<ImportRowResult> Rows);

/// <summary>
/// ID tags as CSV: <c>idTag,status,expiryDate,parentIdTag,owner</c> (header required, ISO 8601 dates, empty = none).
/// Import validates every row first, then writes all good rows in one transaction: good rows are imported, bad rows
/// reported with their line number, and a database failure writes nothing. Existing tags are updated (an export
/// can be edited and imported again).
/// </summary>
public sealed class IdTagCsv(VoltgateDbContext db, ITenantContext tenant, AuditLog audit, TimeProvider time)
{
    public const string Header = "idTag,status,expiryDate,parentIdTag,owner";
    public const int MaxRows = 50_000;

    public async Task<string> ExportAsync(CancellationToken ct)
    {
        var tags = await db.IdTags.AsNoTracking().OrderBy(t => t.Value).ToListAsync(ct);
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var t in tags)
        {
            var expiry = t.ExpiryDate?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{Csv.Field(t.Value)},{t.Status},{expiry},{Csv.Field(t.ParentIdTag)},{Csv.Field(t.Owner)}\r\n");
        }

        return csv.ToString();
    }

    public async Task<Result<ImportReport>> ImportAsync(string text, Guid? companyId, CancellationToken ct)
    {
        var records = Csv.Parse(text.TrimStart('\uFEFF'));
        if (records.Count == 0 || !string.Equals(string.Join(",", records[0].Select(f => f.Trim())), Header, StringComparison.OrdinalIgnoreCase))
        {
            return Error.Validation("csv", "BadHeader", $"The first line must be the header \"{Header}\".");
        }

        if (records.Count - 1 > MaxRows)
        {
            return Error.Validation("csv", "TooManyRows", $"At most {MaxRows} rows per import.");
        }

        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("No tenant.");
        var values = records.Skip(1).Select(r => r.ElementAtOrDefault(0)?.Trim()).OfType<string>().ToList();
        // Tags of other companies are invisible to a scoped caller but still occupy their value in the tenant.
        var existing = await db.IdTags.Where(t => values.Contains(t.Value)).ToDictionaryAsync(t => t.Value, StringComparer.Ordinal, ct);
        var taken = (await db.IdTags.IgnoreQueryFilters().Where(t => t.TenantId == tenantId && values.Contains(t.Value)).Select(t => t.Value).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

        var rows = new List<ImportRowResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < records.Count; i++)
        {
            var fields = records[i];
            var line = i + 1;
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var (row, error) = ParseRow(fields);
            if (error is null && !seen.Add(row!.IdTag!))
            {
                error = "The idTag appears more than once in the file.";
            }

            if (error is null && taken.Contains(row!.IdTag!) && !existing.ContainsKey(row.IdTag!))
            {
                error = "The idTag exists in a company outside your data scope.";
            }

            if (error is not null)
            {
                rows.Add(new ImportRowResult(line, fields.ElementAtOrDefault(0), "Error", error));
                continue;
            }

            if (existing.TryGetValue(row!.IdTag!, out var tag))
            {
                tag.Status = row.Status ?? tag.Status;
                tag.ExpiryDate = row.ExpiryDate;
                tag.ParentIdTag = row.ParentIdTag;
                tag.Owner = row.Owner;
                rows.Add(new ImportRowResult(line, tag.Value, "Updated", null));
            }
            else
            {
                db.IdTags.Add(new IdTag
                {
                    TenantId = tenantId,
                    Value = row.IdTag!,
                    Status = row.Status ?? IdTagStatus.Accepted,
                    ExpiryDate = row.ExpiryDate,
                    ParentIdTag = row.ParentIdTag,
                    Owner = row.Owner,
                    CompanyId = companyId,
                    CreatedAt = time.GetUtcNow(),
                });
                rows.Add(new ImportRowResult(line, row.IdTag, "Created", null));
            }
        }

        var report = new ImportReport(rows.Count(r => r.Outcome == "Created"), rows.Count(r => r.Outcome == "Updated"), rows.Count(r => r.Outcome == "Error"), rows);
        audit.Add("IdTag.Imported", "csv", new { report.Created, report.Updated, report.Failed });
        await db.SaveChangesAsync(ct);
        return report;
    }

    private static (IdTagInput? Row, string? Error) ParseRow(List<string> f)
    {
        if (f.Count > 5)
        {
            return (null, $"Expected at most 5 fields, found {f.Count}.");
        }

        string? Get(int i) => f.ElementAtOrDefault(i)?.Trim() is { Length: > 0 } v ? v : null;
        var idTag = Get(0);
        if (IdTagService.Problem(idTag, "idTag") is { } idProblem)
        {
            return (null, idProblem.Message);
        }

        IdTagStatus? status = null;
        if (Get(1) is { } s)
        {
            if (!Enum.TryParse<IdTagStatus>(s, ignoreCase: true, out var parsed) || parsed == IdTagStatus.Invalid || int.TryParse(s, out _))
            {
                return (null, $"Unknown status \"{s}\" (Accepted, Blocked or Expired).");
            }

            status = parsed;
        }

        DateTimeOffset? expiry = null;
        if (Get(2) is { } e)
        {
            if (!DateTimeOffset.TryParse(e, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return (null, $"\"{e}\" is not a date (use ISO 8601, e.g. 2027-12-31T23:59:59Z).");
            }

            expiry = parsed;
        }

        var parent = Get(3);
        if (parent is not null && IdTagService.Problem(parent, "parentIdTag") is { } parentProblem)
        {
            return (null, parentProblem.Message);
        }

        var owner = Get(4);
        if (owner is { Length: > 256 })
        {
            return (null, "The owner may have at most 256 characters.");
        }

        return (new IdTagInput(idTag, status, expiry, parent, owner), null);
    }
}
