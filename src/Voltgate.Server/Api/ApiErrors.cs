using Voltgate.Core.Common;

namespace Voltgate.Server.Api;

/// <summary>Maps domain errors to RFC 9457 problem details.</summary>
internal static class ApiErrors
{
    public static IResult ToProblem(this Error error)
    {
        var status = error.Kind switch
        {
            ErrorKind.Validation => StatusCodes.Status400BadRequest,
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status500InternalServerError,
        };
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.FieldErrors is { Count: > 0 } && status != StatusCodes.Status400BadRequest)
        {
            extensions["errors"] = error.FieldErrors;
        }

        if (error.Extensions is not null)
        {
            foreach (var property in error.Extensions.GetType().GetProperties())
            {
                extensions[char.ToLowerInvariant(property.Name[0]) + property.Name[1..]] = property.GetValue(error.Extensions);
            }
        }

        if (error.FieldErrors is { Count: > 0 } fields && status == StatusCodes.Status400BadRequest)
        {
            return TypedResults.ValidationProblem(fields, detail: error.Message, title: error.Message, extensions: extensions);
        }

        return TypedResults.Problem(detail: error.Message, statusCode: status, title: error.Message, extensions: extensions);
    }

    public static (int Skip, int Take) Paging(int? skip, int? take) =>
        (Math.Max(0, skip ?? 0), Math.Clamp(take ?? 50, 1, 500));
}

internal sealed record Page<T>(IReadOnlyList<T> Items, int Total);

internal static class ApiJson
{
    /// <summary>The API's JSON conventions: web defaults (camelCase) with enums as their names.</summary>
    public static System.Text.Json.JsonSerializerOptions Options { get; } = Create();

    public static void Apply(System.Text.Json.JsonSerializerOptions options) =>
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());

    private static System.Text.Json.JsonSerializerOptions Create()
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        Apply(options);
        return options;
    }
}
