using System.Text;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Tests.FrontDoor;

public class BasicAuthorizationHeaderTests
{
    private static string Header(string scheme, byte[] credentials) => $"{scheme} {Convert.ToBase64String(credentials)}";

    private static string Header(string credentials) => Header("Basic", Encoding.UTF8.GetBytes(credentials));

    [Fact]
    public void A_well_formed_header_yields_username_and_password_bytes()
    {
        var problem = BasicAuthorizationHeader.TryParse(Header("CP001:s3cret-password"), out var user, out var password);

        Assert.Equal(BasicHeaderProblem.None, problem);
        Assert.Equal("CP001", user);
        Assert.Equal("s3cret-password"u8.ToArray(), password);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("BASIC")]
    [InlineData("bAsIc")]
    public void The_scheme_is_matched_case_insensitively(string scheme)
    {
        var problem = BasicAuthorizationHeader.TryParse(Header(scheme, "CP001:pw"u8.ToArray()), out var user, out _);

        Assert.Equal(BasicHeaderProblem.None, problem);
        Assert.Equal("CP001", user);
    }

    [Theory]
    [InlineData("  Basic Q1AwMDE6cHc=  ")]
    [InlineData("Basic     Q1AwMDE6cHc=")]
    [InlineData("\tBasic \t Q1AwMDE6cHc=\t")]
    public void Surrounding_and_extra_spaces_are_tolerated(string header)
    {
        var problem = BasicAuthorizationHeader.TryParse(header, out var user, out var password);

        Assert.Equal(BasicHeaderProblem.None, problem);
        Assert.Equal("CP001", user);
        Assert.Equal("pw"u8.ToArray(), password);
    }

    [Fact]
    public void Missing_base64_padding_is_tolerated()
    {
        // "CP001:pw" is Q1AwMDE6cHc= ; some stations drop the padding.
        var problem = BasicAuthorizationHeader.TryParse("Basic Q1AwMDE6cHc", out var user, out var password);

        Assert.Equal(BasicHeaderProblem.None, problem);
        Assert.Equal("CP001", user);
        Assert.Equal("pw"u8.ToArray(), password);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_or_empty_header_is_Missing(string? header)
    {
        var problem = BasicAuthorizationHeader.TryParse(header, out var user, out var password);

        Assert.Equal(BasicHeaderProblem.Missing, problem);
        Assert.Equal(string.Empty, user);
        Assert.Empty(password);
    }

    [Theory]
    [InlineData("Bearer Q1AwMDE6cHc=")]
    [InlineData("Digest username=\"CP001\"")]
    [InlineData("BasicQ1AwMDE6cHc=")]
    [InlineData("Basic")]
    [InlineData("Basic    ")]
    public void Another_scheme_or_no_token_is_Malformed(string header)
    {
        var problem = BasicAuthorizationHeader.TryParse(header, out var user, out var password);

        Assert.Equal(BasicHeaderProblem.Malformed, problem);
        Assert.Equal(string.Empty, user);
        Assert.Empty(password);
    }

    [Theory]
    [InlineData("Basic not*base64!")]
    [InlineData("Basic Q1AwMDE6c")]
    [InlineData("Basic Q1Aw MDE6cHc=")]
    [InlineData("Basic ====")]
    public void Bad_base64_is_Malformed(string header)
    {
        Assert.Equal(BasicHeaderProblem.Malformed, BasicAuthorizationHeader.TryParse(header, out _, out _));
    }

    [Fact]
    public void Credentials_without_a_colon_are_Malformed()
    {
        Assert.Equal(BasicHeaderProblem.Malformed, BasicAuthorizationHeader.TryParse(Header("CP001-no-colon"), out _, out _));
    }

    [Fact]
    public void A_colon_inside_the_password_stays_in_the_password()
    {
        var problem = BasicAuthorizationHeader.TryParse(Header("CP001:pass:word:"), out var user, out var password);

        Assert.Equal(BasicHeaderProblem.None, problem);
        Assert.Equal("CP001", user);
        Assert.Equal("pass:word:"u8.ToArray(), password);
    }

    [Fact]
    public void Non_UTF8_password_bytes_are_kept_raw()
    {
        // The OCPP 1.6J §6.2.2 example: identity AL1000, key 0001020304050607FFFFFFFFFFFFFFFFFFFFFFFF as raw bytes.
        var problem = BasicAuthorizationHeader.TryParse("Basic QUwxMDAwOgABAgMEBQYH////////////////", out var user, out var password);

        Assert.Equal(BasicHeaderProblem.None, problem);
        Assert.Equal("AL1000", user);
        Assert.Equal(Convert.FromHexString("0001020304050607FFFFFFFFFFFFFFFFFFFFFFFF"), password);
    }

    [Fact]
    public void An_invalid_UTF8_username_is_Malformed()
    {
        byte[] credentials = [0x43, 0x50, 0xC3, 0x28, (byte)':', (byte)'p', (byte)'w'];

        var problem = BasicAuthorizationHeader.TryParse(Header("Basic", credentials), out var user, out var password);

        Assert.Equal(BasicHeaderProblem.Malformed, problem);
        Assert.Equal(string.Empty, user);
        Assert.Empty(password);
    }

    [Fact]
    public void A_non_ASCII_UTF8_username_is_decoded()
    {
        var problem = BasicAuthorizationHeader.TryParse(Header("Zähler-Ost:pw"), out var user, out _);

        Assert.Equal(BasicHeaderProblem.None, problem);
        Assert.Equal("Zähler-Ost", user);
    }

    [Fact]
    public void An_empty_password_parses_with_no_problem_and_empty_bytes_so_the_pool_refuses_it()
    {
        var problem = BasicAuthorizationHeader.TryParse(Header("CP001:"), out var user, out var password);

        Assert.Equal(BasicHeaderProblem.None, problem);
        Assert.Equal("CP001", user);
        Assert.Empty(password);
    }

    [Fact]
    public void An_empty_username_parses_and_is_left_for_the_identity_comparison_to_refuse()
    {
        var problem = BasicAuthorizationHeader.TryParse(Header(":pw"), out var user, out var password);

        Assert.Equal(BasicHeaderProblem.None, problem);
        Assert.Equal(string.Empty, user);
        Assert.Equal("pw"u8.ToArray(), password);
    }

    [Fact]
    public void An_oversized_header_is_Malformed_without_decoding()
    {
        var header = "Basic " + new string('A', BasicAuthorizationHeader.MaxHeaderLength);

        Assert.Equal(BasicHeaderProblem.Malformed, BasicAuthorizationHeader.TryParse(header, out _, out _));
    }
}
