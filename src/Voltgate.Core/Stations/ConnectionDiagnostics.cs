namespace Voltgate.Core.Stations;

/// <summary>What the operator reads next to a connection attempt: what happened, and what to do about it.</summary>
public sealed record AttemptExplanation(string Explanation, string Hint);

/// <summary>
/// Turns a recorded handshake into a human explanation and a fix hint, in English or German. Pure: the caller
/// supplies the station's allowed variants and the label of the pool entry the attempt names (never a secret).
/// </summary>
public static class ConnectionDiagnostics
{
    public static AttemptExplanation Explain(ConnectionAttempt a, IReadOnlyList<string>? allowedVariants, string? entryLabel, string language)
    {
        var de = language == "de";
        var allowed = allowedVariants is { Count: > 0 } ? string.Join(", ", allowedVariants) : "—";
        var entry = entryLabel is null ? (de ? "einem Eintrag" : "an entry") : $"\"{entryLabel}\"";
        return a.Reason switch
        {
            RefusalReason.None => de
                ? new($"Verbunden über {a.Variant} ({a.Protocol}).", "")
                : new($"Connected through {a.Variant} ({a.Protocol}).", ""),
            RefusalReason.NoCredentials => de
                ? new("Die Station hat keine Zugangsdaten (keinen Authorization-Header) gesendet.", "Tragen Sie in der Station das BasicAuth-Passwort (AuthorizationKey) ein; der Benutzername ist ihre Identität.")
                : new("The station sent no credentials (no Authorization header).", "Enter the BasicAuth password (AuthorizationKey) in the station; the username is its identity."),
            RefusalReason.MalformedHeader => de
                ? new("Der Authorization-Header ist kein gültiger Basic-Header.", "Prüfen Sie die Firmware bzw. das Backend-URL-Feld der Station (z. B. Zugangsdaten in der URL).")
                : new("The Authorization header is not a valid Basic header.", "Check the station's firmware and backend URL field (e.g. credentials typed into the URL)."),
            RefusalReason.UsernameMismatch => de
                ? new($"Die Station sendet den Benutzer \"{a.PresentedUsername}\"; sie muss ihre eigene Identität \"{a.Identity}\" senden.", $"Stellen Sie in der Station Benutzername bzw. Chargebox-ID auf \"{a.Identity}\".")
                : new($"The station sends user \"{a.PresentedUsername}\"; it must send its own identity \"{a.Identity}\".", $"Set the station's username / charge box id to \"{a.Identity}\"."),
            RefusalReason.UnknownStation => de
                ? new($"Die Identität \"{a.Identity}\" ist in diesem Mandanten unbekannt.", "Legen Sie die Station an oder erlauben Sie unbekannte Stationen (Richtlinie für unbekannte Stationen).")
                : new($"The identity \"{a.Identity}\" is not known in this tenant.", "Create the station, or admit unknown stations (unknown-station policy)."),
            RefusalReason.VariantNotAllowed => de
                ? new($"Die Station hat sich über {a.Variant} verbunden, darf aber nur {allowed} nutzen.", $"Tragen Sie in der Station die URL eines erlaubten Zugangs ein oder erlauben Sie {a.Variant} für diese Station.")
                : new($"The station connected through {a.Variant} but is only allowed {allowed}.", $"Point the station at an allowed endpoint, or allow {a.Variant} for this station."),
            RefusalReason.PasswordMismatch => de
                ? new("Das Passwort passt zu keinem aktiven BasicAuth-Passwort (bzw. keinem der angehefteten Einträge).", "Geben Sie das Passwort in der Station neu ein; prüfen Sie angeheftete Einträge der Station.")
                : new("The password matches no active BasicAuth password (or none of the station's pinned entries).", "Re-enter the password in the station; check the station's pinned entries."),
            RefusalReason.PasswordMatchesOnlyOtherHexForm => de
                ? new($"Das Passwort passt zu {entry} nur in dessen hex-dekodierter Form.", "Setzen Sie bei diesem Eintrag Ist Hex = JA oder stellen Sie den Hex-Abgleich auf Lenient.")
                : new($"The password matches entry {entry} only in its hex-decoded form.", "Set Is hex = YES on that entry, or switch hex matching to Lenient."),
            RefusalReason.PasswordDisabled => de
                ? new($"Das Passwort gehört zu {entry}, der deaktiviert ist.", "Aktivieren Sie den Eintrag wieder oder geben Sie der Station ein aktives Passwort.")
                : new($"The password belongs to entry {entry}, which is disabled.", "Re-enable that entry, or give the station an active password."),
            RefusalReason.RateLimited => de
                ? new("Zu viele Fehlversuche: Die Verbindung wurde ohne Passwortprüfung abgewiesen.", "Beheben Sie den vorherigen Fehler; die Sperre läuft von selbst ab.")
                : new("Too many failed attempts: refused without checking the password.", "Fix the earlier failure; the block expires by itself."),
            RefusalReason.NetworkNotAllowed => de
                ? new($"Die Quelladresse {a.SourceAddress} liegt nicht in den erlaubten Netzen von {a.Endpoint}.", "Verbinden Sie die Station über das richtige Netz (APN/VPN) oder passen Sie AllowedNetworks an.")
                : new($"The source address {a.SourceAddress} is outside the allowed networks of {a.Endpoint}.", "Connect through the right network (APN/VPN), or adjust AllowedNetworks."),
            RefusalReason.UnsupportedSubprotocol => de
                ? new($"Die Station bietet kein unterstütztes Subprotokoll an ({(a.OfferedSubprotocols.Length == 0 ? "keines" : a.OfferedSubprotocols)}).", "Stellen Sie die Station auf OCPP 1.6J; ohne Subprotokoll hilft die Einstellung \"OCPP 1.6 annehmen\".")
                : new($"The station offered no supported subprotocol ({(a.OfferedSubprotocols.Length == 0 ? "none" : a.OfferedSubprotocols)}).", "Set the station to OCPP 1.6J; for stations that offer none, turn on \"assume OCPP 1.6\"."),
            RefusalReason.StationDeactivated => de
                ? new("Die Station ist deaktiviert.", "Aktivieren Sie die Station wieder, wenn sie sich verbinden soll.")
                : new("The station is deactivated.", "Reactivate the station if it should connect."),
            RefusalReason.ConnectionLimit => de
                ? new("Der Server hat seine Verbindungsgrenze erreicht (503).", "Die Station versucht es erneut; erhöhen Sie ggf. die Kapazität.")
                : new("The server was at its connection limit (503).", "The station retries; add capacity if this repeats."),
            _ => new(a.Reason.ToString(), ""),
        };
    }
}
