using Voltgate.Core.OcppSecurity;

namespace Voltgate.Core.Tests.OcppSecurity;

public class HardwareProfileTests
{
    private static HardwareProfile Keba => HardwareProfiles.KebaXSeries;

    [Fact]
    public void The_KEBA_profile_is_described_and_listed()
    {
        Assert.Equal("keba-x-series", Keba.Id);
        Assert.Equal("KEBA x-series (firmware 1.15+)", Keba.Name);
        Assert.Contains(Keba, HardwareProfiles.All);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")] // 32
    [InlineData("0123456789ABCDEF0123456789abcdef0123")] // 36, mixed case
    [InlineData("566f6c74676174652d6865786b65792d32303236")] // 40
    public void The_KEBA_profile_fits_even_length_hex_of_32_to_40(string secret)
    {
        Assert.True(Keba.Fits(secret));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcde")] // 31
    [InlineData("0123456789abcdef0123456789abcdef0")] // 33, odd
    [InlineData("0123456789abcdef0123456789abcdef0123456789")] // 42
    [InlineData("0123456789abcdef0123456789abcdeg")] // 'g'
    [InlineData("plain-Text_password=42")] // a valid pool password, but not for KEBA
    [InlineData("0123456789abcdef")] // 16 hex: valid in general, too short for KEBA
    public void The_KEBA_profile_does_not_fit_other_secrets(string secret)
    {
        Assert.False(Keba.Fits(secret));
    }

    [Theory]
    [InlineData("Keba AG", "KC-P30-EC2404X2-E0R", "1.15.0")]
    [InlineData("KEBA", "kc-p30-es240xx2-m0r", "1.16")]
    [InlineData("keba ag", "KeContact P30 x", "2.0.3")]
    [InlineData("KEBA AG", "P30 x-series", "1.15")]
    [InlineData("KEBA AG", "KC-P30 x-series", "P30 v 1.15.2 (160712-123)")]
    public void The_KEBA_profile_applies_to_x_series_stations_on_firmware_1_15_or_later(string vendor, string model, string firmware)
    {
        Assert.True(Keba.AppliesTo(vendor, model, firmware));
    }

    [Theory]
    [InlineData("Keba AG", "KC-P30-EC2404X2-E0R", "1.14.9")]
    [InlineData("Keba AG", "KC-P30-EC2404X2-E0R", "1.9")]
    [InlineData("Keba AG", "KC-P30-EC240422-E0R", "1.15.0")] // c-series type code: no X
    [InlineData("Keba AG", "KeContact P30 c", "1.15.0")]
    [InlineData("ABB", "KC-P30-EC2404X2-E0R", "1.15.0")]
    [InlineData("Kebab Corp", "KeContact P30 x", "1.15.0")]
    [InlineData(null, "KeContact P30 x", "1.15.0")]
    [InlineData("Keba AG", null, "1.15.0")]
    public void The_KEBA_profile_does_not_apply_to_other_stations_or_older_firmware(string? vendor, string? model, string firmware)
    {
        Assert.False(Keba.AppliesTo(vendor, model, firmware));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("beta")]
    public void An_unparsable_firmware_version_applies_to_be_safe(string? firmware)
    {
        Assert.True(Keba.AppliesTo("Keba AG", "KeContact P30 x", firmware));
    }

    [Fact]
    public void A_profile_without_a_rule_accepts_any_valid_pool_length()
    {
        var profile = new HardwareProfile("any", "Any", ".*", ".*", "");

        Assert.True(profile.Fits("plain-Text_password=42"));
        Assert.True(profile.Fits(new string('a', 64)));
        Assert.False(profile.Fits(new string('a', 65)));
        Assert.True(profile.AppliesTo("x", "y", "0.1"));
    }
}
