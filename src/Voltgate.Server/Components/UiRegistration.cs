using Microsoft.AspNetCore.Components.Server.Circuits;
using MudBlazor.Services;
using Voltgate.Server.Components.Shared;
using Voltgate.Server.Texts;

namespace Voltgate.Server.Components;

internal static class UiRegistration
{
    /// <summary>The Blazor UI: interactive server rendering, MudBlazor, per-circuit texts and operations.</summary>
    public static IServiceCollection AddVoltgateUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddScoped<UiText>();
        services.AddScoped<RotationText>();
        services.AddScoped<CircuitClient>();
        services.AddScoped<CircuitHandler, CircuitClientHandler>();
        services.AddScoped<UiOperations>();
        return services;
    }

    public static void MapVoltgateUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
