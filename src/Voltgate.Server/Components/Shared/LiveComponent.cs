using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Voltgate.Core.Stations;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Components.Shared;

/// <summary>
/// A page that refreshes itself when stations of the signed-in user's tenant change (connect, disconnect, connector
/// status, handshake), on this node or, in a cluster, on another. Events arrive on socket threads; bursts are
/// coalesced to one refresh per 300 ms. A cluster node whose backplane comes back refreshes its pages too: they may
/// have missed the other nodes' events meanwhile.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Maintainability", "CA1515", Justification = "Razor components are public, and this type is part of one's signature.")]
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private Cluster.ClusterStatus? _cluster;
    private int _scheduled;

    [Inject]
    private IStationEvents Events { get; set; } = null!;

    [Inject]
    private AuthenticationStateProvider Auth { get; set; } = null!;

    [Inject]
    private IServiceProvider Services { get; set; } = null!;

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
            _cluster = Services.GetService<Cluster.ClusterStatus>();
            if (_cluster is not null)
            {
                _cluster.Changed += OnClusterChanged;
            }
        }
    }

    private void OnEvent(StationEvent e)
    {
        if (Wants(e))
        {
            Schedule();
        }
    }

    private void OnClusterChanged()
    {
        if (_cluster is { BackplaneAvailable: true })
        {
            Schedule();
        }
    }

    private void Schedule()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1)
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
        if (_cluster is not null)
        {
            _cluster.Changed -= OnClusterChanged;
        }

        GC.SuppressFinalize(this);
    }
}
