using Microsoft.Extensions.Logging;
using Temporalio.Runtime;

namespace PlexSync.Hosting;

/// <summary>
/// The Temporal runtimes of a PlexSync process. The SDK's core writes its own warnings (a lost server's retried
/// polls, say) to stderr in a format of its own, coloured; ours send them to the process's logger instead, so
/// that they have its format (one JSON event a line with --log-format json, as docker-compose runs the worker),
/// its level and its redaction.
/// </summary>
internal static class TemporalRuntimes
{
    private static readonly Lazy<TemporalRuntime> Shared = new(() => Create(metrics: null));

    /// <summary>Gets the process's runtime without metrics, made at first use: a runtime owns threads, so one serves every client.</summary>
    public static TemporalRuntime Default => Shared.Value;

    /// <summary>A runtime whose core logs go to the process's logger and whose SDK metrics, when given, go to <paramref name="metrics"/>.</summary>
    public static TemporalRuntime Create(MetricsOptions? metrics) => new(new TemporalRuntimeOptions
    {
        Telemetry = new TelemetryOptions
        {
            Logging = new LoggingOptions { Forwarding = new LogForwardingOptions(new CoreLogger()) },
            Metrics = metrics,
        },
    });

    /// <summary>
    /// Writes the core's log events to Serilog's process logger as it is when each event comes: the hook sets it
    /// to none (Stash's log gets the hook's own lines only), commands set it up after the runtime may be made.
    /// </summary>
    internal sealed class CoreLogger(Func<Serilog.ILogger>? logger = null) : ILogger
    {
        public const string SourceContext = "Temporalio.Core";

        private readonly Func<Serilog.ILogger> logger = logger ?? (() => Serilog.Log.Logger);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logger().IsEnabled(Level(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                logger().ForContext(Serilog.Core.Constants.SourceContextPropertyName, SourceContext)
                    .Write(Level(logLevel), exception, "{CoreMessage}", formatter(state, exception));
            }
        }

        private static Serilog.Events.LogEventLevel Level(LogLevel level) => level switch
        {
            LogLevel.Trace => Serilog.Events.LogEventLevel.Verbose,
            LogLevel.Debug => Serilog.Events.LogEventLevel.Debug,
            LogLevel.Information => Serilog.Events.LogEventLevel.Information,
            LogLevel.Warning => Serilog.Events.LogEventLevel.Warning,
            LogLevel.Error => Serilog.Events.LogEventLevel.Error,
            _ => Serilog.Events.LogEventLevel.Fatal,
        };
    }
}
