using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Voltgate.Server.Tests.Support;

/// <summary>Keeps every formatted log line (with exception text) so tests can prove a secret never reached the logs.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<(string Line, string? TraceId)> _traced = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Each line with the TraceId of the logging scope (ActivityTrackingOptions), when it had one.</summary>
    public IReadOnlyCollection<(string Line, string? TraceId)> TracedLines => _traced;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    private string? CurrentTraceId()
    {
        string? trace = null;
        _scopes?.ForEachScope((scope, _) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key == "TraceId")
                    {
                        trace = value?.ToString();
                    }
                }
            }
        }, (object?)null);
        return trace;
    }

    public void Dispose()
    {
    }

    public bool Contains(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    private sealed class Logger(string category, ConcurrentQueue<string> lines, CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)} {exception}";
            lines.Enqueue(line);
            owner._traced.Enqueue((line, owner.CurrentTraceId()));
        }
    }
}
