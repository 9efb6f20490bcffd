using System.Globalization;
using Microsoft.Extensions.Localization;
using Voltgate.Core.Common;
using Voltgate.Core.OcppSecurity;

namespace Voltgate.Server.Texts;

/// <summary>Words the codes of <see cref="BasicAuthPasswordRules"/> in English or German.</summary>
internal sealed class PasswordRuleWording(IStringLocalizer<PasswordRuleTexts> texts)
{
    /// <exception cref="ArgumentException">Unknown code.</exception>
    public string Message(string code, CultureInfo culture)
    {
        if (!BasicAuthPasswordRules.AllCodes.Contains(code))
        {
            throw new ArgumentException($"Unknown validation code '{code}'.", nameof(code));
        }

        return string.Format(culture, texts.Get(culture, code).Value, [.. BasicAuthPasswordRules.ArgumentsOf(code)]);
    }

    /// <summary>The error with the rule codes among the password field's errors put into words; other messages stay as sent.</summary>
    public Error Word(Error error, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.FieldErrors?.GetValueOrDefault(BasicAuthPasswordRules.Field) is not { } messages)
        {
            return error;
        }

        var fields = new Dictionary<string, string[]>(error.FieldErrors);
        fields[BasicAuthPasswordRules.Field] = [.. messages.Select(m => BasicAuthPasswordRules.AllCodes.Contains(m) ? Message(m, culture) : m)];
        return error with { FieldErrors = fields };
    }
}
