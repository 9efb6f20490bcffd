namespace Voltgate.Core.Access;

/// <summary>
/// The stable catalogue of rights. Persisted as numbers: a value is never reused, even after a right is retired.
/// </summary>
public enum Right
{
    DashboardView = 100,
    StationsView = 200,
    StationsManage = 201,
    StationsCommands = 202,
    IdTagsView = 300,
    IdTagsManage = 301,
    TransactionsView = 400,
    OcppSecuritySettings = 500,
    RevealOcppPasswords = 501,
    RotateOcppPasswords = 502,
    RetentionSettings = 510,
    UsersView = 600,
    UsersManage = 601,
    ApiKeysUse = 602,
    AuditView = 700,

    /// <summary>Instance-wide: honoured only for users of tenant "default" (docs/users-and-rights.md).</summary>
    InstanceTenants = 800,
}

public sealed record RightInfo(Right Right, string Name, string Tab, string Label, string LabelDe);

public static class RightCatalog
{
    public static IReadOnlyList<RightInfo> All { get; } =
    [
        new(Right.DashboardView, "Dashboard.View", "Dashboard", "View dashboard", "Dashboard anzeigen"),
        new(Right.StationsView, "Stations.View", "Stations", "View stations", "Ladestationen anzeigen"),
        new(Right.StationsManage, "Stations.Manage", "Stations", "Manage stations", "Ladestationen verwalten"),
        new(Right.StationsCommands, "Stations.Commands", "Stations", "Send remote commands", "Fernbefehle senden"),
        new(Right.IdTagsView, "IdTags.View", "ID tags", "View ID tags", "RFID-Karten anzeigen"),
        new(Right.IdTagsManage, "IdTags.Manage", "ID tags", "Manage ID tags", "RFID-Karten verwalten"),
        new(Right.TransactionsView, "Transactions.View", "Transactions", "View transactions", "Ladevorgänge anzeigen"),
        new(Right.OcppSecuritySettings, "Settings.OcppSecuritySettings", "Settings", "OCPP Security Settings", "OCPP-Sicherheitseinstellungen"),
        new(Right.RevealOcppPasswords, "Settings.RevealOcppPasswords", "Settings", "Reveal OCPP passwords", "OCPP-Passwörter anzeigen"),
        new(Right.RotateOcppPasswords, "Settings.RotateOcppPasswords", "Settings", "Rotate OCPP passwords", "OCPP-Passwörter rotieren"),
        new(Right.RetentionSettings, "Settings.Retention", "Settings", "Data retention", "Aufbewahrung der Daten"),
        new(Right.UsersView, "UserManagement.View", "User management", "View users, groups and companies", "Benutzer, Gruppen und Unternehmen anzeigen"),
        new(Right.UsersManage, "UserManagement.Manage", "User management", "Manage users, groups and companies", "Benutzer, Gruppen und Unternehmen verwalten"),
        new(Right.ApiKeysUse, "UserManagement.ApiKeys", "User management", "Use personal API keys", "Persönliche API-Schlüssel verwenden"),
        new(Right.AuditView, "Audit.View", "Audit", "View audit log", "Protokoll anzeigen"),
        new(Right.InstanceTenants, "Instance.Tenants", "Instance", "Manage tenants", "Mandanten verwalten"),
    ];

    private static readonly Dictionary<string, RightInfo> ByName = All.ToDictionary(r => r.Name, StringComparer.Ordinal);
    private static readonly Dictionary<Right, RightInfo> ByRight = All.ToDictionary(r => r.Right);

    public static bool TryGet(string name, out RightInfo info) => ByName.TryGetValue(name, out info!);

    public static RightInfo Get(Right right) => ByRight[right];

    /// <summary>Rights over the whole installation, not one tenant: they mean something only in tenant "default".</summary>
    public static bool IsInstanceRight(Right right) => right == Right.InstanceTenants;
}
