using PlexSync.Clients;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace PlexSync.Hosting;

/// <summary>Serilog set-up shared by every command: text or compact JSON on stderr, every string redacted.</summary>
internal static class Logging
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    /// <summary>The logger used before the configuration is read, and for errors that stop start-up.</summary>
    public static void UseBootstrapLogger() =>
        Log.Logger = new LoggerConfiguration().WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose).CreateBootstrapLogger();

    /// <summary>Configures a logger for the given format (text or json) and level, writing to stderr or to a file.</summary>
    public static LoggerConfiguration Configure(LoggerConfiguration configuration, string format, string level, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration
            .MinimumLevel.Is(ParseLevel(level))

            // The HTTP client factory logs every request at Information; our clients log what matters.
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With<RedactingEnricher>();
        var json = string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
        return (json, file) switch
        {
            (true, null) => configuration.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose),
            (false, null) => configuration.WriteTo.Console(outputTemplate: TextTemplate, standardErrorFromLevel: LogEventLevel.Verbose),
            (true, _) => configuration.WriteTo.File(new CompactJsonFormatter(), file),
            (false, _) => configuration.WriteTo.File(file, outputTemplate: TextTemplate),
        };
    }

    private static LogEventLevel ParseLevel(string level) => level.ToLowerInvariant() switch
    {
        "debug" => LogEventLevel.Debug,
        "warn" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        _ => LogEventLevel.Information,
    };

    // Passes every string property through redaction, so that a URL with a token in it cannot reach a log line.
    private sealed class RedactingEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            foreach (var (name, value) in logEvent.Properties.ToList())
            {
                if (value is ScalarValue { Value: string text } && Redaction.Redact(text) is var clean && clean != text)
                {
                    logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(clean)));
                }
            }
        }
    }
}
