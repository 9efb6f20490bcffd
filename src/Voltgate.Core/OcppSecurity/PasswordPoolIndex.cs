using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Voltgate.Core.OcppSecurity;

/// <summary>
/// An immutable in-memory index of a tenant's BasicAuth password pool, answering "which entry does this presented
/// password belong to" without scanning the pool (product design §3, "Basic Auth check").
/// </summary>
/// <remarks>
/// <para><b>Forms.</b> An entry's <i>primary form</i> is the UTF-8 of its secret when <c>IsHex</c> is false, and
/// the hex-decoded bytes when <c>IsHex</c> is true. When the secret is hex-shaped
/// (<see cref="BasicAuthPasswordRules.IsHexShaped"/>) it also has an <i>other form</i>: the decoded bytes for
/// <c>IsHex = false</c>, the hex text for <c>IsHex = true</c>.</para>
/// <para><b>Hex case rule.</b> The hex-text other form of an <c>IsHex = true</c> entry is compared
/// case-insensitively (a station may upper- or lower-case the key it was given; both spell the same bytes). The
/// primary form of an <c>IsHex = false</c> entry is the operator's text and is compared byte-for-byte, also when
/// it happens to look like hex: "Is hex = NO" means "exactly these characters". An <c>IsHex = true</c> entry
/// whose secret is not hex-shaped (which validation prevents) has no usable form and never matches.</para>
/// <para><b>Outcome.</b> Active primary form → <see cref="PasswordMatchResult.Matched"/>; Active other form →
/// Matched in <see cref="HexMatching.Lenient"/>, <see cref="PasswordMatchResult.MatchesOnlyOtherHexForm"/> in
/// <see cref="HexMatching.Strict"/>; a Disabled entry's primary form (or, in Lenient, its other form) →
/// <see cref="PasswordMatchResult.Disabled"/>; otherwise <see cref="PasswordMatchResult.Mismatch"/>. When several
/// entries match, the best outcome wins (Matched, then MatchesOnlyOtherHexForm, then Disabled), a primary form
/// before an other form, then the earlier entry. Entries outside a non-empty pinned set are ignored.</para>
/// <para><b>Cost.</b> Each form is stored under HMAC-SHA256(key, form bytes). A lookup computes the HMAC of the
/// presented bytes (and, when they are hex text, of their lower-cased copy), looks the hash up and confirms each
/// candidate with <see cref="CryptographicOperations.FixedTimeEquals"/>. The work depends on the presented
/// password only, never on the pool's size or on which entry matched. The HMAC key keeps the hashes useless to
/// anyone who obtains a memory dump without the key and keeps attackers from aiming at hash-table buckets.</para>
/// <para><b>Threading.</b> The index never changes after construction; concurrent <see cref="Match"/> calls are
/// safe. Rebuild it when the pool changes.</para>
/// </remarks>
public sealed class PasswordPoolIndex
{
    /// <summary>Shortest HMAC key accepted.</summary>
    public const int MinimumKeyLength = 16;

    private const int HashLength = 32;
    private const int StackLimit = 256;

    private readonly byte[] _key;
    private readonly Dictionary<FormHash, Form[]> _exactForms = [];
    private readonly Dictionary<FormHash, Form[]> _hexTextForms = [];

    /// <summary>Builds the index.</summary>
    /// <param name="hmacKey">The pool HMAC key, at least <see cref="MinimumKeyLength"/> bytes; copied.</param>
    /// <param name="entries">The tenant's pool entries; entry ids must be unique.</param>
    /// <exception cref="ArgumentException">The key is too short, or an entry id appears twice.</exception>
    public PasswordPoolIndex(ReadOnlySpan<byte> hmacKey, IEnumerable<PoolSecret> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (hmacKey.Length < MinimumKeyLength)
        {
            throw new ArgumentException($"The HMAC key must be at least {MinimumKeyLength} bytes long.", nameof(hmacKey));
        }

        _key = hmacKey.ToArray();
        var seen = new HashSet<Guid>();
        var order = 0;
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            if (!seen.Add(entry.EntryId))
            {
                // The message names the entry, never its secret.
                throw new ArgumentException($"Pool entry {entry.EntryId} appears more than once.", nameof(entries));
            }

            AddForms(entry, order++);
        }

        Count = seen.Count;
    }

    /// <summary>Number of entries in the index (Active and Disabled).</summary>
    public int Count { get; }

    /// <summary>Matches the presented password bytes against the pool.</summary>
    /// <param name="presentedPassword">The raw bytes after the first colon of the Basic header.</param>
    /// <param name="mode">The tenant's hex matching setting.</param>
    /// <param name="pinnedEntryIds">When non-empty, only these entries may match (the station is pinned to them).</param>
    public PasswordMatch Match(ReadOnlySpan<byte> presentedPassword, HexMatching mode, IReadOnlyCollection<Guid>? pinnedEntryIds = null) =>
        Lookup(presentedPassword, mode, pinnedEntryIds);

    /// <summary>
    /// Matches a password that can only be text: an OCPP 2.0.1 station's <c>BasicAuthPassword</c> is a string
    /// variable it sends as UTF-8, so only an entry's secret <i>as written</i> counts (for an <c>IsHex = true</c> entry
    /// its hex text, in either letter case); decoded-hex byte forms never match, whatever the hex setting says.
    /// </summary>
    public PasswordMatch MatchText(ReadOnlySpan<byte> presentedPassword, IReadOnlyCollection<Guid>? pinnedEntryIds = null) =>
        Lookup(presentedPassword, mode: null, pinnedEntryIds);

    /// <summary>Describes the index without revealing anything about the secrets.</summary>
    public override string ToString() => $"PasswordPoolIndex {{ Count = {Count} }}";

    /// <summary>The lookup both matchers share; <paramref name="mode"/> null is <see cref="MatchText"/>'s text-only rule.</summary>
    private PasswordMatch Lookup(ReadOnlySpan<byte> presentedPassword, HexMatching? mode, IReadOnlyCollection<Guid>? pinnedEntryIds)
    {
        if (presentedPassword.IsEmpty)
        {
            return new PasswordMatch(PasswordMatchResult.Mismatch, null);
        }

        var pinned = pinnedEntryIds is { Count: > 0 } ? pinnedEntryIds : null;
        var best = default(Candidate);

        Span<byte> mac = stackalloc byte[HashLength];
        HMACSHA256.HashData(_key, presentedPassword, mac);
        if (_exactForms.TryGetValue(FormHash.From(mac), out var forms))
        {
            Consider(forms, presentedPassword, mode, pinned, ref best);
        }

        if (IsHexText(presentedPassword))
        {
            var lowered = presentedPassword.Length <= StackLimit
                ? stackalloc byte[presentedPassword.Length]
                : new byte[presentedPassword.Length];
            try
            {
                for (var i = 0; i < presentedPassword.Length; i++)
                {
                    // For the ASCII hex digits, setting bit 0x20 maps A-F to a-f and leaves 0-9 and a-f alone.
                    lowered[i] = (byte)(presentedPassword[i] | 0x20);
                }

                HMACSHA256.HashData(_key, lowered, mac);
                if (_hexTextForms.TryGetValue(FormHash.From(mac), out forms))
                {
                    Consider(forms, lowered, mode, pinned, ref best);
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(lowered);
            }
        }

        return best.Rank == 0
            ? new PasswordMatch(PasswordMatchResult.Mismatch, null)
            : new PasswordMatch(best.Result, best.Form!.EntryId);
    }

    private void AddForms(PoolSecret entry, int order)
    {
        var secret = entry.Secret ?? string.Empty;
        if (secret.Length == 0)
        {
            return;
        }

        var hexShaped = BasicAuthPasswordRules.IsHexShaped(secret);
        if (!entry.IsHex)
        {
            Add(_exactForms, new Form(entry.EntryId, entry.State, IsPrimary: true, Encoding.UTF8.GetBytes(secret), order, IsText: true));
            if (hexShaped)
            {
                Add(_exactForms, new Form(entry.EntryId, entry.State, IsPrimary: false, Convert.FromHexString(secret), order, IsText: false));
            }
        }
        else if (hexShaped)
        {
            Add(_exactForms, new Form(entry.EntryId, entry.State, IsPrimary: true, Convert.FromHexString(secret), order, IsText: false));
            Add(_hexTextForms, new Form(entry.EntryId, entry.State, IsPrimary: false, Encoding.ASCII.GetBytes(secret.ToLowerInvariant()), order, IsText: true));
        }
    }

    private void Add(Dictionary<FormHash, Form[]> table, Form form)
    {
        Span<byte> mac = stackalloc byte[HashLength];
        HMACSHA256.HashData(_key, form.Bytes, mac);
        var hash = FormHash.From(mac);
        table[hash] = table.TryGetValue(hash, out var existing) ? [.. existing, form] : [form];
    }

    /// <param name="mode">The hex setting; null: text only (a text form of an Active entry matches, of a Disabled one says Disabled).</param>
    private static void Consider(Form[] forms, ReadOnlySpan<byte> presented, HexMatching? mode, IReadOnlyCollection<Guid>? pinned, ref Candidate best)
    {
        foreach (var form in forms)
        {
            if ((mode is null && !form.IsText) || !CryptographicOperations.FixedTimeEquals(form.Bytes, presented)
                || (pinned is not null && !pinned.Contains(form.EntryId)))
            {
                continue;
            }

            var candidate = new Candidate(form, Classify(form, mode));
            if (candidate.IsBetterThan(best))
            {
                best = candidate;
            }
        }
    }

    private static PasswordMatchResult Classify(Form form, HexMatching? mode) => mode is not { } hex
        ? form.State == PasswordState.Active ? PasswordMatchResult.Matched : PasswordMatchResult.Disabled
        : (form.State, form.IsPrimary, hex) switch
        {
            (PasswordState.Active, true, _) or (PasswordState.Active, false, HexMatching.Lenient) => PasswordMatchResult.Matched,
            (PasswordState.Active, false, _) => PasswordMatchResult.MatchesOnlyOtherHexForm,
            (_, true, _) or (_, false, HexMatching.Lenient) => PasswordMatchResult.Disabled,
            _ => PasswordMatchResult.Mismatch,
        };

    private static bool IsHexText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 2 != 0)
        {
            return false;
        }

        foreach (var b in bytes)
        {
            if (!char.IsAsciiHexDigit((char)b))
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="IsText">The secret as the operator wrote it (UTF-8, or an IsHex entry's hex text), not decoded bytes.</param>
    private sealed record Form(Guid EntryId, PasswordState State, bool IsPrimary, byte[] Bytes, int Order, bool IsText)
    {
        public override string ToString() => $"Form {{ EntryId = {EntryId}, State = {State}, IsPrimary = {IsPrimary} }}";
    }

    private readonly record struct Candidate(Form? Form, PasswordMatchResult Result)
    {
        public int Rank => Form is null ? 0 : Result switch
        {
            PasswordMatchResult.Matched => 3,
            PasswordMatchResult.MatchesOnlyOtherHexForm => 2,
            PasswordMatchResult.Disabled => 1,
            _ => 0,
        };

        public bool IsBetterThan(Candidate other)
        {
            if (Rank != other.Rank)
            {
                return Rank > other.Rank;
            }

            if (Rank == 0)
            {
                return false;
            }

            if (Form!.IsPrimary != other.Form!.IsPrimary)
            {
                return Form.IsPrimary;
            }

            return Form.Order < other.Form.Order;
        }
    }

    /// <summary>A 256-bit HMAC as a value key; HMAC output is uniform, so any 64 bits make a good hash code.</summary>
    private readonly record struct FormHash(ulong A, ulong B, ulong C, ulong D)
    {
        public static FormHash From(ReadOnlySpan<byte> mac) => new(
            BinaryPrimitives.ReadUInt64LittleEndian(mac),
            BinaryPrimitives.ReadUInt64LittleEndian(mac[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(mac[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(mac[24..]));
    }
}
