using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Voltgate.Core.Stations;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Components.Shared;

/// <summary>
/// A page that refreshes itself when stations of the signed-in user's tenant change (connect, disconnect, connector
/// status, handshake). Events arrive on socket threads; bursts are coalesced to one refresh per 300 ms.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Maintainability", "CA1515", Justification = "Razor components are public, and this type is part of one's signature.")]
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private int _scheduled;

    [Inject]
    private IStationEvents Events { get; set; } = null!;

    [Inject]
    private AuthenticationStateProvider Auth { get; set; } = null!;

    /// <summary>Whether this event concerns the page (default: every event of the tenant).</summary>
    protected virtual bool Wants(StationEvent e) => true;

    /// <summary>Reloads what the page shows; called on the renderer's context.</summary>
    protected abstract Task RefreshAsync();

    protected async Task SubscribeAsync()
    {
        var state = await Auth.GetAuthenticationStateAsync();
        if (CurrentUser.TryRead(state.User, out var tenantId, out _))
        {
            _subscription = Events.Subscribe(tenantId, OnEvent);
        }
    }

    private void OnEvent(StationEvent e)
    {
        if (!Wants(e) || Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(300);
            Interlocked.Exchange(ref _scheduled, 0);
            try
            {
                await InvokeAsync(async () =>
                {
                    await RefreshAsync();
                    StateHasChanged();
                });
            }
            catch (ObjectDisposedException)
            {
                // The circuit is gone.
            }
        });
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
