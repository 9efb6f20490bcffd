using System.Collections;
using System.Globalization;
using System.Resources;
using Voltgate.Core.OcppSecurity.Rotation;
using Voltgate.Server.Tests.Texts;
using Voltgate.Server.Texts;

namespace Voltgate.Server.Tests.Rotation;

/// <summary>The rotation pages' texts exist in English and German, for every state the pages name.</summary>
public sealed class RotationTextsTests
{
    private static Dictionary<string, string> Entries(CultureInfo culture) =>
        new ResourceManager(typeof(RotationTexts)).GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    [Fact]
    public void Every_English_key_has_its_German_text_and_the_reverse()
    {
        var english = Entries(CultureInfo.InvariantCulture);
        var german = Entries(Languages.Culture(Languages.German));

        Assert.NotEmpty(english);
        Assert.Empty(english.Keys.Except(german.Keys));
        Assert.Empty(german.Keys.Except(english.Keys));
        Assert.Empty(english.Where(e => german[e.Key].Length == 0).Select(e => e.Key));
    }

    [Fact]
    public void Every_rotation_state_station_state_and_target_kind_has_a_text()
    {
        var texts = TestTexts.Localizer<RotationTexts>();
        var keys = Enum.GetNames<RotationState>().Select(s => "RotationState." + s)
            .Concat(Enum.GetNames<RotationStationState>().Select(s => "State." + s))
            .Concat(Enum.GetNames<RotationTargetKind>().Select(s => "TargetKind." + s));
        foreach (var culture in new[] { Languages.Culture(Languages.English), Languages.Culture(Languages.German) })
        {
            foreach (var key in keys)
            {
                Assert.False(texts.Get(culture, key).ResourceNotFound, $"{key} ({culture.Name})");
            }
        }
    }

    [Fact]
    public void The_diagnostics_word_a_pinned_out_password_in_both_languages_and_a_missing_label()
    {
        var words = TestTexts.Diagnostics();
        var previous = new Core.Stations.AttemptExplanation(RotationAttemptAnnotator.PreviousPasswordCode, ["14:02 UTC", "13:58 UTC", "Depot", Guid.Empty.ToString()]);
        var pinned = new Core.Stations.AttemptExplanation(RotationAttemptAnnotator.PinnedOutCode, [null]);

        Assert.Equal("Tried the pre-rotation password (\"Depot\") at 14:02 UTC — this station accepted the change at 13:58 UTC. Since then it is admitted only with its new password.",
            words.Word(previous, Languages.Culture(Languages.English)).Explanation);
        Assert.StartsWith("Hat das Passwort von vor der Rotation (\"Depot\") um 14:02 UTC", words.Word(previous, Languages.Culture(Languages.German)).Explanation, StringComparison.Ordinal);
        Assert.Equal("The password belongs to entry an entry, but this station is pinned to other entries.", words.Word(pinned, Languages.Culture(Languages.English)).Explanation);
    }
}
