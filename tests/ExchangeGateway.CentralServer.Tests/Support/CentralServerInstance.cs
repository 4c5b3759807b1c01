using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ExchangeGateway.CentralServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.CentralServer.Tests.Support;

/// <summary>The real Central Server, in-process on 127.0.0.1 with a free port and its own data directory.</summary>
internal sealed partial class CentralServerInstance : IAsyncDisposable
{
    private CentralServerInstance(WebApplication app, Uri baseAddress, string dataDirectory, string consoleText)
    {
        App = app;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        ConsoleText = consoleText;
        AdminKey = KeyPattern().Match(consoleText) is { Success: true } m ? m.Groups[1].Value : null;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    /// <summary>Everything the host printed to its console while starting.</summary>
    public string ConsoleText { get; }

    /// <summary>The initial administrator key, when this start printed one.</summary>
    public string? AdminKey { get; }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<CentralServerInstance> StartAsync(string dataDirectory, string instanceId = "EE", TimeProvider? time = null, params string[] extraArgs)
    {
        var console = new StringWriter();
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--CentralServer:DataDirectory={dataDirectory}",
            $"--CentralServer:InstanceId={instanceId}",
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs,
        ];
        var app = CentralServerHost.Build(args, builder =>
        {
            builder.Services.AddSingleton(new ConsoleOutput(console));
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new CentralServerInstance(app, new Uri(address.TrimEnd('/') + "/"), dataDirectory, console.ToString());
    }

    /// <summary>A client sending <paramref name="key"/> as <c>Authorization: X-Api-Key</c> (no key when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    [GeneratedRegex(@"API key: (\S+)")]
    internal static partial Regex KeyPattern();
}
