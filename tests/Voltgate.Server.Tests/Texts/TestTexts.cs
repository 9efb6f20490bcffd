using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Voltgate.Server.Texts;

namespace Voltgate.Server.Tests.Texts;

/// <summary>The Server's localizers as AddLocalization builds them, without a host.</summary>
internal static class TestTexts
{
    private static readonly ResourceManagerStringLocalizerFactory Factory =
        new(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);

    public static IStringLocalizer<T> Localizer<T>() => new StringLocalizer<T>(Factory);

    public static PasswordRuleWording PasswordRules() => new(Localizer<PasswordRuleTexts>());

    public static DiagnosticsWording Diagnostics() => new(Localizer<DiagnosticsTexts>());
}
