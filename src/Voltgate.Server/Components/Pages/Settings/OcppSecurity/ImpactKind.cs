namespace Voltgate.Server.Components.Pages.Settings.OcppSecurity;

/// <summary>What an <see cref="ImpactDialog"/> asks to confirm.</summary>
public enum ImpactKind
{
    Disable,
    Enable,
    Delete,
}
