namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>The system clock moved by an adjustable offset: lets a test jump one server into the future without stopping time.</summary>
public sealed class OffsetTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
