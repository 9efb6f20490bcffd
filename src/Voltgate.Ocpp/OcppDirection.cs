namespace Voltgate.Ocpp;

/// <summary>Who sends the CALL of an action.</summary>
public enum OcppDirection
{
    StationToCsms,
    CsmsToStation,
    Both,
}
