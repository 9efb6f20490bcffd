namespace Voltgate.Core.OcppSecurity;

public enum HexMatching
{
    Lenient,
    Strict,
}

public enum PasswordState
{
    Active,
    Disabled,
}
