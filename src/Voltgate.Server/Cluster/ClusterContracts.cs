using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Cluster;

/// <summary>The station is not on this node and the backplane that would reach the others is down.</summary>
internal sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Turns <see cref="ClusterUnavailableException"/> into problem details 503 "cluster backplane unavailable".</summary>
internal sealed class ClusterUnavailableExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public const string Title = "cluster backplane unavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not ClusterUnavailableException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = Title,
                Detail = "The station is not connected to this node, and the Redis backplane that reaches the other nodes is unavailable. Try again shortly.",
            },
        });
    }
}

/// <summary>What nodes say to each other. One envelope; which fields are set depends on <see cref="Type"/>.</summary>
internal sealed record ClusterMessage(string Type, string From)
{
    public const string Call = "call";
    public const string Reply = "reply";
    public const string Supersede = "supersede";
    public const string PoolChanged = "pool";
    public const string SettingsChanged = "settings";
    public const string StationChanged = "station";

    public Guid? Tenant { get; init; }
    public string? Identity { get; init; }
    public Guid? ConnectionId { get; init; }
    public Guid? CallId { get; init; }
    public string? Action { get; init; }
    public JsonElement? Payload { get; init; }
    public Voltgate.Ocpp.Rpc.CallOutcomeKind? Outcome { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorDescription { get; init; }

    /// <summary>W3C trace context of a forwarded call, so the owner's spans and log lines join the caller's trace.</summary>
    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ClusterMessage))]
[System.Text.Json.Serialization.JsonSerializable(typeof(StationClaim))]
[System.Text.Json.Serialization.JsonSerializable(typeof(NodeEntry))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ClusterEvents))]
internal sealed partial class ClusterJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>This node's registry entry (diagnostics: which nodes are alive and where).</summary>
internal sealed record NodeEntry(string Node, string Address, DateTimeOffset StartedAt);

/// <summary>A node's live station events of the last moment, in one message (a burst of events costs one publish).</summary>
internal sealed record ClusterEvents(string From, IReadOnlyList<Voltgate.Core.Stations.StationEvent> Events);
