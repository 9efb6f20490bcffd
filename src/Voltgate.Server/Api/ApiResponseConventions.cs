using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Voltgate.Server.Api;

/// <summary>
/// The problem answers every API endpoint shares, declared once so that /openapi/v1.json shows them for each
/// operation: 401 and 403 for an endpoint that needs a signed-in caller (the status-code pages answer both as
/// problem details). An endpoint's own successes and problems are declared where it is mapped. Every operation also
/// gets a stable operationId from its method and route (<c>GET /api/v1/stations/{identity}</c> →
/// <c>GetStationsByIdentity</c>) unless it is named explicitly, so that generated clients have readable method names.
/// </summary>
internal static class ApiResponseConventions
{
    public const string ProblemContentType = "application/problem+json";

    public static TBuilder WithSharedProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        // Finally: after the endpoint's own conventions, so that AllowAnonymous and its own declarations are known.
        builder.Finally(endpoint =>
        {
            var metadata = endpoint.Metadata;
            if (endpoint is RouteEndpointBuilder route && !metadata.OfType<IEndpointNameMetadata>().Any()
                && metadata.OfType<HttpMethodMetadata>().FirstOrDefault()?.HttpMethods is [var method]
                && OperationId(method, route.RoutePattern.RawText) is { } name)
            {
                metadata.Add(new EndpointNameMetadata(name));
            }

            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                Declare(metadata, StatusCodes.Status401Unauthorized);
                Declare(metadata, StatusCodes.Status403Forbidden);
            }
        });
        return builder;
    }

    /// <summary>
    /// Declares an endpoint's own problem answers in one call: 400 as a validation problem (what
    /// <see cref="ApiErrors.ToProblem"/> answers for field errors), any other status as problem details.
    /// </summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params ReadOnlySpan<int> statusCodes)
    {
        foreach (var status in statusCodes)
        {
            builder = status == StatusCodes.Status400BadRequest ? builder.ProducesValidationProblem() : builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>PascalCase of the method and the route's segments after /api/v1, a parameter as "By" + its name.</summary>
    internal static string? OperationId(string method, string? route)
    {
        if (route is null || !route.StartsWith("/api/v1/", StringComparison.Ordinal))
        {
            return null;
        }

        var name = new System.Text.StringBuilder(Pascal(method.ToLowerInvariant()));
        foreach (var segment in route["/api/v1/".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment.StartsWith('{'))
            {
                name.Append("By").Append(Pascal(segment.Trim('{', '}').Split(':')[0]));
            }
            else
            {
                foreach (var word in segment.Split('-'))
                {
                    name.Append(Pascal(word));
                }
            }
        }

        return name.ToString();
    }

    private static string Pascal(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private static void Declare(IList<object> metadata, int status)
    {
        if (!metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == status))
        {
            metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ProblemContentType]));
        }
    }
}
