namespace Voltgate.Server.Components.Pages.Settings.OcppSecurity;

/// <summary>What an <see cref="ImpactDialog"/> asks to confirm.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Maintainability", "CA1515", Justification = "Razor components are public, and this type is part of one's signature.")]
public enum ImpactKind
{
    Disable,
    Enable,
    Delete,
}
