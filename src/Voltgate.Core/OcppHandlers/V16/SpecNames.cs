using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Voltgate.Core.OcppHandlers.V16;

/// <summary>The spec spelling of a message enum value ("Energy.Active.Import.Register"), as stored and shown to operators.</summary>
internal static class SpecNames
{
    private static readonly ConcurrentDictionary<Enum, string> Cache = new();

    public static string? Of<T>(T? value)
        where T : struct, Enum => value is { } v ? Of(v) : null;

    public static string Of<T>(T value)
        where T : struct, Enum =>
        Cache.GetOrAdd(value, v => typeof(T).GetField(v.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? v.ToString());
}
