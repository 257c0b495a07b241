using System.Diagnostics;

namespace MlOps.Testing;

/// <summary>Polls a condition until it holds or a timeout passes: the one way tests wait for an asynchronous effect.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        HoldsAsync(condition, what, lastSeen: null, timeout);

    /// <summary>As <see cref="HoldsAsync(Func{Task{bool}}, string, TimeSpan?)"/>; a timeout also reports what
    /// <paramref name="lastSeen"/> says (e.g. the last answer polled), so a failure in CI explains itself.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, Func<string>? lastSeen, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (!await condition())
        {
            if (clock.Elapsed > limit)
                throw new Xunit.Sdk.XunitException($"Timed out after {limit.TotalSeconds:0.#} s waiting until {what}."
                    + (lastSeen?.Invoke() is { Length: > 0 } seen ? $" Last seen: {seen}" : ""));
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, timeout);
}
