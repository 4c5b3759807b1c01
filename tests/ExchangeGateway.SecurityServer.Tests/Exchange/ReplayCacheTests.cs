using ExchangeGateway.SecurityServer.Exchange;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

public sealed class ReplayCacheTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryReserve_SameIdSameClientInsideWindow_IsRefused()
    {
        var cache = new ReplayCache(TimeSpan.FromHours(1));
        Assert.True(cache.TryReserve("DEV/GOV/1/a", "m1", T0));
        Assert.False(cache.TryReserve("DEV/GOV/1/a", "m1", T0.AddMinutes(59)));
        Assert.True(cache.TryReserve("DEV/GOV/1/b", "m1", T0), "ids are per client");
        Assert.True(cache.TryReserve("DEV/GOV/1/a", "M1", T0), "ids compare ordinally");
    }

    [Fact]
    public void TryReserve_AfterTheWindow_IsAcceptedAgain()
    {
        var cache = new ReplayCache(TimeSpan.FromHours(1));
        Assert.True(cache.TryReserve("c", "m", T0));
        Assert.True(cache.TryReserve("c", "m", T0.AddHours(1).AddSeconds(1)));
    }

    [Fact]
    public void Remember_FromTheLog_BlocksAReplayAfterRestart()
    {
        var cache = new ReplayCache(TimeSpan.FromHours(1));
        cache.Remember("c", "m", T0);
        Assert.False(cache.TryReserve("c", "m", T0.AddMinutes(1)));
    }

    [Fact]
    public void TryReserve_Full_DropsOldestHalfAndStaysBounded()
    {
        var cache = new ReplayCache(TimeSpan.FromDays(1), capacity: 100);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(cache.TryReserve("c", "m" + i, T0.AddSeconds(i)));
        }

        Assert.InRange(cache.Count, 1, 101);
        Assert.False(cache.TryReserve("c", "m999", T0.AddSeconds(1000)), "the newest ids are kept");
    }

    [Fact]
    public async Task TryReserve_Concurrent_ExactlyOneWinsPerId()
    {
        var cache = new ReplayCache(TimeSpan.FromHours(1));
        var wins = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                if (cache.TryReserve("c", "m" + i, T0))
                {
                    Interlocked.Increment(ref wins);
                }
            }
        })));
        Assert.Equal(2000, wins);
        Assert.Equal(2000, cache.Count);
    }
}
