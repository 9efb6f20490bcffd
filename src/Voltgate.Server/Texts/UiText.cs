using System.Globalization;
using Microsoft.Extensions.Localization;
using Voltgate.Core.Stations;

namespace Voltgate.Server.Texts;

/// <summary>
/// The UI's texts in the circuit's language. Scoped per circuit; the layout sets the language from the signed-in
/// user's PreferredLanguage. A missing German text falls back to English, a missing key shows itself.
/// </summary>
internal sealed class UiText(IStringLocalizer<UiTexts> texts, DiagnosticsWording diagnostics, PasswordRuleWording rules)
{
    private string _language = Languages.English;

    public string Language
    {
        get => _language;
        set
        {
            _language = Languages.Pick(value);
            Culture = Languages.Culture(_language);
        }
    }

    public CultureInfo Culture { get; private set; } = Languages.Culture(Languages.English);

    public string this[string key] => texts.Get(Culture, key).Value;

    public PasswordRuleWording Rules => rules;

    public string RightLabel(Core.Access.RightInfo right) => Language == Languages.German ? right.LabelDe : right.Label;

    public string Tab(string tab) => tab switch
    {
        "Stations" => this["Stations"],
        "ID tags" => this["IdTags"],
        "Transactions" => this["Transactions"],
        "Settings" => this["Settings"],
        "User management" => this["UserManagement"],
        "Audit" => this["AuditLog"],
        "Instance" => this["Instance"],
        _ => tab,
    };

    /// <summary>A text with placeholders <c>{0}</c>, <c>{1}</c>… filled in.</summary>
    public string Format(string key, params object[] args) =>
        string.Format(CultureInfo.CurrentCulture, this[key], args);

    /// <summary>A connection attempt's explanation and hint in the circuit's language.</summary>
    public WordedExplanation Explain(AttemptExplanation explanation) => diagnostics.Word(explanation, Culture);

    public static string Pick(string? language) => Languages.Pick(language);
}
