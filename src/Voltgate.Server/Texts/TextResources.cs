namespace Voltgate.Server.Texts;

// Marker types of the .resx files next to them (neutral = English, .de = German); IStringLocalizer<T> finds
// a resource by the full name of its T.

/// <summary>Labels and messages of the web UI.</summary>
internal sealed class UiTexts;

/// <summary>Explanations and fix hints of connection attempts, keyed <c>{code}.Explanation</c> and <c>{code}.Hint</c>.</summary>
internal sealed class DiagnosticsTexts;

/// <summary>Messages of the BasicAuth password rules, keyed by rule code.</summary>
internal sealed class PasswordRuleTexts;
