namespace Voltgate.Server.Texts;

internal static class TextsRegistration
{
    /// <summary>ASP.NET Core localisation over the .resx files of this folder, and the wordings built on it.</summary>
    public static IServiceCollection AddVoltgateTexts(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<DiagnosticsWording>();
        services.AddSingleton<PasswordRuleWording>();
        return services;
    }
}
