namespace Voltgate.Core.Stations;

/// <summary>The named ways a station may connect (docs/security.md).</summary>
public static class ConnectionVariants
{
    public const string Private = "private";
    public const string PrivateSsl = "privatessl";
    public const string PrivateAuth = "privateauth";
    public const string Public = "public";

    public static IReadOnlyList<string> All { get; } = [Private, PrivateSsl, PrivateAuth, Public];

    public static IReadOnlyList<string> Default { get; } = [PrivateAuth, Public];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);

    public static bool RequiresBasicAuth(string name) => name is PrivateAuth or Public;

    public static bool IsPrivateNetworkOnly(string name) => name is Private or PrivateSsl or PrivateAuth;
}
