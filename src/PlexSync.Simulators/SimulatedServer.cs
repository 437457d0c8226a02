using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PlexSync.Simulators;

/// <summary>
/// What both simulators share: a loopback Kestrel server with fault rules and a request log.
/// </summary>
public abstract class SimulatedServer : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<ActiveFault> faults = [];
    private readonly List<LoggedRequest> log = [];
    private TaskCompletionSource changed = NewSignal();
    private WebApplication? app;
    private long requestLatencyTicks;

    /// <summary>Where the simulator listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Delay every request by this much, as a slow server on a real network would (benchmarks).</summary>
    public TimeSpan RequestLatency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref requestLatencyTicks));
        set => Interlocked.Exchange(ref requestLatencyTicks, value.Ticks);
    }

    /// <summary>Adds a rule; rules are tried in the order added.</summary>
    public void AddFault(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (gate)
        {
            faults.Add(new ActiveFault(fault));
        }
    }

    /// <summary>Removes every rule.</summary>
    public void ClearFaults()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    /// <summary>A copy of the request log, oldest first.</summary>
    public IReadOnlyList<LoggedRequest> Requests()
    {
        lock (gate)
        {
            return [.. log];
        }
    }

    /// <summary>Counts logged requests by method (null = any) and path prefix.</summary>
    public int Count(string? method, string pathPrefix = "")
    {
        lock (gate)
        {
            return log.Count(r =>
                (method is null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)) &&
                r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));
        }
    }

    /// <summary>Empties the request log.</summary>
    public void ResetLog()
    {
        lock (gate)
        {
            log.Clear();
        }
    }

    /// <summary>
    /// Completes when <paramref name="condition"/> holds, checking it again after every logged request.
    /// Throws <see cref="TimeoutException"/> when it does not hold within <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        while (true)
        {
            // Take the signal before checking, so a request logged in between still wakes us.
            Task signal;
            lock (gate)
            {
                signal = changed.Task;
            }

            if (condition())
            {
                return;
            }

            try
            {
                await signal.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"condition not met within {timeout}");
            }
        }
    }

    /// <summary>Stops the server and its open connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await app.StopAsync(cts.Token);
            await app.DisposeAsync();
            app = null;
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Builds and starts the host on 127.0.0.1 (port 0 = a free port).</summary>
    protected async Task StartServerAsync(int port, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatedServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Quiet unless the caller wants the simulator's logs.
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);

            // Plex takes every edit in the query string, so a long summary makes a long request line.
            // Kestrel's 8 KiB default would refuse what Plex's own server is not known to refuse.
            k.Limits.MaxRequestLineSize = 1 << 20;
            k.Limits.MaxRequestBufferSize = 2 << 20;
        });
        var web = builder.Build();
        web.Use(HandleFaultsAsync);
        Configure(web);
        await web.StartAsync(cancellationToken);
        app = web;
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>Adds the simulator's own middleware and endpoints, after the fault handling.</summary>
    protected abstract void Configure(WebApplication web);

    /// <summary>Writes an error page as Plex does: text/html, not JSON.</summary>
    protected static async Task WriteHtmlErrorAsync(HttpContext context, int status)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = ReasonPhrase(status);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync(
            $"<html><head><title>{text}</title></head><body><h1>{status} {text}</h1></body></html>",
            context.RequestAborted);
    }

    /// <summary>Logs a request whose client gave up before it was answered (status 0), once the server has dealt with it.</summary>
    protected void RecordUnanswered(HttpContext context) => Record(context, 0);

    /// <summary>A result that writes an HTML error page.</summary>
    protected static IResult HtmlError(int status) => new HtmlErrorResult(status);

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleFaultsAsync(HttpContext context, RequestDelegate next)
    {
        var fault = TakeFault(context.Request.Method, context.Request.Path.Value ?? "/");
        var wait = RequestLatency + (fault?.Until is null ? fault?.Latency ?? TimeSpan.Zero : TimeSpan.Zero);
        if (fault?.Until is { } until && !await HoldAsync(until, fault.Latency, context.RequestAborted))
        {
            Record(context, 0);
            return;
        }

        if (wait > TimeSpan.Zero && !await DelayAsync(wait, context.RequestAborted))
        {
            Record(context, 0);
            return;
        }

        switch (fault)
        {
            case { Drop: true }:
                Record(context, 0);
                context.Abort();
                break;
            case { Status: > 0 }:
                Record(context, fault.Status);
                if (fault.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = fault.RetryAfter;
                }

                await WriteHtmlErrorAsync(context, fault.Status);
                break;
            case { Stall.Ticks: > 0 }:
                await StallAsync(context, next, fault.Stall);
                break;
            default:
                // Log as the answer starts, so no client sees an answer before the log holds its request.
                context.Response.OnStarting(() =>
                {
                    Record(context, context.Response.StatusCode);
                    return Task.CompletedTask;
                });
                await next(context);
                break;
        }
    }

    // False when the client gave up first.
    private static async Task<bool> HoldAsync(Task until, TimeSpan limit, CancellationToken aborted)
    {
        try
        {
            await until.WaitAsync(limit > TimeSpan.Zero ? limit : Timeout.InfiniteTimeSpan, aborted);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }

    // The handler runs into a buffer; the answer is held, as with a slow disk after the change is made.
    private async Task StallAsync(HttpContext context, RequestDelegate next, TimeSpan stall)
    {
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        var buffered = new StreamResponseBodyFeature(buffer);
        context.Features.Set<IHttpResponseBodyFeature>(buffered);
        try
        {
            await next(context);
            await buffered.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
        }

        if (!await DelayAsync(stall, context.RequestAborted))
        {
            Record(context, 0);
            return;
        }

        Record(context, context.Response.StatusCode);
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // Returns the first matching rule, using up one of its Times.
    private Fault? TakeFault(string method, string path)
    {
        lock (gate)
        {
            var index = faults.FindIndex(f => f.Rule.Matches(method, path));
            if (index < 0)
            {
                return null;
            }

            var active = faults[index];
            if (active.Rule.Times > 0 && ++active.Used >= active.Rule.Times)
            {
                faults.RemoveAt(index);
            }

            return active.Rule;
        }
    }

    private void Record(HttpContext context, int status)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.Select(v => v ?? string.Empty).ToArray());
        var entry = new LoggedRequest(context.Request.Method, context.Request.Path.Value ?? "/", query, status, DateTimeOffset.UtcNow);
        TaskCompletionSource wake;
        lock (gate)
        {
            log.Add(entry);
            wake = changed;
            changed = NewSignal();
        }

        wake.TrySetResult();
    }

    private sealed class ActiveFault(Fault rule)
    {
        public Fault Rule { get; } = rule;

        public int Used { get; set; }
    }

    private sealed class HtmlErrorResult(int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteHtmlErrorAsync(httpContext, status);
    }
}
