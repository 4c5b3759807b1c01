using ExchangeGateway.Testing.Time;

namespace ExchangeGateway.Common.Tests.Testing;

/// <summary>The manual clock other tests rely on to shorten time without changing logic.</summary>
public sealed class ManualTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Advance_MovesUtcNowAndTimestamp()
    {
        var time = new ManualTimeProvider(Start);
        var before = time.GetTimestamp();

        time.Advance(TimeSpan.FromHours(4));

        Assert.Equal(Start.AddHours(4), time.GetUtcNow());
        Assert.Equal(TimeSpan.FromHours(4), time.GetElapsedTime(before));
    }

    [Fact]
    public void CreateTimer_FiresOnlyWhenAdvancedPastDueTime()
    {
        var time = new ManualTimeProvider(Start);
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, fired);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fired);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void CreateTimer_Periodic_FiresOncePerElapsedPeriod()
    {
        var time = new ManualTimeProvider(Start);
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(3.5));

        Assert.Equal(3, fired);
    }

    [Fact]
    public void Dispose_StopsTimer()
    {
        var time = new ManualTimeProvider(Start);
        var fired = 0;
        var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, fired);
    }

    [Fact]
    public async Task Delay_CompletesWhenClockAdvances()
    {
        var time = new ManualTimeProvider(Start);

        var delay = Task.Delay(TimeSpan.FromHours(1), time);
        Assert.False(delay.IsCompleted);

        time.Advance(TimeSpan.FromHours(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void SetUtcNow_Backwards_ModelsClockSkewWithoutFiringTimers()
    {
        var time = new ManualTimeProvider(Start);
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        time.SetUtcNow(Start.AddMinutes(-10));

        Assert.Equal(Start.AddMinutes(-10), time.GetUtcNow());
        Assert.Equal(0, fired);
    }
}
