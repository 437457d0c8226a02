using System.Diagnostics.Metrics;
using Temporalio.Runtime;

namespace PlexSync.Hosting;

/// <summary>
/// Hands the Temporal SDK's metrics (polls, task latencies, activity outcomes: "temporal_*") to a
/// System.Diagnostics.Metrics meter, so that the worker serves them on the same endpoint as its own.
/// Temporal's own Prometheus exporter would need a second address.
/// </summary>
internal sealed class TemporalMeter : ICustomMetricMeter, IDisposable
{
    public const string MeterName = "Temporal";

    private readonly Meter meter = new(MeterName);

    /// <summary>A runtime whose SDK metrics go to this meter, with durations in seconds (Prometheus' unit).</summary>
    public TemporalRuntime CreateRuntime() => TemporalRuntimes.Create(new MetricsOptions
    {
        CustomMetricMeter = this,
        CustomMetricMeterOptions = new CustomMetricMeterOptions { HistogramDurationFormat = CustomMetricMeterOptions.DurationFormat.FloatSeconds },
    });

    public ICustomMetricCounter<T> CreateCounter<T>(string name, string? unit, string? description)
        where T : struct => new CounterOf<T>(meter.CreateCounter<T>(name, unit, description));

    public ICustomMetricHistogram<T> CreateHistogram<T>(string name, string? unit, string? description)
        where T : struct => new HistogramOf<T>(meter.CreateHistogram<T>(name, unit, description));

    public ICustomMetricGauge<T> CreateGauge<T>(string name, string? unit, string? description)
        where T : struct => new GaugeOf<T>(meter.CreateGauge<T>(name, unit, description));

    /// <summary>Tags are kept as an array of pairs; a derived set copies its parent's and adds its own.</summary>
    public object CreateTags(object? appendFrom, IReadOnlyCollection<KeyValuePair<string, object>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var parent = appendFrom as KeyValuePair<string, object?>[] ?? [];
        return parent.Where(p => !tags.Any(t => t.Key == p.Key))
            .Concat(tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)))
            .ToArray();
    }

    public void Dispose() => meter.Dispose();

    private static ReadOnlySpan<KeyValuePair<string, object?>> Tags(object tags) => (KeyValuePair<string, object?>[])tags;

    private sealed class CounterOf<T>(Counter<T> counter) : ICustomMetricCounter<T>
        where T : struct
    {
        public void Add(T value, object tags) => counter.Add(value, Tags(tags));
    }

    private sealed class HistogramOf<T>(Histogram<T> histogram) : ICustomMetricHistogram<T>
        where T : struct
    {
        public void Record(T value, object tags) => histogram.Record(value, Tags(tags));
    }

    private sealed class GaugeOf<T>(Gauge<T> gauge) : ICustomMetricGauge<T>
        where T : struct
    {
        public void Set(T value, object tags) => gauge.Record(value, Tags(tags));
    }
}
