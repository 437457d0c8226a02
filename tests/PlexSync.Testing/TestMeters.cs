using System.Diagnostics.Metrics;

namespace PlexSync.Testing;

/// <summary>An <see cref="IMeterFactory"/> of a test's own: its meters live until the test disposes it, as a host's do.</summary>
public sealed class TestMeters : IMeterFactory
{
    private readonly List<Meter> meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        lock (meters)
        {
            meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (meters)
        {
            meters.ForEach(m => m.Dispose());
            meters.Clear();
        }
    }
}
