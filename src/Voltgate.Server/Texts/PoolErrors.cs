using Voltgate.Core.Common;
using Voltgate.Core.OcppSecurity;

namespace Voltgate.Server.Texts;

/// <summary>
/// Puts the password pool service's field errors into the UI's language: rule codes by their text, the label and
/// note messages the UI knows by its own, anything else as sent.
/// </summary>
internal static class PoolErrors
{
    /// <summary>Field name → message(s) for the form, in the UI's language.</summary>
    public static Dictionary<string, string> FieldErrors(Error error, UiText text, IReadOnlyList<HardwareProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (error.Code == "HardwareProfileMismatch")
        {
            result["password"] = string.Join(" ", profiles.Select(p => ProfileWarning(p, text)));
            return result;
        }

        if (error.Code == "DuplicatePassword")
        {
            result["password"] = text["DuplicatePassword"];
            return result;
        }

        foreach (var (field, messages) in error.FieldErrors ?? new Dictionary<string, string[]>())
        {
            result[field] = string.Join(" ", messages.Select(m => Translate(field, m, text)));
        }

        if (result.Count == 0)
        {
            result[""] = error.Message;
        }

        return result;
    }

    /// <summary>The warning for a secret that does not fit <paramref name="profile"/>.</summary>
    public static string ProfileWarning(HardwareProfile profile, UiText text)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(text);
        return text.Format("ProfileWarning", profile.Name, profile.MinSecretLength, profile.MaxSecretLength);
    }

    private static string Translate(string field, string message, UiText text)
    {
        if (field == BasicAuthPasswordRules.Field && BasicAuthPasswordRules.AllCodes.Contains(message))
        {
            return text.Rules.Message(message, text.Culture);
        }

        return (field, message) switch
        {
            ("label", "A label is required.") => text["LabelRequired"],
            ("label", _) when message.StartsWith("The label may have at most", StringComparison.Ordinal) => text.Format("LabelTooLong", PasswordPoolService.MaxLabelLength),
            ("note", _) when message.StartsWith("The note may have at most", StringComparison.Ordinal) => text.Format("NoteTooLong", PasswordPoolService.MaxNoteLength),
            _ => message,
        };
    }
}
