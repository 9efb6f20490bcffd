namespace Voltgate.Server.Components.Shared;

/// <summary>
/// The UI's English and German texts (product.md §5 labels). Scoped per circuit; the layout sets the language from
/// the signed-in user's PreferredLanguage. A missing German text falls back to English, a missing key shows itself.
/// </summary>
public sealed class UiText
{
    private static readonly Dictionary<string, (string En, string De)> Texts = new(StringComparer.Ordinal)
    {
        ["Dashboard"] = ("Dashboard", "Dashboard"),
        ["Stations"] = ("Stations", "Ladestationen"),
        ["IdTags"] = ("ID tags", "RFID-Karten"),
        ["Transactions"] = ("Transactions", "Ladevorgänge"),
        ["Settings"] = ("Settings", "Einstellungen"),
        ["SystemSettings"] = ("System Settings", "Systemeinstellungen"),
        ["OcppSecuritySettings"] = ("OCPP Security Settings", "OCPP-Sicherheitseinstellungen"),
        ["UserManagement"] = ("User management", "Benutzerverwaltung"),
        ["Users"] = ("Users", "Benutzer"),
        ["Groups"] = ("Groups", "Gruppen"),
        ["Overview"] = ("Overview", "Übersicht"),
        ["Rights"] = ("Rights", "Rechte"),
        ["Companies"] = ("Companies", "Unternehmen"),
        ["AuditLog"] = ("Audit log", "Protokoll"),
        ["MyAccount"] = ("My account", "Mein Konto"),
        ["Logout"] = ("Log out", "Abmelden"),
        ["Login"] = ("Log in", "Anmelden"),
        ["Tenant"] = ("Tenant", "Mandant"),
        ["LoginName"] = ("Login name", "Anmeldename"),
        ["Password"] = ("Password", "Passwort"),
        ["CurrentPassword"] = ("Current password", "Aktuelles Passwort"),
        ["NewPassword"] = ("New password", "Neues Passwort"),
        ["ChangePassword"] = ("Change password", "Passwort ändern"),
        ["Language"] = ("Language", "Sprache"),
        ["ComingSoon"] = ("Coming soon", "Demnächst verfügbar"),
        ["ComingSoonText"] = ("This page is not built yet. It will arrive in a later version of Voltgate; nothing here is placeholder data.",
            "Diese Seite ist noch nicht gebaut. Sie kommt mit einer späteren Version von Voltgate; hier werden keine Beispieldaten gezeigt."),
        ["AccessDenied"] = ("Access denied", "Zugriff verweigert"),
        ["AccessDeniedText"] = ("Your groups do not grant the right needed for this page. Ask an administrator if you need it.",
            "Ihre Gruppen gewähren das für diese Seite nötige Recht nicht. Wenden Sie sich bei Bedarf an einen Administrator."),
        ["Create"] = ("Create", "Anlegen"),
        ["Edit"] = ("Edit", "Bearbeiten"),
        ["Save"] = ("Save", "Speichern"),
        ["Cancel"] = ("Cancel", "Abbrechen"),
        ["Delete"] = ("Delete", "Löschen"),
        ["Saved"] = ("Saved.", "Gespeichert."),
        ["Name"] = ("Name", "Name"),
        ["DisplayName"] = ("Display name", "Anzeigename"),
        ["Email"] = ("Email", "E-Mail"),
        ["Company"] = ("Company", "Unternehmen"),
        ["ParentCompany"] = ("Parent company", "Übergeordnetes Unternehmen"),
        ["Active"] = ("Active", "Aktiv"),
        ["Inactive"] = ("Deactivated", "Deaktiviert"),
        ["Deactivate"] = ("Deactivate", "Deaktivieren"),
        ["Reactivate"] = ("Reactivate", "Reaktivieren"),
        ["ResetPassword"] = ("Reset password", "Passwort zurücksetzen"),
        ["LockedOut"] = ("Locked", "Gesperrt"),
        ["Description"] = ("Description", "Beschreibung"),
        ["DataScope"] = ("Data scope", "Datenbereich"),
        ["Members"] = ("Members", "Mitglieder"),
        ["Yes"] = ("YES", "JA"),
        ["No"] = ("NO", "NEIN"),
        ["NewUser"] = ("New user", "Neuer Benutzer"),
        ["NewGroup"] = ("New group", "Neue Gruppe"),
        ["NewCompany"] = ("New company", "Neues Unternehmen"),
        ["From"] = ("From", "Von"),
        ["To"] = ("To", "Bis"),
        ["Action"] = ("Action", "Aktion"),
        ["Actor"] = ("Actor", "Akteur"),
        ["Target"] = ("Target", "Ziel"),
        ["Source"] = ("Source address", "Quelladresse"),
        ["Details"] = ("Details", "Details"),
        ["Time"] = ("Time", "Zeit"),
        ["Filter"] = ("Filter", "Filtern"),
        ["ApiKeys"] = ("Personal API keys", "Persönliche API-Schlüssel"),
        ["NewApiKey"] = ("New API key", "Neuer API-Schlüssel"),
        ["Revoke"] = ("Revoke", "Widerrufen"),
        ["Revoked"] = ("Revoked", "Widerrufen"),
        ["KeyShownOnce"] = ("Copy this key now. It is shown only once and stored only as a hash.",
            "Kopieren Sie diesen Schlüssel jetzt. Er wird nur einmal angezeigt und nur als Hash gespeichert."),
        ["Created"] = ("Created", "Angelegt"),
        ["LastUsed"] = ("Last used", "Zuletzt benutzt"),
        ["LoginFailed"] = ("Tenant, login name or password is wrong.", "Mandant, Anmeldename oder Passwort ist falsch."),
        ["LoginLocked"] = ("Too many failed attempts: the account is locked for a few minutes.", "Zu viele Fehlversuche: Das Konto ist für einige Minuten gesperrt."),
        ["LoginMissing"] = ("Enter login name and password.", "Bitte Anmeldename und Passwort eingeben."),
        ["TotpCode"] = ("Authenticator code", "Authenticator-Code"),
        ["TotpWrong"] = ("The authenticator code is not correct.", "Der Authenticator-Code ist nicht korrekt."),
        ["Loading"] = ("Loading…", "Lädt…"),
        ["Total"] = ("Total", "Gesamt"),
    };

    public string Language { get; set; } = "en";

    public string this[string key] =>
        Texts.TryGetValue(key, out var t) || OpsTexts.All.TryGetValue(key, out t) ? (Language == "de" && t.De.Length > 0 ? t.De : t.En) : key;

    public string RightLabel(Core.Access.RightInfo right) => Language == "de" ? right.LabelDe : right.Label;

    public string Tab(string tab) => tab switch
    {
        "Stations" => this["Stations"],
        "ID tags" => this["IdTags"],
        "Transactions" => this["Transactions"],
        "Settings" => this["Settings"],
        "User management" => this["UserManagement"],
        "Audit" => this["AuditLog"],
        _ => tab,
    };

    public static string Pick(string? language) => language == "de" ? "de" : "en";
}
