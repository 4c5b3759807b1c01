using System.Diagnostics;

namespace ExchangeGateway.Signer.Tests.Support;

/// <summary>Bounded polling for conditions that background loops make true.</summary>
internal static class Wait
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after ten seconds, far beyond what any loop here needs.</summary>
    public static async Task UntilAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the condition did not come true within 10 s");
            await Task.Delay(5);
        }
    }
}
