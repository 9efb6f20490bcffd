using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Voltgate.Server.Texts;

/// <summary>The two languages Voltgate speaks, and lookups in a named one.</summary>
internal static class Languages
{
    public const string English = "en", German = "de";

    /// <summary>"de" stays German; anything else is English, the neutral resources.</summary>
    public static string Pick(string? language) => language == German ? German : English;

    public static CultureInfo Culture(string? language) => CultureInfo.GetCultureInfo(Pick(language));

    /// <summary>
    /// The text for <paramref name="key"/> in <paramref name="culture"/>. <see cref="IStringLocalizer"/> reads
    /// <see cref="CultureInfo.CurrentUICulture"/>, which a Blazor circuit does not keep between events, so each
    /// lookup sets it for the duration of the (synchronous) read.
    /// </summary>
    public static LocalizedString Get(this IStringLocalizer localizer, CultureInfo culture, string key)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            return localizer[key];
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
