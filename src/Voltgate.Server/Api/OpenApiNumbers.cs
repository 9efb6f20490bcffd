using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Voltgate.Server.Api;

/// <summary>
/// Numbers in the OpenAPI document are numbers, and enums of names are strings. The API reads JSON with the web defaults, which also accept a number
/// written as a string, and the document generator says so with <c>type: [integer, string]</c> and a pattern; client
/// generators turn that into a wrapper class instead of an <c>int</c> (NSwag made <c>total</c> unreadable). The
/// document describes what the API answers and what a client should send; the lenient reading stays.
/// </summary>
internal static class OpenApiNumbers
{
    public static Task StrictAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        // Enums are written as their names (ApiJson): say they are strings, or generators read them as integers.
        if (schema.Type is null && schema.Enum is { Count: > 0 } values
            && values.All(v => v is System.Text.Json.Nodes.JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String))
        {
            schema.Type = JsonSchemaType.String;
        }

        return Task.CompletedTask;
    }
}
