using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.IdTags;

public sealed record IdTagInput(string? IdTag, IdTagStatus? Status, DateTimeOffset? ExpiryDate, string? ParentIdTag, string? Owner, Guid? CompanyId = null);

/// <summary>RFID cards and tokens of the tenant; Authorize and StartTransaction answer from them.</summary>
public sealed class IdTagService(VoltgateDbContext db, ITenantContext tenant, AuditLog audit, TimeProvider time)
{
    private Guid TenantId => tenant.TenantId ?? throw new InvalidOperationException("No tenant.");

    public async Task<Result<IdTag>> CreateAsync(IdTagInput input, CancellationToken ct)
    {
        if (Problem(input.IdTag, "idTag") is { } idProblem)
        {
            return idProblem;
        }

        if (input.ParentIdTag is not null && Problem(input.ParentIdTag, "parentIdTag") is { } parentProblem)
        {
            return parentProblem;
        }

        if (input.Status == IdTagStatus.Invalid)
        {
            return Error.Validation("status", "InvalidStatus", "Status must be Accepted, Blocked or Expired.");
        }

        if (await db.IdTags.AnyAsync(t => t.Value == input.IdTag, ct))
        {
            return new Error(ErrorKind.Conflict, "DuplicateIdTag", $"The ID tag '{input.IdTag}' already exists.");
        }

        var tag = new IdTag
        {
            TenantId = TenantId,
            Value = input.IdTag!,
            Status = input.Status ?? IdTagStatus.Accepted,
            ExpiryDate = input.ExpiryDate,
            ParentIdTag = input.ParentIdTag,
            Owner = input.Owner,
            CompanyId = input.CompanyId,
            CreatedAt = time.GetUtcNow(),
        };
        db.IdTags.Add(tag);
        audit.Add("IdTag.Created", tag.Value, new { tag.Status, tag.ExpiryDate, tag.ParentIdTag });
        await db.SaveChangesAsync(ct);
        return tag;
    }

    public async Task<Result<IdTag>> UpdateAsync(string idTag, IdTagInput input, CancellationToken ct)
    {
        var tag = await db.IdTags.FirstOrDefaultAsync(t => t.Value == idTag, ct);
        if (tag is null)
        {
            return Error.NotFound("ID tag");
        }

        if (input.Status == IdTagStatus.Invalid)
        {
            return Error.Validation("status", "InvalidStatus", "Status must be Accepted, Blocked or Expired.");
        }

        if (input.ParentIdTag is not null && Problem(input.ParentIdTag, "parentIdTag") is { } parentProblem)
        {
            return parentProblem;
        }

        var before = new { tag.Status, tag.ExpiryDate, tag.ParentIdTag, tag.Owner };
        tag.Status = input.Status ?? tag.Status;
        tag.ExpiryDate = input.ExpiryDate ?? tag.ExpiryDate;
        tag.ParentIdTag = input.ParentIdTag ?? tag.ParentIdTag;
        tag.Owner = input.Owner ?? tag.Owner;
        audit.Add("IdTag.Updated", tag.Value, new { before, after = new { tag.Status, tag.ExpiryDate, tag.ParentIdTag, tag.Owner } });
        await db.SaveChangesAsync(ct);
        return tag;
    }

    public async Task<Result<IdTag>> DeleteAsync(string idTag, CancellationToken ct)
    {
        var tag = await db.IdTags.FirstOrDefaultAsync(t => t.Value == idTag, ct);
        if (tag is null)
        {
            return Error.NotFound("ID tag");
        }

        db.IdTags.Remove(tag);
        audit.Add("IdTag.Deleted", tag.Value);
        await db.SaveChangesAsync(ct);
        return tag;
    }

    public async Task<Result<IdTag>> GetAsync(string idTag, CancellationToken ct) =>
        await db.IdTags.AsNoTracking().FirstOrDefaultAsync(t => t.Value == idTag, ct) is { } tag ? tag : Error.NotFound("ID tag");

    public async Task<(IReadOnlyList<IdTag> Items, int Total)> ListAsync(int skip, int take, CancellationToken ct) =>
        (await db.IdTags.AsNoTracking().OrderBy(t => t.Value).Skip(skip).Take(take).ToListAsync(ct), await db.IdTags.CountAsync(ct));

    internal static Error? Problem(string? value, string field) => value switch
    {
        null or "" => Error.Validation(field, "Required", $"{field} is required."),
        { Length: > IdTag.MaxLength } => Error.Validation(field, "TooLong", $"{field} may have at most {IdTag.MaxLength} characters (OCPP 1.6 IdToken)."),
        _ when value.Any(char.IsControl) || value.Trim() != value => Error.Validation(field, "InvalidCharacter", $"{field} may not contain control characters or leading/trailing spaces."),
        _ => null,
    };
}
