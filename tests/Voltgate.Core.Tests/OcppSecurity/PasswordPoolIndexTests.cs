using System.Diagnostics;
using System.Text;
using Voltgate.Core.OcppSecurity;

namespace Voltgate.Core.Tests.OcppSecurity;

public class PasswordPoolIndexTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    // A 40-character hex secret whose decoded bytes are the printable text "Voltgate-hexkey-2026".
    private const string HexSecret = "566f6c74676174652d6865786b65792d32303236";
    private const string TextSecret = "plain-Text_password=42";

    private static readonly Guid EntryA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid EntryB = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    private static PoolSecret AnEntry(Func<PoolSecret, PoolSecret>? with = null) =>
        (with ?? (e => e))(new PoolSecret(EntryA, TextSecret, IsHex: false, PasswordState.Active));

    private static PasswordPoolIndex Index(params PoolSecret[] entries) => new(Key, entries);

    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void A_plain_text_secret_matches_its_UTF8_bytes()
    {
        var index = Index(AnEntry());

        Assert.Equal(new PasswordMatch(PasswordMatchResult.Matched, EntryA), index.Match(Text(TextSecret), HexMatching.Strict));
    }

    [Fact]
    public void A_plain_text_secret_is_compared_case_sensitively()
    {
        var index = Index(AnEntry());

        Assert.Equal(PasswordMatchResult.Mismatch, index.Match(Text(TextSecret.ToUpperInvariant()), HexMatching.Lenient).Result);
    }

    [Theory]
    [InlineData(HexMatching.Lenient, PasswordMatchResult.Matched)]
    [InlineData(HexMatching.Strict, PasswordMatchResult.Matched)]
    public void Is_hex_NO_hex_shaped_secret_matches_its_text_in_both_modes(HexMatching mode, PasswordMatchResult expected)
    {
        var index = Index(AnEntry(e => e with { Secret = HexSecret, IsHex = false }));

        Assert.Equal(new PasswordMatch(expected, EntryA), index.Match(Text(HexSecret), mode));
    }

    [Theory]
    [InlineData(HexMatching.Lenient, PasswordMatchResult.Matched)]
    [InlineData(HexMatching.Strict, PasswordMatchResult.MatchesOnlyOtherHexForm)]
    public void Is_hex_NO_hex_shaped_secret_sent_as_decoded_bytes_depends_on_the_mode(HexMatching mode, PasswordMatchResult expected)
    {
        var index = Index(AnEntry(e => e with { Secret = HexSecret, IsHex = false }));

        Assert.Equal(new PasswordMatch(expected, EntryA), index.Match(Bytes(HexSecret), mode));
    }

    [Theory]
    [InlineData(HexMatching.Lenient, PasswordMatchResult.Matched)]
    [InlineData(HexMatching.Strict, PasswordMatchResult.Matched)]
    public void Is_hex_YES_secret_matches_its_decoded_bytes_in_both_modes(HexMatching mode, PasswordMatchResult expected)
    {
        var index = Index(AnEntry(e => e with { Secret = HexSecret, IsHex = true }));

        Assert.Equal(new PasswordMatch(expected, EntryA), index.Match(Bytes(HexSecret), mode));
    }

    [Theory]
    [InlineData(HexMatching.Lenient, PasswordMatchResult.Matched)]
    [InlineData(HexMatching.Strict, PasswordMatchResult.MatchesOnlyOtherHexForm)]
    public void Is_hex_YES_secret_sent_as_hex_text_depends_on_the_mode(HexMatching mode, PasswordMatchResult expected)
    {
        var index = Index(AnEntry(e => e with { Secret = HexSecret, IsHex = true }));

        Assert.Equal(new PasswordMatch(expected, EntryA), index.Match(Text(HexSecret), mode));
    }

    [Theory]
    [InlineData(HexMatching.Lenient, PasswordMatchResult.Matched)]
    [InlineData(HexMatching.Strict, PasswordMatchResult.MatchesOnlyOtherHexForm)]
    public void Is_hex_YES_secret_sent_as_upper_case_hex_text_matches_case_insensitively(HexMatching mode, PasswordMatchResult expected)
    {
        var index = Index(AnEntry(e => e with { Secret = HexSecret, IsHex = true }));

        Assert.Equal(new PasswordMatch(expected, EntryA), index.Match(Text(HexSecret.ToUpperInvariant()), mode));
    }

    [Fact]
    public void Is_hex_YES_secret_entered_in_upper_case_matches_lower_case_text_and_the_bytes()
    {
        var index = Index(AnEntry(e => e with { Secret = HexSecret.ToUpperInvariant(), IsHex = true }));

        Assert.Equal(PasswordMatchResult.Matched, index.Match(Text(HexSecret), HexMatching.Lenient).Result);
        Assert.Equal(PasswordMatchResult.Matched, index.Match(Bytes(HexSecret), HexMatching.Strict).Result);
    }

    [Fact]
    public void Is_hex_NO_hex_shaped_secret_does_not_match_its_text_in_another_case()
    {
        // "Is hex = NO" means "exactly these characters"; only an Is-hex-YES entry's hex text is case-insensitive.
        var index = Index(AnEntry(e => e with { Secret = HexSecret, IsHex = false }));

        Assert.Equal(PasswordMatchResult.Mismatch, index.Match(Text(HexSecret.ToUpperInvariant()), HexMatching.Lenient).Result);
    }

    [Fact]
    public void Mixed_case_hex_text_of_another_secret_does_not_match()
    {
        var index = Index(AnEntry(e => e with { Secret = HexSecret, IsHex = true }));

        Assert.Equal(PasswordMatchResult.Mismatch, index.Match(Text("00" + HexSecret[2..].ToUpperInvariant()), HexMatching.Lenient).Result);
    }

    [Fact]
    public void A_non_hex_secret_has_no_other_form()
    {
        var index = Index(AnEntry());

        Assert.Equal(PasswordMatchResult.Mismatch, index.Match(Text(Convert.ToHexString(Text(TextSecret))), HexMatching.Lenient).Result);
    }

    [Fact]
    public void The_OCPP_16J_worked_example_key_matches_as_raw_bytes()
    {
        var index = Index(AnEntry(e => e with { Secret = "0001020304050607FFFFFFFFFFFFFFFFFFFFFFFF", IsHex = true }));

        var match = index.Match(Bytes("0001020304050607FFFFFFFFFFFFFFFFFFFFFFFF"), HexMatching.Strict);

        Assert.Equal(new PasswordMatch(PasswordMatchResult.Matched, EntryA), match);
    }

    [Theory]
    [InlineData(HexMatching.Lenient)]
    [InlineData(HexMatching.Strict)]
    public void A_disabled_entry_s_primary_form_reports_Disabled(HexMatching mode)
    {
        var index = Index(AnEntry(e => e with { State = PasswordState.Disabled }));

        Assert.Equal(new PasswordMatch(PasswordMatchResult.Disabled, EntryA), index.Match(Text(TextSecret), mode));
    }

    [Theory]
    [InlineData(HexMatching.Lenient, PasswordMatchResult.Disabled)]
    [InlineData(HexMatching.Strict, PasswordMatchResult.Mismatch)]
    public void A_disabled_entry_s_other_form_reports_Disabled_only_when_lenient(HexMatching mode, PasswordMatchResult expected)
    {
        var index = Index(AnEntry(e => e with { Secret = HexSecret, IsHex = false, State = PasswordState.Disabled }));

        Assert.Equal(expected, index.Match(Bytes(HexSecret), mode).Result);
    }

    [Fact]
    public void An_active_entry_wins_over_a_disabled_one_with_the_same_form()
    {
        // Entry B (Is hex = NO, text "Voltgate-hexkey-2026") has the decoded bytes of disabled entry A as its primary form.
        var index = Index(
            new PoolSecret(EntryA, HexSecret, IsHex: true, PasswordState.Disabled),
            new PoolSecret(EntryB, "Voltgate-hexkey-2026", IsHex: false, PasswordState.Active));

        Assert.Equal(new PasswordMatch(PasswordMatchResult.Matched, EntryB), index.Match(Text("Voltgate-hexkey-2026"), HexMatching.Strict));
    }

    [Fact]
    public void A_primary_form_match_wins_over_another_entry_s_other_form()
    {
        var index = Index(
            new PoolSecret(EntryA, HexSecret, IsHex: false, PasswordState.Active),
            new PoolSecret(EntryB, "Voltgate-hexkey-2026", IsHex: false, PasswordState.Active));

        Assert.Equal(new PasswordMatch(PasswordMatchResult.Matched, EntryB), index.Match(Text("Voltgate-hexkey-2026"), HexMatching.Lenient));
    }

    [Fact]
    public void A_pinned_station_matches_only_its_pinned_entries()
    {
        var index = Index(
            new PoolSecret(EntryA, TextSecret, IsHex: false, PasswordState.Active),
            new PoolSecret(EntryB, "another-password-0001", IsHex: false, PasswordState.Active));

        Assert.Equal(new PasswordMatch(PasswordMatchResult.Matched, EntryB), index.Match(Text("another-password-0001"), HexMatching.Lenient, [EntryB]));
        Assert.Equal(new PasswordMatch(PasswordMatchResult.Mismatch, null), index.Match(Text(TextSecret), HexMatching.Lenient, [EntryB]));
    }

    [Fact]
    public void A_disabled_entry_outside_the_pinned_set_is_a_mismatch()
    {
        var index = Index(AnEntry(e => e with { State = PasswordState.Disabled }));

        Assert.Equal(PasswordMatchResult.Mismatch, index.Match(Text(TextSecret), HexMatching.Lenient, [EntryB]).Result);
    }

    [Fact]
    public void An_empty_pinned_set_means_no_pinning()
    {
        var index = Index(AnEntry());

        Assert.Equal(PasswordMatchResult.Matched, index.Match(Text(TextSecret), HexMatching.Lenient, []).Result);
    }

    [Fact]
    public void An_empty_password_is_a_mismatch()
    {
        var index = Index(AnEntry(), AnEntry(e => e with { EntryId = EntryB, Secret = "" }));

        Assert.Equal(new PasswordMatch(PasswordMatchResult.Mismatch, null), index.Match([], HexMatching.Lenient));
    }

    [Fact]
    public void An_is_hex_YES_entry_that_is_not_hex_never_matches()
    {
        var index = Index(AnEntry(e => e with { IsHex = true }));

        Assert.Equal(PasswordMatchResult.Mismatch, index.Match(Text(TextSecret), HexMatching.Lenient).Result);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void A_password_that_is_a_prefix_or_extension_of_a_secret_is_a_mismatch()
    {
        var index = Index(AnEntry());

        Assert.Equal(PasswordMatchResult.Mismatch, index.Match(Text(TextSecret[..^1]), HexMatching.Lenient).Result);
        Assert.Equal(PasswordMatchResult.Mismatch, index.Match(Text(TextSecret + "x"), HexMatching.Lenient).Result);
    }

    [Fact]
    public void A_long_hex_text_password_is_handled_without_stack_overflow()
    {
        var index = Index(AnEntry());

        Assert.Equal(PasswordMatchResult.Mismatch, index.Match(Text(new string('a', 4000)), HexMatching.Lenient).Result);
    }

    [Fact]
    public void Duplicate_entry_ids_are_refused_without_revealing_the_secret()
    {
        var error = Assert.Throws<ArgumentException>(() => Index(AnEntry(), AnEntry()));

        Assert.DoesNotContain(TextSecret, error.Message, StringComparison.Ordinal);
        Assert.Contains(EntryA.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_hmac_key_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new PasswordPoolIndex(new byte[8], [AnEntry()]));
    }

    [Fact]
    public void ToString_of_an_entry_and_of_the_index_never_show_the_secret()
    {
        var entry = AnEntry();

        Assert.DoesNotContain(TextSecret, entry.ToString(), StringComparison.Ordinal);
        Assert.Contains(EntryA.ToString(), entry.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TextSecret, Index(entry).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_hmac_key_gives_the_same_answers()
    {
        var index = new PasswordPoolIndex(Enumerable.Repeat((byte)0x5a, 32).ToArray(), [AnEntry(e => e with { Secret = HexSecret, IsHex = true })]);

        Assert.Equal(PasswordMatchResult.Matched, index.Match(Text(HexSecret), HexMatching.Lenient).Result);
    }

    [Fact]
    public void A_ten_thousand_entry_pool_finds_every_kind_of_entry_quickly()
    {
        var entries = Enumerable.Range(0, 10_000).Select(i => new PoolSecret(
            Guid.CreateVersion7(),
            i % 2 == 0 ? $"{i:x40}" : $"station-password-{i:D8}",
            IsHex: i % 4 == 0,
            i % 10 == 9 ? PasswordState.Disabled : PasswordState.Active)).ToList();
        var index = new PasswordPoolIndex(Key, entries);
        Assert.Equal(10_000, index.Count);

        var stopwatch = Stopwatch.StartNew();
        foreach (var (entry, i) in entries.Select((e, i) => (e, i)))
        {
            var presented = entry.IsHex ? Bytes(entry.Secret) : Text(entry.Secret);
            var expected = entry.State == PasswordState.Active ? PasswordMatchResult.Matched : PasswordMatchResult.Disabled;
            Assert.Equal(new PasswordMatch(expected, entry.EntryId), index.Match(presented, HexMatching.Strict));
        }

        Assert.Equal(PasswordMatchResult.Mismatch, index.Match(Text("station-password-99999999"), HexMatching.Lenient).Result);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5),
            $"10,000 lookups took {stopwatch.Elapsed}; the index must not scan the pool per call.");
    }

    [Fact]
    public void Concurrent_matches_on_one_index_agree()
    {
        var index = Index(
            new PoolSecret(EntryA, HexSecret, IsHex: true, PasswordState.Active),
            new PoolSecret(EntryB, TextSecret, IsHex: false, PasswordState.Active));

        Parallel.For(0, 2_000, i =>
        {
            var (presented, expected) = (i % 3) switch
            {
                0 => (Text(HexSecret.ToUpperInvariant()), EntryA),
                1 => (Bytes(HexSecret), EntryA),
                _ => (Text(TextSecret), EntryB),
            };
            Assert.Equal(new PasswordMatch(PasswordMatchResult.Matched, expected), index.Match(presented, HexMatching.Lenient));
        });
    }
}
