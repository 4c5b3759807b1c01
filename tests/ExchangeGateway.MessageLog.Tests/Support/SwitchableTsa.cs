using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.TrustServices.Tsa;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExchangeGateway.MessageLog.Tests.Support;

/// <summary>The real RFC 3161 TSA of the dev trust services on loopback, with a switch that makes it answer 503.</summary>
internal sealed class SwitchableTsa : IAsyncDisposable
{
    private readonly LoopbackHost _host;
    private volatile bool _down;
    private int _requests;

    private SwitchableTsa(LoopbackHost host)
    {
        _host = host;
    }

    public Uri Url => new(_host.BaseAddress, "tsa");

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<SwitchableTsa> StartAsync(TimeStampAuthority authority)
    {
        SwitchableTsa? self = null;
        var host = await LoopbackHost.StartAsync(null, app =>
        {
            app.Use(async (HttpContext context, RequestDelegate next) =>
            {
                Interlocked.Increment(ref self!._requests);
                if (self._down)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }

                await next(context);
            });
            app.MapTimeStamping("/tsa", authority);
        });
        self = new SwitchableTsa(host);
        return self;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
