using Voltgate.Core.OcppSecurity.Rotation;

namespace Voltgate.Core.Tests.OcppSecurity;

/// <summary>The 1.6 AuthorizationKey rule: 32–40 hex characters as they are, else hex(UTF-8) of at most 20 bytes.</summary>
public sealed class AuthorizationKeyEncodingTests
{
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567")]
    public void A_32_to_40_character_hex_secret_is_sent_as_it_is(string secret) =>
        Assert.Equal(secret, AuthorizationKeyEncoding.Express(secret));

    [Theory]
    [InlineData("sixteen-chars-pw", "73697874656[0-9a-fA-F]+")]
    [InlineData("twenty-characters-pw", "7477656E74[0-9a-fA-F]+")]
    public void Another_secret_of_16_to_20_bytes_is_sent_as_hex_of_its_UTF8(string secret, string pattern)
    {
        var value = AuthorizationKeyEncoding.Express(secret);
        Assert.NotNull(value);
        Assert.Matches(pattern, value);
        Assert.Equal(secret, System.Text.Encoding.UTF8.GetString(Convert.FromHexString(value)));
    }

    [Theory]
    [InlineData("twenty-one-characters")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789")] // 42 hex characters: 21 bytes
    [InlineData("ümlaute-in-password1")] // 20 characters, 21 UTF-8 bytes
    public void A_secret_that_cannot_fit_is_refused_with_a_clear_message(string secret)
    {
        Assert.Null(AuthorizationKeyEncoding.Express(secret));
        Assert.Contains("OCPP 1.6 cannot carry this password", AuthorizationKeyEncoding.Problem(secret), StringComparison.Ordinal);
    }
}
