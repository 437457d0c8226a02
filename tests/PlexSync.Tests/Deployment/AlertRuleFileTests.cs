namespace PlexSync.Tests.Deployment;

/// <summary>The example alert rules parse and say what to do; MetricsTests checks their names against a real scrape.</summary>
public sealed class AlertRuleFileTests
{
    private static readonly string[] Severities = ["warning", "critical"];

    [Fact]
    public void EveryRule_HasANameSeverityAndWhatToDo_AndTheREADMENamesIt()
    {
        var readme = File.ReadAllText(System.IO.Path.Combine(Repository.Root(), "README.md"));
        var rules = AlertRules.Load();

        Assert.Equal(["PlexSyncNoSuccess", "PlexSyncFailureRatio", "PlexSyncPlexBreakerOpen", "PlexSyncSpoolNotDraining", "PlexSyncWorkerNotReady"], rules.Select(r => r.Alert));
        Assert.All(rules, r =>
        {
            Assert.Contains(r.Labels.GetValueOrDefault("severity"), Severities);
            Assert.False(string.IsNullOrWhiteSpace(r.Annotations.GetValueOrDefault("summary")), r.Alert);
            Assert.False(string.IsNullOrWhiteSpace(r.Annotations.GetValueOrDefault("description")), r.Alert);
            Assert.Contains(r.Alert, readme, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("min(plexsync_last_success_age_seconds) > 13 * 3600", "plexsync_last_success_age_seconds")]
    [InlineData("sum(rate(plexsync_syncs_total{outcome=\"failed\"}[1h])) / sum(rate(plexsync_syncs_total[1h])) > 0.2", "plexsync_syncs_total")]
    [InlineData("max_over_time(plexsync_plex_breaker_state{state=\"closed\"}[10m]) == 0", "plexsync_plex_breaker_state")]
    [InlineData("sum by (service) (rate(a_total[5m])) / on(service) b", "a_total,b")]
    public void MetricNames_AreTheIdentifiersThatAreNotPromQL(string expr, string names) =>
        Assert.Equal(names.Split(',').Order(), AlertRules.MetricNames(expr).Order());
}
