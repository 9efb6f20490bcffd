namespace Voltgate.Core.OcppSecurity;

/// <summary>One decrypted pool entry, as the <see cref="PasswordPoolIndex"/> needs it.</summary>
/// <param name="EntryId">The pool entry's id.</param>
/// <param name="Secret">The secret as the operator entered or generated it.</param>
/// <param name="IsHex">Whether the secret is hex text standing for the decoded bytes.</param>
/// <param name="State">Whether the entry may be used.</param>
public sealed record PoolSecret(Guid EntryId, string Secret, bool IsHex, PasswordState State)
{
    /// <summary>Shows everything but the secret, so that logging an entry can never leak it.</summary>
    public override string ToString() =>
        $"PoolSecret {{ EntryId = {EntryId}, Secret = ***, IsHex = {IsHex}, State = {State} }}";
}

/// <summary>The outcome of matching a presented password against the pool.</summary>
public enum PasswordMatchResult
{
    /// <summary>The password equals a usable form of an Active entry.</summary>
    Matched,

    /// <summary>The password matches no entry (or only entries outside the station's pinned set).</summary>
    Mismatch,

    /// <summary>Strict hex matching: the password equals only the other hex form of an Active entry.</summary>
    MatchesOnlyOtherHexForm,

    /// <summary>The password belongs to a Disabled entry.</summary>
    Disabled,
}

/// <summary>The outcome of <see cref="PasswordPoolIndex.Match"/>.</summary>
/// <param name="Result">What happened.</param>
/// <param name="EntryId">
/// The entry concerned: the matched entry for <see cref="PasswordMatchResult.Matched"/>, the entry whose other form
/// matched for <see cref="PasswordMatchResult.MatchesOnlyOtherHexForm"/>, the disabled entry for
/// <see cref="PasswordMatchResult.Disabled"/>; null for <see cref="PasswordMatchResult.Mismatch"/>.
/// </param>
public readonly record struct PasswordMatch(PasswordMatchResult Result, Guid? EntryId);
