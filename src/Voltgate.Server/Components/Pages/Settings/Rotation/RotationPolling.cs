using Microsoft.AspNetCore.Components;

namespace Voltgate.Server.Components.Pages.Settings.Rotation;

/// <summary>
/// A page that re-reads a rotation from the database every <see cref="Interval"/> while it is open. Rotation state is
/// written by whichever node holds the engine lease, so polling the database shows the same progress on every node,
/// where an in-process event would only reach pages on the engine's node.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Maintainability", "CA1515", Justification = "Razor components are public, and this type is part of one's signature.")]
public abstract class RotationPolling : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    protected static TimeSpan Interval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Reloads what the page shows; called on the renderer's context.</summary>
    protected abstract Task RefreshAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _ = PollAsync();
        }
    }

    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
        catch (ObjectDisposedException)
        {
            // The circuit is gone.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
