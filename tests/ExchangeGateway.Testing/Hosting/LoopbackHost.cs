using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExchangeGateway.Testing.Hosting;

/// <summary>
/// Starts a real Kestrel host on 127.0.0.1 with an OS-assigned port, for functional tests. Only the
/// loopback address is ever bound.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private LoopbackHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The running application.</summary>
    public WebApplication App { get; }

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Builds and starts a host; <paramref name="configure"/> maps endpoints and services.</summary>
    public static async Task<LoopbackHost> StartAsync(
        Action<WebApplicationBuilder>? configureBuilder,
        Action<WebApplication> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        configureBuilder?.Invoke(builder);
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LoopbackHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>An HttpClient aimed at the host.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
