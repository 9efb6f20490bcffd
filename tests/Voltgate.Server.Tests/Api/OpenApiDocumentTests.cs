using System.Net.Http.Json;
using System.Text.Json;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Server.Tests.Api;

/// <summary>
/// /openapi/v1.json is complete enough to generate a client from (issue 18 item 7): every response that has a body
/// has a schema, problems are problem details, and every operation has an operationId.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OpenApiDocumentTests(ServerPool pool, ITestOutputHelper output)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task Every_response_of_every_operation_declares_its_schema()
    {
        var server = await pool.GetAsync("Sqlite");
        using var http = new HttpClient { BaseAddress = server.WebUrl };
        var document = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var missing = new List<string>();
        var operations = 0;
        var responses = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                operations++;
                var name = $"{op.Name.ToUpperInvariant()} {path.Name}";
                if (!op.Value.TryGetProperty("operationId", out _))
                {
                    missing.Add($"{name}: no operationId");
                }

                var declared = op.Value.GetProperty("responses").EnumerateObject().ToList();
                if (!declared.Any(r => r.Name.StartsWith('2')))
                {
                    missing.Add($"{name}: no success response");
                }

                if (path.Name != "/api/v1/auth/token" && !declared.Any(r => r.Name == "401"))
                {
                    missing.Add($"{name}: 401 not declared");
                }

                foreach (var response in declared)
                {
                    responses++;
                    // No body, no schema: 204 and redirects.
                    if (response.Name == "204" || response.Name.StartsWith('3'))
                    {
                        continue;
                    }

                    if (!response.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
                    {
                        missing.Add($"{name} {response.Name}: no content");
                        continue;
                    }

                    foreach (var media in content.EnumerateObject())
                    {
                        if (!media.Value.TryGetProperty("schema", out var schema) || !schema.EnumerateObject().Any())
                        {
                            missing.Add($"{name} {response.Name} {media.Name}: no schema");
                        }
                        else if (response.Name[0] is '4' or '5' && media.Name == "application/problem+json"
                            && !schema.GetRawText().Contains("ProblemDetails", StringComparison.Ordinal))
                        {
                            missing.Add($"{name} {response.Name}: a problem that is not problem details ({schema.GetRawText()})");
                        }
                    }
                }
            }
        }

        output.WriteLine($"{operations} operations, {responses} responses checked");
        Assert.True(operations > 60, $"only {operations} operations in the document");
        Assert.True(missing.Count == 0, "responses without a schema:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void OperationIds_come_from_method_and_route()
    {
        Assert.Equal("GetStations", Voltgate.Server.Api.ApiResponseConventions.OperationId("GET", "/api/v1/stations/"));
        Assert.Equal("PostStationsByIdentityCommandsByAction", Voltgate.Server.Api.ApiResponseConventions.OperationId("POST", "/api/v1/stations/{identity}/commands/{action}"));
        Assert.Equal("GetOcppSecurityBasicAuthPasswordsById", Voltgate.Server.Api.ApiResponseConventions.OperationId("GET", "/api/v1/ocpp-security/basic-auth-passwords/{id:guid}"));
        Assert.Null(Voltgate.Server.Api.ApiResponseConventions.OperationId("GET", "/health"));
    }
}
