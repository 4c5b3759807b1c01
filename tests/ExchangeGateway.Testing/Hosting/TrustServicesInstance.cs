using ExchangeGateway.TrustServices.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.Testing.Hosting;

/// <summary>The real dev trust-services application, started in-process on a loopback port with its own data directory.</summary>
public sealed class TrustServicesInstance : IAsyncDisposable
{
    private TrustServicesInstance(WebApplication app, Uri baseAddress, string dataDirectory)
    {
        App = app;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    /// <summary>The running application.</summary>
    public WebApplication App { get; }

    /// <summary>Where it listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Its data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>Starts the host; port 0 picks a free port and PublicUrl is set to it.</summary>
    public static async Task<TrustServicesInstance> StartAsync(string dataDirectory, TimeProvider? time = null, params string[] extraArgs)
    {
        // Bind a throwaway listener to learn a free port, so issued certificates name the real OCSP URL.
        var port = FreeTcpPort();
        var url = $"http://127.0.0.1:{port}";
        string[] args = [$"--urls={url}", $"--TrustServices:DataDirectory={dataDirectory}", "--Logging:LogLevel:Default=Warning", .. extraArgs];
        var app = TrustServicesHost.Build(args, builder =>
        {
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TrustServicesInstance(app, new Uri(address.TrimEnd('/') + "/"), dataDirectory);
    }

    /// <summary>An HttpClient aimed at the host.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
