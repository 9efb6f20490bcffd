using Voltgate.Core.OcppSecurity;

namespace Voltgate.Core.Tests.OcppSecurity;

public class BasicAuthPasswordGeneratorTests
{
    [Fact]
    public void The_allowed_lengths_are_32_to_40_in_steps_of_two()
    {
        Assert.Equal([32, 34, 36, 38, 40], BasicAuthPasswordGenerator.AllowedHexLengths);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(34)]
    [InlineData(36)]
    [InlineData(38)]
    [InlineData(40)]
    public void A_generated_password_has_the_length_and_is_lower_case_hex_that_passes_every_rule(int length)
    {
        var password = BasicAuthPasswordGenerator.GenerateHex(length);

        Assert.Equal(length, password.Length);
        Assert.Matches("^[0-9a-f]+$", password);
        Assert.Empty(BasicAuthPasswordRules.Validate(password, isHex: true));
        Assert.Empty(BasicAuthPasswordRules.Validate(password, isHex: false));
        Assert.True(HardwareProfiles.KebaXSeries.Fits(password));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(42)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Other_lengths_are_refused(int length)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BasicAuthPasswordGenerator.GenerateHex(length));

        Assert.Equal("length", error.ParamName);
    }

    [Fact]
    public void Generated_passwords_are_random_and_use_every_hex_digit()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => BasicAuthPasswordGenerator.GenerateHex(40)).ToList();

        Assert.Equal(passwords.Count, passwords.Distinct().Count());
        var counts = string.Concat(passwords).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(16, counts.Count);
        // 8,000 digits, 500 expected per digit; a fair source stays well inside 350..650.
        Assert.All(counts.Values, n => Assert.InRange(n, 350, 650));
    }
}
