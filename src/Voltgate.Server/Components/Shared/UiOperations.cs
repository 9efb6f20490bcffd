using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Voltgate.Core.Access;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Components.Shared;

/// <summary>The client address of a UI circuit, captured when it opens, for audit events.</summary>
internal sealed class CircuitClient
{
    public string? RemoteAddress { get; set; }
}

internal sealed class CircuitClientHandler(CircuitClient client, IHttpContextAccessor http) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        client.RemoteAddress ??= http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Runs one UI operation like one API request: a fresh DI scope (fresh DbContext), the user and rights read again,
/// the tenant, data scope and audit actor set, and the operation's right checked — the same rules as the API.
/// </summary>
internal sealed class UiOperations(IServiceScopeFactory scopes, AuthenticationStateProvider auth, CircuitClient client)
{
    public async Task<T> RunAsync<T>(Right required, Func<IServiceProvider, Guid, Task<T>> operation)
    {
        var state = await auth.GetAuthenticationStateAsync();
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var current = services.GetRequiredService<CurrentUser>();
        var user = await current.EnsureAsync(state.User, CancellationToken.None);
        if (user is null || !current.Has(required))
        {
            throw new UnauthorizedAccessException("The signed-in user lacks the right for this operation.");
        }

        var actor = services.GetRequiredService<ActorContext>();
        actor.Actor = user.UserName ?? user.Id.ToString();
        actor.ActorId = user.Id;
        actor.SourceAddress = client.RemoteAddress;
        return await operation(services, user.Id);
    }
}
