using System.Text;

namespace Voltgate.Core.Plausibility;

/// <summary>
/// Strips what no station means in a descriptive string (vendor, model, firmware, status info): control characters
/// (C0 incl. NUL, DEL, C1) and the bidirectional formatting characters that reorder how the text is shown
/// (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C). Identifiers such as idTags are not cleaned: a changed
/// identifier is another identifier.
/// </summary>
public static class TextCleaner
{
    /// <summary>The text without those characters; the same instance when there were none.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = IndexOfUnwanted(text);
        if (first < 0)
        {
            return text;
        }

        var clean = new StringBuilder(text.Length).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            if (!IsUnwanted(text[i]))
            {
                clean.Append(text[i]);
            }
        }

        return clean.ToString();
    }

    public static string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    public static bool IsUnwanted(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';

    private static int IndexOfUnwanted(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnwanted(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
