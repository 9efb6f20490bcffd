using System.Text;
using Voltgate.Core.Access;
using Voltgate.Core.IdTags;
using Voltgate.Core.Tenancy;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record IdTagSettingsDto(string? IdTagSuffixSeparator);

/// <summary>ID tags as CSV (import with a per-row report, export) and the idTag vendor-suffix setting.</summary>
internal static class IdTagImportApi
{
    private const int MaxCsvBytes = 10 * 1024 * 1024;

    internal static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/import", ImportAsync).RequireRight(Right.IdTagsManage)
            // No Accepts("text/csv") metadata: it would turn a wrong content type into 415 before the rights check.
            .Produces<ImportReport>().ProducesProblems(400, 413)
            .WithSummary("Imports text/csv (idTag,status,expiryDate,parentIdTag,owner): good rows are written, bad rows reported by line; existing tags are updated");
        group.MapGet("/export", async (IdTagCsv csv, CancellationToken ct) => TypedResults.Text(await csv.ExportAsync(ct), "text/csv", Encoding.UTF8))
            .RequireRight(Right.IdTagsView).Produces<string>(StatusCodes.Status200OK, "text/csv").WithSummary("All visible ID tags as CSV, in the import format");
        group.MapGet("/settings", async (TenantSettingsService settings, CancellationToken ct) =>
                TypedResults.Ok(new IdTagSettingsDto((await settings.GetAsync(ct)).IdTagSuffixSeparator)))
            .RequireRight(Right.IdTagsView).WithSummary("The idTag vendor-suffix separator (e.g. \"_\" for KEBA x-series), or null");
        group.MapPut("/settings", async (IdTagSettingsDto request, TenantSettingsService settings, CancellationToken ct) =>
            {
                var result = await settings.UpdateAsync(new SettingsUpdate(null, null, null, null, null, request.IdTagSuffixSeparator ?? ""), ct);
                return result.IsSuccess ? TypedResults.Ok(new IdTagSettingsDto(result.Value!.IdTagSuffixSeparator)) : result.Error!.ToProblem();
            })
            .RequireRight(Right.IdTagsManage).Produces<IdTagSettingsDto>().ProducesValidationProblem().WithSummary("Sets the idTag vendor-suffix separator; null or \"\" switches it off");
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, IdTagCsv csv, CurrentUser current, CancellationToken ct)
    {
        if (request.ContentLength > MaxCsvBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The CSV file is larger than 10 MB.");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        var result = await csv.ImportAsync(text, current.User!.CompanyId, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error!.ToProblem();
    }
}
