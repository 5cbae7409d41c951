using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Listes360.Web.Tests;

/// <summary>
/// A test of the pages: each page it opens has a browser context of its own (no cookie shared), and every one is
/// closed when the test ends, passed or failed. Left open, each context kept a Chromium renderer running (headless
/// Playwright does not throttle a page's timers): 59 of them by the end of a Web run here on 01/12/2026, together
/// ~170 % of the machine's two cores, a load average of 41 — under which sign-ins and the demonstration seed ran out
/// of time in CI.
/// </summary>
public abstract class WebTest(Func<Task<IBrowserContext>> newContext) : IAsyncLifetime
{
    private readonly ConcurrentQueue<IBrowserContext> contexts = new();

    /// <summary>A new page in a new browser context (no cookie), closed with the test.</summary>
    protected async Task<IPage> NewPageAsync()
    {
        var context = await newContext();
        contexts.Enqueue(context);
        return await context.NewPageAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        while (contexts.TryDequeue(out var context))
            await context.CloseAsync();
    }
}
