using Voltgate.Core.OcppSecurity;
using Voltgate.Server.Texts;
using Codes = Voltgate.Core.OcppSecurity.BasicAuthPasswordRules.Codes;

namespace Voltgate.Server.Tests.Texts;

/// <summary>The rules (Core) with their messages (the Server's resources), as the API and the UI show them.</summary>
public class BasicAuthPasswordRulesTests
{
    private static readonly PasswordRuleWording Words = TestTexts.PasswordRules();

    private static string MessageEn(string code) => Words.Message(code, Languages.Culture(Languages.English));

    private static string MessageDe(string code) => Words.Message(code, Languages.Culture(Languages.German));

    private static string[] CodesOf(string? password, bool isHex = false) =>
        BasicAuthPasswordRules.Validate(password, isHex).Select(e => e.Code).ToArray();

    [Theory]
    [InlineData("abcdefghijklmnop")] // 16
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn")] // 40
    [InlineData("0123456789*-_=:+|@.abc")]
    public void A_password_of_16_to_40_allowed_characters_is_valid(string password)
    {
        Assert.Empty(BasicAuthPasswordRules.Validate(password, isHex: false));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_password_is_Required(string? password)
    {
        var error = Assert.Single(BasicAuthPasswordRules.Validate(password, isHex: false));

        Assert.Equal(("password", Codes.Required, "Enter a password."), (error.Field, error.Code, MessageEn(error.Code)));
    }

    [Fact]
    public void Fifteen_characters_are_TooShort()
    {
        var error = Assert.Single(BasicAuthPasswordRules.Validate(new string('a', 15), isHex: false));

        Assert.Equal(Codes.TooShort, error.Code);
        Assert.Equal("The password must have at least 16 characters.", MessageEn(error.Code));
    }

    [Fact]
    public void Sixty_five_characters_are_TooLong()
    {
        var error = Assert.Single(BasicAuthPasswordRules.Validate(new string('a', 65), isHex: false));

        Assert.Equal(Codes.TooLong, error.Code);
        Assert.Equal("The password must have at most 64 characters.", MessageEn(error.Code));
    }

    /// <summary>OCPP 2.0.1's BasicAuthPassword holds up to 64 characters since the 2025 errata; the pool keeps such targets.</summary>
    [Theory]
    [InlineData(41)]
    [InlineData(64)]
    public void Up_to_64_characters_are_valid_for_OCPP_201_targets(int length)
    {
        Assert.Empty(BasicAuthPasswordRules.Validate(new string('a', length), isHex: false));
    }

    [Theory]
    [InlineData("abcdefghijklmnop!")]
    [InlineData("abcdefgh ijklmnop")]
    [InlineData("abcdefghijklmnop#")]
    [InlineData("abcdefghijklmnopä")]
    [InlineData("abcdefghijklmnop/")]
    public void A_character_outside_the_passwordString_alphabet_is_InvalidCharacter(string password)
    {
        var error = Assert.Single(BasicAuthPasswordRules.Validate(password, isHex: false));

        Assert.Equal(Codes.InvalidCharacter, error.Code);
        Assert.Equal("The password may contain only A–Z, a–z, 0–9 and * - _ = : + | @ .", MessageEn(error.Code));
    }

    [Theory]
    [InlineData(" abcdefghijklmnop")]
    [InlineData("abcdefghijklmnop ")]
    [InlineData("\tabcdefghijklmnop\n")]
    public void Leading_or_trailing_whitespace_is_reported_once_as_Whitespace(string password)
    {
        Assert.Equal([Codes.Whitespace], CodesOf(password));
    }

    [Fact]
    public void Several_broken_rules_are_all_reported()
    {
        Assert.Equal([Codes.Whitespace, Codes.TooShort, Codes.InvalidCharacter], CodesOf(" short!"));
    }

    [Theory]
    [InlineData("0123456789abcdefABCDEF0123456789")]
    [InlineData("566f6c74676174652d6865786b65792d32303236")]
    public void An_even_length_hex_password_is_valid_with_is_hex(string password)
    {
        Assert.Empty(BasicAuthPasswordRules.Validate(password, isHex: true));
    }

    [Fact]
    public void An_odd_length_hex_password_is_HexOddLength()
    {
        var error = Assert.Single(BasicAuthPasswordRules.Validate(new string('a', 33), isHex: true));

        Assert.Equal(Codes.HexOddLength, error.Code);
        Assert.Equal("A hex password must have an even number of characters (two per byte).", MessageEn(error.Code));
    }

    [Theory]
    [InlineData("0123456789abcdefg0123456789abcdef")] // 'g'
    [InlineData("0123456789abcdef-0123456789abcdef-")] // '-' is allowed in general, not in hex
    public void A_non_hex_character_with_is_hex_is_HexInvalidCharacter(string password)
    {
        var errors = BasicAuthPasswordRules.Validate(password, isHex: true);

        Assert.Contains(errors, e => e.Code == Codes.HexInvalidCharacter && MessageEn(e.Code) == "A hex password may contain only 0–9, a–f and A–F.");
        Assert.DoesNotContain(errors, e => e.Code == Codes.InvalidCharacter);
    }

    [Fact]
    public void No_message_contains_the_secret()
    {
        const string secret = " secret-Value#1 ";

        foreach (var error in BasicAuthPasswordRules.Validate(secret, isHex: true).Concat(BasicAuthPasswordRules.Validate(secret, isHex: false)))
        {
            Assert.Equal("password", error.Field);
            Assert.DoesNotContain("secret-Value", MessageEn(error.Code), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_code_has_an_English_and_a_German_message()
    {
        Assert.Equal(7, BasicAuthPasswordRules.AllCodes.Count);
        foreach (var code in BasicAuthPasswordRules.AllCodes)
        {
            Assert.False(string.IsNullOrWhiteSpace(MessageEn(code)));
            Assert.False(string.IsNullOrWhiteSpace(MessageDe(code)));
            Assert.NotEqual(MessageEn(code), MessageDe(code));
        }

        Assert.Equal("Das Passwort muss mindestens 16 Zeichen haben.", MessageDe(Codes.TooShort));
        Assert.Throws<ArgumentException>(() => MessageDe("NoSuchCode"));
    }

    [Theory]
    [InlineData("0a1B", true)]
    [InlineData("566f6c74676174652d6865786b65792d32303236", true)]
    [InlineData("0a1", false)]
    [InlineData("0a1g", false)]
    [InlineData("", false)]
    [InlineData("0x1a", false)]
    public void IsHexShaped_needs_an_even_number_of_hex_digits(string secret, bool expected)
    {
        Assert.Equal(expected, BasicAuthPasswordRules.IsHexShaped(secret));
    }
}
