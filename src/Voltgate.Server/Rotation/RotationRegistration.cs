using Voltgate.Core.OcppSecurity.Rotation;

namespace Voltgate.Server.Rotation;

internal static class RotationRegistration
{
    public static IServiceCollection AddPasswordRotation(this IServiceCollection services)
    {
        services.AddScoped<RotationService>();
        services.AddScoped<RotationPinning>();
        services.AddScoped<RotationRetirement>();
        services.AddScoped<RotationPreview>();
        services.AddScoped<Core.Stations.IConnectionAttemptAnnotator, RotationAttemptAnnotator>();
        services.AddSingleton<ICredentialSender, Ocpp16CredentialSender>();
        services.AddSingleton<ICredentialSender, Ocpp201CredentialSender>();
        services.AddSingleton<ISecurityProfileSender, Ocpp16SecurityProfileSender>();
        services.AddSingleton<ISecurityProfileSender, Ocpp201SecurityProfileSender>();
        services.AddOptions<RotationEngineOptions>();
        services.AddSingleton<RotationEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<RotationEngine>());
        return services;
    }
}
