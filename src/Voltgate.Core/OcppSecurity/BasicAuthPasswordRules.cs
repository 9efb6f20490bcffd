namespace Voltgate.Core.OcppSecurity;

/// <summary>A validation error for one form field.</summary>
/// <param name="Field">The field name, e.g. <c>password</c>.</param>
/// <param name="Code">A stable machine-readable code (see <see cref="BasicAuthPasswordRules.Codes"/>); the host words it per language.</param>
/// <param name="Arguments">The numbers the message names (e.g. the minimum length); never (any part of) the secret.</param>
public sealed record FieldError(string Field, string Code, IReadOnlyList<object> Arguments);

/// <summary>
/// The rules a BasicAuth pool password must satisfy (product design §4): 16–64 characters (40 before the 2025 errata
/// of OCPP 2.0.1 raised BasicAuthPassword's maxLimit to 64; a 1.6 station can carry at most 20 bytes, checked where a
/// password is sent, see AuthorizationKeyEncoding) from OCPP's
/// passwordString alphabet (<c>A–Z a–z 0–9 * - _ = : + | @ .</c>), no leading or trailing whitespace; with
/// Is hex = YES only <c>0–9 a–f A–F</c> and an even length.
/// </summary>
public static class BasicAuthPasswordRules
{
    public const int MinLength = 16, MaxLength = 64;

    /// <summary>The field name every error of <see cref="Validate"/> carries.</summary>
    public const string Field = "password";

    /// <summary>Error codes of <see cref="Validate"/>.</summary>
    public static class Codes
    {
        public const string Required = nameof(Required);
        public const string TooShort = nameof(TooShort);
        public const string TooLong = nameof(TooLong);
        public const string Whitespace = nameof(Whitespace);
        public const string InvalidCharacter = nameof(InvalidCharacter);
        public const string HexInvalidCharacter = nameof(HexInvalidCharacter);
        public const string HexOddLength = nameof(HexOddLength);
    }

    private const string SpecialCharacters = "*-_=:+|@.";

    /// <summary>
    /// Checks a password. Returns an empty list when it is acceptable, otherwise one error per broken rule, in this
    /// order: <c>Required</c> (alone), <c>Whitespace</c>, <c>TooShort</c>/<c>TooLong</c>, then
    /// <c>InvalidCharacter</c> (Is hex = NO) or <c>HexInvalidCharacter</c> (Is hex = YES; it replaces the alphabet
    /// check because hex digits are a subset of the alphabet), then <c>HexOddLength</c>.
    /// Leading/trailing whitespace is reported once, as <c>Whitespace</c>, not also as an invalid character.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(string? password, bool isHex)
    {
        if (string.IsNullOrEmpty(password))
        {
            return [Error(Codes.Required)];
        }

        var errors = new List<FieldError>();
        var core = password.AsSpan().Trim();
        if (core.Length != password.Length)
        {
            errors.Add(Error(Codes.Whitespace));
        }

        if (password.Length < MinLength)
        {
            errors.Add(Error(Codes.TooShort));
        }
        else if (password.Length > MaxLength)
        {
            errors.Add(Error(Codes.TooLong));
        }

        if (isHex)
        {
            if (core.ContainsAnyExcept(HexDigits))
            {
                errors.Add(Error(Codes.HexInvalidCharacter));
            }

            if (password.Length % 2 != 0)
            {
                errors.Add(Error(Codes.HexOddLength));
            }
        }
        else if (core.ContainsAnyExcept(Alphabet))
        {
            errors.Add(Error(Codes.InvalidCharacter));
        }

        return errors;
    }

    /// <summary>True when <paramref name="secret"/> is non-empty, of even length and only <c>0–9 a–f A–F</c>.</summary>
    public static bool IsHexShaped(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length > 0 && secret.Length % 2 == 0 && !secret.AsSpan().ContainsAnyExcept(HexDigits);
    }

    /// <summary>All error codes <see cref="Validate"/> can return.</summary>
    public static IReadOnlyCollection<string> AllCodes { get; } =
        [Codes.Required, Codes.TooShort, Codes.TooLong, Codes.Whitespace, Codes.InvalidCharacter, Codes.HexInvalidCharacter, Codes.HexOddLength];

    internal static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly System.Buffers.SearchValues<char> Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + SpecialCharacters);

    /// <summary>The numbers the message of <paramref name="code"/> names, in order.</summary>
    public static IReadOnlyList<object> ArgumentsOf(string code) => code switch
    {
        Codes.TooShort => [MinLength],
        Codes.TooLong => [MaxLength],
        _ => [],
    };

    private static FieldError Error(string code) => new(Field, code, ArgumentsOf(code));
}
