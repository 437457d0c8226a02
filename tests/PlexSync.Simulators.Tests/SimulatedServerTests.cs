using System.Diagnostics;
using System.Net;

namespace PlexSync.Simulators.Tests;

public sealed class SimulatedServerTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private PlexSimulator plex = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Token = "tok" });
        plex.AddSection(1, "Movies", "/m");
        http = new HttpClient { BaseAddress = plex.BaseAddress, Timeout = Bound };
        http.DefaultRequestHeaders.Add("X-Plex-Token", "tok");
        http.DefaultRequestHeaders.Add("Accept", "application/json");
    }

    public void Dispose() => http.Dispose();

    public async Task DisposeAsync()
    {
        await plex.DisposeAsync();
    }

    [Fact]
    public async Task WaitFor_WakesOnRequests()
    {
        var wait = plex.WaitForAsync(() => plex.Count("GET", "/library/sections") >= 2, Bound);

        await http.GetAsync("library/sections");
        Assert.False(wait.IsCompleted);
        await http.GetAsync("library/sections");

        await wait;
    }

    [Fact]
    public async Task WaitFor_TimesOut()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => plex.WaitForAsync(() => false, TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task Log_HoldsRequestBeforeTheAnswerArrives()
    {
        var response = await http.GetAsync("library/sections?x=1");

        var entry = Assert.Single(plex.Requests());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("GET", "/library/sections", 200, "1"), (entry.Method, entry.Path, entry.Status, entry.Query["x"][0]));
    }

    [Fact]
    public async Task StatusFault_WithRetryAfter_NTimesThenSucceeds()
    {
        plex.AddFault(new Fault { Method = "GET", PathPrefix = "/library/sections", Status = 503, RetryAfter = "7", Times = 2 });

        var first = await http.GetAsync("library/sections");
        var second = await http.GetAsync("library/sections");
        var third = await http.GetAsync("library/sections");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), first.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal([503, 503, 200], plex.Requests().Select(r => r.Status));
    }

    [Fact]
    public async Task Fault_OtherMethodOrPath_DoesNotMatch()
    {
        plex.AddFault(new Fault { Method = "PUT", Status = 500 });
        plex.AddFault(new Fault { PathPrefix = "/library/metadata", Status = 500 });

        var response = await http.GetAsync("library/sections");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DropFault_AbortsWithoutAnswer()
    {
        plex.AddFault(new Fault { Drop = true, Times = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("library/sections"));
        var after = await http.GetAsync("library/sections");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal([0, 200], plex.Requests().Select(r => r.Status));
    }

    [Fact]
    public async Task LatencyFault_DelaysTheAnswer()
    {
        plex.AddFault(new Fault { Latency = TimeSpan.FromMilliseconds(300) });
        var watch = Stopwatch.StartNew();

        await http.GetAsync("library/sections");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task StallFault_ChangeIsMadeBeforeTheLateAnswer()
    {
        var rk = plex.AddItem(1, "/m/a.mp4");
        plex.AddFault(new Fault { Method = "PUT", Stall = TimeSpan.FromSeconds(30), Times = 1 });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => http.PutAsync($"library/sections/1/all?type=1&id={rk}&title.value=Changed", null, cts.Token));

        Assert.True(plex.TryGetItem(rk, out var item));
        Assert.Equal("Changed", item.Title);
        await plex.WaitForAsync(() => plex.Count("PUT") == 1, Bound);
        Assert.Equal(0, plex.Requests()[0].Status);
    }

    [Fact]
    public async Task StallFault_ShortStall_DeliversTheRealAnswer()
    {
        plex.AddFault(new Fault { Stall = TimeSpan.FromMilliseconds(100), Times = 1 });

        var response = await http.GetAsync("library/sections");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Movies", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClearFaults_AndResetLog()
    {
        plex.AddFault(new Fault { Status = 500 });
        await http.GetAsync("library/sections");
        plex.ClearFaults();
        plex.ResetLog();

        var response = await http.GetAsync("library/sections");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, plex.Count(null));
    }

    [Fact]
    public async Task RequestLatency_DelaysEveryRequest()
    {
        plex.RequestLatency = TimeSpan.FromMilliseconds(200);
        var watch = Stopwatch.StartNew();

        await http.GetAsync("library/sections");
        await http.GetAsync("library/sections");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(350), $"took {watch.Elapsed}");
    }
}
