using System.Text;
using Voltgate.Core.OcppSecurity;

namespace Voltgate.Core.Tests.OcppSecurity;

/// <summary><see cref="PasswordPoolIndex.MatchText"/>: the only form a 2.0.1 station's BasicAuthPassword can take.</summary>
public class PasswordPoolIndexTextTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private const string HexSecret = "566f6c74676174652d6865786b65792d32303236";
    private const string TextSecret = "plain-Text_password=42";
    private static readonly Guid EntryA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid EntryB = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void A_text_entry_matches_its_text()
    {
        var index = new PasswordPoolIndex(Key, [new PoolSecret(EntryA, TextSecret, IsHex: false, PasswordState.Active)]);

        Assert.Equal(new PasswordMatch(PasswordMatchResult.Matched, EntryA), index.MatchText(Text(TextSecret)));
        Assert.Equal(PasswordMatchResult.Mismatch, index.MatchText(Text(TextSecret.ToUpperInvariant())).Result);
    }

    [Fact]
    public void A_hex_shaped_text_entry_never_matches_its_decoded_bytes()
    {
        var index = new PasswordPoolIndex(Key, [new PoolSecret(EntryA, HexSecret, IsHex: false, PasswordState.Active)]);

        Assert.Equal(PasswordMatchResult.Mismatch, index.MatchText(Convert.FromHexString(HexSecret)).Result);
        Assert.Equal(PasswordMatchResult.Matched, index.Match(Convert.FromHexString(HexSecret), HexMatching.Lenient).Result);
    }

    [Fact]
    public void A_hex_entry_matches_its_hex_text_in_either_case_but_not_its_bytes()
    {
        var index = new PasswordPoolIndex(Key, [new PoolSecret(EntryA, HexSecret, IsHex: true, PasswordState.Active)]);

        Assert.Equal(new PasswordMatch(PasswordMatchResult.Matched, EntryA), index.MatchText(Text(HexSecret)));
        Assert.Equal(PasswordMatchResult.Matched, index.MatchText(Text(HexSecret.ToUpperInvariant())).Result);
        Assert.Equal(PasswordMatchResult.Mismatch, index.MatchText(Convert.FromHexString(HexSecret)).Result);
    }

    [Fact]
    public void Disabled_and_pinned_rules_hold_for_text_matching()
    {
        var index = new PasswordPoolIndex(Key,
        [
            new PoolSecret(EntryA, TextSecret, IsHex: false, PasswordState.Disabled),
            new PoolSecret(EntryB, TextSecret + "-b", IsHex: false, PasswordState.Active),
        ]);

        Assert.Equal(new PasswordMatch(PasswordMatchResult.Disabled, EntryA), index.MatchText(Text(TextSecret)));
        Assert.Equal(PasswordMatchResult.Mismatch, index.MatchText(Text(TextSecret + "-b"), [EntryA]).Result);
        Assert.Equal(PasswordMatchResult.Mismatch, index.MatchText([]).Result);
    }
}

