using System.Collections;
using System.Globalization;
using System.Resources;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.Stations;
using Voltgate.Server.Texts;

namespace Voltgate.Server.Tests.Texts;

/// <summary>Every text exists in English (the neutral .resx) and German (.de.resx), and every code Core returns has one.</summary>
public class ResourceCompletenessTests
{
    public static TheoryData<Type> Resources => [typeof(UiTexts), typeof(DiagnosticsTexts), typeof(PasswordRuleTexts)];

    private static Dictionary<string, string> Entries(Type resource, CultureInfo culture)
    {
        // tryParents: false reads exactly that language's file, without falling back to English.
        var set = new ResourceManager(resource).GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        Assert.NotNull(set);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    [Theory]
    [MemberData(nameof(Resources))]
    public void Every_English_key_has_its_German_text_and_the_reverse(Type resource)
    {
        var english = Entries(resource, CultureInfo.InvariantCulture);
        var german = Entries(resource, Languages.Culture(Languages.German));

        Assert.NotEmpty(english);
        Assert.Empty(english.Keys.Except(german.Keys));
        Assert.Empty(german.Keys.Except(english.Keys));
        Assert.Empty(english.Where(e => e.Value.Length > 0 && german[e.Key].Length == 0).Select(e => e.Key));
    }

    [Fact]
    public void Every_refusal_reason_has_an_explanation_and_every_refusal_a_hint_in_both_languages()
    {
        var texts = TestTexts.Localizer<DiagnosticsTexts>();
        foreach (var culture in new[] { Languages.Culture(Languages.English), Languages.Culture(Languages.German) })
        {
            foreach (var reason in Enum.GetValues<RefusalReason>())
            {
                Assert.False(texts.Get(culture, $"{reason}.Explanation").ResourceNotFound, $"{reason}.Explanation");
                Assert.Equal(reason == RefusalReason.None, texts.Get(culture, $"{reason}.Hint").ResourceNotFound);
            }
        }
    }

    [Fact]
    public void Every_password_rule_code_has_a_text()
    {
        var texts = TestTexts.Localizer<PasswordRuleTexts>();
        foreach (var code in BasicAuthPasswordRules.AllCodes)
        {
            Assert.False(texts.Get(Languages.Culture(Languages.English), code).ResourceNotFound, code);
            Assert.False(texts.Get(Languages.Culture(Languages.German), code).ResourceNotFound, code);
        }
    }

    [Fact]
    public void Diagnostics_name_the_facts_and_word_missing_ones()
    {
        var words = TestTexts.Diagnostics();
        var attempt = new ConnectionAttempt
        {
            Identity = "KC-1",
            SourceAddress = "10.0.0.9",
            Variant = "public",
            Endpoint = "wss-public",
            Reason = RefusalReason.PasswordDisabled,
        };

        var english = words.Word(ConnectionDiagnostics.Explain(attempt, null, null), Languages.Culture(Languages.English));
        var german = words.Word(ConnectionDiagnostics.Explain(attempt, null, "Fleet"), Languages.Culture(Languages.German));
        var unsupported = words.Word(ConnectionDiagnostics.Explain(new ConnectionAttempt
        {
            Identity = "KC-1",
            SourceAddress = "10.0.0.9",
            Variant = "public",
            Endpoint = "wss-public",
            Reason = RefusalReason.UnsupportedSubprotocol,
        }, null, null), Languages.Culture(Languages.German));

        Assert.Equal("The password belongs to entry an entry, which is disabled.", english.Explanation);
        Assert.Equal("Das Passwort gehört zu \"Fleet\", der deaktiviert ist.", german.Explanation);
        Assert.Equal("Die Station bietet kein unterstütztes Subprotokoll an (keines).", unsupported.Explanation);
    }
}
