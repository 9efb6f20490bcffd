namespace Voltgate.Core.Common;

public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,
}

/// <summary>A domain failure the API maps to problem details. Field errors carry per-field messages.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Message, IReadOnlyDictionary<string, string[]>? FieldErrors = null, object? Extensions = null)
{
    public static Error NotFound(string what) => new(ErrorKind.NotFound, "NotFound", $"{what} was not found.");

    public static Error Validation(string field, string code, string message) =>
        new(ErrorKind.Validation, code, message, new Dictionary<string, string[]> { [field] = [message] });
}

public readonly struct Result<T>
{
    internal Result(T? value, Error? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }
    public Error? Error { get; }
    public bool IsSuccess => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);
}

public static class Result
{
    /// <summary>Wraps values whose static type is an interface (user-defined conversions do not apply to them).</summary>
    public static Result<T> Ok<T>(T value) => new(value, null);
}
