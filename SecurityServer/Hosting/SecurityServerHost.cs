using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// Builds the security server application. <c>Program.cs</c> only calls this; tests call it with a
/// temporary data directory and a manual clock.
/// </summary>
public static class SecurityServerHost
{
    /// <summary>The readiness failure code when configuration is missing or expired (X-Road vocabulary).</summary>
    public const string OutdatedGlobalConf = "server.clientproxy.outdated_global_conf";

    /// <summary>Builds the application.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var urlKey = $"{SecurityServerOptions.Section}:{nameof(SecurityServerOptions.AdminUrl)}";
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(builder.Configuration[urlKey] is { Length: > 0 } url ? url : new SecurityServerOptions().AdminUrl);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 1024 * 1024;
        });
        builder.Services.AddOptions<SecurityServerOptions>()
            .Bind(builder.Configuration.GetSection(SecurityServerOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.AnchorPath), "SecurityServer:AnchorPath must name an existing anchor file")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(nameof(ConfigurationClient));
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
            var anchor = ConfigurationAnchorSerializer.Read(File.ReadAllBytes(options.AnchorPath));
            if (!anchor.Success)
            {
                throw new InvalidOperationException($"The anchor {options.AnchorPath} is invalid: {anchor.Message}");
            }

            var storage = Path.Combine(options.DataDirectory, "globalconf");
            Directory.CreateDirectory(storage);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ConfigurationClient));
            return new ConfigurationClient(anchor.Value, http, new ConfigurationClientOptions { StorageDirectory = storage }, sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddHostedService<GlobalConfigurationService>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGet("/health/live", () => Results.Text("live"));
        app.MapGet("/health/ready", (ConfigurationClient client, TimeProvider time) =>
        {
            var status = client.Status;
            var valid = client.TryGetValid(time.GetUtcNow(), out _);
            var body = new
            {
                status = valid ? "ready" : "not_ready",
                reasons = valid ? Array.Empty<string>() : [OutdatedGlobalConf],
                globalConfiguration = new
                {
                    serial = status.Serial,
                    generatedAt = status.GeneratedAt,
                    validUntil = status.ValidUntil,
                    lastSuccess = status.LastSuccess,
                    lastAttempt = status.LastAttempt,
                    lastError = status.LastError,
                },
            };
            return Results.Json(body, statusCode: valid ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
