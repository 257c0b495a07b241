using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MlOps.Testing.Security;

/// <summary>
/// Every log event of a host at every level, as the text a log collector would keep: category, event, the formatted
/// message, every structured value, every scope (with its values) and the whole exception (inner ones and their
/// data included). What a secret must never be found in.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <summary>The entries that contain <paramref name="text"/> (ordinal).</summary>
    public IReadOnlyList<string> Containing(string text) => [.. _entries.Where(e => e.Contains(text, StringComparison.Ordinal))];

    public void Dispose()
    {
    }

    private void Add(string category, LogLevel level, EventId eventId, string message, object? state, Exception? exception)
    {
        var entry = new StringBuilder($"[{level}] {category}[{eventId.Id}:{eventId.Name}] {message}");
        AppendValues(entry, "state", state);
        _scopes.ForEachScope((scope, e) => AppendValues(e.Append(" scope=").Append(scope), "scope", scope), entry);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            entry.Append(" exception=").Append(e);
            foreach (System.Collections.DictionaryEntry data in e.Data)
                entry.Append(" data=").Append(data.Key).Append('=').Append(data.Value);
        }

        _entries.Enqueue(entry.ToString());
    }

    private static void AppendValues(StringBuilder entry, string what, object? values)
    {
        if (values is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
                entry.Append(' ').Append(what).Append('.').Append(key).Append('=').Append(value);
        }
    }

    private sealed class Logger(string category, CapturedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logs._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Add(category, logLevel, eventId, formatter(state, exception), state, exception);
    }
}
