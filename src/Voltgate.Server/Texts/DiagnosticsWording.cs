using System.Globalization;
using Microsoft.Extensions.Localization;
using Voltgate.Core.OcppSecurity.Rotation;
using Voltgate.Core.Stations;

namespace Voltgate.Server.Texts;

/// <summary>An explanation and fix hint in words, as the operator reads them next to an attempt.</summary>
internal sealed record WordedExplanation(string Explanation, string Hint);

/// <summary>Words the explanation codes of <see cref="ConnectionDiagnostics"/> in English or German.</summary>
internal sealed class DiagnosticsWording(IStringLocalizer<DiagnosticsTexts> texts)
{
    public WordedExplanation Word(AttemptExplanation explanation, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var a = explanation.Arguments;
        // Missing facts get a word of their own; a known entry label is quoted.
        object?[] arguments = explanation.Code switch
        {
            nameof(RefusalReason.PasswordMatchesOnlyOtherHexForm) or nameof(RefusalReason.PasswordDisabled) =>
                [a[0] is { } label ? $"\"{label}\"" : texts.Get(culture, "AnEntry").Value],
            nameof(RefusalReason.VariantNotAllowed) => [a[0], a[1] ?? texts.Get(culture, "NoVariants").Value],
            nameof(RefusalReason.UnsupportedSubprotocol) => [a[0] ?? texts.Get(culture, "NoneOffered").Value],
            RotationAttemptAnnotator.PinnedOutCode => [Quoted(a[0])],
            RotationAttemptAnnotator.PreviousPasswordCode => [a[0], a[1], Quoted(a[2]), a[3]],
            _ => [.. a],
        };
        var text = texts.Get(culture, explanation.Code + ".Explanation");
        var hint = texts.Get(culture, explanation.Code + ".Hint");
        string Quoted(string? label) => label is null ? texts.Get(culture, "AnEntry").Value : $"\"{label}\"";

        // A reason without a text shows its name, as the attempt list always did.
        return new WordedExplanation(
            text.ResourceNotFound ? explanation.Code : string.Format(CultureInfo.InvariantCulture, text.Value, arguments),
            hint.ResourceNotFound ? "" : string.Format(CultureInfo.InvariantCulture, hint.Value, arguments));
    }
}
