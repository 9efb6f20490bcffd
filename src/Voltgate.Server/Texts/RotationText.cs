using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Voltgate.Server.Texts;

/// <summary>Marker type of RotationTexts.resx (English) and RotationTexts.de.resx (German): the password rotation pages.</summary>
internal sealed class RotationTexts;

/// <summary>
/// The rotation pages' texts in the circuit's language (the language <see cref="UiText"/> holds). A resource of their
/// own so the rotation UI does not grow the shared UiTexts files.
/// </summary>
internal sealed class RotationText(IStringLocalizer<RotationTexts> texts, UiText ui)
{
    public string this[string key] => texts.Get(ui.Culture, key).Value;

    /// <summary>A text with placeholders <c>{0}</c>, <c>{1}</c>… filled in.</summary>
    public string Format(string key, params object[] args) => string.Format(CultureInfo.InvariantCulture, this[key], args);

    /// <summary>"2026-12-03 14:02:11" in the server's local time, as the other pages show times.</summary>
    public static string When(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
