using System.Net;
using System.Net.Http.Headers;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>
/// A small real host on 127.0.0.1 wired the way the security-server host wires the registry: the
/// extension methods only. A request header <c>X-Test-Remote-Address</c> makes the request look as if it
/// came from that address, to test the loopback-only rule without another network interface.
/// </summary>
internal sealed class AdminTestHost : IAsyncDisposable
{
    public const string RemoteAddressHeader = "X-Test-Remote-Address";
    public const int MaxBodyBytes = 4096;

    private AdminTestHost(LoopbackHost host, CapturingLoggerProvider logs)
    {
        Host = host;
        Logs = logs;
    }

    public LoopbackHost Host { get; }

    public CapturingLoggerProvider Logs { get; }

    public LocalConfigurationStore Store => Host.App.Services.GetRequiredService<LocalConfigurationStore>();

    public AdminApiKeyStore Keys => Host.App.Services.GetRequiredService<AdminApiKeyStore>();

    public static async Task<AdminTestHost> StartAsync(string dataDirectory, Action<WebApplicationBuilder>? configure = null)
    {
        var logs = new CapturingLoggerProvider();
        var host = await LoopbackHost.StartAsync(
            builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Services.AddServiceRegistry(o =>
                {
                    o.DataDirectory = dataDirectory;
                    o.MaxAdminRequestBytes = MaxBodyBytes;
                });
                builder.Services.AddExchangeMetrics();
                configure?.Invoke(builder);
            },
            app =>
            {
                app.Use((context, next) =>
                {
                    if (context.Request.Headers.TryGetValue(RemoteAddressHeader, out var address))
                    {
                        context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                    }

                    return next(context);
                });
                app.MapRegistryAdminApi();
                app.MapMetrics();
            });
        return new AdminTestHost(host, logs);
    }

    public AdminAuditLog Audit => Host.App.Services.GetRequiredService<AdminAuditLog>();

    public HttpClient Client(string? key)
    {
        var client = Host.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", key);
        }

        return client;
    }

    public string CreateKey(params AdminRole[] roles) => Keys.Create("test", roles.Length == 0 ? [AdminRole.SystemAdministrator] : roles).GetValueOrThrow().Key;

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
